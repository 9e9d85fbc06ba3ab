// Package lang declares the languages declbot reads, searches and answers
// in. Each language is one entry of a Table: its code, its name in itself
// and in English, and (as the analysis moves here) how its text is
// detected, split into words and stemmed. Everything that varies by
// language asks the table rather than naming languages itself, so adding a
// language is one entry here plus its message catalogue.
package lang

import (
	"fmt"
	"slices"
)

// Codes of the languages of the default table.
const (
	English  = "en"
	French   = "fr"
	Russian  = "ru"
	Japanese = "ja"
)

// Language is one entry of the table.
type Language struct {
	// Code is the ISO 639-1 code: "en", "fr", "ru", "ja".
	Code string
	// Name is the language's name in itself ("Français", "日本語"), as a
	// language menu shows it.
	Name string
	// EnglishName is its name in English, for logs and documentation.
	EnglishName string
}

// Table holds the known languages in their order of preference: the first
// is the fallback when a text's language cannot be told.
type Table struct {
	langs []Language
}

// Default returns a new table of the languages declbot ships with.
func Default() *Table {
	t := &Table{}
	for _, l := range []Language{
		{Code: English, Name: "English", EnglishName: "English"},
		{Code: French, Name: "Français", EnglishName: "French"},
		{Code: Russian, Name: "Русский", EnglishName: "Russian"},
		{Code: Japanese, Name: "日本語", EnglishName: "Japanese"},
	} {
		if err := t.Add(l); err != nil {
			panic(err) // the entries above are fixed: a failure is a bug here
		}
	}
	return t
}

// Add registers l. Its code must be new and two lower-case letters.
func (t *Table) Add(l Language) error {
	if len(l.Code) != 2 || l.Code[0] < 'a' || l.Code[0] > 'z' || l.Code[1] < 'a' || l.Code[1] > 'z' {
		return fmt.Errorf("language code %q: want two lower-case letters", l.Code)
	}
	if _, ok := t.Get(l.Code); ok {
		return fmt.Errorf("language %q: already in the table", l.Code)
	}
	if l.Name == "" {
		return fmt.Errorf("language %q: no name", l.Code)
	}
	t.langs = append(t.langs, l)
	return nil
}

// Get returns the language of code, and whether the table has it.
func (t *Table) Get(code string) (Language, bool) {
	for _, l := range t.langs {
		if l.Code == code {
			return l, true
		}
	}
	return Language{}, false
}

// Codes lists the codes of the table, in its order.
func (t *Table) Codes() []string {
	out := make([]string, len(t.langs))
	for i, l := range t.langs {
		out[i] = l.Code
	}
	return out
}

// All returns the table's languages, in its order.
func (t *Table) All() []Language {
	return slices.Clone(t.langs)
}

// Fallback is the language used when a text's cannot be told: the
// table's first.
func (t *Table) Fallback() Language {
	return t.langs[0]
}
