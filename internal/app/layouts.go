package app

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/control"
	"github.com/wezterm-parallel/wezterm-parallel/internal/execx"
	"github.com/wezterm-parallel/wezterm-parallel/internal/fanout"
	"github.com/wezterm-parallel/wezterm-parallel/internal/launch"
	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
	"github.com/wezterm-parallel/wezterm-parallel/internal/trust"
)

func (r *runner) layoutCmd(ctx context.Context, args []string) int {
	ls, _ := findSpec("layout")
	switch {
	case len(args) == 0:
		printHelp(r.o.Stderr, ls)
		return 2
	case args[0] == "-h" || args[0] == "--help" || args[0] == "-help":
		printHelp(r.o.Stdout, ls)
		return 0
	}
	if _, ok := findSpec("layout " + args[0]); !ok {
		msg := "wezterm-parallel layout: unknown command " + quoted(args[0])
		if near := nearest(args[0], []string{"list", "check", "save", "cleanup"}); near != "" {
			msg += "; did you mean " + quoted(near) + "?"
		}
		fmt.Fprintln(r.o.Stderr, msg)
		fmt.Fprintln(r.o.Stderr, "Run 'wezterm-parallel layout --help' for its commands.")
		return 2
	}
	store := r.store()
	dir := config.LayoutsDir(store.Prefs(), store.Path())
	switch args[0] {
	case "list":
		if _, _, code, ok := r.parse("layout list", args[1:]); !ok {
			return code
		}
		entries, err := layout.List(dir)
		if err != nil {
			fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", err)
			return 1
		}
		for _, e := range entries {
			where := string(e.Source)
			if e.Source != layout.Bundled {
				where += " " + textsafe.Escape(e.Path)
			}
			fmt.Fprintf(r.o.Stdout, "%s\t%s\n", textsafe.Escape(e.Name), where)
		}
		return 0
	case "check":
		return r.layoutCheck(args[1:], dir)
	case "save":
		return r.layoutSave(ctx, args[1:], dir)
	case "cleanup":
		return r.layoutCleanup(ctx, args[1:], dir, store)
	}
	return 2
}

func (r *runner) layoutCheck(args []string, dir string) int {
	_, args, code, ok := r.parse("layout check", args)
	if !ok {
		return code
	}
	bad := false
	for _, a := range args {
		e, data, err := layout.Find(a, dir)
		if err != nil {
			fmt.Fprintln(r.o.Stdout, textsafe.EscapeKeepNewlines(err.Error()))
			bad = true
			continue
		}
		_, err = layout.Parse(e.Path, data, e.Name, control.CheckOptions(e, "", r.store().Prefs().DefaultCWD))
		var ps config.Problems
		switch {
		case errors.As(err, &ps):
			for _, p := range ps {
				fmt.Fprintln(r.o.Stdout, textsafe.Escape(p.String()))
			}
			bad = true
		case err != nil:
			fmt.Fprintf(r.o.Stdout, "%s: %s\n", textsafe.Escape(e.Path), textsafe.Escape(err.Error()))
			bad = true
		}
	}
	if bad {
		return 1
	}
	return 0
}

func (r *runner) layoutSave(ctx context.Context, args []string, dir string) int {
	f, pos, code, ok := r.parse("layout save", args)
	if !ok {
		return code
	}
	ws, force := f.str("workspace"), f.bool("force")
	name := pos[0]
	if err := layout.ValidFileName(name); err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel: layout save:", err)
		return 2
	}
	sampler := metrics.New(metrics.Options{History: 2})
	defer sampler.Close()
	tree, err := sampledTree(ctx, r.newMonitor(r.client("", nil), sampler), 0)
	if err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", r.explain(err))
		return 1
	}
	target := ws
	if target == "" {
		target = tree.GUIWorkspace
	}
	path, err := layout.Save(tree, target, name, dir, force, time.Now())
	switch {
	case errors.Is(err, layout.ErrExists):
		fmt.Fprintf(r.o.Stderr, "wezterm-parallel: %s exists; use --force to replace it\n", path)
		return 1
	case err != nil:
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", err)
		return 1
	}
	fmt.Fprintln(r.o.Stdout, path)
	return 0
}

func (r *runner) launchCmd(ctx context.Context, args []string) int {
	f, pos, code, ok := r.parse("launch", args)
	if !ok {
		return code
	}
	dry, cwd, ws, keep, yes := f.bool("dry-run"), f.str("cwd"), f.str("workspace"), f.bool("keep-partial"), f.bool("yes")
	store := r.store()
	prefs := store.Prefs()
	dir := config.LayoutsDir(prefs, store.Path())
	root := cwd
	if root != "" {
		var err error
		if root, err = filepath.Abs(root); err != nil {
			fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", err)
			return 1
		}
	}
	p, err := control.PrepareNamed(pos[0], dir, prefs, control.PrepareOptions{Workspace: ws, CWD: root})
	if err != nil {
		fmt.Fprintln(r.o.Stderr, textsafe.EscapeKeepNewlines("wezterm-parallel: "+err.Error()))
		return 1
	}
	if dry && p.Layout.Worktree {
		return r.fanOutDryRun(p.Layout)
	}
	if dry {
		lines, err := launch.DryRun(ctx, p.Plan, r.binOr("wezterm"), sim.DefaultVersion)
		if err != nil {
			fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", err)
			return 1
		}
		fmt.Fprintf(r.o.Stdout, "# %s (%s): %d panes; cells for a %dx%d tab (a launch uses the real tab's size)\n",
			p.Entry.Name, p.Entry.Path, p.Plan.Panes, p.Plan.Cols, p.Plan.Rows)
		for _, line := range lines {
			fmt.Fprintln(r.o.Stdout, line)
		}
		return 0
	}
	if !p.Entry.Trusted() {
		if yes {
			fmt.Fprintf(r.o.Stderr, "wezterm-parallel: --yes is only for your own layouts; %s is a project layout: run it once without --yes to review its commands\n", p.Entry.Path)
			return 1
		}
		if ok, code := r.consent(store, p.Entry, p.Data, p.Plan); !ok {
			return code
		}
	}
	k := control.New(r.client("", nil))
	k.Git = execx.Exec{Log: r.log}
	done, err := k.LaunchPrepared(ctx, p, launch.RunOptions{KeepPartial: keep, Progress: func(ev launch.Event) {
		if !ev.Done && ev.Err == nil {
			fmt.Fprintf(r.o.Stderr, "[%d/%d] %s\n", ev.Index, ev.Total, ev.Step.Desc())
		}
	}})
	if err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", r.explain(err))
		return 1
	}
	fmt.Fprintln(r.o.Stdout, done)
	return 0
}

func (r *runner) binOr(def string) string {
	if b := r.weztermBin(); b != "" {
		return b
	}
	return def
}

// consent shows every command a project layout would run and asks once;
// the answer is kept in the preferences as the file's hash, so an edited
// file asks again. What the file says is shown escaped (internal/trust).
func (r *runner) consent(store *config.Store, e layout.Entry, data []byte, plan *launch.Plan) (bool, int) {
	if !trust.Needed(e, data, store.Prefs()) {
		return true, 0
	}
	fmt.Fprintln(r.o.Stdout, trust.Title(e))
	for _, line := range trust.Lines(plan) {
		fmt.Fprintln(r.o.Stdout, "  "+line)
	}
	fmt.Fprint(r.o.Stdout, "Run them? [y/N] ")
	answer, _ := bufio.NewReader(r.o.Stdin).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel: not launched")
		return false, 1
	}
	if err := trust.Remember(store, e, data); err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel: launching, but the consent is not remembered (you will be asked again):", err)
	}
	return true, 0
}

// fanOutDryRun says what a fan-out would do (--dry-run).
func (r *runner) fanOutDryRun(l *layout.Layout) int {
	fmt.Fprintf(r.o.Stdout, "# %s fans out into %d git worktrees beside its repository, one copy each:\n", l.Name, l.Copies)
	for n := 1; n <= l.Copies; n++ {
		fmt.Fprintf(r.o.Stdout, "git worktree add -b %s <repo>-wp/%s-%d HEAD   # WP_COPY=%d PORT=%d\n",
			fanout.BranchName(l, n), l.Name, n, n, l.PortBase+n)
	}
	return 0
}

// layoutCleanup removes what a fan-out recorded creating, keeping (and
// naming) every copy that holds work; exit 1 when one was kept.
func (r *runner) layoutCleanup(ctx context.Context, args []string, dir string, store *config.Store) int {
	f, pos, code, ok := r.parse("layout cleanup", args)
	if !ok {
		return code
	}
	force := f.bool("force")
	e, data, err := layout.Find(pos[0], dir)
	if err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", err)
		return 1
	}
	co := control.CheckOptions(e, "", store.Prefs().DefaultCWD)
	co.SkipDirs = true
	l, err := layout.Parse(e.Path, data, e.Name, co)
	if err != nil {
		fmt.Fprintln(r.o.Stderr, textsafe.EscapeKeepNewlines(err.Error()))
		return 1
	}
	rep, err := fanout.Cleanup(ctx, execx.Exec{Log: r.log}, l, force)
	if errors.Is(err, fanout.ErrNoManifest) {
		fmt.Fprintf(r.o.Stdout, "nothing to clean up for %s: %v\n", l.Name, err)
		return 0
	}
	if err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", err)
		return 1
	}
	for _, c := range rep.Removed {
		fmt.Fprintf(r.o.Stdout, "removed %s and its branch %s\n", c.Path, c.Branch)
	}
	refused := 0
	for _, k := range rep.Kept {
		if k.Removed {
			fmt.Fprintf(r.o.Stdout, "removed %s (--force); kept its branch %s: %s\n", k.Path, k.Branch, k.Reason)
			continue
		}
		refused++
		fmt.Fprintf(r.o.Stdout, "kept %s (branch %s): %s\n", k.Path, k.Branch, k.Reason)
	}
	if refused > 0 {
		fmt.Fprintf(r.o.Stderr, "wezterm-parallel: kept %d of %d copies of %s (see above); commit or merge their work, or use --force to remove the worktrees and keep the branches\n",
			refused, len(rep.Removed)+len(rep.Kept), l.Name)
		return 1
	}
	return 0
}
