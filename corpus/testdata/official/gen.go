//go:build ignore

// gen lays out the project's digest as governments publish a declaration
// (title, dateline, unnumbered preamble, chapters I. to IX., paragraphs
// numbered 1 to N straight through, a running header and page numbers) and
// writes the sources that make.sh hands to LibreOffice and Chromium, and
// the ministry-style web page.
//
//	go run gen.go LANG OUTDIR [REPEAT]
//
// LANG is "en", "fr", "ru" or "ja" for the digest, or the path of another text in the
// project's corpus format named LANG.md (a held-out text to judge the
// parsers with).
//
// With REPEAT, each chapter holds its paragraphs REPEAT times over (still
// numbered straight through): a long document for benchmarks.
package main

import (
	"bufio"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"

	"github.com/declbot/declbot/corpus"
)

func main() {
	if len(os.Args) != 3 && len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: go run gen.go LANG OUTDIR [REPEAT]")
		os.Exit(2)
	}
	lang, out, repeat := os.Args[1], os.Args[2], 1
	if len(os.Args) == 4 {
		if _, err := fmt.Sscan(os.Args[3], &repeat); err != nil || repeat < 1 {
			fmt.Fprintln(os.Stderr, "gen: REPEAT must be a whole number")
			os.Exit(2)
		}
	}
	if err := run(lang, out, repeat); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// text is the document laid out: what every producer receives.
type text struct {
	lang, title, header, back string
	front                     []string // dateline and preamble, unnumbered
	chapters                  []chapter
}

type chapter struct {
	heading string   // "IV. Green Transition and Resilience"
	paras   []string // "15. The leaders…"
}

func run(lang, out string, repeat int) error {
	here, err := os.Getwd()
	if err != nil {
		return err
	}
	src := filepath.Join(here, "..", "..", "digest", lang+".md")
	if strings.HasSuffix(lang, ".md") {
		src, lang = lang, strings.TrimSuffix(filepath.Base(lang), ".md")
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	d, err := corpus.ParseMarkdown(src, data)
	if err != nil {
		return err
	}
	title := d.Title
	for _, tail := range []string{" — unofficial digest", " — synthèse non officielle", " — неофициальный обзор", " — 非公式ダイジェスト"} {
		title = strings.TrimSuffix(title, tail)
	}
	t := text{lang: lang, title: title}
	t.header, t.back = "Provisional translation", "Back to Top"
	switch lang {
	case "fr":
		t.header, t.back = "Traduction provisoire", "Haut de page"
	case "ru":
		t.header, t.back = "Предварительный перевод", "Наверх"
	case "ja":
		t.header, t.back = "仮訳", "ページの先頭へ"
	}
	f, err := os.Open(filepath.Join(here, "preamble.txt"))
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l, s, ok := strings.Cut(sc.Text(), "\t"); ok && l == lang {
			t.front = append(t.front, s)
		}
	}
	n := 0
	for _, c := range d.Chapters {
		// Each language as its governments number chapters and paragraphs:
		// "IV." in English and French, "Глава IV." in Russian, "第4章" and
		// full-width "１５．" with no space after it in Japanese.
		ch := chapter{heading: roman(c.Number) + ". " + c.Title}
		switch lang {
		case "ru":
			ch.heading = "Глава " + ch.heading
		case "ja":
			ch.heading = fmt.Sprintf("第%d章\u3000%s", c.Number, c.Title)
		}
		for range repeat {
			for _, p := range c.Passages {
				n++
				body := strings.Join(strings.Fields(p.Text), " ")
				if lang == "ja" {
					ch.paras = append(ch.paras, wide(fmt.Sprintf("%d.", n))+body)
					continue
				}
				ch.paras = append(ch.paras, fmt.Sprintf("%d. %s", n, body))
			}
		}
		t.chapters = append(t.chapters, ch)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	files := map[string]string{
		"plain.fodt":     fodt(t, "Liberation Serif", "11pt", 1),
		"indent.fodt":    strings.Replace(fodt(t, "Liberation Serif", "11pt", 1), `fo:margin-bottom="0.22cm" fo:line-height="115%"`, `fo:margin-bottom="0cm" fo:text-indent="0.6cm"`, 1),
		"twocol.fodt":    fodt(t, "Liberation Sans", "10pt", 2),
		"ligatures.fodt": fodt(t, "Linux Libertine O", "12pt", 1),
		"print.html":     printPage(t),
		"overlay.html": strings.Replace(strings.Replace(printPage(t), "</style>", "p { margin: 0; text-indent: 1.5em; }\n.runhead { position: fixed; top: 0; right: 0; font-size: 9pt; }\n</style>", 1),
			"<body>", "<body>\n<div class=\"runhead\">"+x(t.header)+"</div>", 1),
		"ministry.html": ministryPage(t),
	}
	for name, s := range files {
		if err := os.WriteFile(filepath.Join(out, name), []byte(s), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// wide writes digits and the full stop in their full-width forms.
func wide(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r - '0' + '０')
		case r == '.':
			b.WriteRune('．')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func roman(n int) string {
	return [...]string{"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}[n]
}

func x(s string) string { return html.EscapeString(s) }

// fodt is a flat OpenDocument text with a running header and "- N -"
// page numbers, justified and hyphenated as office suites do.
func fodt(t text, font, size string, cols int) string {
	var b strings.Builder
	country := "US"
	if t.lang == "fr" {
		country = "FR"
	}
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta><dc:title>%s</dc:title><dc:language>%s</dc:language></office:meta>
<office:font-face-decls><style:font-face style:name="Body" svg:font-family="'%s'"/></office:font-face-decls>
<office:styles>
<style:default-style style:family="paragraph"><style:paragraph-properties fo:hyphenation-ladder-count="no-limit"/><style:text-properties style:font-name="Body" fo:font-size="%s" fo:language="%s" fo:country="%s" fo:hyphenate="true" fo:hyphenation-remain-char-count="3" fo:hyphenation-push-char-count="3"/></style:default-style>
<style:style style:name="Body" style:family="paragraph"><style:paragraph-properties fo:text-align="justify" fo:margin-bottom="0.22cm" fo:line-height="115%%"/></style:style>
<style:style style:name="Title" style:family="paragraph"><style:paragraph-properties fo:text-align="center" fo:margin-bottom="0.4cm"/><style:text-properties fo:font-size="16pt" fo:font-weight="bold" fo:hyphenate="false"/></style:style>
<style:style style:name="Dateline" style:family="paragraph"><style:paragraph-properties fo:text-align="center" fo:margin-bottom="0.4cm"/></style:style>
<style:style style:name="Heading" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.35cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"/><style:text-properties fo:font-weight="bold" fo:hyphenate="false"/></style:style>
<style:style style:name="Header" style:family="paragraph"><style:paragraph-properties fo:text-align="end"/><style:text-properties fo:font-size="9pt" fo:font-style="italic"/></style:style>
<style:style style:name="Footer" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="9pt"/></style:style>
</office:styles>
<office:automatic-styles>
<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm"><style:columns fo:column-count="%d" fo:column-gap="0.8cm"/></style:page-layout-properties><style:header-style><style:header-footer-properties fo:margin-bottom="0.5cm"/></style:header-style><style:footer-style><style:header-footer-properties fo:margin-top="0.5cm"/></style:footer-style></style:page-layout>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"><style:header><text:p text:style-name="Header">%s</text:p></style:header><style:footer><text:p text:style-name="Footer">- <text:page-number text:select-page="current">1</text:page-number> -</text:p></style:footer></style:master-page></office:master-styles>
<office:body><office:text>
`, x(t.title), t.lang, font, size, t.lang, country, cols, x(t.header))
	p := func(style, s string) { fmt.Fprintf(&b, "<text:p text:style-name=%q>%s</text:p>\n", style, x(s)) }
	p("Title", t.title)
	p("Dateline", t.front[0])
	for _, s := range t.front[1:] {
		p("Body", s)
	}
	for _, c := range t.chapters {
		p("Heading", c.heading)
		for _, s := range c.paras {
			p("Body", s)
		}
	}
	b.WriteString("</office:text></office:body></office:document>\n")
	return b.String()
}

// printPage is the text as a plain page that Chromium prints with its own
// header and footer (date, title, address, "1/6"). overlay.html is the
// same with paragraphs set close and indented, and a running header as a
// fixed element, which Chromium repeats on every page, over the text.
func printPage(t text) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<!doctype html>
<html lang="%s"><head><meta charset="utf-8"><title>%s</title>
<style>
body { font-family: "DejaVu Serif", serif; font-size: 11pt; line-height: 1.4; margin: 0 1cm; text-align: justify; hyphens: auto; }
h1 { font-size: 16pt; text-align: center; }
h2 { font-size: 12pt; margin-top: 1.2em; break-after: avoid; }
.dateline { text-align: center; }
</style></head><body>
<h1>%s</h1>
<p class="dateline">%s</p>
`, t.lang, x(t.title), x(t.title), x(t.front[0]))
	writeText(&b, t)
	b.WriteString("</body></html>\n")
	return b.String()
}

// ministryPage is the text as a ministry website shows it: no <main>, the
// content in a div among a skip link, a banner, a menu, a breadcrumb, a
// sidebar of related links, share buttons, "Back to Top" and a footer,
// most of them plain divs and lists rather than semantic elements.
func ministryPage(t text) string {
	words := map[string][]string{
		"en": {"Skip to main content", "Ministry of Foreign Affairs", "Home", "Foreign Policy", "Press Releases", "Countries & Regions", "About Us", "Search", "Related Links", "Japan-Central Asia Relations", "Joint Statements", "Summit Meetings", "Share", "Print", "Last updated", "Site Policy", "Accessibility", "Privacy Policy", "Contact Us", "Copyright © Ministry of Foreign Affairs"},
		"ru": {"Перейти к содержанию", "Министерство иностранных дел", "Главная", "Внешняя политика", "Пресс-релизы", "Страны и регионы", "О министерстве", "Поиск", "Полезные ссылки", "Отношения Японии и Центральной Азии", "Совместные заявления", "Встречи на высшем уровне", "Поделиться", "Печать", "Последнее обновление", "Правила сайта", "Доступность", "Конфиденциальность", "Контакты", "Copyright © Министерство иностранных дел"},
		"ja": {"本文へ移動", "外務省", "ホーム", "外交政策", "報道発表", "国・地域", "外務省について", "検索", "関連リンク", "日・中央アジア関係", "共同声明", "首脳会談", "共有", "印刷", "最終更新", "サイトポリシー", "アクセシビリティ", "プライバシーポリシー", "お問い合わせ", "Copyright © 外務省"},
		"fr": {"Aller au contenu principal", "Ministère des Affaires étrangères", "Accueil", "Politique étrangère", "Communiqués", "Pays et régions", "Qui sommes-nous", "Rechercher", "Liens utiles", "Relations Japon-Asie centrale", "Déclarations conjointes", "Sommets", "Partager", "Imprimer", "Mise à jour", "Mentions légales", "Accessibilité", "Données personnelles", "Nous contacter", "Copyright © Ministère des Affaires étrangères"},
	}[t.lang]
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html>
<html lang="%s">
<head><meta charset="utf-8"><title>%s | %s</title>
<link rel="stylesheet" href="/common/css/style.css"></head>
<body>
<a class="skip-link" href="#contents">%s</a>
<div id="header"><div class="logo"><a href="/">%s</a></div>
<div class="search"><form action="/search"><input type="text" name="q"><input type="submit" value="%s"></form></div></div>
<div id="global-nav"><ul><li><a href="/">%s</a></li><li><a href="/policy/">%s</a></li><li><a href="/press/">%s</a></li><li><a href="/region/">%s</a></li><li><a href="/about/">%s</a></li></ul></div>
<div class="breadcrumb"><ul><li><a href="/">%s</a></li><li><a href="/policy/">%s</a></li><li><a href="/region/">%s</a></li><li>%s</li></ul></div>
<div id="wrapper">
<div class="main-content" id="contents">
<h1 class="title">%s</h1>
<p class="date">%s</p>
`, t.lang, x(t.title), x(words[1]), x(words[0]), x(words[1]), x(words[7]), x(words[2]), x(words[3]), x(words[4]), x(words[5]), x(words[6]),
		x(words[2]), x(words[3]), x(words[5]), x(t.title), x(t.title), x(t.front[0]))
	writeText(&b, t)
	fmt.Fprintf(&b, `<div class="share"><span>%s</span> <a href="#">X</a> <a href="#">Facebook</a> <a href="javascript:print()">%s</a></div>
<p class="update">%s: 22 December 2025</p>
<p class="pagetop"><a href="#header">%s</a></p>
</div>
<div id="sidebar"><h2>%s</h2><ul><li><a href="/region/ca/">%s</a></li><li><a href="/statements/">%s</a></li><li><a href="/summits/">%s</a></li></ul></div>
</div>
<div id="footer"><ul><li><a href="/policy.html">%s</a></li><li><a href="/a11y.html">%s</a></li><li><a href="/privacy.html">%s</a></li><li><a href="/contact.html">%s</a></li></ul>
<p class="copyright">%s</p></div>
</body></html>
`, x(words[12]), x(words[13]), x(words[14]), x(t.back), x(words[8]), x(words[9]), x(words[10]), x(words[11]),
		x(words[15]), x(words[16]), x(words[17]), x(words[18]), x(words[19]))
	return b.String()
}

// writeText writes the preamble after the dateline, then the chapters:
// <h2> headings and one <p> a paragraph, numbers as text.
func writeText(b *strings.Builder, t text) {
	for _, s := range t.front[1:] {
		fmt.Fprintf(b, "<p>%s</p>\n", x(s))
	}
	for _, c := range t.chapters {
		fmt.Fprintf(b, "<h2>%s</h2>\n", x(c.heading))
		for _, s := range c.paras {
			fmt.Fprintf(b, "<p>%s</p>\n", x(s))
		}
	}
}
