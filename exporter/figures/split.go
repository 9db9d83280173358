package figures

import (
	"bytes"
	"unicode/utf8"
)

// A figures file is a mapping of up to three lists (families, sources,
// figures), and nearly all of a large file is list items of a few lines
// each. splitItems finds those items by their lines alone, so that they can
// be parsed in batches, in parallel, and not at all when an item is
// byte-for-byte what the previous load parsed (see Parser).
//
// It only accepts the layout curators and generators write: comments and
// blank lines, then top-level keys alone on their line at column 0, each
// followed by a block list whose items start at one column with "- ". Any
// other shape (flow lists, directives, several documents, a value after a
// key, an unknown or repeated key) returns ok false, and the file is parsed
// whole by yaml.v3, which then also reports what is wrong with it.
//
// Cutting at a "- " line at the list's column is safe in block YAML: the
// content of an item (block scalars, multi-line plain scalars, nested
// collections) is indented deeper than the list, so such a line always ends
// the item before it. The exceptions are quoted scalars and flow collections
// spanning lines, which ignore indentation; a cut inside one leaves the part
// before it unterminated, yaml.v3 reports an error for the batch, and the
// file is parsed whole. Batches are also checked to yield exactly the items
// cut (see parseBatch).

// section is one top-level key of a file and the items of its list.
type section struct {
	key   string
	items []item
}

// item is one list item: bytes data[start:end] of the file, from the start
// of its "- " line; line is that line's number (1-based).
type item struct {
	start, end int
	line       int
}

// splitItems cuts data (without a BOM) into sections and items; hints are
// the number of items per key a previous parse found, to size the lists.
func splitItems(data []byte, hints map[string]int) (sections []section, ok bool) {
	var (
		cur    *section
		indent = -1 // column of the current list's "- "
		seen   = map[string]bool{}
		line   = 0
	)
	closeItem := func(end int) {
		if cur != nil && len(cur.items) > 0 {
			cur.items[len(cur.items)-1].end = end
		}
	}
	for off := 0; off < len(data); {
		line++
		next := bytes.IndexByte(data[off:], '\n')
		if next < 0 {
			next = len(data)
		} else {
			next += off + 1
		}
		text := bytes.TrimRight(data[off:next], "\r\n")
		body := bytes.TrimLeft(text, " ")
		col := len(text) - len(body)
		if cur == nil || len(cur.items) == 0 {
			// Not part of an item, so no batch will parse it: it must be
			// text yaml.v3 would read (it refuses invalid UTF-8 and most
			// control characters anywhere, comments included).
			if !readable(text) {
				return nil, false
			}
		}
		switch {
		case len(body) == 0 || body[0] == '#':
			// Blank or comment: part of whatever it is in.
		case col == 0 && !(cur != nil && indent <= 0 && isItemStart(body)):
			key, isKey := topLevelKey(body)
			if !isKey || seen[key] {
				return nil, false
			}
			if cur != nil && len(cur.items) == 0 {
				return nil, false // an empty list: let yaml.v3 say so
			}
			closeItem(off)
			seen[key] = true
			sections = append(sections, section{key: key, items: make([]item, 0, hints[key])})
			cur, indent = &sections[len(sections)-1], -1
		case cur == nil:
			return nil, false // indented text before the first key
		case indent < 0:
			if !isItemStart(body) {
				return nil, false // the key's value is not a block list
			}
			indent = col
			cur.items = append(cur.items, item{start: off, line: line})
		case col == indent && isItemStart(body):
			closeItem(off)
			cur.items = append(cur.items, item{start: off, line: line})
		}
		off = next
	}
	if cur == nil || len(cur.items) == 0 {
		return nil, false
	}
	closeItem(len(data))
	return sections, true
}

// isItemStart reports whether a line (without its indentation) starts a
// list item: a dash followed by a space or nothing.
func isItemStart(body []byte) bool {
	return len(body) > 0 && body[0] == '-' && (len(body) == 1 || body[1] == ' ')
}

// topLevelKey recognises "families:", "sources:" or "figures:" alone on a
// line, with an optional comment.
func topLevelKey(body []byte) (string, bool) {
	for _, key := range Fields["file"] {
		rest, found := bytes.CutPrefix(body, []byte(key+":"))
		if !found {
			continue
		}
		rest = bytes.TrimLeft(rest, " ")
		if len(rest) == 0 || rest[0] == '#' && len(rest) < len(body)-len(key)-1 {
			return key, true
		}
		return "", false
	}
	return "", false
}

// readable reports whether a line holds only characters YAML allows: valid
// UTF-8 without control characters other than tab (see offendingByte).
func readable(text []byte) bool {
	if !utf8.Valid(text) {
		return false
	}
	for _, r := range string(text) {
		if !allowedRune(r) {
			return false
		}
	}
	return true
}
