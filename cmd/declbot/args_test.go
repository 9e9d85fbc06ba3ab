package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/alecthomas/kong"

	"github.com/declbot/declbot/corpus/lang"
)

func cliModel(t testing.TB) *kong.Application {
	t.Helper()
	var c cli
	p, err := kong.New(&c, kong.Name("declbot"), kong.Vars{"langs": strings.Join(lang.Default().Codes(), ",")})
	if err != nil {
		t.Fatal(err)
	}
	return p.Model
}

func TestFlagsFirst(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ask what about --json afghanistan", "ask --json -- what about afghanistan"},
		{"ask critical -k 1 minerals", "ask -k 1 -- critical minerals"},
		{"ask critical -k1 minerals", "ask -k1 -- critical minerals"},
		{"--config c.yaml ask a --lang fr b", "--config c.yaml ask --lang fr -- a b"},
		{"ask a --config c.yaml b", "ask --config c.yaml -- a b"},
		{"ask --json -- -k is not a flag", "ask --json -- -k is not a flag"},
		{"ask a -- --json b", "ask -- a --json b"},
		{"ask a --jsn b", "ask --jsn -- a b"},
		{"ask a -k", "ask a -k"},
		{"ask what --lang", "ask what --lang"},
		{"cite 4 --lang=fr", "cite --lang=fr -- 4"},
		{"ask Japan - Central", "ask -- Japan - Central"},
		{"ask --json", "ask --json"},
		{"chapters --json", "chapters --json"},
		{"config check --config x", "config check --config x"},
		{"eval --questions f -k 2", "eval --questions f -k 2"},
		{"nosuch a --json b", "nosuch a --json b"},
		{"", ""},
	}
	app := cliModel(t)
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := strings.Join(flagsFirst(app, strings.Fields(tt.in)), " ")
			if got != tt.want {
				t.Errorf("flagsFirst(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzFlagsFirst: moving flags first never loses, invents or reorders a
// word among the words, and adds at most one "--".
func FuzzFlagsFirst(f *testing.F) {
	for _, s := range []string{"ask what about --json afghanistan", "ask -k 1 -- -k", "--config x ask a -k", "cite 4 --lang fr", "ask -", "config check", "ask --lang"} {
		f.Add(s)
	}
	app := cliModel(f)
	f.Fuzz(func(t *testing.T, s string) {
		in := strings.Fields(s)
		out := flagsFirst(app, in)
		a, b := slices.Clone(in), slices.Clone(out)
		a = slices.DeleteFunc(a, func(x string) bool { return x == "--" })
		b = slices.DeleteFunc(b, func(x string) bool { return x == "--" })
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) {
			t.Fatalf("flagsFirst(%q) = %q: tokens differ", in, out)
		}
		if n, m := strings.Count(" "+strings.Join(in, " ")+" ", " -- "), strings.Count(" "+strings.Join(out, " ")+" ", " -- "); m > n+1 {
			t.Fatalf("flagsFirst(%q) = %q: more than one -- added", in, out)
		}
	})
}
