package figures

import (
	"strconv"
	"testing"
)

// TestUnclosed: the scan that points a syntax error at an unclosed quote or
// bracket finds the real opening, and is not fooled by quotes and brackets
// in plain text, comments or block scalars.
func TestUnclosed(t *testing.T) {
	for _, tc := range []struct {
		name string
		data string
		want string // "line:col" of the opening, or "" for none
	}{
		{"double quote never closed", "a:\n  quote: \"x y\n  b: 1\n", "2:10"},
		{"single quote never closed", "a:\n  - quote: 'it''s\n    b: 1\n", "2:12"},
		{"quote closed on the next line, deeper", "quote: \"a\n  b\"\nc: 1\n", ""},
		{"flow mapping never closed", "labels: {a: 1, b: 2\nvalue: 3\n", "1:9"},
		{"innermost flow", "{\"families\": [{\"name\": \"x\"}\n", "1:14"},
		{"flow closed over lines", "labels: [a,\n  b]\nvalue: 1\n", ""},
		{"apostrophe in plain text", "notes: the 'so-called figure\nquote: \"x\n", "2:8"},
		{"bracket in plain text", "title: a [b report\nquote: \"x\n", "2:8"},
		{"quote in a comment", "# it's \"here\nvalue: 1 # \"x\n", ""},
		{"quote in a block scalar", "notes: >-\n  \"a quote\n  continued\nvalue: 1\n", ""},
		{"escaped quote", "quote: \"say \\\"x\\\" \"\nvalue: 1\n", ""},
	} {
		o, ok := unclosed([]byte(tc.data))
		got := ""
		if ok {
			got = itoa(o.line) + ":" + itoa(o.col)
		}
		if got != tc.want {
			t.Errorf("%s: opening at %q, want %q", tc.name, got, tc.want)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
