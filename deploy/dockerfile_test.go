package deploy

import (
	"debug/elf"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/figures-exporter/figures_exporter/internal/testtools"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	Cmd  string // upper case: FROM, RUN, ...
	Args string
}

// stage is one FROM ... of a multi-stage Dockerfile.
type stage struct {
	From, Name   string
	Instructions []instruction
}

func parseDockerfile(t *testing.T, file string) (globalArgs map[string]string, stages []stage) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	globalArgs = map[string]string{}
	var cur strings.Builder
	var lines []string
	for _, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimSpace(line)
		if cur.Len() == 0 && (trimmed == "" || strings.HasPrefix(trimmed, "#")) {
			continue
		}
		if strings.HasSuffix(trimmed, "\\") {
			cur.WriteString(strings.TrimSuffix(trimmed, "\\"))
			cur.WriteString(" ")
			continue
		}
		cur.WriteString(trimmed)
		lines = append(lines, cur.String())
		cur.Reset()
	}
	for _, l := range lines {
		cmd, args, _ := strings.Cut(l, " ")
		in := instruction{Cmd: strings.ToUpper(cmd), Args: strings.TrimSpace(args)}
		if in.Cmd == "FROM" {
			f := strings.Fields(in.Args)
			st := stage{From: f[0]}
			if len(f) == 3 && strings.EqualFold(f[1], "AS") {
				st.Name = f[2]
			}
			stages = append(stages, st)
			continue
		}
		if len(stages) == 0 {
			if in.Cmd == "ARG" {
				k, v, _ := strings.Cut(in.Args, "=")
				globalArgs[k] = v
			}
			continue
		}
		stages[len(stages)-1].Instructions = append(stages[len(stages)-1].Instructions, in)
	}
	return globalArgs, stages
}

func (s stage) last(cmd string) (string, bool) {
	v, ok := "", false
	for _, in := range s.Instructions {
		if in.Cmd == cmd {
			v, ok = in.Args, true
		}
	}
	return v, ok
}

func TestDockerfile(t *testing.T) {
	root := testtools.RepoRoot(t)
	_, stages := parseDockerfile(t, filepath.Join(root, "Dockerfile"))
	if len(stages) != 2 {
		t.Fatalf("want a two-stage Dockerfile (builder, runtime), got %d stages", len(stages))
	}
	builder, final := stages[0], stages[len(stages)-1]
	if !strings.HasPrefix(builder.From, "golang:") {
		t.Errorf("builder stage FROM %s, want a golang image", builder.From)
	}
	if final.From != "scratch" && !regexp.MustCompile(`^gcr\.io/distroless/static[-\w]*:nonroot$`).MatchString(final.From) {
		t.Errorf("runtime stage FROM %s, want distroless static nonroot (or scratch)", final.From)
	}
	var build string
	for _, in := range builder.Instructions {
		if in.Cmd == "RUN" && strings.Contains(in.Args, "go build") {
			build = in.Args
		}
	}
	for _, want := range []string{
		"CGO_ENABLED=0",
		"./cmd/figures_exporter",
		"-X github.com/prometheus/common/version.Version=${VERSION}",
		"-X github.com/prometheus/common/version.Revision=${REVISION}",
		"-X github.com/prometheus/common/version.Branch=${BRANCH}",
		"-X github.com/prometheus/common/version.BuildUser=${BUILD_USER}",
		"-X github.com/prometheus/common/version.BuildDate=${BUILD_DATE}",
	} {
		if !strings.Contains(build, want) {
			t.Errorf("the go build step lacks %q:\n%s", want, build)
		}
	}
	user, ok := final.last("USER")
	uid, _, _ := strings.Cut(user, ":")
	if n, err := strconv.Atoi(uid); !ok || err != nil || n == 0 {
		t.Errorf("runtime USER %q, want a numeric non-root uid", user)
	}
	if expose, _ := final.last("EXPOSE"); expose != "10523" {
		t.Errorf("EXPOSE %q, want 10523", expose)
	}
	if ep, _ := final.last("ENTRYPOINT"); !strings.Contains(ep, "figures_exporter") {
		t.Errorf("ENTRYPOINT %q does not run figures_exporter", ep)
	}
}

// dockerignore reads the patterns of .dockerignore; the simulation below
// handles the plain patterns it uses (no "!" exceptions, no "**").
func dockerignore(t *testing.T, root string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	var pats []string
	for _, l := range strings.Split(string(data), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if strings.HasPrefix(l, "!") || strings.Contains(l, "**") {
			t.Fatalf(".dockerignore pattern %q: the build-context simulation of this test does not handle it", l)
		}
		pats = append(pats, strings.Trim(filepath.Clean(l), "/"))
	}
	return pats
}

// ignored says whether rel (slash-separated, relative to the context) is
// left out of the build context: a pattern matches it or one of its parents.
func ignored(pats []string, rel string) bool {
	parts := strings.Split(rel, "/")
	for i := range parts {
		prefix := strings.Join(parts[:i+1], "/")
		for _, p := range pats {
			if ok, _ := filepath.Match(p, prefix); ok {
				return true
			}
		}
	}
	return false
}

// TestDockerBuild runs the builder stage's steps the way Docker would, with
// no Docker engine: on a copy of the build context filtered by
// .dockerignore, with the Dockerfile's ARGs in the environment, the RUN
// commands of the builder stage. The binary must be static and report the
// version passed as a build argument.
func TestDockerBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the exporter from a copy of the build context")
	}
	root := testtools.RepoRoot(t)
	_, stages := parseDockerfile(t, filepath.Join(root, "Dockerfile"))
	pats := dockerignore(t, root)

	tmp := t.TempDir()
	ctx := filepath.Join(tmp, "src")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if rel == "." {
			return os.MkdirAll(ctx, 0o755)
		}
		rel = filepath.ToSlash(rel)
		if ignored(pats, rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		dst := filepath.Join(ctx, filepath.FromSlash(rel))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, must := range []string{"go.mod", "go.sum", "figures.yaml", "cmd/figures_exporter/main.go"} {
		if _, err := os.Stat(filepath.Join(ctx, must)); err != nil {
			t.Errorf(".dockerignore leaves %s out of the build context", must)
		}
	}
	for _, mustNot := range []string{".git", "tools", "e2e", "deploy", "testdata"} {
		if _, err := os.Stat(filepath.Join(ctx, mustNot)); err == nil {
			t.Errorf("the build context carries %s/; .dockerignore should leave it out", mustNot)
		}
	}

	args := map[string]string{
		"VERSION":    "9.8.7-dockerfile-test",
		"REVISION":   "0123456789abcdef",
		"BRANCH":     "test",
		"BUILD_USER": "deploy-test",
		"BUILD_DATE": "20261122-00:00:00",
	}
	env := os.Environ()
	for _, in := range stages[0].Instructions {
		switch in.Cmd {
		case "ARG":
			k, v, _ := strings.Cut(in.Args, "=")
			if over, ok := args[k]; ok {
				v = over
			}
			env = append(env, k+"="+v)
		case "RUN":
			cmdline := strings.ReplaceAll(in.Args, " /out/", " "+filepath.Join(tmp, "out")+"/")
			cmd := exec.Command("sh", "-c", cmdline)
			cmd.Dir = ctx
			cmd.Env = env
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("RUN %s: %v\n%s", in.Args, err, out)
			}
			t.Logf("RUN %s\n%s", in.Args, out)
		}
	}

	bin := filepath.Join(tmp, "out", "figures_exporter")
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatalf("the build step made no binary at /out/figures_exporter: %v", err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary is dynamically linked; distroless/static needs a static one")
		}
	}
	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("--version: %v\n%s", err, out)
	}
	for _, want := range []string{"version " + args["VERSION"], "revision: " + args["REVISION"], "branch: " + args["BRANCH"], "build user: " + args["BUILD_USER"], "build date: " + args["BUILD_DATE"]} {
		if !strings.Contains(strings.Join(strings.Fields(string(out)), " "), want) {
			t.Errorf("--version output lacks %q:\n%s", want, out)
		}
	}
}
