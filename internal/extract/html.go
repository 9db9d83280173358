package extract

import (
	"bytes"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
)

// IsHTML reports whether a file is an HTML page (by its name, or by how its
// content starts) rather than plain text.
func IsHTML(name string, data []byte) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".html", ".htm", ".xhtml":
		return true
	case ".txt", ".md":
		return false
	}
	head := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(head) > 512 {
		head = head[:512]
	}
	low := bytes.ToLower(head)
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body", "<?xml", "<!--", "<meta", "<div", "<p>", "<article"} {
		if bytes.HasPrefix(low, []byte(p)) {
			return true
		}
	}
	return false
}

// Text returns the text extraction runs on: the file itself for plain
// text, the page's text for HTML (see HTMLText).
func Text(name string, data []byte) string {
	if IsHTML(name, data) {
		return HTMLText(data)
	}
	return string(data)
}

// skipped elements hold no article text (the title repeats the headline);
// a head left open is closed by the body.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Svg: true,
	atom.Iframe: true, atom.Head: true, atom.Title: true, atom.Object: true, atom.Canvas: true, atom.Select: true,
	atom.Button: true,
}

// blocks end a line of text (paragraphs, headings, list items, cells ...).
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Tr: true, atom.Td: true, atom.Th: true, atom.Table: true,
	atom.Section: true, atom.Article: true, atom.Header: true, atom.Footer: true, atom.Blockquote: true,
	atom.Pre: true, atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Figure: true,
	atom.Figcaption: true, atom.Aside: true, atom.Nav: true, atom.Main: true, atom.Hr: true, atom.Caption: true,
	atom.Address: true,
}

// HTMLText reduces an HTML page to its text with golang.org/x/net/html
// (in UTF-8, whatever encoding the page declares):
// scripts, styles and the head are dropped, entities decoded, white space
// inside a paragraph folded to single spaces (non-breaking ones too), and
// each block element (p, div, li, h1-h6, br ...) set on lines of its own
// with a blank line between paragraphs; the cells of a table row share its
// line, joined by " | ". This text is what the
// candidates' lines, columns and quotes refer to.
func HTMLText(data []byte) string {
	// A page saved in another encoding (EUC-KR, common on Korean sites,
	// Shift_JIS, GBK ...) declares it in a BOM or a meta tag; it is turned
	// into UTF-8 first. Without a declaration the page is read as UTF-8:
	// the guess of windows-1252 for invalid UTF-8 would garble Korean.
	if enc, name, certain := charset.DetermineEncoding(data, ""); name != "utf-8" && (certain || name != "windows-1252") {
		if utf8Data, err := enc.NewDecoder().Bytes(data); err == nil {
			data = utf8Data
		}
	}
	z := html.NewTokenizer(bytes.NewReader(data))
	var b strings.Builder
	depth := 0     // inside skipped elements
	pending := 0   // line breaks owed before the next text
	space := false // a space owed before the next text
	cell := false  // a cell separator owed before the next text
	cells := 0     // cells begun in the current table row
	breakLine := func(n int) {
		if n > pending {
			pending = n
		}
		space, cell = false, false
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if a == atom.Body && tt == html.StartTagToken {
				depth = 0 // what was left open before the body holds no text
			}
			if skipped[a] {
				if tt == html.StartTagToken {
					depth++
				} else if tt == html.EndTagToken && depth > 0 {
					depth--
				}
				continue
			}
			switch {
			case (a == atom.Td || a == atom.Th) && tt == html.StartTagToken:
				// The cells of a row stay on its line, so that a number in
				// a table keeps the words of its row: "2023 | 1,277 cases".
				if cells > 0 {
					cell = true
				}
				cells++
			case a == atom.Td || a == atom.Th:
			case a == atom.Tr:
				cells = 0
				breakLine(1)
			case a == atom.P || a == atom.H1 || a == atom.H2 || a == atom.H3 || a == atom.Blockquote || a == atom.Table || a == atom.Ul || a == atom.Ol:
				breakLine(2)
			case blocks[a]:
				breakLine(1)
			}
		case html.TextToken:
			if depth > 0 {
				continue
			}
			text := string(z.Text())
			if text == "" {
				continue
			}
			r, _ := utf8.DecodeRuneInString(text)
			if unicode.IsSpace(r) {
				space = true
			}
			fields := strings.Fields(text)
			for k, f := range fields {
				switch {
				case pending > 0 && b.Len() > 0:
					b.WriteString(strings.Repeat("\n", pending))
				case cell && b.Len() > 0:
					b.WriteString(" | ")
				case (space || k > 0) && b.Len() > 0:
					b.WriteByte(' ')
				}
				b.WriteString(f)
				pending, space, cell = 0, false, false
			}
			r, _ = utf8.DecodeLastRuneInString(text)
			if unicode.IsSpace(r) {
				space = true
			}
		}
	}
}
