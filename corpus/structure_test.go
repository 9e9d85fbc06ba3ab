package corpus

import (
	"fmt"
	"strings"
	"testing"
)

// outline renders the structure found: "ch N Title: id id id".
func outline(d *Document) string {
	var parts []string
	for _, c := range d.Chapters {
		var ids []string
		for _, p := range c.Passages {
			ids = append(ids, p.ID)
		}
		parts = append(parts, fmt.Sprintf("ch %d %s: %s", c.Number, c.Title, strings.Join(ids, " ")))
	}
	return strings.Join(parts, " | ")
}

const body = "This paragraph states what the parties agreed, in words long enough to be a paragraph."
const corps = "Ce paragraphe dit ce dont les parties sont convenues, en des mots assez longs pour un paragraphe."
const tekst = "В этом абзаце говорится о том, о чём договорились стороны, достаточно длинными словами для абзаца."
const honbun = "この段落は、各国が合意した内容を、段落として十分な長さの言葉で述べている。"

func TestStructureDetection(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"en numbered headings", "1. Overview\n\n" + body + "\n\n2. Connectivity\n\n" + body,
			"ch 1 Overview: 1.1 | ch 2 Connectivity: 2.1"},
		{"fr numbered headings", "1. Aperçu\n\n" + corps + "\n\n2. Connectivité\n\n" + corps,
			"ch 1 Aperçu: 1.1 | ch 2 Connectivité: 2.1"},
		{"en roman headings", "I. Overview\n\n" + body + "\n\nII. Connectivity\n\n" + body,
			"ch 1 Overview: 1.1 | ch 2 Connectivity: 2.1"},
		{"fr roman headings", "I. Aperçu\n\n" + corps + "\n\nII. Connectivité\n\n" + corps,
			"ch 1 Aperçu: 1.1 | ch 2 Connectivité: 2.1"},
		{"en Chapter N: title", "Chapter 1: Overview\n\n" + body + "\n\nChapter 2: Connectivity\n\n" + body,
			"ch 1 Overview: 1.1 | ch 2 Connectivity: 2.1"},
		{"fr Chapitre N, title below", "Chapitre 1\nAperçu\n\n" + corps + "\n\nChapitre 2\n\nConnectivité\n\n" + corps,
			"ch 1 Aperçu: 1.1 | ch 2 Connectivité: 2.1"},
		{"fr Chapitre premier", "Chapitre premier — Aperçu\n\n" + corps + "\n\nChapitre II — Connectivité\n\n" + corps,
			"ch 1 Aperçu: 1.1 | ch 2 Connectivité: 2.1"},
		{"en Article N", "Article 1\n\n" + body + "\n\nArticle 3\n\n" + body,
			"ch 1 Article 1: 1.1 | ch 3 Article 3: 3.1"},
		{"fr Article N with paragraphs", "Article 1er\n\n(1) " + corps + "\n\n(2) " + corps + "\n\nArticle 2\n\n(1) " + corps,
			"ch 1 Article 1er: 1.1 1.2 | ch 2 Article 2: 2.1"},
		{"en numbered paragraphs, continuous", "I. Overview\n\n1. " + body + "\n\n2. " + body + "\n\nII. Areas\n\n3. " + body,
			"ch 1 Overview: 1 2 | ch 2 Areas: 3"},
		{"en numbered paragraphs restarting in each chapter", "I. Overview\n\n1. " + body + "\n\n2. " + body + "\n\nII. Areas\n\n1. " + body,
			"ch 1 Overview: 1.1 1.2 | ch 2 Areas: 2.1"},
		{"unnumbered preamble before continuous numbering", "Tokyo, 20 December 2025\n\n" + body + "\n\nI. Overview\n\n1. " + body + "\n\n2. " + body + "\n\nII. Areas\n\n3. " + body,
			"ch 0 Preamble: 0.1 | ch 1 Overview: 1 2 | ch 2 Areas: 3"},
		{"unnumbered preamble, numbered paragraphs, no chapters", body + "\n\n1. " + body + "\n\n2. " + body,
			"ch 0 : 0.1 1 2"},
		{"fr numbered paragraphs (N), no chapters", "(1) " + corps + "\n\n(2) " + corps + "\n\n(3) " + corps,
			"ch 0 : 1 2 3"},
		{"en numbered paragraphs with a sub-list", "1. " + body + " They noted:\n(a) one;\n(b) two.\n\n2. " + body,
			"ch 0 : 1 2"},
		{"preamble before chapters", body + "\n\n1. Overview\n\n" + body + "\n\n2. Areas\n\n" + body,
			"ch 0 Preamble: 0.1 | ch 1 Overview: 1.1 | ch 2 Areas: 2.1"},
		{"fr preamble", corps + "\n\n1. Aperçu\n\n" + corps + "\n\n2. Domaines\n\n" + corps,
			"ch 0 Préambule: 0.1 | ch 1 Aperçu: 1.1 | ch 2 Domaines: 2.1"},
		{"chapter list stays text", "Chapters\n\n1. Overview\n2. Connectivity\n3. Conclusion\n\n" + body,
			"ch 0 : 1"},
		{"chapter list as separate lines stays text", "1. Overview\n\n2. Connectivity\n\n3. Conclusion\n\n" + body,
			"ch 0 : 1"},
		{"one numbered line is no structure", "1. Introduction\n\n" + body,
			"ch 0 : 1"},
		{"numbers out of order are not chapters", "3. Overview\n\n" + body + "\n\n1. Areas\n\n" + body,
			"ch 0 : 1"},
		{"sentences are not headings", "1. The parties agreed.\n\n" + body + "\n\n2. They met again.\n\n" + body,
			"ch 0 : 1 2"},
		{"ru Глава N, title below", "Глава I\nОбщие положения\n\n" + tekst + "\n\nГлава II\n\nВзаимосвязанность\n\n" + tekst,
			"ch 1 Общие положения: 1.1 | ch 2 Взаимосвязанность: 2.1"},
		{"ru Раздел N. title, numbered paragraphs", "Раздел 1. Обзор\n\n1. " + tekst + "\n\n2. " + tekst + "\n\nРаздел 2. Направления\n\n3. " + tekst,
			"ch 1 Обзор: 1 2 | ch 2 Направления: 3"},
		{"ru (N) paragraphs restarting", "ГЛАВА 1 — Обзор\n\n(1) " + tekst + "\n\n(2) " + tekst + "\n\nГЛАВА 2 — Итоги\n\n(1) " + tekst,
			"ch 1 Обзор: 1.1 1.2 | ch 2 Итоги: 2.1"},
		{"ru preamble", tekst + "\n\n1. Обзор\n\n" + tekst + "\n\n2. Итоги\n\n" + tekst,
			"ch 0 Преамбула: 0.1 | ch 1 Обзор: 1.1 | ch 2 Итоги: 2.1"},
		{"ja 第N章 with a full-width space", "第1章\u3000概要\n\n" + honbun + "\n\n第2章\u3000連結性\n\n" + honbun,
			"ch 1 概要: 1.1 | ch 2 連結性: 2.1"},
		{"ja 第一章 in kanji, title below", "第一章\n総論\n\n" + honbun + "\n\n第十二章\n\n結び\n\n" + honbun,
			"ch 1 総論: 1.1 | ch 12 結び: 12.1"},
		{"ja 一． headings, full-width numbered paragraphs", "一．総論\n\n１．" + honbun + "\n\n２．" + honbun + "\n\n二．地域\n\n３．" + honbun,
			"ch 1 総論: 1 2 | ch 2 地域: 3"},
		{"ja （N） paragraphs", "（１）" + honbun + "\n\n（２）" + honbun + "\n\n（３）" + honbun,
			"ch 0 : 1 2 3"},
		{"ja preamble", honbun + "\n\n第1章 概要\n\n" + honbun + "\n\n第2章 結び\n\n" + honbun,
			"ch 0 前文: 0.1 | ch 1 概要: 1.1 | ch 2 結び: 2.1"},
		{"ja sentences are not headings", "1.各国は合意した。\n\n" + honbun + "\n\n2.各国は再び会った。\n\n" + honbun,
			"ch 0 : 1 2"},
		{"no structure: short paragraphs merge", body + "\n\n" + body + "\n\n" + body,
			"ch 0 : 1"},
		{"no structure: long paragraphs stand alone", body + body + body + "\n\n" + body + body + body,
			"ch 0 : 1 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseText("t.txt", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if got := outline(d); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestMarkdownHeadings(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"title and chapters", "# Title\n\n## 4. Green\n\n" + body + "\n\n## 5. Links\n\n" + body,
			"ch 4 Green: 4.1 | ch 5 Links: 5.1"},
		{"unnumbered chapters are counted", "# Title\n\n## Green\n\n" + body + "\n\n## Links\n\n" + body,
			"ch 1 Green: 1.1 | ch 2 Links: 2.1"},
		{"sub-headings join the next passage", "## One\n\n### Sub\n\n" + body + "\n\n## Two\n\n" + body,
			"ch 1 One: 1.1 | ch 2 Two: 2.1"},
		{"setext headings", "Title\n=====\n\nGreen\n-----\n\n" + body + "\n\nLinks\n-----\n\n" + body,
			"ch 1 Green: 1.1 | ch 2 Links: 2.1"},
		{"Chapitre in a heading", "## Chapitre 2 : Connectivité\n\n" + corps + "\n\n## Chapitre 3 : Fin\n\n" + corps,
			"ch 2 Connectivité: 2.1 | ch 3 Fin: 3.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseGeneralMarkdown("t.md", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if got := outline(d); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"One. Two! Three? Four", []string{"One.", "Two!", "Three?", "Four"}},
		{"Mr. Smith met M. Dupont. Then they left.", []string{"Mr. Smith met M. Dupont.", "Then they left."}},
		{"Energy, e.g. gas. Done.", []string{"Energy, e.g. gas.", "Done."}},
		{"Il a dit « oui. » Puis il est parti.", []string{"Il a dit « oui. »", "Puis il est parti."}},
		{"Version 2.5 is out. 2026 follows.", []string{"Version 2.5 is out.", "2026 follows."}},
		{"no end", []string{"no end"}},
		{"宣言は採択された。「首脳会合」は東京で開かれた。次はカザフスタンで。", []string{"宣言は採択された。", "「首脳会合」は東京で開かれた。", "次はカザフスタンで。"}},
		{"彼は「はい。」と言った。それで終わり", []string{"彼は「はい。」と言った。", "それで終わり"}},
		{"Декларация принята в г. Токио. Следующий саммит — в Казахстане.", []string{"Декларация принята в г. Токио.", "Следующий саммит — в Казахстане."}},
	}
	for _, tt := range tests {
		got := splitSentences(tt.in)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("splitSentences(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLongParagraphSplitBetweenSentences(t *testing.T) {
	sentence := "The leaders agreed on a long list of measures for the region and its partners. "
	text := strings.Repeat(sentence, 60) // about 4,800 characters, one paragraph
	d, err := ParseText("long.txt", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	ps := d.Passages()
	if len(ps) < 4 {
		t.Fatalf("got %d passages, want the paragraph cut in at least 4", len(ps))
	}
	for _, p := range ps {
		if len(p.Text) > maxPassage {
			t.Errorf("passage %s: %d chars, above %d", p.ID, len(p.Text), maxPassage)
		}
		if !strings.HasSuffix(p.Text, ".") {
			t.Errorf("passage %s ends mid-sentence: %q", p.ID, p.Text[len(p.Text)-20:])
		}
	}
}

func TestDetectLang(t *testing.T) {
	tests := []struct{ in, want string }{
		{"The leaders agreed on the priorities of the dialogue.", "en"},
		{"Les dirigeants sont convenus des priorités du dialogue.", "fr"},
		{"Connectivité", "fr"},
		{"Connectivity", "en"},
		{"Стороны договорились о приоритетах диалога.", "ru"},
		{"各国は対話の優先事項で合意した。", "ja"},
		{"", "en"},
	}
	for _, tt := range tests {
		if got := DetectLang(tt.in); got != tt.want {
			t.Errorf("DetectLang(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestShortName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Tokyo Declaration.pdf", "tokyo-declaration"},
		{"/x/déclaration_de_tokyo.fr.html", "declaration-de-tokyo"},
		{"declaration-en.txt", "declaration"},
		{"DIGEST (FR).md", "digest"},
		{"000_5c29b57ce71f4455.txt", "000-5c29b57ce71f4455"},
		{"...pdf", "doc"},
		{"a-very-long-file-name-that-goes-on-and-on-and-on-forever.txt", "a-very-long-file-name-that-goes-on-and"},
		{"fr.txt", "fr"},
		{"tokyo-declaration.ru.pdf", "tokyo-declaration"},
		{"tokyo_declaration_ja.html", "tokyo-declaration"},
	}
	for _, tt := range tests {
		if got := ShortName(tt.in); got != tt.want {
			t.Errorf("ShortName(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := ShortName(tt.in); len(got) > 40 || !validDocName(got) {
			t.Errorf("ShortName(%q) = %q is not a valid document name", tt.in, got)
		}
	}
}
