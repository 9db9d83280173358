package figures

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Severity tells whether a diagnostic rejects the dataset (Error) or is only
// reported (Warning).
type Severity int

const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string { return [...]string{"error", "warning"}[s] }

// Position is where something stands in a figures file. Line and Column are
// 1-based, as yaml.v3 reports them.
type Position struct {
	File   string
	Line   int
	Column int
}

func (p Position) String() string {
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Diagnostic is one problem found in a figures file (or in an article it
// cites). Make one with NewDiagnostic, which keeps its message one short
// printable line.
type Diagnostic struct {
	Pos      Position
	Severity Severity
	Message  string
	// Strict marks a warning that `check --strict` refuses: what a curator
	// must settle before a dataset is published (a missing grade).
	Strict bool
}

// NewDiagnostic formats a diagnostic's message with message.
func NewDiagnostic(pos Position, sev Severity, format string, args ...any) Diagnostic {
	return Diagnostic{Pos: pos, Severity: sev, Message: message(format, args...)}
}

// String renders the diagnostic the way compilers do, so that editors and CI
// annotations can jump to it: FILE:LINE:COLUMN: error: message.
func (d Diagnostic) String() string {
	return fmt.Sprintf("%s: %s: %s", d.Pos, d.Severity, d.Message)
}

// Diagnostics is a list of problems; as an error it carries all of them.
type Diagnostics []Diagnostic

func (ds Diagnostics) Error() string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

// Errors returns only the diagnostics of severity Error.
func (ds Diagnostics) Errors() Diagnostics { return ds.filter(Error) }

// Warnings returns only the diagnostics of severity Warning.
func (ds Diagnostics) Warnings() Diagnostics { return ds.filter(Warning) }

func (ds Diagnostics) filter(s Severity) Diagnostics {
	return slices.DeleteFunc(slices.Clone(ds), func(d Diagnostic) bool { return d.Severity != s })
}

// Strict returns the diagnostics with those marked Strict made errors, as
// `check --strict` reports them.
func (ds Diagnostics) Strict() Diagnostics {
	out := slices.Clone(ds)
	for i := range out {
		if out[i].Strict {
			out[i].Severity = Error
		}
	}
	return out
}

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	return slices.ContainsFunc(ds, func(d Diagnostic) bool { return d.Severity == Error })
}

// Sort orders diagnostics by file, line and column so that output is stable.
func (ds Diagnostics) Sort() {
	slices.SortStableFunc(ds, func(a, b Diagnostic) int {
		return cmp.Or(strings.Compare(a.Pos.File, b.Pos.File), cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Column, b.Pos.Column))
	})
}

// MaxDiagnostics bounds the problems reported for one file, and for the
// checks across files: past it, a note says the rest is left out, so that
// neither memory nor the log grows with the number of problems.
const MaxDiagnostics = 200

// problems gathers the diagnostics of one file (or of the checks across
// files, with no file), up to MaxDiagnostics.
type problems struct {
	file  string
	diags Diagnostics
	// dropped notes that some were left out, where the first one was: an
	// error if any of them was one, so that a flood of warnings (an
	// ungraded dataset of 100k figures) still loads.
	dropped *Diagnostic
}

func (c *problems) at(line, col int) Position { return Position{File: c.file, Line: line, Column: col} }

func (c *problems) errorf(line, col int, format string, args ...any) {
	d := Diagnostic{Pos: c.at(line, col), Severity: Error}
	if !c.full() { // the message of one left out is not even formatted
		d.Message = message(format, args...)
	}
	c.add(d)
}

// add keeps d unless MaxDiagnostics are kept already.
func (c *problems) add(d Diagnostic) {
	if !c.full() {
		c.diags = append(c.diags, d)
		return
	}
	if c.dropped == nil {
		c.dropped = &Diagnostic{Pos: d.Pos, Severity: Warning, Message: fmt.Sprintf("too many problems: only the first %d are reported; fix them and check again", MaxDiagnostics)}
	}
	if d.Severity == Error {
		c.dropped.Severity = Error
	}
}

func (c *problems) full() bool { return len(c.diags) >= MaxDiagnostics }

// list returns the kept diagnostics and the note of those left out, if any.
func (c *problems) list() Diagnostics {
	if c.dropped == nil {
		return c.diags
	}
	return append(c.diags, *c.dropped)
}

// maxArgLen bounds each text a message quotes (a name, a key, a value):
// never a file's contents echoed back into a log or a /-/reload answer.
const maxArgLen = 256

// message formats a diagnostic message. Text arguments longer than maxArgLen
// are cut short, and control characters or invalid UTF-8 that a hostile file
// may put into a name are escaped, so that a diagnostic is always one short,
// printable line.
func message(format string, args ...any) string {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = Clip(s, maxArgLen)
		}
	}
	return printable(fmt.Sprintf(format, args...))
}

// Clip cuts s to at most n bytes on a rune boundary and marks the cut with
// "…", for text quoted in messages.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// FoldSpace folds every run of white space into one space, for comparing
// quotes with articles, which wrap lines differently from YAML.
func FoldSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// printable escapes control characters and invalid UTF-8 the way %q would.
func printable(s string) string {
	if utf8.ValidString(s) && strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unicode.IsControl(r):
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
