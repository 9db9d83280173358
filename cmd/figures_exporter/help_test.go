package main

import (
	"bytes"
	"regexp"
	"slices"
	"testing"
)

// serverOnly are flags only the server reads: no other command's help may
// list them.
var serverOnly = []string{
	"--figures.reload-schedule", "--[no-]figures.watch", "--web.telemetry-path", "--[no-]web.enable-lifecycle",
	"--web.max-requests", "--web.read-header-timeout", "--web.prometheus-url", "--web.external-url", "--seeds.dir",
	"--web.listen-address", "--web.config.file",
	"--log.level", "--log.format",
}

// flagRE matches a flag where kingpin lists it: at the start of its line,
// not in wrapped help text.
var flagRE = regexp.MustCompile(`(?m)^(?:  -\w, |      )(--[\w.\[\]-]+)`)

// TestSubcommandHelp: each command's --help lists exactly its own flags
// (and --help and --version, which every command has), so that `extract
// --help` does not offer --web.listen-address; `figures_exporter --help`
// names every command.
func TestSubcommandHelp(t *testing.T) {
	common := []string{"--[no-]help", "--[no-]version"}
	for _, tc := range []struct {
		args  []string
		flags []string // besides common, in the order shown
	}{
		{[]string{"serve", "--help"}, append([]string{"--figures.file", "--figures.max-file-size"}, serverOnly[:9]...)},
		{[]string{"check", "--help"}, []string{"--figures.max-file-size", "--seeds.dir", "--[no-]coverage", "--[no-]strict"}},
		{[]string{"extract", "--help"}, []string{"--[no-]source-stub", "--format", "--figures.file", "--figures.max-file-size"}},
		{[]string{"export", "--help"}, []string{"--format", "--label", "--figures.max-file-size"}},
		{[]string{"help", "export"}, []string{"--format", "--label", "--figures.max-file-size"}},
		{[]string{"--help"}, nil},
	} {
		t.Run(tc.args[0], func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run(tc.args, &out, &errOut); code != 0 || errOut.Len() != 0 {
				t.Fatalf("exit code %d, stderr %q", code, errOut.String())
			}
			var got []string
			for _, m := range flagRE.FindAllStringSubmatch(out.String(), -1) {
				got = append(got, m[1])
			}
			want := append(slices.Clone(common), tc.flags...)
			if tc.args[0] == "serve" {
				// The serve block ends with the toolkit's and the logger's
				// flags, in their packages' order.
				want = append(want, serverOnly[9:]...)
				got = slices.DeleteFunc(got, func(f string) bool { return f == "--[no-]web.systemd-socket" }) // Linux only
			}
			if !slices.Equal(got, want) {
				t.Errorf("flags listed:\n got %q\nwant %q\n%s", got, want, out.String())
			}
			for _, cmd := range []string{"serve*", "check", "extract", "export"} {
				if tc.args[0] == "--help" && !bytes.Contains(out.Bytes(), []byte("\n"+cmd+" ")) {
					t.Errorf("top-level help does not list %s:\n%s", cmd, out.String())
				}
			}
		})
	}
}

// TestServerFlagsNeedNoCommand: the server's flags still work without
// naming serve, as before they moved to the command, and another command
// refuses them instead of ignoring them.
func TestServerFlagsNeedNoCommand(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		wantCode int
		want     string
	}{
		// The server starts, and stops at once on a file that is not there.
		{[]string{"--web.listen-address=127.0.0.1:0", "--figures.file=testdata/none.yaml"}, 1, "no such file or directory"},
		{[]string{"check", "--web.listen-address=127.0.0.1:0", "x.yaml"}, 2, "unknown long flag '--web.listen-address'"},
		{[]string{"extract", "--log.level=debug", "x.txt"}, 2, "unknown long flag '--log.level'"},
	} {
		t.Run(tc.args[0], func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run(tc.args, &out, &errOut); code != tc.wantCode {
				t.Errorf("exit code %d, want %d\n%s%s", code, tc.wantCode, out.String(), errOut.String())
			}
			if !bytes.Contains(errOut.Bytes(), []byte(tc.want)) {
				t.Errorf("stderr %q lacks %q", errOut.String(), tc.want)
			}
		})
	}
}
