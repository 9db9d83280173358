package figures

import (
	"os"
	"path/filepath"
	"testing"
)

// TestReaderReusesBuffers: a Reader reads each file into the buffer of its
// previous read when it is large enough, always returns the file's current
// content, and forgets files that are gone.
func TestReaderReusesBuffers(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml")
	var r Reader
	for _, step := range []struct {
		name      string
		files     map[string]string // written before the read; "" removes
		want      map[string]string
		sameAsBuf bool // a.yaml must be read into the previous buffer
	}{
		{name: "first read", files: map[string]string{a: "first content", b: "b"}, want: map[string]string{a: "first content", b: "b"}},
		{name: "same size", files: map[string]string{a: "other content"}, want: map[string]string{a: "other content", b: "b"}, sameAsBuf: true},
		{name: "shorter", files: map[string]string{a: "short"}, want: map[string]string{a: "short", b: "b"}, sameAsBuf: true},
		{name: "a file removed", files: map[string]string{b: ""}, want: map[string]string{a: "short"}, sameAsBuf: true},
	} {
		t.Run(step.name, func(t *testing.T) {
			for path, content := range step.files {
				if content == "" {
					if err := os.Remove(path); err != nil {
						t.Fatal(err)
					}
					continue
				}
				if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			prev := r.bufs[a]
			raw, diags := r.Read([]string{dir}, 0)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			got := map[string]string{}
			for _, f := range raw {
				got[f.Name] = string(f.Data)
			}
			if len(got) != len(step.want) {
				t.Fatalf("read %v, want %v", got, step.want)
			}
			for name, content := range step.want {
				if got[name] != content {
					t.Errorf("%s: %q, want %q", name, got[name], content)
				}
			}
			if reused := len(raw) > 0 && prev != nil && &raw[0].Data[:1][0] == &prev[:1][0]; reused != step.sameAsBuf {
				t.Errorf("read into the previous buffer: %v, want %v", reused, step.sameAsBuf)
			}
			if _, kept := r.bufs[b]; kept != (step.want[b] != "") {
				t.Errorf("buffer of b.yaml kept: %v, want %v", kept, step.want[b] != "")
			}
		})
	}
}
