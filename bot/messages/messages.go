// Package messages is declbot's message catalogue: every sentence the bot,
// its Discord adapter and the command line show a user, keyed by language.
//
// Each language's messages are one YAML file of key: text pairs, embedded
// here beside the parser that reads them (en.yaml, fr.yaml, ru.yaml,
// ja.yaml). A text names what varies in braces ("{n}", "{limit}"), so that
// a translation can put it where its grammar wants. A key a language lacks
// is said in the fallback language, English: a new sentence can ship
// before its translations, and TestComplete fails until they are written.
//
// Adding a language is one entry of the language table (corpus/lang) plus
// one file here, or a Catalogue.Add of its messages for a table of one's
// own.
package messages

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
)

//go:embed *.yaml
var files embed.FS

// Fallback is the language a key is said in when the language asked for
// lacks it.
const Fallback = "en"

// Catalogue holds the messages of several languages. It is read-only once
// in use and safe for concurrent use.
type Catalogue struct {
	order []string
	langs map[string]map[string]message
}

// message is one parsed text: literal parts between placeholders.
// parts[0], then args[0], then parts[1], and so on; len(parts) ==
// len(args)+1.
type message struct {
	parts []string
	args  []string
}

// Default returns a new catalogue of the languages declbot ships with.
func Default() *Catalogue {
	c := New()
	entries, err := files.ReadDir(".")
	if err != nil {
		panic(err) // embedded: a failure is a bug here
	}
	// English first: it is the fallback, and Languages lists it first.
	slices.SortStableFunc(entries, func(a, b fs.DirEntry) int {
		return boolInt(b.Name() == Fallback+".yaml") - boolInt(a.Name() == Fallback+".yaml")
	})
	for _, e := range entries {
		data, err := files.ReadFile(e.Name())
		if err != nil {
			panic(err)
		}
		if err := c.Add(strings.TrimSuffix(e.Name(), ".yaml"), data); err != nil {
			panic(err) // the files are fixed: TestDefault reports it
		}
	}
	return c
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// New returns an empty catalogue.
func New() *Catalogue {
	return &Catalogue{langs: map[string]map[string]message{}}
}

// Add parses data, a language's messages as YAML, and registers them
// under code. It fails on a code already held, on data that is not a
// mapping of keys to non-empty texts, and on a text whose braces do not
// pair up around a placeholder name (see Parse). Add must not be called
// once the catalogue is in use.
func (c *Catalogue) Add(code string, data []byte) error {
	if code == "" {
		return fmt.Errorf("messages: empty language code")
	}
	if _, ok := c.langs[code]; ok {
		return fmt.Errorf("messages %s: already in the catalogue", code)
	}
	texts, err := Parse(data)
	if err != nil {
		return fmt.Errorf("messages %s: %w", code, err)
	}
	m := make(map[string]message, len(texts))
	for k, t := range texts {
		m[k], _ = compile(t) // Parse checked it
	}
	c.langs[code] = m
	c.order = append(c.order, code)
	return nil
}

// Parse reads a language's messages: a YAML mapping of keys (lower-case
// letters, digits and underscores) to texts. It returns the texts by key,
// or an error naming the first key that is malformed, repeated, empty or
// holds a brace that opens or closes no placeholder.
func Parse(data []byte) (map[string]string, error) {
	if err := checkShape(data); err != nil {
		return nil, err
	}
	var raw map[string]any
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	if len(raw) == 0 {
		return nil, fmt.Errorf("parse: no messages")
	}
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		if !isName(k) {
			return nil, fmt.Errorf("key %q: want lower-case letters, digits and underscores", k)
		}
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("%s: want a text, got %T", k, v)
		}
		if strings.TrimSpace(s) == "" {
			return nil, fmt.Errorf("%s: empty text", k)
		}
		if _, err := compile(s); err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[k] = s
	}
	return out, nil
}

// checkShape accepts only what a catalogue file needs of YAML: one
// "key: text" per line, at the start of the line, the text plain or in
// double quotes on that line, and comment and blank lines. Everything else
// YAML allows (nesting, flow collections, anchors, block scalars, tags) is
// refused before the YAML parser sees it: a catalogue needs none of it,
// and some of it (deep flow nesting) takes the parser a very long time.
func checkShape(data []byte) error {
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if t := strings.TrimSpace(line); t == "" || t[0] == '#' {
			continue
		}
		key, text, ok := strings.Cut(line, ": ")
		if !ok || !isName(key) {
			return fmt.Errorf("line %d: want key: text, the key in lower-case letters, digits and underscores at the start of the line", n+1)
		}
		text = strings.TrimSpace(text)
		if text == "" || strings.ContainsRune("[]{}&*!|>'%@`,?:-#", rune(text[0])) {
			return fmt.Errorf("line %d: %s: write the text plain or in double quotes", n+1, key)
		}
		if text[0] == '"' && (len(text) < 2 || !strings.HasSuffix(text, "\"")) {
			return fmt.Errorf("line %d: %s: a quoted text ends on its line", n+1, key)
		}
	}
	return nil
}

// compile splits a text at its placeholders.
func compile(s string) (message, error) {
	var m message
	var lit strings.Builder
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			end := strings.IndexByte(s[i+1:], '}')
			if end < 0 {
				return message{}, fmt.Errorf("unclosed { at byte %d", i)
			}
			name := s[i+1 : i+1+end]
			if !isName(name) {
				return message{}, fmt.Errorf("placeholder {%s}: want a name of lower-case letters, digits and underscores", name)
			}
			m.parts = append(m.parts, lit.String())
			m.args = append(m.args, name)
			lit.Reset()
			i += end + 1
		case '}':
			return message{}, fmt.Errorf("} without { at byte %d", i)
		default:
			lit.WriteByte(s[i])
		}
	}
	m.parts = append(m.parts, lit.String())
	return m, nil
}

func isName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}

// Say returns the message key in lang, its placeholders filled from args,
// which alternate names and values as a log call's do ("n", 5). A key
// lang lacks is said in English; a key English lacks too is a bug, shown
// as "[key]" so that it is noticed. A placeholder args do not fill stays
// as written.
func (c *Catalogue) Say(lang, key string, args ...any) string {
	m, ok := c.langs[lang][key]
	if !ok {
		if m, ok = c.langs[Fallback][key]; !ok {
			return "[" + key + "]"
		}
	}
	if len(m.args) == 0 {
		return m.parts[0]
	}
	var b strings.Builder
	b.WriteString(m.parts[0])
	for i, name := range m.args {
		b.WriteString(value(name, args))
		b.WriteString(m.parts[i+1])
	}
	return b.String()
}

func value(name string, args []any) string {
	for i := 0; i+1 < len(args); i += 2 {
		if k, ok := args[i].(string); ok && k == name {
			return fmt.Sprint(args[i+1])
		}
	}
	return "{" + name + "}"
}

// Has reports whether the catalogue holds messages in lang.
func (c *Catalogue) Has(lang string) bool {
	_, ok := c.langs[lang]
	return ok
}

// Languages lists the codes of the catalogue's languages in the order
// they were added.
func (c *Catalogue) Languages() []string { return slices.Clone(c.order) }

// Keys lists the keys lang holds, sorted.
func (c *Catalogue) Keys(lang string) []string {
	var out []string
	for k := range c.langs[lang] {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Check compares lang with English and describes each difference: a key
// English has and lang lacks, a key English lacks, and a text whose
// placeholders are not English's. It returns nothing when lang is
// complete.
func (c *Catalogue) Check(lang string) []string {
	var out []string
	base, own := c.langs[Fallback], c.langs[lang]
	for _, k := range c.Keys(Fallback) {
		m, ok := own[k]
		if !ok {
			out = append(out, fmt.Sprintf("%s: %s missing", lang, k))
			continue
		}
		if !sameArgs(m.args, base[k].args) {
			out = append(out, fmt.Sprintf("%s: %s has placeholders %v, English %v", lang, k, m.args, base[k].args))
		}
	}
	for _, k := range c.Keys(lang) {
		if _, ok := base[k]; !ok {
			out = append(out, fmt.Sprintf("%s: %s is not an English key", lang, k))
		}
	}
	return out
}

func sameArgs(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}
