package messages

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestDefault(t *testing.T) {
	c := Default()
	want := []string{"en", "fr", "ja", "ru"}
	got := c.Languages()
	if got[0] != Fallback {
		t.Errorf("languages %v: want English first", got)
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("languages %v, want %v", got, want)
	}
}

// TestComplete fails while a language lacks a key English has, has one
// English lacks, or fills other placeholders than English does.
func TestComplete(t *testing.T) {
	c := Default()
	for _, l := range c.Languages() {
		t.Run(l, func(t *testing.T) {
			for _, p := range c.Check(l) {
				t.Error(p)
			}
		})
	}
}

func TestSay(t *testing.T) {
	c := New()
	if err := c.Add("en", []byte("hello: Hello, {name}!\nbye: Bye.\nsum: \"{a} and {b}\"\n")); err != nil {
		t.Fatal(err)
	}
	if err := c.Add("eo", []byte("hello: Saluton, {name}!\n")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, lang, key string
		args            []any
		want            string
	}{
		{"filled", "eo", "hello", []any{"name", "Zamenhof"}, "Saluton, Zamenhof!"},
		{"missing key falls back to English", "eo", "bye", nil, "Bye."},
		{"unknown language is English", "xx", "hello", []any{"name", 3}, "Hello, 3!"},
		{"unfilled placeholder stays", "en", "hello", nil, "Hello, {name}!"},
		{"several placeholders", "en", "sum", []any{"b", 2, "a", 1}, "1 and 2"},
		{"odd argument ignored", "en", "sum", []any{"a", 1, "b"}, "1 and {b}"},
		{"key nobody has", "en", "nope", nil, "[nope]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.Say(tc.lang, tc.key, tc.args...); got != tc.want {
				t.Errorf("Say(%q, %q) = %q, want %q", tc.lang, tc.key, got, tc.want)
			}
		})
	}
	if got := c.Check("eo"); len(got) != 2 {
		t.Errorf("Check(eo) = %q, want bye and sum missing", got)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, data, want string
	}{
		{"not a mapping", "- a\n- b\n", "want key: text"},
		{"nested", "a:\n  b: c\n", "want key: text"},
		{"indented", " a: b\n", "want key: text"},
		{"flow mapping", "a: {b: c}\n", "plain or in double quotes"},
		{"anchor", "a: &x b\n", "plain or in double quotes"},
		{"block scalar", "a: |\n  b\n", "plain or in double quotes"},
		{"quote across lines", "a: \"b\n  c\"\n", "ends on its line"},
		{"empty", "", "no messages"},
		{"bad key", "Hello: x\n", "key"},
		{"list value", "n: [a]\n", "plain or in double quotes"},
		{"number", "n: 3\n", "want a text"},
		{"empty text", "n: \"  \"\n", "empty text"},
		{"unclosed brace", "n: \"a {b\"\n", "unclosed"},
		{"stray close", "n: \"a } b\"\n", "without {"},
		{"bad placeholder", "n: \"{B c}\"\n", "placeholder"},
		{"duplicate key", "n: a\nn: b\n", "parse"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Parse(%q) = %v, want an error containing %q", tc.data, err, tc.want)
			}
		})
	}
	c := Default()
	if err := c.Add("en", []byte("a: b\n")); err == nil {
		t.Error("Add(en) again succeeded")
	}
}

// FuzzParse checks that Parse never panics, and that what it accepts a
// Catalogue takes and says without panicking.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"en.yaml", "fr.yaml", "ru.yaml", "ja.yaml"} {
		data, err := files.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("a: \"{b}{c}}\"\n"))
	f.Add([]byte("a: {b: c}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		texts, err := Parse(data)
		if err != nil {
			return
		}
		c := New()
		if err := c.Add("xx", data); err != nil {
			t.Fatalf("Parse accepted what Add refuses: %v", err)
		}
		for k := range texts {
			c.Say("xx", k, "a", 1)
		}
	})
}

// TestKeysSaid reads the packages that show messages and checks that each
// key they say by name is an English key, and that each English key is
// said somewhere: a catalogue entry nobody says is dead text to
// translate.
func TestKeysSaid(t *testing.T) {
	c := Default()
	said := map[string]bool{}
	for _, dir := range []string{"..", "../discord", "../../cmd/declbot"} {
		names, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			f, err := parser.ParseFile(fset, name, src, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err == nil && slices.Contains(c.Keys(Fallback), s) {
					said[s] = true
				}
				return true
			})
			for _, call := range sayCalls(f) {
				if !slices.Contains(c.Keys(Fallback), call) {
					t.Errorf("%s says %q, which en.yaml lacks", name, call)
				}
			}
		}
	}
	for _, k := range c.Keys(Fallback) {
		if !said[k] {
			t.Errorf("en.yaml: %s is said nowhere", k)
		}
	}
}

// sayCalls returns the literal keys passed to a function or method named
// say or Say.
func sayCalls(f *ast.File) []string {
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) < 1 {
			return true
		}
		var name string
		switch fn := call.Fun.(type) {
		case *ast.Ident:
			name = fn.Name
		case *ast.SelectorExpr:
			name = fn.Sel.Name
		}
		if name != "say" && name != "Say" {
			return true
		}
		// The key is the first literal: say(lang, "key", …) or, on a
		// value that knows its language, say("key", …).
		for _, arg := range call.Args[:min(2, len(call.Args))] {
			if lit, ok := arg.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil {
					out = append(out, s)
				}
				break
			}
		}
		return true
	})
	return out
}
