package figures

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

var lineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns a yaml.v3 error into a diagnostic. yaml.v3 reports a
// line but no column: we point at the line's first non-blank character,
// where the offending token usually starts.
func syntaxError(c *problems, data []byte, err error) Diagnostic {
	m := lineRE.FindStringSubmatch(err.Error())
	if m == nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line, col := lineColumn(data, offendingByte(data, msg))
		return NewDiagnostic(c.at(line, col), Error, "invalid YAML: %s", msg)
	}
	line, _ := strconv.Atoi(m[1])
	// yaml.v3 often reports an unclosed quote or bracket where the block it
	// broke started, or on a blank line: point at the opening instead, which
	// is what the curator has to fix.
	if o, ok := unclosed(data); ok {
		return NewDiagnostic(c.at(o.line, o.col), Error, "invalid YAML: this %s is never closed (yaml.v3 stopped at line %d: %s)", o.what(), line, m[2])
	}
	return NewDiagnostic(c.at(line, firstColumn(data, line)), Error, "invalid YAML: %s", m[2])
}

var anchorRE = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)

// offendingByte finds, for the yaml.v3 errors that carry no line (those of
// its reader, and unknown anchors), the offset of the byte they are about,
// or 0 (the start of the file) when it cannot tell.
func offendingByte(data []byte, msg string) int {
	switch {
	case strings.Contains(msg, "UTF-8"):
		for i := 0; i < len(data); {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				return i
			}
			i += size
		}
	case strings.Contains(msg, "control characters are not allowed"):
		return max(bytes.IndexFunc(data, func(r rune) bool { return !allowedRune(r) }), 0)
	default:
		if m := anchorRE.FindStringSubmatch(msg); m != nil {
			return max(bytes.Index(data, []byte("*"+m[1])), 0)
		}
	}
	return 0
}

// allowedRune reports whether YAML allows r in a file: tab, line feed,
// carriage return, NEL and printable characters (see yaml_parser_update_buffer
// in yaml.v3's reader).
func allowedRune(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r == 0x85 || !(r < 0x20 || (r >= 0x7f && r < 0xa0) || r == 0xfffe || r == 0xffff)
}

// lineColumn turns a byte offset into a 1-based line and column (in
// characters, as yaml.v3 counts them).
func lineColumn(data []byte, off int) (int, int) {
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return line, 1 + utf8.RuneCount(data[start:off])
}

func firstColumn(data []byte, line int) int {
	lines := bytes.Split(data, []byte("\n"))
	if line < 1 || line > len(lines) {
		return 1
	}
	l := lines[line-1]
	return len(l) - len(bytes.TrimLeft(l, " ")) + 1
}

// opening is a quote or bracket that a scan of a file found open.
type opening struct {
	line, col int // 1-based; col in characters
	ch        byte
	indent    int // of its line
}

func (o opening) what() string {
	return map[byte]string{'"': "quoted string", '\'': "quoted string", '[': "list ([)", '{': "mapping ({)"}[o.ch]
}

// unclosed finds the quoted string or flow collection a broken file leaves
// open: at the end of the file, or when a line starting a new key at its
// indentation or less follows (which never happens legitimately in a
// figures file). A scan of lines, consulted only once yaml.v3 refused the
// file; it knows where a value starts, so that quotes and brackets in plain
// text ("the 'so-called' figure"), comments and block scalars are not
// taken for openings.
func unclosed(data []byte) (opening, bool) {
	var quote *opening // the quoted string open across lines, if any
	var flow []opening // open [ and {, innermost last
	block := -1        // indentation of the key of a block scalar being skipped
	for i, text := range strings.Split(string(data), "\n") {
		text = strings.TrimRight(text, "\r")
		body := strings.TrimLeft(text, " ")
		indent := len(text) - len(body)
		if block >= 0 && quote == nil && (strings.TrimSpace(body) == "" || indent > block) {
			continue
		}
		block = -1
		if keyLine.MatchString(body) {
			if quote != nil && indent <= quote.indent {
				return *quote, true
			}
			if len(flow) > 0 && indent <= flow[0].indent {
				return flow[len(flow)-1], true
			}
		}
		start, plain := quote == nil, false // at the start of a value; inside plain text
		spaceAfter := func(j int) bool { return j+1 == len(text) || text[j+1] == ' ' || text[j+1] == '\t' }
		for j := 0; j < len(text); j++ {
			ch := text[j]
			if quote != nil { // inside a quoted string
				switch {
				case quote.ch == '"' && ch == '\\':
					j++
				case ch == quote.ch && quote.ch == '\'' && j+1 < len(text) && text[j+1] == '\'':
					j++
				case ch == quote.ch:
					quote = nil
				}
				continue
			}
			if ch == '#' && (j == 0 || text[j-1] == ' ' || text[j-1] == '\t') {
				break // a comment runs to the end of the line
			}
			if plain {
				switch {
				case ch == ':' && (spaceAfter(j) || len(flow) > 0):
					plain, start = false, true
				case len(flow) > 0 && (ch == ',' || ch == ']' || ch == '}'):
					plain = false
					j-- // the flow indicator is read again below
				}
				continue
			}
			at := 1 + utf8.RuneCountInString(text[:j])
			switch {
			case ch == ' ' || ch == '\t':
			case start && (ch == '"' || ch == '\''):
				quote, start = &opening{line: i + 1, col: at, ch: ch, indent: indent}, false
			case start && (ch == '[' || ch == '{') || len(flow) > 0 && (ch == '[' || ch == '{'):
				flow, start = append(flow, opening{line: i + 1, col: at, ch: ch, indent: indent}), true
			case (ch == ']' || ch == '}') && len(flow) > 0:
				flow, start = flow[:len(flow)-1], false
			case ch == ',' && len(flow) > 0, ch == '-' && start && spaceAfter(j), ch == ':' && (spaceAfter(j) || len(flow) > 0):
				start = true
			case start && (ch == '|' || ch == '>') && len(flow) == 0:
				block = indent
				j = len(text)
			case start:
				plain, start = true, false
			}
		}
	}
	switch {
	case quote != nil:
		return *quote, true
	case len(flow) > 0:
		return flow[len(flow)-1], true
	}
	return opening{}, false
}

// keyLine matches a line (without its indentation) that starts a mapping key,
// possibly as a list item: "- id: x", "value: 1", "quote:".
var keyLine = regexp.MustCompile(`^(- )?[A-Za-z_][A-Za-z0-9_-]*:( |$)`)
