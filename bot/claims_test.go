package bot

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/declbot/declbot/bot/messages"
)

// claimCases are sentences citing the passages of testdata/verify: correct
// paraphrases, as a model writes them (its own verbs, the passage's
// nouns), and claims perturbed (a number, a name, an action changed) or
// invented outright under a real citation.
var claimCases = []struct {
	lang, text string
	supported  bool
}{
	// Correct paraphrases.
	{"en", "The declaration was adopted in Tokyo on 20 December 2025 [1.1].", true},
	{"en", "It came out of the first summit of the dialogue to bring together heads of state and government [1.1].", true},
	{"en", "The summit lasted two days, 19 and 20 December 2025 [1.1].", true},
	{"en", "Japan's Prime Minister, Sanae Takaichi, hosted and chaired the summit [1.2].", true},
	{"en", "The presidents of the five Central Asian countries took part, so all six member countries attended [1.2].", true},
	{"en", "The dialogue was set up in 2004 as a framework for foreign ministers [1.3].", true},
	{"en", "Its first meeting of foreign ministers was held in Astana in August 2004 [1.3].", true},
	{"en", "For 21 years it worked at the level of ministers and senior officials, and Tokyo was its first meeting at leaders' level [1.3].", true},
	{"en", "Relations between Japan and the Central Asian countries go back more than 33 years [1.4].", true},
	{"en", "The leaders see the dialogue as a catalyst for a strategic partnership founded on friendship and mutual trust [1.4].", true},
	{"en", "Japan and the Central Asian countries agree to cooperate on decarbonisation and the energy transition [4.1].", true},
	{"en", "The summaries give no date for carbon neutrality and no emission figures [4.1].", true},
	{"en", "The parties want to strengthen and diversify supply chains of critical minerals [4.2].", true},
	{"en", "Secure access to critical minerals, including rare earths, is treated as a matter of economic security [4.2].", true},
	{"en", "Natural gas is named alongside the minerals [4.2].", true},
	{"en", "They also cover climate change mitigation and adaptation [4.1].", true},
	{"en", "As [1.4] puts it, the dialogue is a catalyst.", true},
	{"fr", "La déclaration a été adoptée à Tokyo le 20 décembre 2025 [1.1].", true},
	{"fr", "Le sommet s'est déroulé sur deux jours, les 19 et 20 décembre 2025 [1.1].", true},
	{"fr", "La Première ministre du Japon, Sanae Takaichi, a présidé le sommet [1.2].", true},
	{"fr", "Le dialogue a été créé en 2004 pour les ministres des Affaires étrangères [1.3].", true},
	{"fr", "Les dirigeants affirment que le dialogue joue un rôle de catalyseur du partenariat stratégique [1.4].", true},
	{"fr", "Les relations bilatérales remontent à plus de 33 ans [1.4].", true},

	// Perturbed or invented claims under a real citation.
	{"en", "Japan will deploy troops to secure the mines [4.2].", false},
	{"en", "Japan will deploy troops [4.2].", false},
	{"en", "The declaration was adopted in Beijing on 5 March 2019 [1.1].", false},
	{"en", "The dialogue was created in 2007 [1.3].", false},
	{"en", "Relations between Japan and Central Asia go back more than 50 years [1.4].", false},
	{"en", "The parties banned all exports of uranium to China [4.2].", false},
	{"en", "Japan pledged ten billion dollars in loans for new railways [4.1].", false},
	{"en", "The leaders agreed to abolish visas and open their borders [1.4].", false},
	{"en", "The president of Russia also attended as an observer [1.2].", false},
	{"en", "Carbon neutrality must be reached by 2040 with emission cuts of 60 percent [4.1].", false},
	{"en", "A new military alliance protects the pipelines against terrorism [4.2].", false},
	{"en", "The next summit will take place in Astana in 2027 [1.3].", false},
	{"en", "Japan will build nuclear power plants in every partner country [4.1].", false},
	{"fr", "Le Japon va déployer des troupes pour protéger les mines [1.4].", false},
	{"fr", "La déclaration a été adoptée à Pékin en 2019 [1.1].", false},
	{"fr", "Les dirigeants ont décidé de supprimer les visas et d'ouvrir les frontières [1.4].", false},
	{"fr", "Le dialogue a été créé en 2010 par les ministres de la Défense [1.3].", false},

	// Known limit: words are checked one by one, not how they relate. A
	// number word swapped for another the passage has elsewhere ("five
	// Central Asian partners") passes.
	{"en", "The summit lasted five days [1.1].", true},
}

// TestClaimSupportThreshold measures how much of each sentence's content
// its cited passage holds, correct and invented, prints the distribution,
// and checks that MinSupport (with minMissing) separates them.
func TestClaimSupportThreshold(t *testing.T) {
	passages := map[string]map[string]string{"en": loadPassages(t, "en"), "fr": loadPassages(t, "fr")}
	var good, bad []string
	for _, tt := range claimCases {
		c := Verify(tt.text, passages[tt.lang], tt.lang)
		if len(c.support) != 1 {
			t.Fatalf("%q: %d claims checked, want 1", tt.text, len(c.support))
		}
		found, total := c.support[0][0], c.support[0][1]
		share := float64(found) / float64(max(total, 1))
		line := fmt.Sprintf("%.2f (%d/%d) %s", share, found, total, tt.text)
		if tt.supported {
			good = append(good, line)
		} else {
			bad = append(bad, line)
		}
		if ok := c.Unsupported == 0; ok != tt.supported {
			t.Errorf("%q: supported = %v, want %v (%d of %d words in the passage; %v)", tt.text, ok, tt.supported, found, total, c.Failures)
		}
	}
	slices.Sort(good)
	slices.Sort(bad)
	t.Logf("correct paraphrases:\n%s", strings.Join(good, "\n"))
	t.Logf("perturbed or invented:\n%s", strings.Join(bad, "\n"))
}

func TestUnsupportedClaims(t *testing.T) {
	en := loadPassages(t, "en")
	tests := []struct {
		name, text string
		want       Verification
		shown      string // Render
	}{
		{
			name:  "invented claim with a real citation and a typed check mark",
			text:  "Japan will deploy troops to secure the mines [4.2]. ✓",
			want:  Verification{Citations: 1, Claims: 1, Unsupported: 1, Failed: 1},
			shown: "[…] ",
		},
		{
			name:  "one claim of two is invented",
			text:  "The parties want to diversify supply chains of critical minerals [4.2]. Japan will deploy troops [4.2].",
			want:  Verification{Citations: 2, Claims: 2, Unsupported: 1, Failed: 1},
			shown: "The parties want to diversify supply chains of critical minerals [4.2]. […]",
		},
		{
			name:  "an uncited invented sentence after a cited one",
			text:  "Critical minerals matter [4.2]. Japan will deploy troops to secure the mines.",
			want:  Verification{Citations: 1, Claims: 2, Unsupported: 1, Failed: 1},
			shown: "Critical minerals matter [4.2]. […]",
		},
		{
			name:  "a wrong number is not supported",
			text:  "The dialogue was created in 2007 as a framework for foreign ministers [1.3].",
			want:  Verification{Citations: 1, Claims: 1, Unsupported: 1, Failed: 1},
			shown: "[…]",
		},
		{
			name:  "invented prose around a verified quote",
			text:  "Japan will deploy troops to [[4.2: secure access to critical minerals]].",
			want:  Verification{Citations: 1, Quotes: 1, Claims: 1, Unsupported: 1, Failed: 1},
			shown: "[…]",
		},
		{
			name:  "a supported claim with a marked quote",
			text:  "The parties want to [[4.2: strengthen and diversify these supply chains]].",
			want:  Verification{Citations: 1, Quotes: 1, Claims: 1},
			shown: "The parties want to “strengthen and diversify these supply chains” ✓ [4.2].",
		},
		{
			name:  "an invented sentence citing nothing is checked against every passage",
			text:  "The parties want to diversify supply chains of critical minerals [4.2]. Japan will also deploy troops to protect the mines.",
			want:  Verification{Citations: 1, Claims: 2, Unsupported: 1, Failed: 1},
			shown: "The parties want to diversify supply chains of critical minerals [4.2]. […]",
		},
		{
			name:  "a summary citing nothing, in the passages' words, passes",
			text:  "The parties want to diversify supply chains of critical minerals [4.2]. In short, minerals are a matter of economic security for Japan and Central Asia.",
			want:  Verification{Citations: 1, Claims: 2},
			shown: "The parties want to diversify supply chains of critical minerals [4.2]. In short, minerals are a matter of economic security for Japan and Central Asia.",
		},
		{
			name:  "claims in two sentences, each checked against its own citation",
			text:  "The dialogue was created in 2004 [1.3]. Natural gas is named alongside the minerals [1.3].",
			want:  Verification{Citations: 2, Claims: 2, Unsupported: 1, Failed: 1},
			shown: "The dialogue was created in 2004 [1.3]. […]",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Verify(tt.text, en, "en")
			if c.Verification != tt.want {
				t.Errorf("Verify = %+v, want %+v\nfailures: %v", c.Verification, tt.want, c.Failures)
			}
			for _, f := range c.Failures {
				if f.Kind == UnsupportedClaim && (!strings.Contains(f.String(), "support") || len(f.Missing) == 0) {
					t.Errorf("failure does not name the missing words: %s", f)
				}
			}
			if got := c.Render(); got != tt.shown {
				t.Errorf("Render =\n %q\nwant\n %q", got, tt.shown)
			}
		})
	}
}

// reviewCases are a reviewer's answers to "critical minerals?" that were
// once shown as checked (each cites ¶4.2, which says the parties want to
// strengthen and diversify critical-minerals supply chains as a matter of
// economic security), in the four languages, with paraphrases that must
// still pass: a negation the passage does not carry, a name it does not
// hold, a clause after the citation with words of its own.
var reviewCases = []struct {
	lang, text string
	supported  bool
}{
	// A negation or a refusal the passage does not carry.
	{"en", "Japan does not want critical minerals supply chains [4.2].", false},
	{"en", "The parties don't want to diversify supply chains of critical minerals [4.2].", false},
	{"en", "The parties never want to diversify supply chains of critical minerals [4.2].", false},
	{"en", "The parties want supply chains without critical minerals [4.2].", false},
	{"en", "The parties reject critical minerals [4.2].", false},
	{"en", "Rare earths are banned [4.2].", false},
	{"en", "The parties oppose secure access to critical minerals [4.2].", false},
	{"fr", "Le Japon ne veut pas de chaînes d'approvisionnement en minerais critiques [4.2].", false},
	{"fr", "Les parties rejettent les minerais critiques [4.2].", false},
	{"fr", "Les terres rares sont interdites [4.2].", false},
	{"fr", "Les parties veulent des chaînes d'approvisionnement sans minerais critiques [4.2].", false},
	{"ru", "Япония не хочет цепочек поставок критически важных полезных ископаемых [4.2].", false},
	{"ru", "Стороны отвергают критически важное минеральное сырьё [4.2].", false},
	{"ru", "Редкоземельные элементы запрещены [4.2].", false},
	{"ja", "日本は重要鉱物のサプライチェーンを望んでいない [4.2]。", false},
	{"ja", "各国は重要鉱物を拒否している [4.2]。", false},
	{"ja", "レアアースは禁止されている [4.2]。", false},
	// A negation in a passage about something else.
	{"en", "Japan and the Central Asian countries do not agree to work on decarbonisation [4.1].", false},
	// A name the passage does not hold.
	{"en", "The parties want to strengthen and diversify these supply chains, treating secure access to critical minerals as a matter of economic security, but Uzbekistan walked out [4.2].", false},
	{"en", "The parties want to strengthen and diversify these supply chains as a matter of economic security, but Uzbekistan walked out [4.2].", false},
	{"fr", "Les parties veulent renforcer et diversifier ces chaînes d'approvisionnement comme une question de sécurité économique, mais l'Ouzbékistan a quitté la salle [4.2].", false},
	{"ru", "Стороны хотят укреплять и диверсифицировать эти цепочки как вопрос экономической безопасности, но Узбекистан покинул зал [4.2].", false},
	{"ja", "各国はこのサプライチェーンの強化と多角化を目指し、経済安全保障の問題と位置づけているが、ウズベキスタンは退席した [4.2]。", false},
	// A clause after the citation with words of its own.
	{"en", "The parties want to strengthen and diversify these supply chains as a matter of economic security [4.2], and Japan will secretly build nuclear weapons.", false},
	{"en", "The parties want to strengthen and diversify these supply chains as a matter of economic security [4.2], and they will secretly build weapons.", false},
	{"en", "The parties want to strengthen and diversify these supply chains as a matter of economic security [4.2], so prices will rise.", false},
	{"fr", "Les parties veulent renforcer et diversifier ces chaînes d'approvisionnement comme une question de sécurité économique [4.2], et le Japon construira en secret des armes nucléaires.", false},
	{"ru", "Стороны хотят укреплять и диверсифицировать эти цепочки как вопрос экономической безопасности [4.2], а Япония тайно создаст ядерное оружие.", false},
	{"ja", "各国はサプライチェーンの強化と多角化を経済安全保障の問題と位置づけており [4.2]、日本はひそかに核兵器を開発する。", false},
	// Words of its own beyond the allowance, even with no name or number.
	{"en", "The parties want to strengthen and diversify these supply chains, treating secure access to critical minerals as a matter of economic security, while secretly hoarding weapons [4.2].", false},
	// Two words of its own, both uncommon: an invented action in a
	// sentence that otherwise says what the passage does.
	{"en", "The parties will deploy troops to strengthen and diversify supply chains of critical minerals [4.2].", false},
	{"fr", "Les parties déploieront des troupes pour renforcer et diversifier les chaînes d'approvisionnement en minerais critiques [4.2].", false},
	{"ru", "Стороны введут войска, чтобы укреплять и диверсифицировать цепочки поставок критически важных полезных ископаемых [4.2].", false},

	// Paraphrases that must pass.
	{"en", "The parties want to strengthen and diversify these supply chains as a matter of economic security [4.2].", true},
	{"en", "As [4.2] puts it, the parties want to diversify supply chains of critical minerals.", true},
	{"en", "According to [4.2], secure access to critical minerals is a matter of economic security.", true},
	{"en", "The public summaries do not give a date for carbon neutrality [4.1].", true},
	{"en", "The summaries give no figures for emission cuts [4.1].", true},
	{"en", "Natural gas is named alongside the minerals [4.2], as an energy resource.", true},
	{"fr", "Les parties veulent renforcer et diversifier les chaînes d'approvisionnement en minerais critiques [4.2].", true},
	{"fr", "Les synthèses publiques ne donnent pas de date de neutralité carbone [4.1].", true},
	{"ru", "Стороны хотят укреплять и диверсифицировать цепочки поставок критически важных полезных ископаемых [4.2].", true},
	{"ru", "Открытые обзоры не называют срока достижения углеродной нейтральности [4.1].", true},
	{"ja", "各国は重要鉱物のサプライチェーンの強化と多角化を目指している [4.2]。", true},
	{"ja", "要約はカーボンニュートラルの達成時期を示していない [4.1]。", true},
}

func TestReviewedClaims(t *testing.T) {
	passages := map[string]map[string]string{}
	for _, l := range []string{"en", "fr", "ru", "ja"} {
		passages[l] = loadPassages(t, l)
	}
	for _, tt := range reviewCases {
		t.Run(tt.lang+" "+tt.text, func(t *testing.T) {
			c := Verify(tt.text, passages[tt.lang], tt.lang)
			if c.Claims != 1 {
				t.Fatalf("%d claims checked, want 1", c.Claims)
			}
			if ok := c.Unsupported == 0; ok != tt.supported {
				t.Errorf("supported = %v, want %v (%v of the words in the passage; %v)", ok, tt.supported, c.support, c.Failures)
			}
			if tt.supported != c.OK() {
				t.Errorf("OK = %v, want %v: %v", c.OK(), tt.supported, c.Failures)
			}
			for _, f := range c.Failures {
				if len(f.Missing) == 0 {
					t.Errorf("failure names no word: %s", f)
				}
			}
			if !tt.supported && c.Render() != "[…]" {
				t.Errorf("Render = %q, want the sentence cut", c.Render())
			}
		})
	}
}

// TestJapaneseSentences: a Japanese sentence ends at 。 with no space
// after it, so an invented sentence after a supported one is cut alone.
func TestJapaneseSentences(t *testing.T) {
	ja := loadPassages(t, "ja")
	text := "各国は重要鉱物のサプライチェーンの強化と多角化を目指している [4.2]。日本はひそかに核兵器を開発する。"
	c := Verify(text, ja, "ja")
	if c.Claims != 2 || c.Unsupported != 1 {
		t.Errorf("Verify = %+v, want 2 claims, 1 unsupported: %v", c.Verification, c.Failures)
	}
	if got, want := c.Render(), "各国は重要鉱物のサプライチェーンの強化と多角化を目指している [4.2]。[…]"; got != want {
		t.Errorf("Render =\n %q\nwant\n %q", got, want)
	}
}

// FuzzClaims checks sentences in the four languages of the test passages,
// seeded with the claims above: Verify never panics, counts what it
// reports, cuts only whole sentences it found unsupported, and what it
// renders has no unsupported sentence left.
func FuzzClaims(f *testing.F) {
	langs := []string{"en", "fr", "ru", "ja"}
	for _, c := range reviewCases {
		f.Add(c.text, uint8(slices.Index(langs, c.lang)))
	}
	for _, c := range claimCases {
		f.Add(c.text, uint8(slices.Index(langs, c.lang)))
	}
	passages := map[string]map[string]string{}
	for _, l := range langs {
		passages[l] = loadPassages(f, l)
	}
	f.Fuzz(func(t *testing.T, text string, li uint8) {
		lang := langs[int(li)%len(langs)]
		c := Verify(text, passages[lang], lang)
		unsupported := 0
		for _, fl := range c.Failures {
			if fl.Kind == UnsupportedClaim {
				unsupported++
			}
		}
		if c.Failed != len(c.Failures) || c.Unsupported != unsupported || c.Unsupported > c.Claims || len(c.unsupported) != c.Unsupported {
			t.Fatalf("counts disagree: %+v, %d ranges, failures %v", c.Verification, len(c.unsupported), c.Failures)
		}
		at := 0
		for _, u := range c.unsupported {
			if u[0] < at || u[1] < u[0] || u[1] > len(text) {
				t.Fatalf("unsupported ranges %v out of order or out of %d bytes", c.unsupported, len(text))
			}
			at = u[1]
		}
		out := c.Render()
		for _, fl := range Verify(out, passages[lang], lang).Failures {
			if fl.Kind == UnsupportedClaim {
				t.Fatalf("rendered text still has %v\ntext: %q\nrendered: %q", fl, text, out)
			}
		}
	})
}

// TestWrittenNoteTellsTheCheck: the note under a written answer says what
// its sentences were checked for, so it must name what the check holds
// strictly and the words it lets a sentence add (maxMissing, maxRare).
func TestWrittenNoteTellsTheCheck(t *testing.T) {
	if maxMissing != 2 || maxRare != 1 {
		t.Fatalf("maxMissing is %d, maxRare %d: say so in note_written in every language, then here", maxMissing, maxRare)
	}
	for lang, want := range map[string][]string{
		"en": {"name, number and negation", "but two at most", "no more than one of them an uncommon word"},
		"fr": {"nom, nombre et négation", "sauf deux au plus", "dont un seul mot peu courant"},
		"ru": {"имена, числа и отрицания", "кроме не более чем двух", "редким может быть лишь одно"},
		"ja": {"名前・数字・否定", "多くて二つ", "あまり使われない語は一つまで"},
	} {
		note := messages.Default().Say(lang, "note_written")
		for _, w := range want {
			if !strings.Contains(note, w) {
				t.Errorf("%s note_written %q does not say %q", lang, note, w)
			}
		}
	}
}
