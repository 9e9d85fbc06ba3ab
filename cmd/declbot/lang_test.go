package main

import (
	"strings"
	"testing"
)

// TestLangFlag accepts every language of the table and auto for ask, and
// refuses any other code before building anything, naming the choices.
func TestLangFlag(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"russian", []string{"ask", "--lang", "ru", "--json", "Что говорится об Афганистане?"}, 0, ""},
		{"japanese", []string{"ask", "--lang", "ja", "--json", "アフガニスタン"}, 0, ""},
		{"auto", []string{"ask", "--lang", "auto", "--json", "Afghanistan"}, 0, ""},
		{"unknown", []string{"ask", "--lang", "de", "Afghanistan"}, exitUsage, `declbot: --lang "de" is not a language declbot answers in: use auto or one of en, fr, ru, ja`},
		{"upper case", []string{"ask", "--lang", "FR", "--json", "Afghanistan"}, 0, ""}, // a language tag (TestLangTags)
		{"region", []string{"about", "--lang", "ja-JP"}, 0, ""},
		{"unknown with a region", []string{"ask", "--lang", "de-DE", "Afghanistan"}, exitUsage, `--lang "de-DE" is not a language`},
		// Every command that takes --lang reads and refuses it as ask does.
		{"about unknown", []string{"about", "--lang", "xx"}, exitUsage, `declbot: --lang "xx" is not a language declbot answers in: use one of en, fr, ru, ja`},
		{"chapters unknown", []string{"chapters", "--lang", "xx"}, exitUsage, `declbot: --lang "xx" is not a language declbot answers in: use one of en, fr, ru, ja`},
		{"cite unknown", []string{"cite", "--lang", "xx", "4.2"}, exitUsage, `declbot: --lang "xx" is not a language declbot answers in: use all or one of en, fr, ru, ja`},
		{"cite auto", []string{"cite", "--lang", "auto", "4.2"}, exitUsage, `declbot: --lang "auto" is not a language`},
		{"about unknown with a region", []string{"about", "--lang", "de-DE"}, exitUsage, `declbot: --lang "de-DE" is not a language`},
		{"about upper case", []string{"about", "--lang", "EN"}, 0, ""},
		{"chapters region", []string{"chapters", "--lang", "fr-FR", "--json"}, 0, ""},
		{"chapters underscore", []string{"chapters", "--lang", "ru_RU", "--json"}, 0, ""},
		{"cite upper case", []string{"cite", "--lang", "JA", "--json", "4.2"}, 0, ""},
		{"cite all upper case", []string{"cite", "--lang", "ALL", "--json", "4.2"}, 0, ""},
		{"cite region", []string{"cite", "--lang", "ru_RU", "--json", "4.2"}, 0, ""},
		{"chapters in japanese", []string{"chapters", "--lang", "ja", "--json"}, 0, ""},
		{"cite all", []string{"cite", "--lang", "all", "--json", "4.2"}, 0, ""},
		{"empty question said in japanese", []string{"ask", "--lang", "ja", " "}, exitUsage, "declbot: 質問が空です。"},
		{"too long said in russian", []string{"ask", strings.Repeat("вопрос ", 200)}, exitUsage, "declbot: Знаков в вопросе: 1399"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := run(t, tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.err) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, tc.code, tc.err)
			}
		})
	}
}

// TestAboutInReadersLanguage labels about, and names the kinds of text, in
// the language asked for; the values line up whatever the labels' width.
func TestAboutInReadersLanguage(t *testing.T) {
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"ru", []string{"Вид:       неофициальное изложение\n", "Документы: 1\n", "Индекс:    построен ", "фрагментов: "}},
		{"ja", []string{"種類：         非公式ダイジェスト\n", "インデックス： ", " 作成\n", " 段落"}},
		{"fr", []string{"Nature :    synthèse non officielle\n", "Vecteurs :  ", "construit le "}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			code, out, errs := run(t, "about", "--lang", tc.lang)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("about --lang %s lacks %q:\n%s", tc.lang, w, out)
				}
			}
		})
	}
}
