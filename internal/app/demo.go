package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
)

// demo runs the stand-in in this process with a few workspaces, and a
// wezterm-sim link to this binary so any wezterm client can reach it.
func (r *runner) demo(ctx context.Context, args []string) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(r.o.Stderr)
	once := fs.Bool("once", false, "print the demo's panes and exit (for scripts and tests)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	d, err := startDemo()
	if err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel demo:", err)
		return 1
	}
	defer d.Close()
	c := r.client(d.Link, append(os.Environ(), "WEZTERM_UNIX_SOCKET="+d.Socket))
	sampler := metrics.New(metrics.Options{History: 2})
	defer sampler.Close()
	tree, err := sampledTree(ctx, c, sampler, time.Second)
	if err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel demo:", explain(err))
		return 1
	}
	printTree(r.o.Stdout, tree)
	if *once {
		return 0
	}
	exe, _ := os.Executable()
	if r.o.GUI != nil {
		hint := fmt.Sprintf("Demo: a stand-in WezTerm with real programs on real ptys (socket %s). Close the window to stop it.", d.Socket)
		store, err := r.store()
		if err != nil {
			fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", err)
			return 1
		}
		return r.o.GUI(ctx, c, store, time.Second, hint)
	}
	fmt.Fprintf(r.o.Stdout, `
A stand-in WezTerm is running with these panes (real programs on real ptys).
It stops when you press Ctrl-C. From another terminal:

  export WEZTERM_UNIX_SOCKET=%s
  %s --wezterm %s top
  %s cli --no-auto-start split-pane --pane-id 0 --right
`, d.Socket, exe, d.Link, d.Link)
	<-ctx.Done()
	return 0
}

// Demo is a running stand-in: its socket, a wezterm-sim link to use as the
// wezterm binary, and the server.
type Demo struct {
	Socket string
	Link   string
	dir    string
	srv    *sim.Server
}

// startDemo starts the stand-in server in this process, populated with the
// demo workspaces.
func startDemo() (*Demo, error) {
	dir, err := os.MkdirTemp("", "wezterm-parallel-demo")
	if err != nil {
		return nil, fmt.Errorf("create demo dir: %w", err)
	}
	d := &Demo{Socket: filepath.Join(dir, "sock"), Link: filepath.Join(dir, "wezterm-sim"), dir: dir}
	exe, err := os.Executable()
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("find own executable: %w", err)
	}
	// This binary acts as the stand-in when invoked under that name.
	if err := os.Symlink(exe, d.Link); err != nil {
		d.Close()
		return nil, fmt.Errorf("link stand-in: %w", err)
	}
	d.srv, err = sim.NewServer(sim.Config{Socket: d.Socket, Log: io.Discard})
	if err != nil {
		d.Close()
		return nil, err
	}
	go d.srv.Serve()
	if err := d.srv.PopulateDemo(); err != nil {
		d.Close()
		return nil, fmt.Errorf("populate: %w", err)
	}
	return d, nil
}

// Close stops the stand-in and removes its files.
func (d *Demo) Close() {
	if d.srv != nil {
		d.srv.Close()
	}
	os.RemoveAll(d.dir)
}
