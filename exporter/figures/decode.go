package figures

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
	"unique"

	"github.com/prometheus/common/model"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
)

const dateLayout = "2006-01-02"

// resolve follows aliases; yaml.v3 keeps them unexpanded in the node tree,
// so a "billion laughs" file costs no more than its own nodes.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 16; i++ {
		n = n.Alias
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "null"
		}
		return fmt.Sprintf("%s %q", strings.TrimPrefix(n.Tag, "!!"), Clip(n.Value, 64))
	case yaml.AliasNode:
		return "an alias"
	}
	return "an unknown node"
}

// field is one key of an object of type T. Each type has one table of them
// (unmarshal.go), in the order docs/figures-file.md documents the fields,
// read by the decoder, the "did you mean" suggestions and the JSON Schema
// test, so that a field is named in one place.
type field[T any] struct {
	name     string
	required bool
	decode   func(v value, obj *T)
}

type fields[T any] []field[T]

// Names returns the names of the fields, and of the required ones.
func (t fields[T]) Names() (all, required []string) {
	for _, f := range t {
		all = append(all, f.name)
		if f.required {
			required = append(required, f.name)
		}
	}
	return all, required
}

// decode checks that n is a mapping of unique keys of the table, reports the
// required fields it lacks, and decodes each field present into obj in the
// table's order. Messages call the object what ("figure kp-2023") and its
// fields what+sep+name ("figure kp-2023: quote").
func (t fields[T]) decode(c *problems, n *yaml.Node, what, sep string, obj *T) bool {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		c.errorf(n.Line, n.Column, "%s must be a mapping, got %s", what, kindName(n))
		return false
	}
	known, required := t.Names()
	keys := make(map[string]int, len(n.Content)/2) // where each key is in n.Content
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := resolve(n.Content[i])
		if k.Kind != yaml.ScalarNode {
			c.errorf(k.Line, k.Column, "%s: keys must be plain names, got %s", what, kindName(k))
			continue
		}
		if prev, dup := keys[k.Value]; dup {
			c.errorf(k.Line, k.Column, "%s: key %q is already defined at line %d", what, k.Value, resolve(n.Content[prev]).Line)
			continue
		}
		keys[k.Value] = i
		if !slices.Contains(known, k.Value) {
			hint := "known fields: " + strings.Join(known, ", ")
			if near := nearest(k.Value, known); near != "" {
				hint = fmt.Sprintf("did you mean %q?", near)
			}
			c.errorf(k.Line, k.Column, "%s: unknown field %q (%s)", what, k.Value, hint)
		}
	}
	for _, name := range required {
		if _, ok := keys[name]; !ok {
			c.errorf(n.Line, n.Column, "%s: missing required field %q", what, name)
		}
	}
	for _, f := range t {
		if i, ok := keys[f.name]; ok {
			f.decode(value{c, n.Content[i+1], what, sep, f.name}, obj)
		}
	}
	return true
}

// value is the node of one field (or list item) as written (an alias,
// maybe), with its file's problems and its names in messages. Its methods
// decode it into typed values and report every problem at the offending
// node, so that one pass over a file yields all of its problems.
type value struct {
	c          *problems
	n          *yaml.Node
	what       string // the object: "figure kp-2023"
	sep, field string // what+sep+field names the value, joined only when needed
}

func (v value) name() string { return v.what + v.sep + v.field }

// errorf reports a problem at the node as written.
func (v value) errorf(format string, args ...any) { v.c.errorf(v.n.Line, v.n.Column, format, args...) }

// as is v called name alone in messages.
func (v value) as(name string) value { return value{c: v.c, n: v.n, field: name} }

// loc is where the value stands, for a field of a figure (see figureLocs).
func (v value) loc() loc {
	n := resolve(v.n)
	return loc{int32(n.Line), int32(n.Column)}
}

// sequence returns the items of a list node.
func (v value) sequence() []*yaml.Node {
	n := resolve(v.n)
	if n.Kind != yaml.SequenceNode {
		v.c.errorf(n.Line, n.Column, "%s must be a list, got %s", v.name(), kindName(n))
		return nil
	}
	return n.Content
}

func (v value) scalar() (*yaml.Node, bool) {
	n := resolve(v.n)
	if n.Kind != yaml.ScalarNode {
		v.c.errorf(n.Line, n.Column, "%s must be a single value, got %s", v.name(), kindName(n))
		return nil, false
	}
	if n.Tag == "!!null" {
		v.c.errorf(n.Line, n.Column, "%s must not be empty", v.name())
		return nil, false
	}
	return n, true
}

// str decodes a text field. Numbers and booleans written bare are taken as
// their text, as a curator would expect of a label value such as 2023.
func (v value) str() string {
	s, ok := v.scalar()
	if !ok {
		return ""
	}
	if s.Tag == "!!binary" {
		v.c.errorf(s.Line, s.Column, "%s must be text, got binary data", v.name())
		return ""
	}
	if strings.TrimSpace(s.Value) == "" {
		v.c.errorf(s.Line, s.Column, "%s must not be empty", v.name())
		return ""
	}
	return s.Value
}

// number decodes a finite float64. Quoted numbers are refused so that a typo
// like "1.7 billion" cannot pass as text.
func (v value) number() (float64, bool) {
	s, ok := v.scalar()
	if !ok {
		return 0, false
	}
	if s.Tag != "!!int" && s.Tag != "!!float" {
		if f, err := strconv.ParseFloat(s.Value, 64); s.Style == 0 && errors.Is(err, strconv.ErrRange) {
			v.c.errorf(s.Line, s.Column, "%s %s is out of range of a 64-bit float (%g)", v.name(), s.Value, f)
			return 0, false
		}
		v.c.errorf(s.Line, s.Column, "%s must be a number, got %s", v.name(), kindName(s))
		return 0, false
	}
	var f float64
	if err := s.Decode(&f); err != nil {
		v.c.errorf(s.Line, s.Column, "%s %s is not a valid number", v.name(), s.Value)
		return 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		v.c.errorf(s.Line, s.Column, "%s must be a finite number, got %s", v.name(), s.Value)
		return 0, false
	}
	return f, true
}

// date decodes YYYY-MM-DD, written bare or quoted.
func (v value) date() (time.Time, bool) {
	s, ok := v.scalar()
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(dateLayout, s.Value)
	if err != nil {
		v.c.errorf(s.Line, s.Column, "%s %q is not a date (want YYYY-MM-DD)", v.name(), s.Value)
		return time.Time{}, false
	}
	return t, true
}

// optionalDate is date for a *time.Time field: nil when it does not decode.
func (v value) optionalDate() *time.Time {
	if t, ok := v.date(); ok {
		return &t
	}
	return nil
}

// list decodes a list of values, each with item; items that do not decode
// are left out.
func (v value) list(item func(value) string) []string {
	var out []string
	list := v.name()
	for _, n := range v.sequence() {
		if s := item(value{v.c, n, list, " ", "item"}); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// chain decodes a claim chain: who stated a claim, in order, each a label value.
func (v value) chain() []string {
	return v.list(func(v value) string { return v.line(maxLabelValueLen) })
}

func (c *problems) pos(n *yaml.Node) Position {
	n = resolve(n)
	return c.at(n.Line, n.Column)
}

// nearest returns the known name closest to s when it is a likely typo (at
// most two edits away), or "".
func nearest(s string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if d := editDistance(s, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance is the Damerau-Levenshtein distance (with adjacent swaps), so
// that "valeu" is one edit from "value".
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
	}
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

const (
	maxIDLen         = 128
	maxLabelValueLen = 256
	maxTextLen       = 4096
)

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// identifier decodes an id, safe in labels, URLs and file names alike.
func (v value) identifier() string {
	s := v.str()
	if s != "" && (len(s) > maxIDLen || !idRE.MatchString(s)) {
		v.errorf("%s %q must be at most %d characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit", v.name(), Clip(s, 40), maxIDLen)
		return ""
	}
	return s
}

// text decodes free text (quotes, notes): valid UTF-8 of at most
// maxTextLen bytes, without control characters but newlines and tabs.
func (v value) text() string { return v.checkedText(maxTextLen, true) }

// line decodes one line of at most max bytes, such as a label value.
func (v value) line(max int) string { return v.checkedText(max, false) }

func (v value) checkedText(max int, multiline bool) string {
	s := v.str()
	control := strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t')) })
	switch {
	case s == "":
	case !utf8.ValidString(s):
		v.errorf("%s is not valid UTF-8", v.name())
	case len(s) > max:
		v.errorf("%s is %d bytes long; the limit is %d", v.name(), len(s), max)
	case control >= 0:
		r, _ := utf8.DecodeRuneInString(s[control:])
		v.errorf("%s contains the control character %U", v.name(), r)
	default:
		return s
	}
	return ""
}

// url decodes an absolute http(s) URL.
func (v value) url() string {
	s := v.line(maxTextLen)
	if u, err := url.Parse(s); s != "" && (err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "") {
		v.errorf("%s %q is not an absolute http(s) URL", v.name(), s)
		return ""
	}
	return s
}

// language decodes a BCP 47 language tag (en, ko, zh-Hant).
func (v value) language() string {
	s := v.str()
	if _, err := language.Parse(s); s != "" && err != nil {
		v.errorf("%s %q is not a BCP 47 language tag (en, ko, ...)", v.name(), s)
		return ""
	}
	return s
}

// labels decodes a figure's label mapping, sorted by name.
func (v value) labels() []Label {
	n := resolve(v.n)
	if n.Kind != yaml.MappingNode {
		v.c.errorf(n.Line, n.Column, "%s: labels must be a mapping of label names to values, got %s", v.what, kindName(n))
		return nil
	}
	var out []Label
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := resolve(n.Content[i])
		name := value{v.c, k, v.what, ": ", "label name"}.str()
		if name == "" {
			continue
		}
		if prev, dup := seen[name]; dup {
			v.c.errorf(k.Line, k.Column, "%s: label %q is already defined at line %d", v.what, name, prev)
			continue
		}
		seen[name] = k.Line
		val := value{v.c, n.Content[i+1], v.what, ": label ", name}
		value := val.line(maxLabelValueLen)
		if value != "" && isCountryLabel(name) {
			if i := slices.IndexFunc(strings.Split(value, "+"), func(code string) bool { return !isCountryCode(code) }); i >= 0 {
				val.errorf("%s: label %s: %q is not an ISO 3166-1 alpha-2 country code (join several with +, as in CN+KP)", v.what, name, strings.Split(value, "+")[i])
			}
		}
		out = append(out, Label{Name: intern(name), Value: intern(value), at: val.loc()})
	}
	slices.SortFunc(out, func(a, b Label) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// intern returns the process's one copy of s: the family, labels, qualifier
// and source of many figures are a few distinct strings, which yaml.v3
// allocates anew for each.
func intern(s string) string { return unique.Make(s).Value() }

// describe names an object in messages by its plain id (or name), even for
// a problem found before the id is decoded: "figure kp-2023".
func describe(n *yaml.Node, what, key string) string {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		return what
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k.Kind == yaml.ScalarNode && k.Value == key && v.Kind == yaml.ScalarNode && v.Tag == "!!str" && len(v.Value) <= maxIDLen && model.LegacyValidation.IsValidMetricName(strings.ReplaceAll(strings.ReplaceAll(v.Value, "-", "_"), ".", "_")) {
			return what + " " + v.Value
		}
	}
	return what
}

func joinNames[S ~string](names []S) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = string(n)
	}
	return strings.Join(out, ", ")
}
