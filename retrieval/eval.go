package retrieval

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
)

// EvalQuestion is one item of a retrieval evaluation file: a question, its
// language, and the chapters whose passages answer it; no chapters means
// the question is out of scope and the right answer is to abstain.
type EvalQuestion struct {
	Q        string `yaml:"q" json:"q"`
	Lang     string `yaml:"lang" json:"lang"`
	Chapters []int  `yaml:"chapters" json:"chapters"`
}

// ParseEvalQuestions reads an evaluation file: a YAML list of
// {q, lang, chapters}. It fails on malformed YAML, an unknown key, an
// empty question or a language the default table does not hold, naming the item.
func ParseEvalQuestions(data []byte) ([]EvalQuestion, error) {
	var qs []EvalQuestion
	if err := yaml.UnmarshalWithOptions(data, &qs, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("questions file: %s", firstLineOf(err.Error()))
	}
	if len(qs) == 0 {
		return nil, fmt.Errorf("questions file: no questions")
	}
	for i, q := range qs {
		if q.Q == "" {
			return nil, fmt.Errorf("questions file: item %d has no question (q)", i+1)
		}
		if !defaultLangs().Has(q.Lang) {
			return nil, fmt.Errorf("questions file: item %d: lang %q is not one of %s", i+1, q.Lang, strings.Join(defaultLangs().Codes(), ", "))
		}
	}
	return qs, nil
}

// EvalChapterError is an item of an evaluation file that wants a chapter
// the index does not have: it could never be a hit, and a set measured
// against the wrong corpus would look merely bad.
type EvalChapterError struct {
	Item    int   // the item, from 0
	At      int   // the place of the chapter in the item's chapters, from 0
	Chapter int   // the chapter wanted
	Have    []int // the chapters the index has, in order
}

func (e *EvalChapterError) Error() string {
	return fmt.Sprintf("chapter %d is not in the index (%s)", e.Chapter, haveChapters(e.Have))
}

// haveChapters words the chapters an index has: "chapters 1 to 9",
// "chapters 1, 3, 4", "no numbered chapters".
func haveChapters(have []int) string {
	switch {
	case len(have) == 0:
		return "it has no numbered chapters"
	case len(have) == 1:
		return fmt.Sprintf("it has chapter %d", have[0])
	case have[len(have)-1]-have[0] == len(have)-1:
		return fmt.Sprintf("it has chapters %d to %d", have[0], have[len(have)-1])
	}
	words := make([]string, len(have))
	for i, c := range have {
		words[i] = strconv.Itoa(c)
	}
	return "it has chapters " + strings.Join(words, ", ")
}

// CheckEvalChapters returns an *EvalChapterError for the first chapter
// an item of qs wants that no passage of ix is in, or nil.
func CheckEvalChapters(ix *Index, qs []EvalQuestion) error {
	seen := map[int]bool{}
	var have []int
	for _, p := range ix.Passages() {
		if p.Chapter > 0 && !seen[p.Chapter] {
			seen[p.Chapter] = true
			have = append(have, p.Chapter)
		}
	}
	slices.Sort(have)
	for i, q := range qs {
		for j, c := range q.Chapters {
			if !seen[c] {
				return &EvalChapterError{Item: i, At: j, Chapter: c, Have: have}
			}
		}
	}
	return nil
}

func firstLineOf(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}

// EvalReport holds the retrieval figures of an evaluation run. A figure
// that does not apply is NaN, null in JSON: HitAt1, HitAt3, MRR and
// FalseAbstain when no question is in scope, AbstainCorrect when none is
// out of scope (a share of no questions is no measure, where 1 or 0
// would read as one).
type EvalReport struct {
	Questions      int    `json:"questions"`
	HitAt1         Figure `json:"hit_at_1"`
	HitAt3         Figure `json:"hit_at_3"`
	MRR            Figure `json:"mrr"`
	AbstainCorrect Figure `json:"abstain_correct"`
	FalseAbstain   Figure `json:"false_abstain"`
	// RelatedHitAt3 is the share of in-scope questions not answered whose
	// expected chapter is among the related passages offered instead; n/a,
	// as the others, when every in-scope question was answered.
	RelatedHitAt3 Figure                 `json:"related_hit_at_3"`
	ByLang        map[string]*EvalReport `json:"by_lang,omitempty"`
	Misses        []EvalMiss             `json:"misses"`
}

// Figure is a share from 0 to 1, or NaN where it does not apply (a set
// without out-of-scope questions has no abstain_correct): null in JSON,
// which encoding/json cannot write as a number, and "n/a" in text.
type Figure float64

// notApplicable is the figure of no questions.
func notApplicable() Figure { return Figure(math.NaN()) }

// Applies reports whether f was measured on some questions.
func (f Figure) Applies() bool { return !math.IsNaN(float64(f)) }

func (f Figure) String() string {
	if !f.Applies() {
		return "n/a"
	}
	return strconv.FormatFloat(float64(f), 'f', 3, 64)
}

// MarshalJSON writes f as a number, or null where it does not apply.
func (f Figure) MarshalJSON() ([]byte, error) {
	if !f.Applies() {
		return []byte("null"), nil
	}
	return json.Marshal(float64(f))
}

// UnmarshalJSON reads a number, or null as not applicable.
func (f *Figure) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = notApplicable()
		return nil
	}
	var x float64
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*f = Figure(x)
	return nil
}

// EvalMiss is a question the index got wrong: an in-scope question whose
// first passage is not in an expected chapter (Rank says where one came,
// if at all), or an out-of-scope one that was answered.
type EvalMiss struct {
	Q        string   `json:"q"`
	Lang     string   `json:"lang"`
	Want     []int    `json:"want"`
	Got      []string `json:"got"`
	Abstain  bool     `json:"abstained"`
	Outcome  Outcome  `json:"outcome"`
	Related  []string `json:"related,omitempty"`
	Evidence float64  `json:"confidence"`
	// Rank is the place of the first passage in an expected chapter, 0
	// for none; 0 too for an out-of-scope question.
	Rank int `json:"rank"`
}

// Evaluate runs every question against ix, asking for k passages, and
// returns the figures overall and by language. A hit at n is any of the
// first min(n, k) passages in an expected chapter, so with k below 3
// hit@3 counts only the passages a reader is shown; MRR uses the rank of
// the first such passage. k below 1 is taken as 1.
func Evaluate(ctx context.Context, ix *Index, qs []EvalQuestion, k int) (*EvalReport, error) {
	k = max(k, 1)
	type tally struct {
		n, in, out, h1, h3, absOK, falseAbs, relHit int
		rr                                          float64
	}
	all := map[string]*tally{"": {}}
	var misses []EvalMiss
	for _, q := range qs {
		res, err := ix.Search(ctx, q.Q, SearchOptions{Lang: q.Lang, K: k})
		if err != nil {
			return nil, fmt.Errorf("evaluate %q: %w", q.Q, err)
		}
		if all[q.Lang] == nil {
			all[q.Lang] = &tally{}
		}
		var got, related []string
		relHit := false
		for _, h := range res.Related {
			related = append(related, h.Passage.ID)
			relHit = relHit || slices.Contains(q.Chapters, h.Passage.Chapter)
		}
		rank := 0
		for i, h := range res.Hits {
			got = append(got, h.Passage.ID)
			if rank == 0 && slices.Contains(q.Chapters, h.Passage.Chapter) {
				rank = i + 1
			}
		}
		miss := false
		for _, t := range []*tally{all[""], all[q.Lang]} {
			t.n++
			if len(q.Chapters) == 0 {
				t.out++
				if res.Abstained {
					t.absOK++
				}
				continue
			}
			t.in++
			if res.Abstained {
				t.falseAbs++
				if relHit {
					t.relHit++
				}
			}
			if rank == 1 {
				t.h1++
			}
			if rank >= 1 && rank <= 3 {
				t.h3++
			}
			if rank > 0 {
				t.rr += 1 / float64(rank)
			}
		}
		if len(q.Chapters) == 0 {
			miss = !res.Abstained
		} else {
			miss = rank != 1 // a miss at hit@1, found lower or not at all
		}
		if miss {
			misses = append(misses, EvalMiss{Q: q.Q, Lang: q.Lang, Want: q.Chapters, Got: got, Abstain: res.Abstained, Outcome: res.Outcome, Related: related, Evidence: res.Confidence, Rank: rank})
		}
	}
	report := func(t *tally) *EvalReport {
		na := notApplicable()
		r := &EvalReport{Questions: t.n, HitAt1: na, HitAt3: na, MRR: na, FalseAbstain: na, AbstainCorrect: na, RelatedHitAt3: na}
		if t.in > 0 {
			r.HitAt1 = round3(float64(t.h1) / float64(t.in))
			r.HitAt3 = round3(float64(t.h3) / float64(t.in))
			r.MRR = round3(t.rr / float64(t.in))
			r.FalseAbstain = round3(float64(t.falseAbs) / float64(t.in))
		}
		if t.falseAbs > 0 {
			r.RelatedHitAt3 = round3(float64(t.relHit) / float64(t.falseAbs))
		}
		if t.out > 0 {
			r.AbstainCorrect = round3(float64(t.absOK) / float64(t.out))
		}
		return r
	}
	out := report(all[""])
	out.ByLang = map[string]*EvalReport{}
	for lang, t := range all {
		if lang != "" {
			r := report(t)
			r.Misses = []EvalMiss{}
			for _, m := range misses {
				if m.Lang == lang {
					r.Misses = append(r.Misses, m)
				}
			}
			out.ByLang[lang] = r
		}
	}
	out.Misses = misses
	if out.Misses == nil {
		out.Misses = []EvalMiss{}
	}
	return out, nil
}

func round3(x float64) Figure { return Figure(math.Round(x*1000) / 1000) }
