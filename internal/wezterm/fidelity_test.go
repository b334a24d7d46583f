//go:build unix

package wezterm_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"testing"

	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// TestPaneGoneInEveryWording: whatever words a subcommand uses for a pane
// that does not exist, the client reports ErrNoSuchPane, so the window can
// say "that pane is gone".
func TestPaneGoneInEveryWording(t *testing.T) {
	s := startSim(t, sim.Config{})
	c := s.Client()
	ctx := context.Background()
	if _, err := c.Spawn(ctx, wezterm.SpawnOptions{NewWindow: true}); err != nil {
		t.Fatal(err)
	}
	gone := wezterm.PaneID(99)
	for name, call := range map[string]func() error{
		"kill-pane":        func() error { return c.KillPane(ctx, gone) },
		"get-text":         func() error { _, err := c.GetText(ctx, gone, wezterm.GetTextOptions{}); return err },
		"send-text":        func() error { return c.SendText(ctx, gone, "x", false) },
		"activate-pane":    func() error { return c.ActivatePane(ctx, gone) },
		"split-pane":       func() error { _, err := c.SplitPane(ctx, gone, wezterm.SplitOptions{}); return err },
		"adjust-pane-size": func() error { return c.AdjustPaneSize(ctx, gone, wezterm.Left, 1) },
		"zoom-pane":        func() error { return c.ZoomPane(ctx, gone, wezterm.Zoom) },
		"set-tab-title":    func() error { return c.SetTabTitle(ctx, nil, &gone, "x") },
		"activate-tab": func() error {
			return c.ActivateTab(ctx, wezterm.TabTarget{PaneID: &gone, Index: wezterm.Ptr(0)})
		},
		"set-window-title": func() error { return c.SetWindowTitle(ctx, nil, &gone, "x") },
		"rename-workspace": func() error { return c.RenameWorkspace(ctx, "", &gone, "x") },
	} {
		if err := call(); !errors.Is(err, wezterm.ErrNoSuchPane) {
			t.Errorf("%s of a missing pane: %v, want ErrNoSuchPane", name, err)
		}
	}
}

// TestDashValues: a workspace starting with "-" reaches WezTerm
// (--workspace=-dash), where `--workspace -dash` is a usage error.
func TestDashValues(t *testing.T) {
	s := startSim(t, sim.Config{})
	c := s.Client()
	ctx := context.Background()
	id, err := c.Spawn(ctx, wezterm.SpawnOptions{NewWindow: true, Workspace: "-dash"})
	if err != nil {
		t.Fatal(err)
	}
	if p := byID(t, c)[id]; p.Workspace != "-dash" {
		t.Errorf("workspace %q", p.Workspace)
	}
	if err := c.MovePaneToNewTab(ctx, id, wezterm.MoveOptions{NewWindow: true, Workspace: "-w"}); err != nil {
		t.Fatal(err)
	}
	if p := byID(t, c)[id]; p.Workspace != "-w" {
		t.Errorf("moved to %q", p.Workspace)
	}
	cmd := exec.Command(s.Link, "cli", "--no-auto-start", "spawn", "--new-window", "--workspace", "-x")
	cmd.Env = s.Env
	if err := cmd.Run(); err == nil || cmd.ProcessState.ExitCode() != 2 {
		t.Errorf("the stand-in took `--workspace -x`: %v", err)
	}
}

// TestEmptyWorkspaceIsNotDefault: a workspace named "" and "default" stay
// apart through the client.
func TestEmptyWorkspaceIsNotDefault(t *testing.T) {
	s := startSim(t, sim.Config{})
	c := s.Client()
	cmd := exec.Command(s.Link, "cli", "--no-auto-start", "spawn", "--new-window", "--workspace", "")
	cmd.Env = s.Env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if _, err := c.Spawn(context.Background(), wezterm.SpawnOptions{NewWindow: true}); err != nil {
		t.Fatal(err)
	}
	ws := map[string]int{}
	for _, p := range byID(t, c) {
		ws[p.Workspace]++
	}
	if ws[""] != 1 || ws["default"] != 1 {
		t.Errorf("workspaces %v", ws)
	}
}

// TestSixColumnTable: releases before 20220319 print no WORKSPACE column;
// their panes are all in "default".
func TestSixColumnTable(t *testing.T) {
	s := startSim(t, sim.Config{Version: "20220101-133340-7edc5b5a"})
	s.Server.EnsureWorkspace("default")
	panes, err := s.Client().List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(panes) != 1 || panes[0].Workspace != "default" || panes[0].Size.Cols == 0 {
		t.Errorf("panes %+v", panes)
	}
}

// TestLocalHostnameIsLocal: a pane that reports its directory with this
// machine's hostname (shell integration does) is local.
func TestLocalHostnameIsLocal(t *testing.T) {
	s := startSim(t, sim.Config{})
	c := s.Client()
	host, _ := os.Hostname()
	dir := t.TempDir()
	id, err := c.Spawn(context.Background(), wezterm.SpawnOptions{NewWindow: true,
		Program: []string{"sh", "-c", "printf '\\033]7;file://" + host + dir + "\\007'; sleep 60"}})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "OSC 7", func() bool { return wezterm.ParseCWD(byID(t, c)[id].CWD).Host == host })
	if loc := byID(t, c)[id].Location(); loc.Host != "" || loc.Path != dir {
		t.Errorf("location %+v, want local %s", loc, dir)
	}
}
