package bot

import (
	"context"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"
)

// ChatModel writes text from a system prompt and a user message. The bot
// gives it the passages found and the question, and checks what comes back
// with Verify before showing any of it. *llm.Chat satisfies it.
type ChatModel interface {
	// Complete returns the whole answer.
	Complete(ctx context.Context, system, prompt string) (string, error)
	// Stream returns the whole answer too, calling onDelta with each piece
	// as it arrives.
	Stream(ctx context.Context, system, prompt string, onDelta func(string)) (string, error)
}

// maxRetries is how many times a model is asked again after its answer
// failed verification. One retry fixes most slips (a quote cut wrong, an id
// misread); more would mostly add latency.
const maxRetries = 1

// MaxWritten is the longest written answer shown, in characters, citations
// of the passages included: it fits one Discord embed (4,096), so a written
// reply takes one embed more than the extractive one, whatever the model
// sends. A longer answer is not cut (a cut answer could end mid-claim): the
// extractive reply is shown instead, with a note.
const MaxWritten = 4000

// maxModelBytes is how much of a model's answer is read before giving up
// on it: more than any answer of MaxWritten characters can take, however
// it quotes, and far less than a model ignoring max_tokens can send.
const maxModelBytes = 8 * MaxWritten

// errTooLong is returned by generate when the model's answer is over
// maxModelBytes.
var errTooLong = errors.New("written answer too long")

// write asks the model to answer question from r's passages and returns r
// with the written answer when it passes verification (Mode "llm"). On a
// model error, a timeout, an answer over MaxWritten, or an answer still
// failing after a retry, it returns r as it was, extractive, with a
// one-line note saying why. It never fails: a written answer is an extra.
func (b *Bot) write(ctx context.Context, r Reply, question string, onPartial func(Partial)) Reply {
	pp, texts := promptPassages(r.Passages)
	ver := newVerifier(texts, r.Lang, &b.verified)
	v := &Verification{}
	prompt := answerPrompt(question, b.langName(r.Lang), pp)
	for attempt := 0; ; attempt++ {
		text, err := b.generate(ctx, prompt, ver, onPartial)
		if errors.Is(err, errTooLong) || len(text) > maxModelBytes {
			b.opts.Log.Warn("written answer too long", "attempt", attempt+1, "bytes", len(text))
			return b.fallback(r, v, "note_too_long")
		}
		if err != nil {
			b.opts.Log.Warn("written answer unavailable", "err", err, "attempt", attempt+1)
			why := "note_model_failed"
			if errors.Is(err, context.DeadlineExceeded) {
				why = "note_model_slow"
			}
			return b.fallback(r, v, why)
		}
		c := ver.check(text)
		retried := v.Retried
		*v = c.Verification
		v.Retried = retried
		if c.OK() {
			cited := citedOnly(r.Passages, c)
			answer := renderWritten(c, cited)
			if utf8.RuneCountInString(answer) > MaxWritten {
				b.opts.Log.Warn("written answer too long", "attempt", attempt+1, "chars", utf8.RuneCountInString(answer))
				return b.fallback(r, v, "note_too_long")
			}
			r.Mode = ModeLLM
			r.Verification = v
			r.Passages = cited
			r.Answer = answer
			r.Notes = append([]string{b.say(r.Lang, "note_written")}, r.Notes...)
			return r
		}
		failures := make([]string, len(c.Failures))
		for i, f := range c.Failures {
			failures[i] = f.String()
		}
		b.opts.Observer.VerificationFailed()
		b.opts.Log.Warn("written answer failed verification", "attempt", attempt+1, "failures", failures)
		if attempt == maxRetries {
			return b.fallback(r, v, "note_unverified")
		}
		v.Retried++
		prompt = retryPrompt(question, b.langName(r.Lang), pp, text, c.Failures)
	}
}

// Partial is a written answer still arriving. It is verified only when
// rendered, so that a front end throttling partials pays for the check of
// the ones it shows, not of every piece the model sends.
type Partial struct {
	text string
	ver  *verifier
}

// NewPartial returns the partial answer text, to be verified against
// passages (id → text) in lang when rendered.
func NewPartial(text string, passages map[string]string, lang string) Partial {
	return Partial{text: text, ver: newVerifier(passages, lang, nil)}
}

// Render returns the partial answer as it may be shown: the text up to
// its last citation (what follows has nothing yet to be checked against),
// verified and rendered as Check.Render does, so that no unverified quote
// or unsupported claim shows even for a moment.
func (p Partial) Render() string {
	return p.ver.check(p.text[:checkedPrefix(p.text)]).Render()
}

// checkedPrefix returns how much of text goes up to its last citation,
// with the punctuation right after it.
func checkedPrefix(text string) int {
	end := 0
	spans, _ := scan(text)
	for _, s := range spans {
		if s.kind == citeSpan || s.marked && s.closed {
			end = s.end
		}
	}
	for end < len(text) && strings.IndexByte(".,;:!?)", text[end]) >= 0 {
		end++
	}
	return end
}

// generate asks the model, streaming when onPartial is set. It stops
// reading, and returns errTooLong, once the answer is over maxModelBytes.
func (b *Bot) generate(ctx context.Context, prompt string, ver *verifier, onPartial func(Partial)) (string, error) {
	if onPartial == nil {
		return b.complete(ctx, answerSystem, prompt)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var sofar strings.Builder
	tooLong := false
	text, err := b.opts.Model.Stream(ctx, answerSystem, prompt, func(delta string) {
		if tooLong {
			return
		}
		if sofar.Len()+len(delta) > maxModelBytes {
			tooLong = true
			cancel()
			return
		}
		sofar.WriteString(delta)
		onPartial(Partial{text: sofar.String(), ver: ver})
	})
	if tooLong {
		b.opts.Observer.ModelCalled(nil)
		return "", errTooLong
	}
	b.opts.Observer.ModelCalled(err)
	return text, err
}

// complete asks the model for a whole answer and tells the observer.
func (b *Bot) complete(ctx context.Context, system, prompt string) (string, error) {
	text, err := b.opts.Model.Complete(ctx, system, prompt)
	b.opts.Observer.ModelCalled(err)
	return text, err
}

// promptPassages returns the passages as the model sees them, and the
// text each id is verified against: chapter title and text, so that
// quoting a chapter's title is not taken for an invention. Ids are unique
// across documents (other documents prefix theirs), so a repeated id is
// the same paragraph and is given once.
func promptPassages(qs []Quote) ([]promptPassage, map[string]string) {
	pp := make([]promptPassage, 0, len(qs))
	texts := make(map[string]string, len(qs))
	for _, q := range qs {
		if _, dup := texts[q.ID]; dup {
			continue
		}
		pp = append(pp, promptPassage{ID: q.ID, Citation: q.Citation, Text: q.Text})
		texts[q.ID] = q.ChapterTitle + "\n" + q.Text
	}
	return pp, texts
}

// renderWritten is the written answer a user sees: the text, verified
// quotes marked, then the citation of each passage it cites.
func renderWritten(c Check, cited []Quote) string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(c.Render()))
	b.WriteString("\n")
	for _, q := range cited {
		b.WriteString("\n— ")
		b.WriteString(q.Citation)
	}
	return b.String()
}

// citedOnly keeps the passages the written answer cites, in their order;
// all of them if it cites none (it cannot have passed, but be safe).
func citedOnly(qs []Quote, c Check) []Quote {
	cited := c.Cited()
	out := make([]Quote, 0, len(qs))
	for _, q := range qs {
		if slices.Contains(cited, q.ID) {
			out = append(out, q)
		}
	}
	if len(out) == 0 {
		return qs
	}
	return out
}

// rewrite makes a follow-up a standalone question with the model, from the
// last HistoryTurns questions. It reports false, so that the caller falls
// back to prepending the previous question, without a model or history,
// or when the model fails.
func (b *Bot) rewrite(ctx context.Context, history []string, text string) (string, bool) {
	if b.opts.Model == nil || len(history) == 0 || b.opts.HistoryTurns < 0 {
		return "", false
	}
	out, err := b.complete(ctx, rewriteSystem, rewritePrompt(history, text, b.opts.HistoryTurns))
	if err != nil {
		b.opts.Log.Warn("follow-up rewrite failed", "err", err)
		return "", false
	}
	q := cleanRewrite(out, 4*MaxQuestion)
	if q == "" {
		return "", false
	}
	return q, true
}

// fallback returns the extractive reply r with a note explaining why no
// written answer is shown (the catalogue key why), and the verification
// record if any check ran.
func (b *Bot) fallback(r Reply, v *Verification, why string) Reply {
	r.Mode = ModeExtractive
	if *v != (Verification{}) {
		r.Verification = v
	}
	r.Notes = append([]string{b.say(r.Lang, why)}, r.Notes...)
	return r
}
