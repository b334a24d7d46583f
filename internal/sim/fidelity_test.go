//go:build unix

package sim

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The stand-in against its own server, one test per behaviour of real
// WezTerm that a client bug could hide behind; each cites the source it
// mirrors (see ../../../shared/wezterm-cli.md §9).

// TestResizeOneCellAtATime: mux/src/tab.rs adjust_x_size moves across a
// side-by-side split one cell at a time, alternating sides: after a 79|80
// split, a top-level right split of the 160-column tab leaves 79 columns for
// the old tree, which becomes 38|40 (not 39|39 as a proportional resize).
func TestResizeOneCellAtATime(t *testing.T) {
	startTestServer(t, Config{Cols: 160, Rows: 48})
	p0 := paneID(t, cli(t, "spawn", "--new-window"))
	p1 := paneID(t, cli(t, "split-pane", "--pane-id", p0, "--right"))
	ps := list(t)
	if ps[0].Size.Cols != 79 || ps[1].Size.Cols != 80 || ps[1].LeftCol != 80 {
		t.Fatalf("after a right split: %d|%d at %d", ps[0].Size.Cols, ps[1].Size.Cols, ps[1].LeftCol)
	}
	p2 := paneID(t, cli(t, "split-pane", "--pane-id", p1, "--right", "--top-level"))
	ps = list(t)
	if ps[0].Size.Cols != 38 || ps[1].Size.Cols != 40 || ps[1].LeftCol != 39 {
		t.Errorf("old tree after a top-level split: %d|%d (second at %d), want 38|40", ps[0].Size.Cols, ps[1].Size.Cols, ps[1].LeftCol)
	}
	if n := ps[2]; n.Size.Cols != 80 || n.LeftCol != 80 || n.Size.Rows != 48 {
		t.Errorf("new top-level pane %s: %+v at %d", p2, n.Size, n.LeftCol)
	}
}

// TestWindowsStartAt80x24: WezTerm creates windows at initial_cols ×
// initial_rows (80×24 unless the CLI's config or --config says otherwise,
// config/src/config.rs, wezterm/src/cli/spawn_command.rs); a headless mux
// server leaves them so, and so does the GUI for a window of a workspace it
// does not show (wezterm-gui/src/frontend.rs makes OS windows only for the
// active workspace). Seen on WezTerm 20250223-062404-4ff581a8 (issue 19).
func TestWindowsStartAt80x24(t *testing.T) {
	startTestServer(t, Config{Cols: 160, Rows: 48, NoGUI: true})
	paneID(t, cli(t, "spawn", "--new-window"))
	if p := list(t)[0]; p.Size.Cols != 160 || p.Size.Rows != 48 {
		t.Errorf("headless with initial_cols/rows 160x48: %+v", p.Size)
	}
	plain := func(args ...string) string {
		t.Helper()
		r := run(t, append([]string{"cli", "--no-auto-start", "spawn"}, args...)...)
		if r.code != 0 {
			t.Fatal(r.stderr)
		}
		return paneID(t, r.stdout)
	}
	plain("--new-window")
	if p := list(t)[1]; p.Size.Cols != 80 || p.Size.Rows != 24 {
		t.Errorf("headless, default config: %+v, want 80x24", p.Size)
	}
	srv := startTestServer(t, Config{Cols: 160, Rows: 48})
	srv.EnsureWorkspace("default") // the user's window, at the GUI's size
	hidden := plain("--new-window", "--workspace", "hid")
	if p := list(t)[atoi(hidden)]; p.Size.Cols != 80 || p.Size.Rows != 24 {
		t.Errorf("hidden workspace: %+v, want 80x24 until shown", p.Size)
	}
	sized := paneID(t, run(t, "--config", "initial_cols=120", "--config", "initial_rows=30", "cli", "--no-auto-start",
		"spawn", "--new-window", "--workspace", "hid2").stdout)
	if p := list(t)[atoi(sized)]; p.Size.Cols != 120 || p.Size.Rows != 30 {
		t.Errorf("--config initial_cols=120 initial_rows=30: %+v", p.Size)
	}
}

// TestHiddenLayoutIsLopsidedWhenShown: a 4-column layout split in a hidden
// 80×24 window (19|19|19|20) is resized one cell at a time, alternating down
// the right-nested tree, when a switch shows it in the GUI's window. On
// real WezTerm 20250223 in a 138-column window it came out 48|48|19|20; the
// issue saw 99|59|39|40 at 240. The stand-in used to resize hidden windows
// at once and hid this.
func TestHiddenLayoutIsLopsidedWhenShown(t *testing.T) {
	srv := startTestServer(t, Config{Cols: 138, Rows: 37})
	srv.EnsureWorkspace("default")
	r := run(t, "cli", "--no-auto-start", "spawn", "--new-window", "--workspace", "hid")
	a := paneID(t, r.stdout)
	b := paneID(t, cli(t, "split-pane", "--pane-id", a, "--right", "--cells", "60"))
	c := paneID(t, cli(t, "split-pane", "--pane-id", b, "--right", "--cells", "40"))
	d := paneID(t, cli(t, "split-pane", "--pane-id", c, "--right", "--cells", "20"))
	if err := srv.SwitchWorkspace("hid"); err != nil {
		t.Fatal(err)
	}
	ps := list(t)
	var got []int
	for _, id := range []string{a, b, c, d} {
		got = append(got, ps[atoi(id)].Size.Cols)
	}
	if want := []int{48, 48, 19, 20}; !slices.Equal(got, want) {
		t.Errorf("columns after the switch = %v, want %v (as real WezTerm)", got, want)
	}
	if ps[atoi(a)].Size.Rows != 37 {
		t.Errorf("rows after the switch = %d", ps[atoi(a)].Size.Rows)
	}
}

// TestActivePaneAfterSplit: split_and_insert (mux/src/tab.rs) makes the
// new pane active for right/bottom; for left/top it leaves the active
// *index* alone, so whichever pane now sits at that index is active.
func TestActivePaneAfterSplit(t *testing.T) {
	startTestServer(t, Config{Cols: 160, Rows: 48})
	a := paneID(t, cli(t, "spawn", "--new-window"))
	b := paneID(t, cli(t, "split-pane", "--pane-id", a, "--right"))
	if ps := list(t); !ps[1].Active {
		t.Fatalf("right split: pane %s not active", b)
	}
	// Tree order [a, b], b active (index 1). A top split of a puts the
	// new pane before a: [n, a, b]; index 1 is now a.
	n := paneID(t, cli(t, "split-pane", "--pane-id", a, "--top"))
	ps := list(t)
	if !ps[0].Active || ps[1].Active || ps[2].Active {
		t.Errorf("after a top split of %s (new %s): active a=%v b=%v new=%v, want a", a, n, ps[0].Active, ps[1].Active, ps[2].Active)
	}
}

// TestMissingCwdFallsBackToHome: a --cwd that is not a directory is
// dropped silently and the program starts in $HOME
// (pty/src/cmdbuilder.rs as_command).
func TestMissingCwdFallsBackToHome(t *testing.T) {
	srv := startTestServer(t, Config{})
	paneID(t, cli(t, "spawn", "--new-window", "--cwd", "/nonexistent/dir", "--", "sleep", "60"))
	want := strings.TrimSuffix(srv.cfg.Home, "/")
	eventually(t, "the pane's cwd", func() bool { return strings.TrimSuffix(list(t)[0].CWD, "/") == "file://"+want })
}

// TestSplitUsesOSC7Directory: a split without --cwd starts where the pane
// said it is (OSC 7), before its process's own directory
// (mux/src/domain.rs split_pane, get_current_working_dir).
func TestSplitUsesOSC7Directory(t *testing.T) {
	startTestServer(t, Config{})
	dir := t.TempDir()
	p0 := paneID(t, cli(t, "spawn", "--new-window", "--", "sh", "-c", "printf '\\033]7;file://localhost"+dir+"\\007'; sleep 60"))
	eventually(t, "OSC 7 seen", func() bool { return strings.Contains(list(t)[0].CWD, dir) })
	p1 := paneID(t, cli(t, "split-pane", "--pane-id", p0, "--", "sleep", "60"))
	eventually(t, "the split's directory", func() bool {
		for _, p := range list(t) {
			if p.PaneID != 0 && strings.TrimSuffix(p.CWD, "/") == "file://"+dir {
				return true
			}
		}
		return false
	})
	_ = p1
}

// TestMoveToNewWindowGoesToDefault: move-pane-to-new-tab --new-window
// without --workspace makes a window in the CLI client's active workspace,
// "default", not the pane's (mux/src/window.rs Window::new).
func TestMoveToNewWindowGoesToDefault(t *testing.T) {
	startTestServer(t, Config{})
	p0 := paneID(t, cli(t, "spawn", "--new-window", "--workspace", "agents"))
	paneID(t, cli(t, "spawn", "--pane-id", p0))
	cli(t, "move-pane-to-new-tab", "--pane-id", p0, "--new-window")
	if ws := list(t)[0].Workspace; ws != "default" {
		t.Errorf("moved pane in %q, want default", ws)
	}
}

// TestUnzoomActsOnlyOnTheZoomedPane: SetPaneZoomed
// (wezterm-mux-server-impl/src/sessionhandler.rs) changes nothing unless
// the target's zoom differs from what is asked.
func TestUnzoomActsOnlyOnTheZoomedPane(t *testing.T) {
	startTestServer(t, Config{Cols: 160, Rows: 48})
	a := paneID(t, cli(t, "spawn", "--new-window"))
	b := paneID(t, cli(t, "split-pane", "--pane-id", a, "--right"))
	cli(t, "zoom-pane", "--pane-id", a)
	cli(t, "zoom-pane", "--pane-id", b, "--unzoom")
	if ps := list(t); !ps[0].Zoomed || !ps[0].Active {
		t.Errorf("--unzoom of the other pane %s unzoomed %s: %+v", b, a, ps[0])
	}
	cli(t, "zoom-pane", "--pane-id", a, "--unzoom")
	if ps := list(t); ps[0].Zoomed {
		t.Error("--unzoom of the zoomed pane did nothing")
	}
}

// TestActivateTab: activate_tab.rs: --tab-relative counts from --pane-id's
// tab (not the window's active one); a negative --tab-index past the start
// saturates to the first tab, one past the end is the CLI's error; both
// flags together are allowed and --tab-index wins.
func TestActivateTab(t *testing.T) {
	startTestServer(t, Config{})
	t0 := paneID(t, cli(t, "spawn", "--new-window"))
	t1 := paneID(t, cli(t, "spawn", "--pane-id", t0))
	t2 := paneID(t, cli(t, "spawn", "--pane-id", t0))
	// The window shows t2's tab; relative +1 from t0's tab is t1's.
	cli(t, "activate-tab", "--pane-id", t0, "--tab-relative", "1")
	if got := shownPane(t, t0); got != t1 {
		t.Errorf("relative +1 from %s's tab: shown %s, want %s", t0, got, t1)
	}
	cli(t, "activate-tab", "--pane-id", t0, "--tab-index", "-10")
	if got := shownPane(t, t0); got != t0 {
		t.Errorf("index -10: shown %s, want the first tab's %s", got, t0)
	}
	r := run(t, "cli", "--no-auto-start", "activate-tab", "--pane-id", t0, "--tab-index", "5")
	if r.code != 1 || !strings.Contains(r.stderr, "tab index 5 is invalid") || strings.Contains(r.stderr, "ErrorResponse") {
		t.Errorf("index 5 of 3: exit %d %q (a CLI error, not the server's)", r.code, r.stderr)
	}
	cli(t, "activate-tab", "--pane-id", t0, "--tab-index", "2", "--tab-relative", "-1")
	if got := shownPane(t, t0); got != t2 {
		t.Errorf("index and relative together: shown %s, want index 2's %s", got, t2)
	}
}

// TestLastPaneClosesTheGUI: killing the last pane closes the last window;
// the GUI quits (quit_when_all_windows_are_closed) and its mux server with
// it: the next call finds WezTerm not running.
func TestLastPaneClosesTheGUI(t *testing.T) {
	srv := startTestServer(t, Config{})
	p := paneID(t, cli(t, "spawn", "--new-window", "--", "sleep", "60"))
	cli(t, "kill-pane", "--pane-id", p)
	select {
	case <-srv.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the server kept running")
	}
	if r := run(t, "cli", "--no-auto-start", "list"); r.code != 1 || !strings.Contains(r.stderr, "failed to connect") {
		t.Errorf("after the last pane: exit %d %q", r.code, r.stderr)
	}
	// A headless mux server stays.
	srv = startTestServer(t, Config{NoGUI: true})
	p = paneID(t, cli(t, "spawn", "--new-window", "--", "sleep", "60"))
	cli(t, "kill-pane", "--pane-id", p)
	time.Sleep(150 * time.Millisecond)
	cli(t, "list")
}

// TestPasteDropsBracketMarkers: send_paste (term/src/terminalstate/mod.rs)
// removes ESC[200~ and ESC[201~ from the text, bracketed or not, so a paste
// cannot end its bracket early.
func TestPasteDropsBracketMarkers(t *testing.T) {
	startTestServer(t, Config{})
	out := filepath.Join(t.TempDir(), "got")
	p := paneID(t, cli(t, "spawn", "--new-window", "--", "sh", "-c", "printf '\\033[?2004h'; stty raw -echo; head -c 40 > "+out))
	time.Sleep(300 * time.Millisecond)
	cli(t, "send-text", "--pane-id", p, "--", "a\x1b[201~rm -rf x\x1b[200~b")
	cli(t, "send-text", "--pane-id", p, "--no-paste", "--", strings.Repeat("z", 20))
	eventually(t, "the program read the paste", func() bool { b, _ := os.ReadFile(out); return len(b) >= 40 })
	b, _ := os.ReadFile(out)
	if got := string(b); !strings.HasPrefix(got, "\x1b[200~arm -rf xb\x1b[201~") {
		t.Errorf("pasted %q", got)
	}
}

// TestPaneNotFoundWordings: each subcommand's own words for a missing pane
// (wezterm-cli.md §9): the mux server's, activate-pane's, the session
// handler's, and the CLI's own, which is printed without an ErrorResponse.
func TestPaneNotFoundWordings(t *testing.T) {
	startTestServer(t, Config{})
	paneID(t, cli(t, "spawn", "--new-window"))
	for _, tc := range []struct {
		args   []string
		want   string
		server bool
	}{
		{[]string{"kill-pane", "--pane-id", "99"}, "no such pane 99", true},
		{[]string{"get-text", "--pane-id", "99"}, "no such pane 99", true},
		{[]string{"send-text", "--pane-id", "99", "x"}, "no such pane 99", true},
		{[]string{"activate-pane", "--pane-id", "99"}, "pane 99 not found", true},
		{[]string{"split-pane", "--pane-id", "99"}, "pane_id 99 invalid", true},
		{[]string{"adjust-pane-size", "--pane-id", "99", "Left"}, "pane_id 99 invalid", true},
		{[]string{"zoom-pane", "--pane-id", "99"}, "unable to resolve current tab", false},
		{[]string{"set-tab-title", "--pane-id", "99", "x"}, "unable to resolve current tab", false},
		{[]string{"activate-tab", "--pane-id", "99", "--tab-index", "0"}, "unable to resolve current tab", false},
		{[]string{"set-window-title", "--pane-id", "99", "x"}, "unable to resolve current window", false},
		{[]string{"rename-workspace", "--pane-id", "99", "x"}, "unable to resolve current workspace", false},
	} {
		r := run(t, append([]string{"cli", "--no-auto-start"}, tc.args...)...)
		if r.code != 1 || !strings.Contains(r.stderr, tc.want) || strings.Contains(r.stderr, "ErrorResponse") != tc.server {
			t.Errorf("%s: exit %d %q, want %q (server error %v)", tc.args[0], r.code, r.stderr, tc.want, tc.server)
		}
	}
}

// TestOldReleases: the list table of releases before 20220319 has no
// WORKSPACE column (wezterm/src/main.rs of 20220101); structopt/clap 2 of
// releases up to 20220408 exits 1 on usage errors, with "USAGE:".
func TestOldReleases(t *testing.T) {
	srv := startTestServer(t, Config{Version: "20220101-133340-7edc5b5a"})
	srv.EnsureWorkspace("default")
	out := cli(t, "list")
	if head := strings.Fields(strings.SplitN(out, "\n", 2)[0]); strings.Join(head, " ") != "WINID TABID PANEID SIZE TITLE CWD" {
		t.Errorf("20220101 table header: %q", head)
	}
	r := run(t, "cli", "--no-auto-start", "list", "--bogus")
	if r.code != 1 || !strings.Contains(r.stderr, "USAGE:") {
		t.Errorf("20220101 usage error: exit %d %q", r.code, r.stderr)
	}
	srv.Control("version", "20220624-141144-bd1b7c5d")
	if r := run(t, "cli", "--no-auto-start", "list", "--bogus"); r.code != 2 || !strings.Contains(r.stderr, "Usage:") {
		t.Errorf("20220624 usage error: exit %d %q", r.code, r.stderr)
	}
	if out := cli(t, "list"); !strings.Contains(out, "WORKSPACE") {
		t.Errorf("20220624 table: %q", out)
	}
}

// TestNoInventedRules: clap in WezTerm has no conflict between
// --tab-index and --tab-relative (activate_tab.rs) or between
// rename-workspace's --workspace and --pane-id (rename_workspace.rs, which
// prefers --workspace).
func TestNoInventedRules(t *testing.T) {
	startTestServer(t, Config{})
	p := paneID(t, cli(t, "spawn", "--new-window", "--workspace", "alpha"))
	paneID(t, cli(t, "spawn", "--new-window", "--workspace", "beta"))
	cli(t, "rename-workspace", "--workspace", "beta", "--pane-id", p, "gamma")
	ws := map[string]bool{}
	for _, it := range list(t) {
		ws[it.Workspace] = true
	}
	if !ws["alpha"] || !ws["gamma"] || ws["beta"] {
		t.Errorf("workspaces %v: --workspace should win over --pane-id", ws)
	}
}

// TestEmptyWorkspaceName: `--workspace ""` names a workspace "", which is
// not "default" (spawn_command.rs passes Some("")).
func TestEmptyWorkspaceName(t *testing.T) {
	startTestServer(t, Config{})
	paneID(t, cli(t, "spawn", "--new-window", "--workspace", ""))
	paneID(t, cli(t, "spawn", "--new-window"))
	ws := map[string]int{}
	for _, it := range list(t) {
		ws[it.Workspace]++
	}
	if ws[""] != 1 || ws["default"] != 1 {
		t.Errorf("workspaces %v", ws)
	}
}

// guiFocus is the pane the GUI client focuses, from list-clients.
// shownPane is the active pane of the active tab of the window holding
// pane (what the GUI shows in that window; list has no active-tab field).
func shownPane(t *testing.T, pane string) string {
	t.Helper()
	testServer.mu.Lock()
	defer testServer.mu.Unlock()
	p := testServer.panes[atoi(pane)]
	if p == nil {
		t.Fatalf("no pane %s", pane)
	}
	w := p.tab.win
	return strconv.Itoa(w.tabs[w.activeTab].active.id)
}
