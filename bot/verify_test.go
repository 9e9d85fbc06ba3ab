package bot

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
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
		want:     Verification{Citations: 1, Claims: 2, Quotes: 1},
	},
	{
		name:     "uncited invented quote",
		passages: "en",
		text:     `Critical minerals matter [4.2]. The dialogue is "a bridge of hearts".`,
		want:     Verification{Citations: 1, Claims: 2, Quotes: 1, Failed: 1},
		kinds:    []FailureKind{QuoteNotFound},
	},
	{
		name:     "a period inside a number does not end the sentence, and a number not in the passage is unsupported",
		passages: "en",
		text:     `It lasted more than 33 years, i.e. 33.5 by some counts, and is a "catalyst" [1.4].`,
		want:     Verification{Citations: 1, Claims: 2, Unsupported: 1, Quotes: 1, Failed: 1},
		kinds:    []FailureKind{UnsupportedClaim},
	},
	{
		name:     "unclosed quote",
		passages: "en",
		text:     `The dialogue is a "catalyst [1.4].`,
		want:     Verification{Claims: 1, Quotes: 1, Failed: 2},
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
		want:     Verification{Citations: 1, Claims: 1, Failed: 1},
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
			name: "a partial citation is not one: its sentence is checked against every passage",
			text: `It is a “catalyst” [1.`,
			want: `[…]`,
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
	for _, c := range reviewCases {
		if c.lang == "en" {
			f.Add(c.text)
		}
	}
	en := loadPassages(f, "en")
	f.Fuzz(func(t *testing.T, text string) {
		c := Verify(text, en, "en")
		if c.Failed != len(c.Failures) {
			t.Fatalf("Failed = %d, %d failures", c.Failed, len(c.Failures))
		}
		out := c.Render()
		checkShown(t, out, en, "en")
		again := Verify(out, en, "en")
		for _, fl := range again.Failures {
			if fl.Kind != NoCitation {
				t.Fatalf("rendered text has a failure %v\ntext: %q\nrendered: %q", fl, text, out)
			}
		}
	})
}

// checkShown fails unless rendered text shows quotation only as the bot
// renders it: every quote in the language's marks, followed by ✓, holds
// words verbatim from a passage; outside those, no quotation mark (but
// apostrophes after a letter), no check mark, no block quote line.
func checkShown(t *testing.T, out string, passages map[string]string, lang string) {
	t.Helper()
	style := quoteStyle(lang)
	closer := style[1] + " ✓"
	var prose strings.Builder
	rest := out
	for {
		i := strings.Index(rest, style[0])
		if i < 0 {
			break
		}
		j := strings.Index(rest[i:], closer)
		if j < 0 {
			break
		}
		inner := normalize(rest[i+len(style[0]) : i+j])
		found := inner != ""
		if found {
			found = false
			for _, p := range passages {
				if strings.Contains(normalize(p), inner) {
					found = true
				}
			}
		}
		if !found {
			t.Fatalf("rendered as a quote, not in any passage: %q\nrendered: %q", inner, out)
		}
		prose.WriteString(rest[:i])
		prose.WriteByte(' ')
		rest = rest[i+j+len(closer):]
	}
	prose.WriteString(rest)
	p := prose.String()
	for i, r := range p {
		if isCheckMark(r) || (isQuoteMark(r) && !keptApostrophe(p, i, r)) {
			t.Fatalf("rendered text has %q outside the bot's quotes: %q\nrendered: %q", r, p, out)
		}
	}
	for line := range strings.SplitSeq(p, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), ">") {
			t.Fatalf("rendered text has a block quote line %q", line)
		}
	}
}

// quotePairs are quotation styles models write: those of the issue that
// found eight of ten passing unchecked, and more.
var quotePairs = [][2]string{
	{`"`, `"`}, {"“", "”"}, {"«", "»"}, {"« ", " »"}, {"«\u00a0", "\u00a0»"}, {"„", "“"}, {"„", "”"}, {"‘", "’"},
	{"❝", "❞"}, {"「", "」"}, {"『", "』"}, {"‹", "›"}, {"＂", "＂"}, {"〝", "〞"}, {"〝", "〟"}, {"'", "'"},
	{"‟", "”"}, {"”", "”"}, {"»", "«"}, {"»", "»"}, {"‚", "‘"}, {"〈", "〉"}, {"《", "》"}, {"｢", "｣"},
	{"❛", "❜"}, {"⹂", "“"}, {"″", "″"}, {"⸂", "⸃"}, {"⸌", "⸍"}, {"❮", "❯"}, {"⟨", "⟩"}, {"＇", "＇"},
	{"﹁", "﹂"}, {"﹃", "﹄"}, {"❠", "❞"}, {"‛", "’"}, {"’", "’"},
}

func TestQuotationStyles(t *testing.T) {
	en := loadPassages(t, "en")
	const invented = "Japan will deploy troops to secure the mines"
	const verbatim = "secure access to critical minerals"
	for _, pair := range quotePairs {
		t.Run(pair[0]+"…"+pair[1], func(t *testing.T) {
			bad := "The declaration says " + pair[0] + invented + pair[1] + " [4.2]. ✓"
			c := Verify(bad, en, "en")
			if c.OK() || c.Quotes != 1 {
				t.Errorf("invented quote passed or was not seen: %+v %v", c.Verification, c.Failures)
			}
			out := c.Render()
			checkShown(t, out, en, "en")
			if strings.Contains(out, "deploy") {
				t.Errorf("invented words shown: %q", out)
			}
			good := "The parties treat " + pair[0] + verbatim + pair[1] + " as a matter of economic security [4.2]."
			c = Verify(good, en, "en")
			if !c.OK() || c.Quotes != 1 {
				t.Fatalf("verbatim quote failed: %+v %v", c.Verification, c.Failures)
			}
			out = c.Render()
			checkShown(t, out, en, "en")
			if want := "The parties treat “" + verbatim + "” ✓ as a matter"; !strings.HasPrefix(out, want) {
				t.Errorf("Render = %q, want it to start %q", out, want)
			}
		})
	}
}

func TestQuotationRendered(t *testing.T) {
	en, fr := loadPassages(t, "en"), loadPassages(t, "fr")
	tests := []struct {
		name, lang, text, want string
		ok                     bool
	}{
		{"marked quote gets its citation", "en", "They want to [[4.2: strengthen and diversify these supply chains]].",
			"They want to “strengthen and diversify these supply chains” ✓ [4.2].", true},
		{"marked quote followed by its citation", "en", "They want to [[4.2: strengthen and diversify these supply chains]] [4.2].",
			"They want to “strengthen and diversify these supply chains” ✓ [4.2].", true},
		{"marked quote in the passage's own words", "en", "They speak of [[4.2:   SUPPLY chains  of critical minerals...]]",
			"They speak of “supply chains of critical minerals” ✓ [4.2]", true},
		{"marked quote of another passage", "en", "They want to [[4.1: strengthen and diversify these supply chains]].",
			"They want to […].", false},
		{"marked quote citing a known and an unknown passage", "en", "They want to [[4.2, 9.9: strengthen and diversify these supply chains]].",
			"They want to “strengthen and diversify these supply chains” ✓ [4.2].", false},
		{"marked quote of an unknown passage", "en", "They want to [[9.9: strengthen and diversify these supply chains]].",
			"They want to […].", false},
		{"French quotes in French marks", "fr", "Le dialogue est un « catalyseur » [1.4].",
			"Le dialogue est un «\u00a0catalyseur\u00a0» ✓ [1.4].", true},
		{"Japanese corner brackets in a French answer", "fr", "Le dialogue est un 「catalyseur」 [1.4].",
			"Le dialogue est un «\u00a0catalyseur\u00a0» ✓ [1.4].", true},
		{"model check marks removed", "en", "It is a catalyst [1.4]. ✓ ✔️ ☑ ✅",
			"It is a catalyst [1.4].    ", true},
		{"stray closing marks removed", "en", "It is a catalyst» [1.4]」.",
			"It is a catalyst [1.4].", true},
		{"apostrophes kept", "en", "Japan's partners met at leaders' level [1.3].",
			"Japan's partners met at leaders' level [1.3].", true},
		{"marks inside a citation", "en", "It is a catalyst [“1.4”].",
			"It is a catalyst [1.4].", true},
		{"backticks removed", "en", "It is a `catalyst` [1.4].",
			"It is a catalyst [1.4].", true},
		{"block quote rendered as a bot quote", "en", "They say:\n>>> a strategic partnership between Japan and Central Asia [1.4]",
			"They say:\n“a strategic partnership between Japan and Central Asia” ✓ [1.4]", true},
		{"unverified block quote", "en", "They say [1.4]:\n> Japan will deploy troops\nMore.",
			"They say [1.4]:\n[…]\nMore.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := en
			if tt.lang == "fr" {
				ps = fr
			}
			c := Verify(tt.text, ps, tt.lang)
			if c.OK() != tt.ok {
				t.Errorf("OK = %v, want %v: %v", c.OK(), tt.ok, c.Failures)
			}
			out := c.Render()
			if out != tt.want {
				t.Errorf("Render =\n %q\nwant\n %q", out, tt.want)
			}
			checkShown(t, out, ps, tt.lang)
		})
	}
}

// FuzzQuotePairs wraps passage and invented spans in quotation marks,
// known pairs and random ones: whatever verifies or not, nothing that is
// not verbatim in a passage renders inside quotation marks, whole or
// streamed.
func FuzzQuotePairs(f *testing.F) {
	en := loadPassages(f, "en")
	f.Add("The parties treat ", uint16(0), int32(0), int32(0), uint16(300), uint8(30), "Japan will deploy troops", false, " as security [4.2].")
	f.Add("", uint16(5), int32(0x2E02), int32(0x2E03), uint16(10), uint8(80), "", true, " [1.4]")
	f.Add("> ", uint16(7), int32('['), int32(']'), uint16(0), uint8(5), "4.2: troops", false, "]")
	f.Add("It is ", uint16(99), int32(0x300C), int32(0x300D), uint16(1200), uint8(12), "catalyst", true, " [1.4] ✓")
	ids := []string{"1.1", "1.2", "1.3", "1.4", "4.1", "4.2"}
	f.Fuzz(func(t *testing.T, pre string, pair uint16, open, closeMark int32, at uint16, n uint8, invented string, fromCorpus bool, post string) {
		o, c := string(rune(open)), string(rune(closeMark))
		if int(pair) < len(quotePairs) {
			o, c = quotePairs[pair][0], quotePairs[pair][1]
		}
		inner := invented
		if fromCorpus {
			p := en[ids[int(at)%len(ids)]]
			start := int(at) % len(p)
			end := min(len(p), start+int(n))
			for start < end && !utf8.RuneStart(p[start]) {
				start++
			}
			for end < len(p) && !utf8.RuneStart(p[end]) {
				end++
			}
			inner = p[start:end]
		}
		text := pre + o + inner + c + post
		checkShown(t, Verify(text, en, "en").Render(), en, "en")
		checkShown(t, NewPartial(text, en, "en").Render(), en, "en")
	})
}
