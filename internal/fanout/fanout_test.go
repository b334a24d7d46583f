package fanout

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wezterm-parallel/wezterm-parallel/internal/execx"
	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
)

func repo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := filepath.Join(t.TempDir(), "app")
	os.MkdirAll(filepath.Join(dir, "web"), 0o755)
	os.WriteFile(filepath.Join(dir, "web", "main.go"), []byte("package main\n"), 0o644)
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "."},
		{"-c", "user.email=t@t", "-c", "user.name=t", "commit", "-q", "-m", "init"}} {
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v %s", args, err, out)
		}
	}
	return dir
}

func TestFanOutAndCleanup(t *testing.T) {
	dir := repo(t)
	src := `name = "agents"
workspace = "crew"
cwd = "` + filepath.Join(dir, "web") + `"
worktree = true
copies = 3
setup = "npm ci"
[[tabs]]
command = "claude"
`
	l, err := layout.Parse(filepath.Join(dir, "agents.toml"), []byte(src), "agents", layout.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	run := execx.Exec{}
	copies, err := Create(ctx, run, l)
	if err != nil {
		t.Fatal(err)
	}
	if len(copies) != 3 {
		t.Fatalf("%d copies", len(copies))
	}
	for _, c := range copies {
		if _, err := os.Stat(filepath.Join(c.Dir, "web", "main.go")); err != nil {
			t.Errorf("copy %d: worktree lacks the files: %v", c.N, err)
		}
		if c.Layout.RootCWD() != filepath.Join(c.Dir, "web") || c.Layout.Env["WP_COPY"] != itoa(c.N) ||
			c.Layout.Env["PORT"] != itoa(3000+c.N) || c.Layout.Workspace != "crew-"+itoa(c.N) || c.Branch != "wp/agents-"+itoa(c.N) {
			t.Errorf("copy %d: %+v root %s", c.N, c.Layout.Env, c.Layout.RootCWD())
		}
	}
	// A second fan-out while the first exists fails and leaves nothing new.
	if _, err := Create(ctx, run, l); err == nil || !strings.Contains(err.Error(), "layout cleanup agents") {
		t.Errorf("second create: %v", err)
	}
	// Uncommitted work in one copy: clean-up refuses, naming it.
	os.WriteFile(filepath.Join(copies[1].Dir, "web", "wip.go"), []byte("package main\n"), 0o644)
	_, err = Cleanup(ctx, run, l)
	if !errors.Is(err, ErrDirty) || !strings.Contains(err.Error(), copies[1].Dir) || strings.Contains(err.Error(), copies[0].Dir+" ") {
		t.Fatalf("dirty clean-up: %v", err)
	}
	for _, c := range copies {
		if _, err := os.Stat(c.Dir); err != nil {
			t.Fatalf("a refused clean-up removed %s", c.Dir)
		}
	}
	os.Remove(filepath.Join(copies[1].Dir, "web", "wip.go"))
	removed, err := Cleanup(ctx, run, l)
	if err != nil || len(removed) != 3 {
		t.Fatalf("clean-up: %v (%d removed)", err, len(removed))
	}
	out, _ := exec.Command("git", "-C", dir, "branch", "--list", "wp/*").Output()
	if strings.TrimSpace(string(out)) != "" {
		t.Errorf("branches left: %s", out)
	}
	for _, c := range copies {
		if _, err := os.Stat(c.Dir); err == nil {
			t.Errorf("%s still there", c.Dir)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
