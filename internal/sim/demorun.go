//go:build unix

package sim

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Demo is a running stand-in: its socket, a wezterm-sim link to use as the
// wezterm binary, and the server.
type Demo struct {
	Socket string
	Link   string
	// UsageDir is where the demo's agents record token use (a Claude Code
	// config folder).
	UsageDir string
	dir      string
	srv      *Server
}

// StartDemo starts the stand-in server in this process, populated with the
// demo workspaces.
func StartDemo() (*Demo, error) {
	dir, err := os.MkdirTemp("", "wezterm-parallel-demo")
	if err != nil {
		return nil, fmt.Errorf("create demo dir: %w", err)
	}
	d := &Demo{Socket: filepath.Join(dir, "sock"), Link: filepath.Join(dir, "wezterm-sim"), UsageDir: filepath.Join(dir, "claude"), dir: dir}
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
	// The demo acts as a WezTerm with the switching snippet, so jumping
	// across workspaces works in it.
	d.srv, err = NewServer(Config{Socket: d.Socket, Log: io.Discard, LuaSnippet: true,
		FakeAgent: []string{d.Link, "fake-agent"}, UsageDir: d.UsageDir})
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
