package figures

import (
	"fmt"
	"slices"
	"sort"
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

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

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

// Diagnostic is one problem found in a figures file.
type Diagnostic struct {
	Pos      Position
	Severity Severity
	Message  string
	// Strict marks a warning that `check --strict` refuses: what a curator
	// must settle before a dataset is published (a missing grade).
	Strict bool
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
	var out Diagnostics
	for _, d := range ds {
		if d.Severity == s {
			out = append(out, d)
		}
	}
	return out
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
func (ds Diagnostics) HasErrors() bool { return len(ds.Errors()) > 0 }

// Sort orders diagnostics by file, line and column so that output is stable.
func (ds Diagnostics) Sort() {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i].Pos, ds[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}

// withFile stamps a file name on diagnostics produced while decoding one file
// (the decoder itself only knows lines and columns).
func (ds Diagnostics) withFile(file string) Diagnostics {
	for i := range ds {
		ds[i].Pos.File = file
	}
	return ds
}

// MaxDiagnostics bounds the problems reported for one file, and for the
// checks across files: a file with more (a flood of thousands of broken
// entries, by mistake or on purpose) is reported by its first ones and a
// note that the rest is left out, so that neither memory nor the log grows
// with the number of problems.
const MaxDiagnostics = 200

// problems gathers diagnostics, up to MaxDiagnostics.
type problems struct {
	diags Diagnostics
	// dropped notes that some were left out, where the first one was: an
	// error if any of them was one, so that a flood of warnings (an
	// ungraded dataset of 100k figures) still loads.
	dropped *Diagnostic
}

func (c *problems) errorf(line, col int, format string, args ...any) {
	d := Diagnostic{Pos: Position{Line: line, Column: col}, Severity: Error}
	if len(c.diags) < MaxDiagnostics { // a message left out is not formatted
		d.Message = message(format, args...)
	}
	c.add(d)
}

// add keeps d unless MaxDiagnostics are kept already.
func (c *problems) add(d Diagnostic) {
	if len(c.diags) < MaxDiagnostics {
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

// list returns the kept diagnostics and the note of those left out, if any.
func (c *problems) list() Diagnostics {
	if c.dropped == nil {
		return c.diags
	}
	return append(c.diags, *c.dropped)
}

// maxArgLen bounds each text a message quotes (a name, a key, a value):
// enough to recognise it, never a file's contents echoed back into a log or
// a /-/reload answer.
const maxArgLen = 256

// message formats a diagnostic message. Text arguments longer than maxArgLen
// are cut short, and control characters or invalid UTF-8 that a hostile file
// may put into a name are escaped, so that a diagnostic is always one short,
// printable line.
func message(format string, args ...any) string {
	for i, a := range args {
		if s, ok := a.(string); ok && len(s) > maxArgLen {
			args[i] = clip(s, maxArgLen)
		}
	}
	return printable(fmt.Sprintf(format, args...))
}

// clip cuts s to at most n bytes on a rune boundary and marks the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

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

// err returns the gathered diagnostics as an error, or nil when there are none.
func (c *problems) err() error {
	if len(c.diags) == 0 {
		return nil
	}
	return c.list()
}

// absorb keeps the diagnostics of a nested decode (or wraps a foreign error).
func (c *problems) absorb(err error, line, col int) {
	if err == nil {
		return
	}
	if ds, ok := err.(Diagnostics); ok {
		for _, d := range ds {
			c.add(d)
		}
		return
	}
	c.errorf(line, col, "%s", err)
}
