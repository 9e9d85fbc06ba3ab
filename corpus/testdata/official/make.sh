#!/usr/bin/env bash
# Regenerates the official-layout fixtures from the project's digest with
# real producers. Needs Debian's libreoffice-writer, chromium, poppler-utils,
# qpdf, hyphen-en-us, hyphen-fr, fonts-liberation2, fonts-linuxlibertine and
# fonts-dejavu-core; the outputs are committed, so tests never run this.
#
#   bash make.sh          # English and French; Russian and Japanese
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home" # LibreOffice and Chromium profiles, thrown away

for lang in en fr; do
	go run gen.go "$lang" "$tmp/$lang"
	out=$lang
	mkdir -p "$out"
	cp "$tmp/$lang/ministry.html" "$out/ministry.$lang.html"
	for f in plain twocol ligatures; do
		soffice --headless --convert-to pdf --outdir "$tmp/$lang" "$tmp/$lang/$f.fodt" >/dev/null
		cp "$tmp/$lang/$f.pdf" "$out/libreoffice-$f.$lang.pdf"
	done
	# Chromium prints its own header and footer (date, title, file:// address,
	# page "1/6") unless told not to: we want them, as a careless export has.
	chromium --headless --no-sandbox --disable-gpu --no-first-run \
		--print-to-pdf="$out/chromium.$lang.pdf" "file://$tmp/$lang/print.html" 2>/dev/null
	if [ "$lang" = en ]; then
		# Paragraphs without space between them, first lines indented; in
		# Chromium, a running header drawn over the first line of each page.
		soffice --headless --convert-to pdf --outdir "$tmp/$lang" "$tmp/$lang/indent.fodt" >/dev/null
		cp "$tmp/$lang/indent.pdf" "$out/libreoffice-indent.$lang.pdf"
		chromium --headless --no-sandbox --disable-gpu --no-first-run \
			--print-to-pdf="$out/chromium-overlay.$lang.pdf" "file://$tmp/$lang/overlay.html" 2>/dev/null
	fi
done

# Russian and Japanese: the ministry page each, and Chromium's print of the
# Russian (DejaVu has Cyrillic; no Japanese font is needed for a web page).
for lang in ru ja; do
	go run gen.go "$lang" "$tmp/$lang"
	mkdir -p "$lang"
	cp "$tmp/$lang/ministry.html" "$lang/ministry.$lang.html"
done
chromium --headless --no-sandbox --disable-gpu --no-first-run \
	--print-to-pdf="ru/chromium.ru.pdf" "file://$tmp/ru/print.html" 2>/dev/null

# Deliberately broken inputs, English only.
# A scanned page: the text with one more page at the end that is only an
# image of a page (a signed annex scanned in), with no text layer.
pdftoppm -r 50 -f 1 -l 1 -png en/libreoffice-plain.en.pdf "$tmp/scan"
printf '<!doctype html><html><head><style>@page { size: A4; margin: 0 }</style></head><body style="margin:0"><img src="file://%s" style="display:block;width:98%%"></body></html>' \
	"$(ls "$tmp"/scan-*.png)" >"$tmp/scan.html"
chromium --headless --no-sandbox --disable-gpu --no-first-run --no-pdf-header-footer \
	--print-to-pdf="$tmp/scan.pdf" "file://$tmp/scan.html" 2>/dev/null
mkdir -p broken
qpdf --empty --pages en/libreoffice-plain.en.pdf "$tmp/scan.pdf" -- broken/scanned-page.en.pdf
# A broken font map: every ToUnicode entry of the body font points at the
# wrong letters, as some converters leave them.
qpdf --qdf --object-streams=disable en/libreoffice-plain.en.pdf "$tmp/qdf.pdf"
go run breakmap.go "$tmp/qdf.pdf" "$tmp/broken.pdf"
fix-qdf "$tmp/broken.pdf" >"$tmp/fixed.pdf"
qpdf "$tmp/fixed.pdf" broken/fontmap.en.pdf

# A 60-page document for BenchmarkParsePDF60: the English text sixteen
# times over in each chapter, numbered straight through, its first 60 pages.
go run gen.go en "$tmp/long" 16
soffice --headless --convert-to pdf --outdir "$tmp/long" "$tmp/long/plain.fodt" >/dev/null
qpdf --empty --pages "$tmp/long/plain.pdf" 1-60 -- bench-60pages.en.pdf
