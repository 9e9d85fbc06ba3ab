package corpus

import (
	"fmt"
	"strings"
	"testing"
)

// TestMainContent reads pages laid out the ways ministries' sites do it
// without <main> or <article>, and checks that every paragraph of the
// text is found and nothing around it.
func TestMainContent(t *testing.T) {
	var text strings.Builder
	var want []string
	for i := 1; i <= 6; i++ {
		p := fmt.Sprintf("%d. The leaders welcomed cooperation in area %d, and asked their ministers to report on the progress made at the next meeting of the dialogue.", i, i)
		want = append(want, p[len(fmt.Sprint(i))+2:])
		if i == 4 {
			text.WriteString("<h2>II. Priority Areas</h2>\n")
		}
		text.WriteString("<p>" + p + "</p>\n")
	}
	body := "<h2>I. Overview</h2>\n" + text.String()
	nav := `<div id="menu"><ul><li><a href="/">Home</a></li><li><a href="/press">Press</a></li><li><a href="/about">About</a></li></ul></div>`
	crumbs := `<ol class="breadcrumbs"><li><a href="/">Home</a></li><li><a href="/press">Press</a></li><li>Declaration</li></ol>`
	side := `<div class="col-right"><h3>See also</h3><ul><li><a href="/a">Joint statement of 2024 on the dialogue between the partners</a></li><li><a href="/b">Press conference of the foreign ministers</a></li></ul></div>`
	foot := `<div class="site-footer"><p>© Ministry. All rights reserved.</p><p><a href="/privacy">Privacy</a> | <a href="/terms">Terms</a></p></div>`
	tests := []struct{ name, page string }{
		{"content in a div among sidebars", `<a href="#c">Skip to content</a>` + nav + crumbs + `<div class="row"><div class="col-left" id="c"><h1>Declaration</h1>` + body + `<p><a href="#top">▲ Back to top</a></p></div>` + side + `</div>` + foot},
		{"content split in sections", nav + `<div id="contents"><h1>Declaration</h1><div class="section">` + body[:strings.Index(body, "<h2>II.")] + `</div><div class="section">` + body[strings.Index(body, "<h2>II."):] + `</div></div>` + side + foot},
		{"layout table", `<table><tr><td>` + nav + `</td><td><h1>Declaration</h1>` + body + `</td><td>` + side + `</td></tr></table>` + foot},
		{"text loose in a div with breaks", nav + `<div class="text"><h1>Declaration</h1>` + strings.NewReplacer("<p>", "", "</p>", "<br><br>").Replace(body) + `</div>` + foot},
		{"share and print bar, update stamp", nav + `<div class="article-body"><h1>Declaration</h1>` + body + `<div class="tools"><a href="#">Print</a> <a href="#">Share</a></div><p>Last updated: 22 December 2025</p></div>` + foot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := "<!doctype html><html lang=\"en\"><head><title>Declaration | Ministry</title></head><body>" + tt.page + "</body></html>"
			d, err := ParseHTML("page.html", []byte(page))
			if err != nil {
				t.Fatal(err)
			}
			ps := d.Passages()
			var got []string
			for _, p := range ps {
				got = append(got, p.ID+" "+normalizeSpace(p.Text))
			}
			var exp []string
			for i, w := range want {
				exp = append(exp, fmt.Sprintf("%d %s", i+1, w))
			}
			if strings.Join(got, "\n") != strings.Join(exp, "\n") || len(d.Chapters) != 2 || d.Title != "Declaration" {
				t.Errorf("title %q, %d chapters, passages:\n%s\nwant:\n%s", d.Title, len(d.Chapters), strings.Join(got, "\n"), strings.Join(exp, "\n"))
			}
		})
	}
}
