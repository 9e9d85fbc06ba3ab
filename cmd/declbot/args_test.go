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

func TestLangTags(t *testing.T) {
	known := []string{"en", "fr", "ru", "ja"}
	tests := []struct{ in, want []string }{
		{[]string{"ask", "--lang", "EN", "--", "hi"}, []string{"ask", "--lang", "en", "--", "hi"}},
		{[]string{"cite", "--lang=fr-FR", "4.2"}, []string{"cite", "--lang=fr", "4.2"}},
		{[]string{"about", "--lang", "ru_RU"}, []string{"about", "--lang", "ru"}},
		{[]string{"cite", "--lang", "ALL", "4"}, []string{"cite", "--lang", "all", "4"}},
		{[]string{"ask", "--lang", "Auto", "--", "x"}, []string{"ask", "--lang", "auto", "--", "x"}},
		// Not a language of the table: left for the command to refuse.
		{[]string{"ask", "--lang", "es-ES", "--", "x"}, []string{"ask", "--lang", "es-ES", "--", "x"}},
		// After "--" it is the question.
		{[]string{"ask", "--", "--lang", "EN"}, []string{"ask", "--", "--lang", "EN"}},
		{[]string{"ask", "--lang"}, []string{"ask", "--lang"}},
	}
	for _, tt := range tests {
		if got := langTags(tt.in, known); !slices.Equal(got, tt.want) {
			t.Errorf("langTags(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// Through the command line, as a user types it.
	if code, out, errb := run(t, "cite", "--lang", "FR-fr", "4.2"); code != 0 || !strings.Contains(out, "Chap. 4") {
		t.Errorf("cite --lang FR-fr 4.2: exit %d, %q %q", code, out, errb)
	}
	if code, _, errb := run(t, "ask", "--lang", "es", "hola"); code != exitUsage || !strings.Contains(errb, `"es"`) {
		t.Errorf("ask --lang es: exit %d, %q; want the choices", code, errb)
	}
}
