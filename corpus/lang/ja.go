package lang

import "unicode"

// japaneseEntry is the table's entry for Japanese. Kana and kanji tell it.
// Japanese has no spaces and no stemmer here: Tokens cuts its text by
// script, and a run of kanji into overlapping pairs (see Tokens), so the
// lists below hold kanji pairs and single kanji as Tokens gives them. A
// run of hiragana is grammar (particles, endings) and never a term.
func japaneseEntry() Language {
	return Language{
		Code: Japanese, Name: "日本語", EnglishName: "Japanese", Preamble: "前文",
		Script: []*unicode.RangeTable{unicode.Hiragana, unicode.Katakana, unicode.Han},
		// Single kanji that frame a question ("what", "who", "say", "write",
		// "teach", "about", "touch on"); Overview adds the pairs that name
		// the text or ask for its gist.
		Framing:      `何 誰 言 書 教 関 触 述 載 示 知 見 記載 言及 説明 具体 体的`,
		Overview:     `要点 要約 概要 全体 総括 ポイント 一言 簡単 要 まとめ まとめて まとめてください ざっくり`,
		Document:     `宣言 文書 本文 内容 について`,
		Pointed:      `いつ どこ 誰 なぜ いくら 何年`,
		About:        `について`,
		AboutFollows: true,
		Amount:       `いくら いくつ 何人 何年 何日 何か国 何カ国 どのくらい どれくらい`,
		Dates:        `いつ`,
		Numbers:      `二つ 三つ 四つ 五つ 六つ 七つ 八つ 九つ 兆 億 万人`,
		Chat:         `草 笑 マジ ヤバ ども どうも`,
		// Sentence-final particles of a question, and the endings of a
		// request ("tell me", "I want to know"): chat leaves out the ？.
		// A particle followed by 。 explains rather than asks (そうなの。),
		// and もの, とか end in one without being one.
		QuestionEndings:  `か の っけ かな かしら`,
		StatementEndings: `もの とか ほか`,
		RequestEndings:   `教えて ください 知りたい`,
		SceneEndings:     `けど、 けれど、 けれども、 ですが、 ましたが、 んだが、 ので、`,
		// Endings in hiragana negate inside a run (していない, ありません,
		// せずに); a bare ず is not listed, a run ending in it being as often
		// まず or はず. Kanji words of refusal and prohibition are pairs as
		// Tokens gives them, and 禁 stands alone in 禁じる.
		Negations: `ない なかっ なく ません せず ずに ぬ 禁止 禁 拒否 拒絶 反対 否定`,
		Everyday:  everydayJA,
	}
}
