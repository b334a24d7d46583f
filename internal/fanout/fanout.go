// Package fanout gives each copy of a layout its own git worktree: N
// worktrees on new branches beside the repository, the layout re-rooted in
// each with WP_COPY and a PORT offset, and a clean-up that refuses to throw
// away uncommitted work. git runs through the one runner, argv only.
package fanout

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/command"
	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
)

// Copy is one worktree of a fan-out.
type Copy struct {
	N      int
	Dir    string // the worktree
	Branch string
	Layout *layout.Layout // re-rooted in Dir, with WP_COPY and PORT
}

func git(ctx context.Context, run command.Runner, dir string, args ...string) (string, error) {
	res, err := run.Run(ctx, command.Cmd{Args: append([]string{"git", "-C", dir}, args...)})
	if err != nil {
		return "", fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(res.Stdout)), nil
}

// BranchName fills the layout's branch pattern for copy n.
func BranchName(l *layout.Layout, n int) string {
	r := strings.NewReplacer("{layout}", l.Name, "{n}", strconv.Itoa(n))
	return r.Replace(l.Branch)
}

// top finds the repository holding the layout's root.
func top(ctx context.Context, run command.Runner, l *layout.Layout) (repo, rel string, err error) {
	root := l.RootCWD()
	repo, err = git(ctx, run, root, "rev-parse", "--show-toplevel")
	if err != nil {
		return "", "", fmt.Errorf("fan-out needs the layout's folder %s inside a git repository: %w", root, err)
	}
	rel, err = filepath.Rel(repo, root)
	if err != nil {
		return "", "", err
	}
	return repo, rel, nil
}

// Dir is where copy n's worktree goes: <repo>-wp/<layout>-<n>, beside the
// repository.
func Dir(repo string, l *layout.Layout, n int) string {
	return filepath.Join(repo+"-wp", fmt.Sprintf("%s-%d", l.Name, n))
}

// Create makes the worktrees (new branches from HEAD) and returns one
// layout per copy. What it makes is recorded in the manifest beside them as
// it goes, so clean-up knows exactly what is the app's; on failure the
// worktrees it made are removed again.
func Create(ctx context.Context, run command.Runner, l *layout.Layout) ([]Copy, error) {
	if err := layout.ValidName(l.Name); err != nil {
		return nil, fmt.Errorf("fan-out: %w", err)
	}
	repo, rel, err := top(ctx, run, l)
	if err != nil {
		return nil, err
	}
	base, err := git(ctx, run, repo, "rev-parse", "--verify", "HEAD^{commit}")
	if err != nil {
		return nil, fmt.Errorf("fan-out needs a commit to branch from: %w", err)
	}
	mpath := ManifestPath(repo, l.Name)
	if _, err := os.Lstat(mpath); err == nil {
		return nil, fmt.Errorf("a fan-out of %s already exists (%s): `wezterm-parallel layout cleanup %s` first", l.Name, mpath, l.Name)
	}
	m := &Manifest{Version: 1, Repo: repo, Layout: l.Name, Created: time.Now().UTC()}
	var made []Copy
	undo := func() {
		bg := context.WithoutCancel(ctx)
		for _, e := range m.Copies {
			// Just made, nothing in them yet: the branch goes only if it
			// still points where it was made.
			_, _ = git(bg, run, repo, "worktree", "remove", "--force", e.Path)
			_, _ = git(bg, run, repo, "update-ref", "-d", "refs/heads/"+e.Branch, e.Base)
		}
		_ = os.Remove(mpath)
	}
	for n := 1; n <= l.Copies; n++ {
		c := Copy{N: n, Dir: Dir(repo, l, n), Branch: BranchName(l, n)}
		if !inside(repo+"-wp", c.Dir) {
			undo()
			return nil, fmt.Errorf("copy %d: %s is not inside %s", n, c.Dir, repo+"-wp")
		}
		if _, err := git(ctx, run, repo, "worktree", "add", "-b", c.Branch, c.Dir, base); err != nil {
			undo()
			return nil, fmt.Errorf("copy %d: %w (a previous fan-out? `wezterm-parallel layout cleanup %s`)", n, err, l.Name)
		}
		m.Copies = append(m.Copies, Entry{N: n, Path: c.Dir, Branch: c.Branch, Base: base})
		if err := m.write(mpath); err != nil {
			undo()
			return nil, err
		}
		made = append(made, c)
	}
	for i := range made {
		made[i].Layout = reroot(l, filepath.Join(made[i].Dir, rel), made[i].N)
	}
	return made, nil
}

// inside reports whether path is dir or below it, lexically.
func inside(dir, path string) bool {
	r, err := filepath.Rel(dir, path)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) && !filepath.IsAbs(r)
}

// reroot is a copy of l rooted at dir, in its own workspace, with the copy's
// env.
func reroot(l *layout.Layout, dir string, n int) *layout.Layout {
	c := *l
	c.CWD, c.DefaultRoot = dir, ""
	c.Env = map[string]string{}
	for k, v := range l.Env {
		c.Env[k] = v
	}
	c.Env["WP_COPY"] = strconv.Itoa(n)
	c.Env["PORT"] = strconv.Itoa(l.PortBase + n)
	ws := l.Workspace
	if ws == "" {
		ws = l.Name
	}
	c.Workspace = fmt.Sprintf("%s-%d", ws, n)
	c.Worktree, c.Copies = false, 0
	return &c
}

// worktree is one entry of `git worktree list --porcelain`.
type worktree struct {
	branch string // refs/heads/…, "" when detached
	locked bool
}

// worktrees lists the repository's worktrees by path.
func worktrees(ctx context.Context, run command.Runner, repo string) (map[string]worktree, error) {
	out, err := git(ctx, run, repo, "worktree", "list", "--porcelain")
	if err != nil {
		return nil, err
	}
	found := map[string]worktree{}
	var dir string
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "worktree "):
			dir = samePath(strings.TrimPrefix(line, "worktree "))
			found[dir] = worktree{}
		case strings.HasPrefix(line, "branch "):
			w := found[dir]
			w.branch = strings.TrimPrefix(line, "branch ")
			found[dir] = w
		case line == "locked" || strings.HasPrefix(line, "locked "):
			w := found[dir]
			w.locked = true
			found[dir] = w
		}
	}
	return found, nil
}

// samePath makes two spellings of one folder compare equal (symlinked
// temp dirs, trailing slashes).
func samePath(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return filepath.Clean(p)
}

// Kept is a copy clean-up left in place (or, with force, whose branch it
// kept), and why.
type Kept struct {
	Entry
	Reason string
	// Removed is true when --force removed the worktree and only the
	// branch was kept.
	Removed bool
}

// Report says what a clean-up did.
type Report struct {
	Manifest string
	Removed  []Entry // worktree and branch gone
	Kept     []Kept
}

// ErrNoManifest means the app recorded no fan-out of that layout.
var ErrNoManifest = errors.New("no fan-out recorded")

// Cleanup removes what Create recorded for the layout, and nothing else: a
// recorded copy whose path is still its worktree on its branch, with no
// uncommitted changes and no commit that another branch lacks. Copies that
// fail a check are kept and named; with force their worktree is removed
// anyway but their branch (and so every commit) is kept.
func Cleanup(ctx context.Context, run command.Runner, l *layout.Layout, force bool) (Report, error) {
	repo, _, err := top(ctx, run, l)
	if err != nil {
		return Report{}, err
	}
	// The repository of a worktree copy is the main one's; the manifest
	// sits beside the main worktree.
	if common, err := git(ctx, run, repo, "rev-parse", "--path-format=absolute", "--git-common-dir"); err == nil && filepath.Base(common) == ".git" {
		repo = filepath.Dir(common)
	}
	mpath := ManifestPath(repo, l.Name)
	rep := Report{Manifest: mpath}
	m, err := readManifest(mpath)
	if err != nil {
		return rep, err
	}
	wts, err := worktrees(ctx, run, repo)
	if err != nil {
		return rep, err
	}
	var left []Entry
	for _, e := range m.Copies {
		reason, removable := check(ctx, run, repo, e, wts)
		switch {
		case reason == "":
			if _, err := git(ctx, run, repo, "worktree", "remove", e.Path); err != nil {
				rep.Kept = append(rep.Kept, Kept{Entry: e, Reason: err.Error()})
				left = append(left, e)
				continue
			}
			tip, _ := git(ctx, run, repo, "rev-parse", "--verify", "refs/heads/"+e.Branch)
			if _, err := git(ctx, run, repo, "update-ref", "-d", "refs/heads/"+e.Branch, tip); err != nil {
				rep.Kept = append(rep.Kept, Kept{Entry: e, Reason: "worktree removed; deleting the branch failed: " + err.Error(), Removed: true})
				continue
			}
			rep.Removed = append(rep.Removed, e)
		case force && removable:
			args := []string{"worktree", "remove", "--force", e.Path}
			if wts[samePath(e.Path)].locked {
				args = []string{"worktree", "remove", "--force", "--force", e.Path}
			}
			if _, err := git(ctx, run, repo, args...); err != nil {
				rep.Kept = append(rep.Kept, Kept{Entry: e, Reason: reason + "; removing it failed: " + err.Error()})
				left = append(left, e)
				continue
			}
			rep.Kept = append(rep.Kept, Kept{Entry: e, Reason: reason, Removed: true})
		default:
			rep.Kept = append(rep.Kept, Kept{Entry: e, Reason: reason})
			left = append(left, e)
		}
	}
	m.Copies = left
	if len(left) == 0 {
		if err := os.Remove(mpath); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return rep, fmt.Errorf("remove %s: %w", mpath, err)
		}
		_ = os.Remove(filepath.Dir(mpath)) // the -wp folder, when empty
	} else if err := m.write(mpath); err != nil {
		return rep, err
	}
	return rep, nil
}

// check says why a recorded copy must not be removed ("" when it may), and
// whether --force may remove its worktree (never one that is no longer
// the recorded worktree on the recorded branch: that is not ours).
func check(ctx context.Context, run command.Runner, repo string, e Entry, wts map[string]worktree) (reason string, forceable bool) {
	wt, ok := wts[samePath(e.Path)]
	switch {
	case !ok:
		return fmt.Sprintf("%s is no longer a worktree of %s (moved or removed by hand): left alone, branch %s too", e.Path, repo, e.Branch), false
	case wt.branch != "refs/heads/"+e.Branch:
		on := "a detached HEAD"
		if wt.branch != "" {
			on = "branch " + strings.TrimPrefix(wt.branch, "refs/heads/")
		}
		return fmt.Sprintf("now on %s, not the fan-out's %s: left alone", on, e.Branch), false
	}
	var why []string
	if st, err := git(ctx, run, e.Path, "status", "--porcelain"); err != nil {
		return err.Error(), false
	} else if st != "" {
		n := strings.Count(st, "\n") + 1
		why = append(why, fmt.Sprintf("uncommitted changes (%d file(s), e.g. %s)", n, strings.TrimSpace(firstLine(st))))
	}
	// Commits on the copy's branch that no other branch (local or
	// remote-tracking) holds would dangle once the branch is gone. (The
	// --exclude pattern is matched without refs/heads/, as --branches
	// strips it.)
	ref := "refs/heads/" + e.Branch
	out, err := git(ctx, run, repo, "rev-list", "--count", ref, "--not", "--exclude="+e.Branch, "--branches", "--remotes")
	if err != nil {
		return err.Error(), false
	}
	if n, _ := strconv.Atoi(out); n > 0 {
		why = append(why, fmt.Sprintf("%d commit(s) on %s that no other branch has", n, e.Branch))
	}
	if wt.locked {
		why = append(why, "the worktree is locked")
	}
	return strings.Join(why, "; "), true
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
