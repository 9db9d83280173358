package figures

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// The helpers here turn yaml.v3 nodes into typed values and report every
// problem with the line and column of the offending node, so that one pass
// over a file yields all of its problems instead of the first one.

const dateLayout = "2006-01-02"

// resolve follows aliases so that anchors can be reused; yaml.v3 itself keeps
// aliases unexpanded in the node tree, so a "billion laughs" file costs no
// more than its own nodes here.
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
		return fmt.Sprintf("%s %q", strings.TrimPrefix(n.Tag, "!!"), clip(n.Value, 64))
	case yaml.AliasNode:
		return "an alias"
	}
	return "an unknown node"
}

// field is one key of an object of type T in a figures file: its name,
// whether it must be present, and how its value is decoded into the object.
// Each type has one table of fields (see unmarshal.go); the decoder, the
// required-field check, the "did you mean" suggestions and the JSON Schema
// test all read it, so a field is named in one place.
type field[T any] struct {
	name     string
	required bool
	decode   func(c *problems, n *yaml.Node, obj *T, what string)
}

// fields is the table of one object type, in the order the README documents
// the fields.
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
// table's order. what names the object in messages ("figure kp-2023").
func (t fields[T]) decode(c *problems, n *yaml.Node, what string, obj *T) bool {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		c.errorf(n.Line, n.Column, "%s must be a mapping, got %s", what, kindName(n))
		return false
	}
	known, required := t.Names()
	values := make(map[string]*yaml.Node, len(n.Content)/2)
	keyLine := make(map[string]int, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			c.errorf(k.Line, k.Column, "%s: keys must be plain names, got %s", what, kindName(k))
			continue
		}
		if prev, dup := keyLine[k.Value]; dup {
			c.errorf(k.Line, k.Column, "%s: key %q is already defined at line %d", what, k.Value, prev)
			continue
		}
		keyLine[k.Value] = k.Line
		if !slices.Contains(known, k.Value) {
			if near := nearest(k.Value, known); near != "" {
				c.errorf(k.Line, k.Column, "%s: unknown field %q (did you mean %q?)", what, k.Value, near)
			} else {
				c.errorf(k.Line, k.Column, "%s: unknown field %q (known fields: %s)", what, k.Value, strings.Join(known, ", "))
			}
			continue
		}
		values[k.Value] = v
	}
	for _, name := range required {
		if _, ok := values[name]; !ok {
			c.errorf(n.Line, n.Column, "%s: missing required field %q", what, name)
		}
	}
	for _, f := range t {
		if v, ok := values[f.name]; ok {
			f.decode(c, v, obj, what)
		}
	}
	return true
}

// sequence returns the items of a list node.
func sequence(c *problems, n *yaml.Node, what string) []*yaml.Node {
	n = resolve(n)
	if n.Kind != yaml.SequenceNode {
		c.errorf(n.Line, n.Column, "%s must be a list, got %s", what, kindName(n))
		return nil
	}
	return n.Content
}

func scalar(c *problems, n *yaml.Node, field string) (*yaml.Node, bool) {
	n = resolve(n)
	if n.Kind != yaml.ScalarNode {
		c.errorf(n.Line, n.Column, "%s must be a single value, got %s", field, kindName(n))
		return nil, false
	}
	if n.Tag == "!!null" {
		c.errorf(n.Line, n.Column, "%s must not be empty", field)
		return nil, false
	}
	return n, true
}

// str decodes a text field. Numbers and booleans written bare are taken as
// their text, as a curator would expect of a label value such as 2023.
func str(c *problems, n *yaml.Node, field string) string {
	s, ok := scalar(c, n, field)
	if !ok {
		return ""
	}
	if s.Tag == "!!binary" {
		c.errorf(s.Line, s.Column, "%s must be text, got binary data", field)
		return ""
	}
	if strings.TrimSpace(s.Value) == "" {
		c.errorf(s.Line, s.Column, "%s must not be empty", field)
		return ""
	}
	return s.Value
}

// number decodes a finite float64. Quoted numbers are refused so that a typo
// like "1.7 billion" cannot pass as text.
func number(c *problems, n *yaml.Node, field string) (float64, bool) {
	s, ok := scalar(c, n, field)
	if !ok {
		return 0, false
	}
	if s.Tag != "!!int" && s.Tag != "!!float" {
		if f, err := strconv.ParseFloat(s.Value, 64); s.Style == 0 && errors.Is(err, strconv.ErrRange) {
			c.errorf(s.Line, s.Column, "%s %s is out of range of a 64-bit float (%g)", field, s.Value, f)
			return 0, false
		}
		c.errorf(s.Line, s.Column, "%s must be a number, got %s", field, kindName(s))
		return 0, false
	}
	var v float64
	if err := s.Decode(&v); err != nil {
		c.errorf(s.Line, s.Column, "%s %s is not a valid number", field, s.Value)
		return 0, false
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		c.errorf(s.Line, s.Column, "%s must be a finite number, got %s", field, s.Value)
		return 0, false
	}
	return v, true
}

// date decodes YYYY-MM-DD, written bare or quoted.
func date(c *problems, n *yaml.Node, field string) (time.Time, bool) {
	s, ok := scalar(c, n, field)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(dateLayout, s.Value)
	if err != nil {
		c.errorf(s.Line, s.Column, "%s %q is not a date (want YYYY-MM-DD)", field, s.Value)
		return time.Time{}, false
	}
	return t, true
}

func stringList(c *problems, n *yaml.Node, field string) []string {
	var out []string
	for _, item := range sequence(c, n, field) {
		if s := str(c, item, field+" item"); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func posOf(n *yaml.Node) Position {
	n = resolve(n)
	return Position{Line: n.Line, Column: n.Column}
}

func locOf(n *yaml.Node) loc {
	n = resolve(n)
	return loc{int32(n.Line), int32(n.Column)}
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
