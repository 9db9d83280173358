// Command compose loads a Compose file with compose-go's loader, the library
// `docker compose` itself uses, and prints the normalised project as JSON.
// There is no Docker engine on the machines that test this repository, so
// deploy/compose_test.go validates docker-compose.yml through this program:
//
//	go -C tools/compose run . PATH/TO/docker-compose.yml
//
// Schema validation, interpolation, normalisation and the consistency check
// are all on; relative paths (build contexts, bind-mount sources) are
// resolved against the compose file's directory. The environment is not
// read from the process (only from -env flags), so the output does not
// depend on who runs it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/cli"
)

// envFlags collects repeated -env KEY=VALUE flags.
type envFlags []string

func (e *envFlags) String() string     { return fmt.Sprint(*e) }
func (e *envFlags) Set(v string) error { *e = append(*e, v); return nil }

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("compose", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var env envFlags
	fs.Var(&env, "env", "KEY=VALUE to interpolate into the compose file (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: compose [-env KEY=VALUE]... COMPOSE_FILE...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	files := make([]string, 0, fs.NArg())
	for _, f := range fs.Args() {
		abs, err := filepath.Abs(f)
		if err != nil {
			fmt.Fprintln(stderr, "compose:", err)
			return 1
		}
		files = append(files, abs)
	}

	opts, err := cli.NewProjectOptions(files,
		cli.WithWorkingDirectory(filepath.Dir(files[0])),
		cli.WithEnv(env),
		cli.WithInterpolation(true),
		cli.WithNormalization(true),
		cli.WithConsistency(true),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		fmt.Fprintln(stderr, "compose:", err)
		return 1
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		fmt.Fprintln(stderr, "compose:", err)
		return 1
	}
	out, err := project.MarshalJSON()
	if err != nil {
		fmt.Fprintln(stderr, "compose:", err)
		return 1
	}
	if _, err := fmt.Fprintf(stdout, "%s\n", out); err != nil {
		fmt.Fprintln(stderr, "compose:", err)
		return 1
	}
	return 0
}
