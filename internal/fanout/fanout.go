// Package fanout gives each copy of a layout its own git worktree: N
// worktrees on new branches beside the repository, the layout re-rooted in
// each with WP_COPY and a PORT offset, and a clean-up that refuses to throw
// away uncommitted work. git runs through the one runner, argv only.
package fanout

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/wezterm-parallel/wezterm-parallel/internal/execx"
	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
)

// Copy is one worktree of a fan-out.
type Copy struct {
	N      int
	Dir    string // the worktree
	Branch string
	Layout *layout.Layout // re-rooted in Dir, with WP_COPY and PORT
}

// ErrDirty means clean-up found uncommitted changes.
var ErrDirty = errors.New("uncommitted changes")

func git(ctx context.Context, run execx.Runner, dir string, args ...string) (string, error) {
	res, err := run.Run(ctx, execx.Cmd{Args: append([]string{"git", "-C", dir}, args...)})
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
func top(ctx context.Context, run execx.Runner, l *layout.Layout) (repo, rel string, err error) {
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
// layout per copy. On failure the worktrees it made are removed again.
func Create(ctx context.Context, run execx.Runner, l *layout.Layout) ([]Copy, error) {
	repo, rel, err := top(ctx, run, l)
	if err != nil {
		return nil, err
	}
	var made []Copy
	undo := func() {
		for _, c := range made {
			_, _ = git(context.WithoutCancel(ctx), run, repo, "worktree", "remove", "--force", c.Dir)
			_, _ = git(context.WithoutCancel(ctx), run, repo, "branch", "-D", c.Branch)
		}
	}
	for n := 1; n <= l.Copies; n++ {
		c := Copy{N: n, Dir: Dir(repo, l, n), Branch: BranchName(l, n)}
		if _, err := git(ctx, run, repo, "worktree", "add", "-b", c.Branch, c.Dir, "HEAD"); err != nil {
			undo()
			return nil, fmt.Errorf("copy %d: %w (a previous fan-out? `wezterm-parallel layout cleanup %s`)", n, err, l.Name)
		}
		made = append(made, c)
	}
	for i := range made {
		made[i].Layout = reroot(l, filepath.Join(made[i].Dir, rel), made[i].N)
	}
	return made, nil
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

// worktrees lists the repository's worktrees with their branches.
func worktrees(ctx context.Context, run execx.Runner, repo string) (map[string]string, error) {
	out, err := git(ctx, run, repo, "worktree", "list", "--porcelain")
	if err != nil {
		return nil, err
	}
	found := map[string]string{} // branch -> dir
	var dir string
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "worktree "):
			dir = strings.TrimPrefix(line, "worktree ")
		case strings.HasPrefix(line, "branch refs/heads/"):
			found[strings.TrimPrefix(line, "branch refs/heads/")] = dir
		}
	}
	return found, nil
}

// Cleanup removes the layout's worktrees and branches. When any of them
// has uncommitted changes it removes nothing and says which.
func Cleanup(ctx context.Context, run execx.Runner, l *layout.Layout) ([]Copy, error) {
	repo, _, err := top(ctx, run, l)
	if err != nil {
		return nil, err
	}
	wts, err := worktrees(ctx, run, repo)
	if err != nil {
		return nil, err
	}
	pattern := regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(strings.ReplaceAll(l.Branch, "{layout}", l.Name)), `\{n\}`, `([0-9]+)`) + "$")
	var copies []Copy
	var dirty []string
	for branch, dir := range wts {
		m := pattern.FindStringSubmatch(branch)
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1])
		copies = append(copies, Copy{N: n, Dir: dir, Branch: branch})
		if st, err := git(ctx, run, dir, "status", "--porcelain"); err != nil {
			return nil, err
		} else if st != "" {
			dirty = append(dirty, fmt.Sprintf("%s (%s)", dir, firstLine(st)))
		}
	}
	if len(dirty) > 0 {
		return nil, fmt.Errorf("clean-up refused, %w in: %s", ErrDirty, strings.Join(dirty, "; "))
	}
	for _, c := range copies {
		if _, err := git(ctx, run, repo, "worktree", "remove", c.Dir); err != nil {
			return nil, err
		}
		if _, err := git(ctx, run, repo, "branch", "-D", c.Branch); err != nil {
			return nil, err
		}
	}
	return copies, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}
