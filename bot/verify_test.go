package bot

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// loadPassages reads testdata/verify/<name>.txt: paragraphs starting with
// their id in brackets, as in the digest.
func loadPassages(t testing.TB, name string) map[string]string {
	t.Helper()
	data, err := os.ReadFile("testdata/verify/" + name + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^\[([0-9.]+)\] `)
	out := map[string]string{}
	for _, para := range strings.Split(strings.TrimSpace(string(data)), "\n\n") {
		m := re.FindStringSubmatch(para)
		if m == nil {
			t.Fatalf("testdata %s: paragraph without id: %.40q", name, para)
		}
		out[m[1]] = para[len(m[0]):]
	}
	return out
}

// verifyCases are the table of TestVerify and seeds of FuzzVerify.
var verifyCases = []struct {
	name     string
	passages string // testdata/verify/<passages>.txt
	text     string
	want     Verification
	kinds    []FailureKind
}{
	{
		name:     "correct answer",
		passages: "en",
		text:     `The declaration was adopted on 20 December 2025 [1.1]. The leaders call the dialogue a "catalyst" for a partnership "founded on friendship and mutual trust" [1.4].`,
		want:     Verification{Citations: 2, Claims: 2, Quotes: 2},
	},
	{
		name:     "invented quote",
		passages: "en",
		text:     `The leaders pledged "eternal brotherhood between all nations" [1.4].`,
		want:     Verification{Citations: 1, Claims: 1, Quotes: 1, Failed: 1},
		kinds:    []FailureKind{QuoteNotInCited},
	},
	{
		name:     "quote from another passage than the one cited",
		passages: "en",
		text:     `The dialogue was "created in 2004 as a framework for foreign ministers" [1.1].`,
		want:     Verification{Citations: 1, Claims: 1, Quotes: 1, Failed: 1},
		kinds:    []FailureKind{QuoteNotInCited},
	},
	{
		name:     "citation to a passage not given",
		passages: "en",
		text:     `The parties agree on critical minerals [4.2] and on space cooperation [9.9].`,
		want:     Verification{Citations: 2, Claims: 1, Unsupported: 1, Failed: 2},
		kinds:    []FailureKind{UnknownCitation, UnsupportedClaim},
	},
	{
		name:     "several ids in one citation, pilcrow and section marks",
		passages: "en",
		text:     `The summit met in Tokyo [1.1, ¶1.2]. It was the first at leaders' level [§1.3; 1.4].`,
		want:     Verification{Citations: 4, Claims: 2},
	},
	{
		name:     "quote checked against any id of a multi-id citation",
		passages: "en",
		text:     `They speak of "supply chains of critical minerals" [4.1, 4.2].`,
		want:     Verification{Citations: 2, Claims: 1, Quotes: 1},
	},
	{
		name:     "curly quotes, case, line breaks and apostrophes",
		passages: "en",
		text:     "It was launched at “A first Foreign\nministers’ meeting held in Astana” [1.3].",
		want:     Verification{Citations: 1, Claims: 1, Quotes: 1},
	},
	{
		name:     "nested quotes",
		passages: "en",
		text:     `It is “the very first summit of the "Central Asia + Japan" Dialogue” [1.1].`,
		want:     Verification{Citations: 1, Claims: 1, Quotes: 1},
	},
	{
		name:     "trailing punctuation and ellipsis inside the marks",
		passages: "en",
		text:     `The partnership is “…founded on friendship and mutual trust.” [1.4]`,
		want:     Verification{Citations: 1, Claims: 1, Quotes: 1},
	},
	{
		name:     "French guillemets with no-break spaces",
		passages: "fr",
		text:     "Le dialogue a été « créé en 2004 sous la forme d\u2019un cadre\u00a0» [1.3].",
		want:     Verification{Citations: 1, Claims: 1, Quotes: 1},
	},
	{
		name:     "French nested guillemets",
		passages: "fr",
		text:     "Selon [1.3], « le dialogue « Asie centrale + Japon » a été créé en 2004 ».",
		want:     Verification{Citations: 1, Claims: 1, Quotes: 1},
	},
	{
		name:     "German low-high quotes",
		passages: "en",
		text:     "The leaders call the dialogue a „catalyst“ [1.4].",
		want:     Verification{Citations: 1, Claims: 1, Quotes: 1},
	},
	{
		name:     "citation before the quote in the same sentence",
		passages: "en",
		text:     `As [1.4] puts it, the dialogue is a "catalyst".`,
		want:     Verification{Citations: 1, Claims: 1, Quotes: 1},
	},
	{
		name:     "nearest following citation wins",
		passages: "en",
		text:     `As [1.1] says, it serves as a "catalyst" [1.4].`,
		want:     Verification{Citations: 2, Claims: 1, Quotes: 1},
	},
	{
		name:     "a preceding citation does not cover a quote cited after",
		passages: "en",
		text:     `As [1.4] says, it serves as a "catalyst" [1.1].`,
		want:     Verification{Citations: 2, Claims: 1, Quotes: 1, Failed: 1},
		kinds:    []FailureKind{QuoteNotInCited},
	},
	{
		name:     "quote in a sentence without citation is checked against all passages",
		passages: "en",
		text:     `Critical minerals matter [4.2]. The dialogue is a "catalyst".`,
		want:     Verification{Citations: 1, Claims: 1, Quotes: 1},
	},
	{
		name:     "uncited invented quote",
		passages: "en",
		text:     `Critical minerals matter [4.2]. The dialogue is "a bridge of hearts".`,
		want:     Verification{Citations: 1, Claims: 1, Quotes: 1, Failed: 1},
		kinds:    []FailureKind{QuoteNotFound},
	},
	{
		name:     "a period inside a number does not end the sentence, and a number not in the passage is unsupported",
		passages: "en",
		text:     `It lasted more than 33 years, i.e. 33.5 by some counts, and is a "catalyst" [1.4].`,
		want:     Verification{Citations: 1, Claims: 1, Unsupported: 1, Quotes: 1, Failed: 1},
		kinds:    []FailureKind{UnsupportedClaim},
	},
	{
		name:     "unclosed quote",
		passages: "en",
		text:     `The dialogue is a "catalyst [1.4].`,
		want:     Verification{Quotes: 1, Failed: 2},
		kinds:    []FailureKind{UnclosedQuote, NoCitation},
	},
	{
		name:     "no citation at all",
		passages: "en",
		text:     `The passages do not say.`,
		want:     Verification{Failed: 1},
		kinds:    []FailureKind{NoCitation},
	},
	{
		name:     "brackets that are not citations",
		passages: "en",
		text:     `The declaration was adopted [sic] in Tokyo [1.1].`,
		want:     Verification{Citations: 1, Claims: 1},
	},
	{
		name:     "explicit pilcrow with a bad id is a citation",
		passages: "en",
		text:     `Something [¶4.2-4.3].`,
		want:     Verification{Citations: 1, Failed: 1},
		kinds:    []FailureKind{UnknownCitation},
	},
	{
		name:     "curly single quotes, with an apostrophe inside",
		passages: "en",
		text:     "It is a ‘catalyst’ [1.4]. It met at ‘leaders’ level’ [1.3].",
		want:     Verification{Citations: 2, Claims: 2, Quotes: 2},
	},
	{
		name:     "invented quote in curly single quotes",
		passages: "en",
		text:     "It is ‘a bridge of hearts, don’t forget’ [1.4].",
		want:     Verification{Citations: 1, Claims: 1, Quotes: 1, Failed: 1},
		kinds:    []FailureKind{QuoteNotInCited},
	},
	{
		name:     "Markdown block quote with its citation",
		passages: "en",
		text:     "The leaders say:\n> a strategic partnership between Japan and Central Asia [1.4]\n\nThat is all [1.4].",
		want:     Verification{Citations: 2, Claims: 2, Quotes: 1},
	},
	{
		name:     "invented Markdown block quote",
		passages: "en",
		text:     "They declared [1.4]:\n> “We shall abolish all borders.”\n",
		want:     Verification{Citations: 1, Claims: 1, Quotes: 1, Failed: 1},
		kinds:    []FailureKind{QuoteNotFound},
	},
	{
		name:     "empty block quote line is nothing",
		passages: "en",
		text:     "Adopted in Tokyo [1.1].\n>\n",
		want:     Verification{Citations: 1, Claims: 1},
	},
	{
		name:     "empty quotes are not quotes",
		passages: "en",
		text:     `The declaration "" was adopted in Tokyo [1.1].`,
		want:     Verification{Citations: 1, Claims: 1},
	},
}

func TestVerify(t *testing.T) {
	for _, tt := range verifyCases {
		t.Run(tt.name, func(t *testing.T) {
			c := Verify(tt.text, loadPassages(t, tt.passages), tt.passages)
			if c.Verification != tt.want {
				t.Errorf("Verify = %+v, want %+v\nfailures: %v", c.Verification, tt.want, c.Failures)
			}
			var kinds []FailureKind
			for _, f := range c.Failures {
				kinds = append(kinds, f.Kind)
			}
			if !slices.Equal(kinds, tt.kinds) {
				t.Errorf("failure kinds = %v, want %v (%v)", kinds, tt.kinds, c.Failures)
			}
			if c.OK() != (len(tt.kinds) == 0) {
				t.Errorf("OK = %v", c.OK())
			}
		})
	}
}

func TestFailureStrings(t *testing.T) {
	en := loadPassages(t, "en")
	c := Verify(`It was "created in 2004 as a framework for foreign ministers" [1.1] and "a bridge" [9.9].`, en, "en")
	var got []string
	for _, f := range c.Failures {
		got = append(got, f.String())
	}
	want := []string{
		`[9.9] is not one of the given passages`,
		`the quote "created in 2004 as a framework for foreign ministers" is not word for word in passage 1.1 (it is in passage 1.3)`,
		`the quote "a bridge" is not word for word in passage 9.9`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("failures:\n got %q\nwant %q", got, want)
	}
}

func TestRender(t *testing.T) {
	en := loadPassages(t, "en")
	tests := []struct {
		name, text, want string
	}{
		{
			name: "verified quotes are marked",
			text: `It is a “catalyst” [1.4].`,
			want: `It is a “catalyst” ✓ [1.4].`,
		},
		{
			name: "an unverified quote is not shown",
			text: `It is a "catalyst" and "a bridge of hearts" [1.4].`,
			want: `It is a “catalyst” ✓ and […] [1.4].`,
		},
		{
			name: "unknown ids are dropped",
			text: `Minerals [4.2, 9.9] and space [9.9].`,
			want: `Minerals [4.2] and space [?].`,
		},
		{
			name: "block quotes",
			text: "> a strategic partnership between Japan and Central Asia [1.4]\n> we abolish borders\nEnd [1.1].",
			want: "“a strategic partnership between Japan and Central Asia” ✓ [1.4]\n[…]\nEnd [1.1].",
		},
		{
			name: "an unclosed quote (still streaming) is cut",
			text: `It is a “cataly`,
			want: `It is a …`,
		},
		{
			name: "partial citation left as it is",
			text: `It is a “catalyst” [1.`,
			want: `It is a “catalyst” ✓ [1.`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Verify(tt.text, en, "en").Render(); got != tt.want {
				t.Errorf("Render =\n %q\nwant\n %q", got, tt.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  A\n\tB  ", "a b"},
		{"“Central” «Asia» „Japan“", `"central" "asia" "japan"`},
		{"ministers’ l‘état", "ministers' l'état"},
		{"co\u00adoperation", "cooperation"},
		{"ÉTAT", "état"},
		{"a\u00a0:\u202fb", "a : b"},
	}
	for _, tt := range tests {
		if got := normalize(tt.in); got != tt.want {
			t.Errorf("normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// fuzzSeeds are answers used as fuzz seeds and in the benchmark.
var fuzzSeeds = []string{
	`The leaders call the dialogue a "catalyst" for a partnership "founded on friendship and mutual trust" [1.4].`,
	`It is “the very first summit of the "Central Asia + Japan" Dialogue” [1.1].`,
	"Selon [1.3], « le dialogue « Asie centrale + Japon » a été créé en 2004 ».",
	`Minerals [4.2, 9.9] and space [9.9]. "unclosed`,
	"„catalyst“ [¶1.4; §1.1] [sic] [x](y)",
	"[[0]0] [a[9.9]0]",
}

// FuzzVerify checks that Verify never panics and that Render never shows an
// unverified quote: every quote left in the rendered text verifies.
func FuzzVerify(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	for _, c := range verifyCases {
		f.Add(c.text)
	}
	en := loadPassages(f, "en")
	f.Fuzz(func(t *testing.T, text string) {
		c := Verify(text, en, "en")
		if c.Failed != len(c.Failures) {
			t.Fatalf("Failed = %d, %d failures", c.Failed, len(c.Failures))
		}
		out := c.Render()
		again := Verify(out, en, "en")
		for _, fl := range again.Failures {
			if fl.Kind != NoCitation {
				t.Fatalf("rendered text has a failure %v\ntext: %q\nrendered: %q", fl, text, out)
			}
		}
	})
}
