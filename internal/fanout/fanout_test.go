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
	if _, err := os.Stat(ManifestPath(dir, "agents")); err != nil {
		t.Fatalf("no manifest: %v", err)
	}
	// Uncommitted work in one copy: clean-up keeps that one, naming it,
	// and removes the others.
	os.WriteFile(filepath.Join(copies[1].Dir, "web", "wip.go"), []byte("package main\n"), 0o644)
	rep, err := Cleanup(ctx, run, l, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Removed) != 2 || len(rep.Kept) != 1 || rep.Kept[0].Path != copies[1].Dir || !strings.Contains(rep.Kept[0].Reason, "uncommitted changes") {
		t.Fatalf("dirty clean-up: %+v", rep)
	}
	if _, err := os.Stat(copies[1].Dir); err != nil {
		t.Fatalf("a refused copy was removed: %v", err)
	}
	os.Remove(filepath.Join(copies[1].Dir, "web", "wip.go"))
	rep, err = Cleanup(ctx, run, l, false)
	if err != nil || len(rep.Removed) != 1 || len(rep.Kept) != 0 {
		t.Fatalf("clean-up: %v %+v", err, rep)
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
	if _, err := os.Stat(ManifestPath(dir, "agents")); err == nil {
		t.Error("manifest left after everything was removed")
	}
	// Nothing recorded now: clean-up says so and touches nothing.
	if _, err := Cleanup(ctx, run, l, false); !errors.Is(err, ErrNoManifest) {
		t.Errorf("second clean-up: %v", err)
	}
}

func gitT(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.email=t@t", "-c", "user.name=t"}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v %s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// A commit made in a copy is work: clean-up keeps the copy (and --force
// removes the worktree but keeps the branch, so the commit never dangles).
// A worktree the user made by hand on a matching branch name is never
// touched.
func TestCleanupKeepsCommittedWorkAndForeignWorktrees(t *testing.T) {
	dir := repo(t)
	src := "name = \"crew\"\ncwd = \"" + dir + "\"\nworktree = true\ncopies = 2\n[[tabs]]\n"
	l, err := layout.Parse(filepath.Join(dir, "crew.toml"), []byte(src), "crew", layout.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	run := execx.Exec{}
	copies, err := Create(ctx, run, l)
	if err != nil {
		t.Fatal(err)
	}
	// The user commits in copy 1.
	os.WriteFile(filepath.Join(copies[0].Dir, "feature.go"), []byte("package main\n"), 0o644)
	gitT(t, copies[0].Dir, "add", ".")
	gitT(t, copies[0].Dir, "commit", "-q", "-m", "work")
	commit := gitT(t, copies[0].Dir, "rev-parse", "HEAD")
	// And makes a worktree of their own, elsewhere, on a name the old
	// pattern matched.
	mine := filepath.Join(t.TempDir(), "mine")
	gitT(t, dir, "worktree", "add", "-q", "-b", "wp/crew-7", mine, "HEAD")

	rep, err := Cleanup(ctx, run, l, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Removed) != 1 || rep.Removed[0].N != 2 || len(rep.Kept) != 1 || !strings.Contains(rep.Kept[0].Reason, "1 commit(s) on wp/crew-1 that no other branch has") {
		t.Fatalf("report: %+v", rep)
	}
	if _, err := os.Stat(copies[0].Dir); err != nil {
		t.Fatal("the copy with a commit was removed")
	}
	if _, err := os.Stat(mine); err != nil {
		t.Fatal("the user's own worktree was removed")
	}
	// --force removes the worktree but keeps the branch and its commit.
	rep, err = Cleanup(ctx, run, l, true)
	if err != nil || len(rep.Kept) != 1 || !rep.Kept[0].Removed {
		t.Fatalf("force: %v %+v", err, rep)
	}
	if _, err := os.Stat(copies[0].Dir); err == nil {
		t.Error("--force left the worktree")
	}
	if got := gitT(t, dir, "rev-parse", "wp/crew-1"); got != commit {
		t.Errorf("branch wp/crew-1 is at %s, want the user's commit %s", got, commit)
	}
	if got := gitT(t, dir, "rev-parse", "wp/crew-7"); got == "" {
		t.Error("the user's branch is gone")
	}
	if _, err := os.Stat(mine); err != nil {
		t.Fatal("--force removed the user's own worktree")
	}
}

// A recorded copy that the user switched to another branch, or moved, is
// not the app's any more.
func TestCleanupLeavesCopiesThatChanged(t *testing.T) {
	dir := repo(t)
	src := "name = \"crew\"\ncwd = \"" + dir + "\"\nworktree = true\ncopies = 2\n[[tabs]]\n"
	l, _ := layout.Parse(filepath.Join(dir, "crew.toml"), []byte(src), "crew", layout.CheckOptions{})
	ctx := context.Background()
	copies, err := Create(ctx, execx.Exec{}, l)
	if err != nil {
		t.Fatal(err)
	}
	gitT(t, copies[0].Dir, "switch", "-q", "-c", "my-feature")
	moved := filepath.Join(t.TempDir(), "moved")
	gitT(t, dir, "worktree", "move", copies[1].Dir, moved)
	for _, force := range []bool{false, true} {
		rep, err := Cleanup(ctx, execx.Exec{}, l, force)
		if err != nil || len(rep.Removed) != 0 || len(rep.Kept) != 2 || rep.Kept[0].Removed || rep.Kept[1].Removed {
			t.Fatalf("force=%v: %v %+v", force, err, rep)
		}
		if !strings.Contains(rep.Kept[0].Reason, "now on branch my-feature") || !strings.Contains(rep.Kept[1].Reason, "no longer a worktree") {
			t.Errorf("reasons: %+v", rep.Kept)
		}
	}
	if _, err := os.Stat(copies[0].Dir); err != nil {
		t.Error("switched copy removed")
	}
	if _, err := os.Stat(moved); err != nil {
		t.Error("moved copy removed")
	}
}

func TestNamesCannotEscape(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"name = \"../../etc\"\nworktree = true\ncopies = 1\n[[tabs]]\n", "x.toml:1:1: layout name"},
		{"worktree = true\ncopies = 1\nbranch = \"wp/../../{n}\"\n[[tabs]]\n", "x.toml:3:1: branch"},
		{"worktree = true\ncopies = 1\nbranch = \"-{n}\"\n[[tabs]]\n", "must not start with -"},
	} {
		_, err := layout.Parse("x.toml", []byte(tc.src), "x", layout.CheckOptions{SkipDirs: true})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v", tc.src, err)
		}
	}
	// A layout named by its file: a hostile file name is refused at "worktree".
	_, err := layout.Parse("x.toml", []byte("worktree = true\ncopies = 1\n[[tabs]]\n"), "..", layout.CheckOptions{SkipDirs: true})
	if err == nil || !strings.Contains(err.Error(), "x.toml:1:1:") {
		t.Errorf("file-named: %v", err)
	}
}
func itoa(n int) string { return strconv.Itoa(n) }
