package main

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// docFlagRE matches a flag named in the first column of a table row.
var docFlagRE = regexp.MustCompile("`(--[\\w.-]+)`")

// helpDefaultRE matches a flag where kingpin lists it, with the default it
// shows (`--web.max-requests=40`) or its placeholder (`--seeds.dir=SEEDS.DIR`).
var helpDefaultRE = regexp.MustCompile(`(?m)^(?:  -\w, |      )(--[\w.\[\]-]+)(?:=(\S+))?`)

// placeholderRE matches what kingpin shows for a flag without a default.
var placeholderRE = regexp.MustCompile(`^[A-Z][A-Z.-]*$`)

// TestConfigurationDocFlags keeps the flags tables of docs/configuration.md
// true: the table under each command's heading ("### `check …`") names
// exactly the flags that command's --help lists, besides --help and
// --version, which every command has and the doc states once; and where
// --help shows a default, the row's default column gives it.
func TestConfigurationDocFlags(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(testtools.RepoRoot(t), "docs", "configuration.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"serve", "check", "extract", "export"} {
		t.Run(cmd, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run([]string{cmd, "--help"}, &out, &errOut); code != 0 {
				t.Fatalf("exit code %d: %s", code, errOut.String())
			}
			table := tableFlags(t, string(doc), "### `"+cmd)
			var help []string
			for _, m := range helpDefaultRE.FindAllStringSubmatch(out.String(), -1) {
				flag, def := strings.Replace(m[1], "[no-]", "", 1), strings.Trim(m[2], `"`)
				if flag == "--help" || flag == "--version" {
					continue
				}
				help = append(help, flag)
				if row, ok := table[flag]; ok && def != "" && !placeholderRE.MatchString(def) && !strings.Contains(row, "`"+def+"`") {
					t.Errorf("docs/configuration.md: the default of %s %s is %q, which its row does not give: %q", cmd, flag, def, row)
				}
			}
			if !slices.Contains(help, "--web.systemd-socket") {
				delete(table, "--web.systemd-socket") // listed on Linux only
			}
			documented := slices.Sorted(maps.Keys(table))
			slices.Sort(help)
			if !slices.Equal(documented, help) {
				t.Errorf("docs/configuration.md's table for %s names\n %q\nbut %s --help lists\n %q", cmd, documented, cmd, help)
			}
		})
	}
}

// tableFlags returns the flags in the first column of the table rows of the
// section of doc that starts with the heading prefix, up to the next
// heading, each with its row's default column.
func tableFlags(t *testing.T, doc, heading string) map[string]string {
	t.Helper()
	i := strings.Index(doc, "\n"+heading)
	if i < 0 {
		t.Fatalf("docs/configuration.md has no heading %q", heading)
	}
	section := doc[i+1:]
	if end := strings.Index(section[1:], "\n#"); end >= 0 {
		section = section[:end+1]
	}
	flags := map[string]string{}
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 4 || !strings.HasPrefix(line, "| `--") {
			continue
		}
		for _, m := range docFlagRE.FindAllStringSubmatch(cells[1], -1) {
			flags[m[1]] = cells[2]
		}
	}
	if len(flags) == 0 {
		t.Fatalf("docs/configuration.md: no flags table under %q", heading)
	}
	return flags
}
