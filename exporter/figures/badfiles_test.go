package figures

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden .err files of testdata/bad from the current output")

// TestBadFiles loads every file of testdata/bad on its own and compares all of
// its diagnostics with the golden file next to it (NAME.yaml.err), line for
// line. A file whose golden lists an error must be refused; one with only
// warnings must load. Run with -update to rewrite the goldens, then review
// the diff: the messages are part of the product.
func TestBadFiles(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "bad")
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no bad files in %s: %v", dir, err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(strings.TrimSuffix(name, ".yaml"), func(t *testing.T) {
			raw, diags := ReadFiles([]string{path}, DefaultMaxFileSize)
			if diags.HasErrors() {
				t.Fatalf("reading: %v", diags)
			}
			raw[0].Name = "testdata/bad/" + name // messages name the file as a user would
			ds, diags := Parse(raw, time.Now())
			got := diags.Error()
			if got != "" {
				got += "\n"
			}
			golden := path + ".err"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("no golden file (run with -update and review it): %v", err)
			}
			if got != string(want) {
				t.Errorf("diagnostics differ from %s\n--- got\n%s--- want\n%s", golden, got, want)
			}
			if strings.TrimSpace(got) == "" {
				t.Errorf("a bad file must produce at least one diagnostic")
			}
			if wantErr := strings.Contains(string(want), ": error: "); wantErr != (ds == nil) {
				t.Errorf("dataset refused = %v, but golden has errors = %v", ds == nil, wantErr)
			}
		})
	}
}
