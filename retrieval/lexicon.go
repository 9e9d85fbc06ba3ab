package retrieval

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/declbot/declbot/corpus/lang"
	"github.com/goccy/go-yaml"
)

//go:embed lexicon.yaml
var lexiconYAML []byte

// lexicon expands a query with the declaration's own terms for the lay
// words a user typed. It is curated by hand in lexicon.yaml.
type lexicon struct {
	entries []lexEntry
}

type lexEntry struct {
	when []phrase
	add  []weighted
}

// phrase is a trigger of an entry: it matches a query in lang that holds
// all of its stems.
type phrase struct {
	lang  string
	stems []string
}

// expansionWeight is what an added term counts for, against 1 for the
// user's own words: enough to reach the right chapter when the user's word
// is absent from the text, not enough to outrank a passage that holds it.
const expansionWeight = 0.4

// parseLexicon reads lexicon data. Every phrase is analysed in each
// language of the table, as the same word may be typed in any, unless it
// is tagged with a language's code ("fr:ia").
func parseLexicon(data []byte, t *lang.Table) (*lexicon, error) {
	var raw []struct {
		When []string `yaml:"when"`
		Add  []string `yaml:"add"`
	}
	if err := yaml.UnmarshalWithOptions(data, &raw, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("parse lexicon: %w", err)
	}
	lx := &lexicon{}
	for i, r := range raw {
		if len(r.When) == 0 || len(r.Add) == 0 {
			return nil, fmt.Errorf("parse lexicon: entry %d needs both when and add", i+1)
		}
		var e lexEntry
		for _, w := range r.When {
			langs := t.Writing(w)
			if l, word, ok := strings.Cut(w, ":"); ok && t.Has(l) {
				langs, w = []string{l}, word
			}
			for _, lang := range langs {
				if st := rawStems(t, w, lang); len(st) > 0 {
					e.when = append(e.when, phrase{lang: lang, stems: st})
				}
			}
		}
		seen := map[string]bool{}
		for _, a := range r.Add {
			for _, code := range t.Writing(a) {
				var stems []string
				for _, st := range stemCache(nil).terms(t, a, code) {
					if !isStopAnywhere(t, st) {
						stems = append(stems, st)
					}
				}
				for _, st := range stems {
					if !seen[st] {
						seen[st] = true
						e.add = append(e.add, weighted{term: st, weight: expansionWeight, phrase: stems})
					}
				}
			}
		}
		lx.entries = append(lx.entries, e)
	}
	return lx, nil
}

// rawStems stems every word of a phrase, stopwords included except the
// commonest, so that short trigger words ("un", "ai") survive.
func rawStems(t *lang.Table, phrase, code string) []string {
	var out []string
	for _, w := range t.Tokens(fold(phrase)) {
		if len(w) > 3 && t.IsStop(w, code) {
			continue
		}
		out = append(out, t.Stem(w, code))
	}
	return out
}

// expand returns the lexicon terms for a query whose folded words are
// words and whose stems are stems. Each added term records which of the
// user's terms it stands for (the first stem of the matching phrase).
func (lx *lexicon) expand(t *lang.Table, words []string, stems map[string]bool, lang string) []weighted {
	have := map[string]bool{}
	for s := range stems {
		have[s] = true
	}
	for _, w := range words {
		have[t.Stem(w, lang)] = true
		have[w] = true
	}
	var out []weighted
	seen := map[string]bool{}
	for _, e := range lx.entries {
		for _, p := range e.when {
			if p.lang != lang || !containsAll(have, p.stems) {
				continue
			}
			of := strings.Join(p.stems, " ")
			for _, a := range e.add {
				// The same term may stand for two of the user's words
				// ("money pledged": investment): keep it for each.
				if k := a.term + "\x00" + of; !seen[k] && !stems[a.term] {
					seen[k] = true
					a.of = of
					out = append(out, a)
				}
			}
		}
	}
	return out
}

func containsAll(have map[string]bool, phrase []string) bool {
	for _, s := range phrase {
		if !have[s] {
			return false
		}
	}
	return true
}

// isStopAnywhere reports whether a stem is a stopword in any language of
// the table: an added term is searched in every language.
func isStopAnywhere(t *lang.Table, st string) bool {
	for _, c := range t.Codes() {
		if t.IsStop(st, c) {
			return true
		}
	}
	return false
}
