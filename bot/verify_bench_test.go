package bot

import (
	"strings"
	"testing"
)

// answer300 is a written answer of about 300 words with eight quotes and
// fourteen cited ids, all correct, against testdata/verify/en.txt.
const answer300 = `The Tokyo Declaration was adopted on 20 December 2025 at the very first summit of the dialogue to bring together heads of state and government [1.1]. According to the text, the summit took place "over two days, 19 and 20 December 2025" [1.1], and it was hosted by the Prime Minister of Japan, Sanae Takaichi, with the presidents of the five Central Asian countries [1.2]. All six member countries were "each represented by its leader" [1.2].

The dialogue itself is older. It "was created in 2004 as a framework for foreign ministers" [1.3] and was launched at a first meeting in Astana in August 2004. For 21 years it "worked at the level of ministers and senior officials" [1.3], so the Tokyo meeting was the first time it met at leaders' level.

Looking back, the declaration recalls that relations between Japan and the region have lasted more than 33 years [1.4]. The leaders describe the dialogue as a "catalyst" that helps to maintain and strengthen a strategic partnership "founded on friendship and mutual trust" [1.4]. This review of past cooperation is, in the words of the digest, the "starting point" for the directions that follow [1.4].

On the green transition, the parties agree to work together on decarbonisation and on the energy transition towards cleaner, low-carbon and renewable energy [4.1]. The public summaries give no date for carbon neutrality and no figures for emission cuts [4.1]. Under the same heading, the declaration deals with supply chains of critical minerals: the parties want to "strengthen and diversify these supply chains" and treat secure access to critical minerals as a matter of economic security [4.2]. Energy resources such as natural gas are named alongside the minerals, which makes this the part of the declaration about mining, resources and reliable supply [4.1, 4.2].

In short, the declaration both reviews two decades of cooperation and sets priorities for the future, with climate, energy and critical minerals among the first of them.`

func BenchmarkVerify300Words(b *testing.B) {
	en := loadPassages(b, "en")
	if n := len(strings.Fields(answer300)); n < 280 || n > 340 {
		b.Fatalf("answer has %d words, want about 300", n)
	}
	c := Verify(answer300, en, "en")
	if !c.OK() || c.Quotes != 8 || c.Claims < 12 {
		b.Fatalf("benchmark answer does not verify: %+v %v", c.Verification, c.Failures)
	}
	b.ReportAllocs()
	for b.Loop() {
		c := Verify(answer300, en, "en")
		_ = c.Render()
	}
}

// BenchmarkVerify300WordsCached is BenchmarkVerify300Words as the bot
// verifies, with the passages' analysis kept from earlier questions.
func BenchmarkVerify300WordsCached(b *testing.B) {
	en := loadPassages(b, "en")
	var cache passageCache
	newVerifier(en, "en", &cache)
	b.ReportAllocs()
	for b.Loop() {
		c := newVerifier(en, "en", &cache).check(answer300)
		_ = c.Render()
	}
}

// BenchmarkCheck300Words is BenchmarkVerify300Words with the verifier made
// beforehand, as it is once per question: what a retry or a streamed
// partial shown costs.
func BenchmarkCheck300Words(b *testing.B) {
	v := newVerifier(loadPassages(b, "en"), "en", nil)
	b.ReportAllocs()
	for b.Loop() {
		c := v.check(answer300)
		_ = c.Render()
	}
}
