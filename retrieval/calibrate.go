package retrieval

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"math"
	"slices"
)

// Calibration says how much a model embedder's vector similarity counts in
// a passage's relevance, and so in the decision to answer: a group's
// relevance becomes its lexical relevance plus Weight times its similarity
// above Centre (less when under it), clamped to [0, 1].
//
// Similarities mean different things from one embedder to another (one
// model puts unrelated texts at 0.1, another at 0.7), so they are fitted
// for the embedder the index is built with, on the tuning parts of the
// project's own question sets, which are embedded with it at build time.
// The built-in embedder is not calibrated: its similarity follows the
// question's words, which relevance already counts, and adding it
// separated answerable from out-of-scope questions no better on those sets.
type Calibration struct {
	Centre float64 `json:"centre"`
	Weight float64 `json:"weight"`
	// Questions is how many questions it was fitted on; ErrorsBefore and
	// ErrorsAfter how many of them got the wrong outcome (answered when
	// out of scope, or not answered when in scope) without and with it.
	Questions    int `json:"questions"`
	ErrorsBefore int `json:"errors_before"`
	ErrorsAfter  int `json:"errors_after"`
}

// maxCalibrationWeight bounds Weight, in fitting and in files read.
const maxCalibrationWeight = 2

// adjust returns a group's relevance once its similarity is counted.
func (c *Calibration) adjust(relevance, similarity float64) float64 {
	return min(1, max(0, relevance+c.Weight*(similarity-c.Centre)))
}

// valid reports whether c can be used as read from a file.
func (c *Calibration) valid() bool {
	finite := !math.IsNaN(c.Centre) && !math.IsInf(c.Centre, 0) && !math.IsNaN(c.Weight)
	return finite && c.Centre >= -1 && c.Centre <= 1 && c.Weight >= 0 && c.Weight <= maxCalibrationWeight
}

// calibrationFS holds the questions calibration is fitted on: the tuning
// parts of the project's own sets, the same files TestCalibration fits the
// lexical thresholds on (their test parts are never used for fitting).
//
//go:embed testdata/*_tune.yaml
var calibrationFS embed.FS

// calibrationQuestions returns the calibration questions in the index's
// languages.
func (ix *Index) calibrationQuestions() ([]EvalQuestion, error) {
	names, err := fs.Glob(calibrationFS, "testdata/*_tune.yaml")
	if err != nil {
		return nil, fmt.Errorf("calibration questions: %w", err)
	}
	var out []EvalQuestion
	for _, name := range names {
		data, err := calibrationFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("calibration questions: %w", err)
		}
		qs, err := ParseEvalQuestions(data)
		if err != nil {
			return nil, fmt.Errorf("calibration questions %s: %w", name, err)
		}
		for _, q := range qs {
			if ix.vocab[q.Lang] != nil {
				out = append(out, q)
			}
		}
	}
	return out, nil
}

// candidate is one group a calibration question came near: its lexical
// relevance and its vector similarity.
type candidate struct{ relevance, similarity float64 }

// calibrate fits the index's Calibration for its embedder (see
// Calibration); it does nothing for the built-in embedder. It embeds the
// calibration questions, so with a model embedder it needs the model
// server, as building does.
func (ix *Index) calibrate(ctx context.Context) error {
	ix.calibration = nil
	ix.info.Calibration = nil
	if ix.emb.Spec().Name == hashEmbedderName {
		return nil
	}
	qs, err := ix.calibrationQuestions()
	if err != nil || len(qs) == 0 {
		return err
	}
	texts := make([]string, len(qs))
	for i, q := range qs {
		texts[i] = CleanMessage(q.Q)
	}
	var vecs [][]float32
	for start := 0; start < len(texts); start += embedBatch {
		batch := texts[start:min(start+embedBatch, len(texts))]
		out, err := ix.emb.Embed(ctx, batch)
		if err != nil {
			return fmt.Errorf("calibrate on %d questions: embed: %w", len(texts), err)
		}
		if len(out) != len(batch) {
			return fmt.Errorf("calibrate: %d vectors for %d questions", len(out), len(batch))
		}
		vecs = append(vecs, out...)
	}
	near := make([][]candidate, len(qs))
	inScope := make([]bool, len(qs))
	var sims []float64
	for i, q := range qs {
		inScope[i] = len(q.Chapters) > 0
		qv := ix.queryVector(vecs[i])
		if qv == nil {
			continue
		}
		found, err := ix.rankVector(ctx, ix.analyseMessage(texts[i], q.Lang), qv, DefaultK, nil)
		if err != nil {
			return fmt.Errorf("calibrate: %w", err)
		}
		for _, r := range found {
			c := candidate{relevance: r.relevance, similarity: ix.similarity(qv, r.group)}
			near[i] = append(near[i], c)
			sims = append(sims, c.similarity)
		}
	}
	c := fitCalibration(near, inScope, sims)
	ix.calibration = &c
	ix.info.Calibration = &c
	return nil
}

// fitCalibration chooses the Centre and Weight under which the most
// questions get the right outcome at AbstainBelow, preferring the smaller
// weight on a tie: the lexical relevance alone unless vectors do better.
func fitCalibration(near [][]candidate, inScope []bool, sims []float64) Calibration {
	errorsWith := func(c Calibration) int {
		n := 0
		for i, cs := range near {
			conf := 0.0
			for _, x := range cs {
				conf = max(conf, c.adjust(x.relevance, x.similarity))
			}
			if (conf >= AbstainBelow) != inScope[i] {
				n++
			}
		}
		return n
	}
	best := Calibration{Questions: len(near)}
	best.ErrorsBefore = errorsWith(best)
	best.ErrorsAfter = best.ErrorsBefore
	if len(sims) == 0 {
		return best
	}
	lo, hi := slices.Min(sims), slices.Max(sims)
	for q := 1; q < 20; q++ {
		centre := lo + (hi-lo)*float64(q)/20
		for step := 1; step <= 20; step++ {
			c := Calibration{Centre: centre, Weight: maxCalibrationWeight * float64(step) / 20, Questions: len(near), ErrorsBefore: best.ErrorsBefore}
			if c.ErrorsAfter = errorsWith(c); c.ErrorsAfter < best.ErrorsAfter {
				best = c
			}
		}
	}
	return best
}

// similarity is the best cosine similarity between qv and a version of the
// group's paragraph.
func (ix *Index) similarity(qv []float32, group string) float64 {
	best := -1.0
	for _, v := range ix.aligned[group] {
		var dot float64
		for j, x := range ix.vectors[v.i] {
			dot += float64(x) * float64(qv[j])
		}
		best = max(best, dot)
	}
	return best
}
