package app

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/logx"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/restore"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/snapshot"
	"github.com/wezterm-parallel/wezterm-parallel/internal/spend"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wsswitch"
)

// snapshots is the folder of snapshots (under the state folder).
func (r *runner) snapshots() (*snapshot.Store, error) {
	d, err := logx.StateDirEnv(r.o.Getenv)
	if err != nil {
		return nil, fmt.Errorf("no state folder for snapshots: %w", err)
	}
	return snapshot.Open(filepath.Join(d, "snapshots")), nil
}

// restoreService is restoring with this command line's preferences, rules
// and folders (also what the window and the tray get).
func (r *runner) restoreService() (*restore.Service, error) {
	st, err := r.snapshots()
	if err != nil {
		return nil, err
	}
	store := r.store()
	return &restore.Service{Store: st, Rules: r.agentRules(), Sessions: restore.Sessions{Roots: spend.DefaultRoots(r.o.Getenv, r.home())},
		Prefs: store.Prefs, Config: store, Home: r.home()}, nil
}

// snapshotCmd takes a snapshot now, or imports a resurrect.wezterm state.
func (r *runner) snapshotCmd(ctx context.Context, args []string) int {
	f, _, code, ok := r.parse("snapshot", args)
	if !ok {
		return code
	}
	st, err := r.snapshots()
	if err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", err)
		return 1
	}
	var s *snapshot.Snapshot
	if path := f.str("import"); path != "" {
		if s, err = snapshot.ImportResurrect(path); err != nil {
			fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", textsafe.EscapeKeepNewlines(err.Error()))
			return 1
		}
	} else {
		sampler := metrics.New(metrics.Options{History: 2})
		defer sampler.Close()
		tree, err := sampledTree(ctx, r.newMonitor(r.client("", nil), sampler), 0)
		if err != nil {
			fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", r.explain(err))
			return 1
		}
		if len(tree.Panes()) == 0 {
			fmt.Fprintln(r.o.Stderr, "wezterm-parallel: WezTerm shows no pane: nothing to record")
			return 1
		}
		s = snapshot.Take(tree, time.Now(), "command")
	}
	path, err := st.Save(s)
	if err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", err)
		if path == "" {
			return 1
		}
	}
	size := int64(0)
	if fi, err := os.Stat(path); err == nil {
		size = fi.Size()
	}
	info := snapshot.InfoOf(s, path, size)
	if f.bool("json") {
		return r.printJSON(info)
	}
	fmt.Fprintf(r.o.Stdout, "snapshot %s: %s (%s, %d KiB)\n", info.ID, info.Summary.Describe(), textsafe.Escape(path), (size+1023)/1024)
	if info.Trimmed != "" {
		fmt.Fprintln(r.o.Stdout, "  "+textsafe.Escape(info.Trimmed))
	}
	if info.Blank {
		fmt.Fprintln(r.o.Stdout, "  one shell only: restore does not offer a state like this")
	}
	if strings.HasPrefix(s.Source, "resurrect:") {
		fmt.Fprintf(r.o.Stdout, "restore it: wezterm-parallel restore --from %s   (its scrollback is not imported)\n", info.ID)
	}
	return 0
}

func (r *runner) printJSON(v any) int {
	enc := json.NewEncoder(r.raw)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", err)
		return 1
	}
	return 0
}

// restoreCmd lists snapshots, or plans and carries out a restore.
func (r *runner) restoreCmd(ctx context.Context, args []string) int {
	f, _, code, ok := r.parse("restore", args)
	if !ok {
		return code
	}
	asJSON, dry := f.bool("json"), f.bool("dry-run")
	svc, err := r.restoreService()
	if err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", err)
		return 1
	}
	if f.bool("list") {
		return r.restoreList(svc, asJSON)
	}
	ch := restore.Choices{Workspaces: f.list("workspace"), RunAll: f.bool("run-all"), KeepStartup: f.bool("keep-startup-pane")}
	if e := f.str("existing"); e != "" {
		a, err := restore.ParseAction(e)
		if err != nil {
			fmt.Fprintln(r.o.Stderr, "wezterm-parallel restore: --existing", err)
			return 2
		}
		ch.Existing = map[string]restore.Action{"": a}
	}
	snap, info, err := svc.Load(f.str("from"))
	if err != nil {
		if errors.Is(err, snapshot.ErrNone) {
			fmt.Fprintf(r.o.Stderr, "wezterm-parallel: %v — the tray takes snapshots while it runs; `wezterm-parallel snapshot` takes one now\n", err)
		} else {
			fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", textsafe.EscapeKeepNewlines(err.Error()))
		}
		return 1
	}
	c := r.client("", nil)
	sampler := metrics.New(metrics.Options{History: 2})
	defer sampler.Close()
	tree, err := sampledTree(ctx, r.agentMonitor(c, sampler), 0)
	if err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", r.explain(err))
		return 1
	}
	plan, err := restore.NewPlan(snap, tree, svc.Options(ch))
	if err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", err)
		return 1
	}
	interactive := !f.bool("yes") && !dry && !asJSON && canAsk(r.o.Stdin)
	if ch.Existing == nil && interactive && r.askExisting(plan) {
		// Re-plan with the answers.
		ch.Existing = map[string]restore.Action{}
		for _, wp := range plan.Workspaces {
			if wp.Exists {
				ch.Existing[wp.Name] = wp.Action
			}
		}
		if plan, err = restore.NewPlan(snap, tree, svc.Options(ch)); err != nil {
			fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", err)
			return 1
		}
	}
	head := fmt.Sprintf("snapshot %s, %s from %s (%s)", info.ID, info.Summary.Describe(), restore.When(info.Confirmed, time.Now()), textsafe.Escape(info.Source))
	if dry {
		cmds, err := restore.DryRun(ctx, plan, r.binOr("wezterm"), sim.DefaultVersion)
		if err != nil {
			fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", err)
			return 1
		}
		if asJSON {
			return r.printJSON(plan.JSON(info, cmds))
		}
		fmt.Fprintln(r.o.Stdout, "# "+head)
		for _, l := range plan.Lines() {
			fmt.Fprintln(r.o.Stdout, "# "+l)
		}
		for _, n := range plan.Notes() {
			if !strings.Contains(n, ": a pane") {
				fmt.Fprintln(r.o.Stdout, "# note: "+n)
			}
		}
		for _, l := range cmds {
			fmt.Fprintln(r.o.Stdout, l)
		}
		return 0
	}
	if plan.Empty() {
		if asJSON {
			rep, _ := restore.Run(ctx, c, plan, restore.RunOptions{})
			return r.printJSON(rep)
		}
		fmt.Fprintln(r.o.Stdout, "nothing to restore from "+head+":")
		for _, n := range plan.Notes() {
			fmt.Fprintln(r.o.Stdout, "  "+n)
		}
		return 0
	}
	if !f.bool("yes") {
		if !canAsk(r.o.Stdin) {
			fmt.Fprintln(r.o.Stderr, "wezterm-parallel: restore asks first; without a terminal to ask on, pass --yes (or --dry-run to see what it would do)")
			return 1
		}
		fmt.Fprintln(r.o.Stdout, "Restore "+head+":")
		for _, l := range plan.Lines() {
			fmt.Fprintln(r.o.Stdout, "  "+l)
		}
		fmt.Fprint(r.o.Stdout, "Restore? [y/N] ")
		answer, _ := bufio.NewReader(r.o.Stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			fmt.Fprintln(r.o.Stderr, "wezterm-parallel: not restored")
			return 1
		}
	}
	rep, err := restore.Run(ctx, c, plan, restore.RunOptions{Progress: func(ev restore.Event) {
		if !ev.Step.Done && ev.Step.Err == nil && !asJSON {
			fmt.Fprintf(r.o.Stderr, "[%s %d/%d] %s\n", textsafe.Escape(ev.Target), ev.Step.Index, ev.Step.Total, ev.Step.Step.Desc())
		}
	}})
	if asJSON {
		if c := r.printJSON(rep); c != 0 {
			return c
		}
	} else {
		for _, l := range rep.Lines() {
			fmt.Fprintln(r.o.Stdout, l)
		}
	}
	if err != nil {
		if !asJSON {
			fmt.Fprintln(r.o.Stderr, "wezterm-parallel: restore:", r.explain(err))
		}
		return 1
	}
	return 0
}

// askExisting asks, for each workspace that is there already, whether to
// merge, copy or skip it; it reports whether it asked.
func (r *runner) askExisting(p *restore.Plan) bool {
	asked := false
	in := bufio.NewReader(r.o.Stdin)
	for _, wp := range p.Workspaces {
		if !wp.Exists {
			continue
		}
		asked = true
		fmt.Fprintf(r.o.Stdout, "Workspace %s is there already (%d of its %d tabs). [m]erge the missing tabs, open as a [c]opy, or [s]kip? [M/c/s] ",
			textsafe.Quote(wp.Name), wp.Present+wp.Partial, wp.Tabs)
		answer, _ := in.ReadString('\n')
		switch strings.ToLower(strings.TrimSpace(answer)) {
		case "c", "copy":
			wp.Action = restore.Copy
		case "s", "skip":
			wp.Action = restore.Skip
		default:
			wp.Action = restore.Merge
		}
	}
	return asked
}

// restoreList prints the snapshots, newest first.
func (r *runner) restoreList(svc *restore.Service, asJSON bool) int {
	infos, err := svc.Store.List()
	if err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", err)
		return 1
	}
	if asJSON {
		if infos == nil {
			infos = []snapshot.Info{}
		}
		return r.printJSON(infos)
	}
	if len(infos) == 0 {
		fmt.Fprintf(r.o.Stdout, "no snapshots in %s yet (the tray takes them while it runs; `wezterm-parallel snapshot` takes one now)\n", textsafe.Escape(svc.Store.Dir))
		return 0
	}
	now := time.Now()
	for _, in := range infos {
		if in.Err != "" {
			fmt.Fprintf(r.o.Stdout, "%-20s  unreadable: %s\n", in.ID, textsafe.Escape(in.Err))
			continue
		}
		names := make([]string, len(in.Names))
		for i, n := range in.Names {
			names[i] = textsafe.Quote(n)
		}
		mark := ""
		if in.Blank {
			mark = "  (one shell: not offered)"
		}
		fmt.Fprintf(r.o.Stdout, "%-20s  %-18s  %-40s  %s  [%s]%s\n", in.ID, restore.When(in.Confirmed, now), in.Summary.Describe(),
			strings.Join(names, " "), textsafe.Escape(in.Source), mark)
	}
	return 0
}

// canAsk reports whether in is a terminal (the user can be asked).
func canAsk(in io.Reader) bool {
	f, ok := in.(*os.File)
	return ok && wsswitch.IsTerminal(f)
}
