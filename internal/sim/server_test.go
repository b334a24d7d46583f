//go:build unix

package sim

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

type item struct {
	WindowID  int    `json:"window_id"`
	TabID     int    `json:"tab_id"`
	PaneID    int    `json:"pane_id"`
	Workspace string `json:"workspace"`
	Size      struct {
		Rows, Cols int
	} `json:"size"`
	Title    string  `json:"title"`
	CWD      string  `json:"cwd"`
	LeftCol  int     `json:"left_col"`
	TopRow   int     `json:"top_row"`
	TabTitle string  `json:"tab_title"`
	WinTitle string  `json:"window_title"`
	Active   bool    `json:"is_active"`
	Zoomed   bool    `json:"is_zoomed"`
	TTY      *string `json:"tty_name"`
}

func list(t *testing.T) map[int]item {
	t.Helper()
	var items []item
	out := cli(t, "list", "--format", "json")
	if err := json.Unmarshal([]byte(out), &items); err != nil {
		t.Fatalf("list output: %v\n%s", err, out)
	}
	m := map[int]item{}
	for _, it := range items {
		m[it.PaneID] = it
	}
	return m
}

func paneID(t *testing.T, out string) string {
	t.Helper()
	if !regexp.MustCompile(`^\d+\n$`).MatchString(out) {
		t.Fatalf("expected a pane id and a newline, got %q", out)
	}
	return strings.TrimSpace(out)
}

func TestSplitGeometry(t *testing.T) {
	startTestServer(t, Config{Cols: 160, Rows: 48})
	p0 := paneID(t, cli(t, "spawn", "--new-window"))
	p1 := paneID(t, cli(t, "split-pane", "--pane-id", p0, "--right", "--percent", "30"))
	ps := list(t)
	a, b := ps[0], ps[1]
	if b.Size.Cols != 48 || b.LeftCol != 112 || a.Size.Cols != 111 || a.LeftCol != 0 || a.Size.Rows != 48 {
		t.Fatalf("after 30%% right split: %+v / %+v", a.Size, b.Size)
	}
	if !b.Active || a.Active {
		t.Error("the new pane should be active")
	}
	// Bottom split of the right pane, 10 cells.
	p2 := paneID(t, cli(t, "split-pane", "--pane-id", p1, "--bottom", "--cells", "10"))
	ps = list(t)
	if c := ps[2]; c.Size.Rows != 10 || c.TopRow != 38 || c.LeftCol != 112 || ps[1].Size.Rows != 37 {
		t.Fatalf("bottom split: %+v top %d, right pane rows %d", c.Size, c.TopRow, ps[1].Size.Rows)
	}
	// Top-level left split takes from the whole tab.
	p3 := paneID(t, cli(t, "split-pane", "--pane-id", p2, "--left", "--top-level", "--percent", "25"))
	ps = list(t)
	if d := ps[3]; d.LeftCol != 0 || d.Size.Cols != 40 || d.Size.Rows != 48 || ps[0].LeftCol != 41 {
		t.Fatalf("top-level split: %+v left %d; old left pane at %d", d.Size, d.LeftCol, ps[0].LeftCol)
	}
	// Pre-order: the new top-level pane comes first.
	out := cli(t, "list", "--format", "json")
	if strings.Index(out, `"pane_id": 3`) > strings.Index(out, `"pane_id": 0`) {
		t.Error("panes are not listed in split-tree pre-order")
	}
	// Neighbours, of the tab's active pane (--pane-id picks the tab).
	cli(t, "activate-pane", "--pane-id", p0)
	if got := cli(t, "get-pane-direction", "--pane-id", p3, "Right"); got != p1+"\n" {
		t.Errorf("right of the active %s = %q, want %s", p0, got, p1)
	}
	cli(t, "activate-pane", "--pane-id", p3)
	if got := cli(t, "get-pane-direction", "--pane-id", p0, "Left"); got != "" {
		t.Errorf("left of the leftmost pane = %q, want nothing", got)
	}
	// Killing a pane gives its space to the sibling.
	cli(t, "kill-pane", "--pane-id", p3)
	ps = list(t)
	if _, ok := ps[3]; ok || ps[0].LeftCol != 0 || ps[0].Size.Cols+ps[1].Size.Cols+1 != 160 {
		t.Fatalf("after kill: %+v", ps)
	}
	// adjust-pane-size moves the divider.
	cli(t, "adjust-pane-size", "--pane-id", p0, "--amount", "5", "Right")
	if got := list(t)[0].Size.Cols; got != ps[0].Size.Cols+5 {
		t.Errorf("after adjust right 5: cols %d, want %d", got, ps[0].Size.Cols+5)
	}
	// Zoom: the zoomed pane takes the tab's recorded size and keeps its
	// position. That size is the old tree's since the top-level split
	// (WezTerm never restores it: 119 of 160 columns; on WezTerm 20250223
	// an 80-column tab zoomed to 59 the same way).
	cli(t, "zoom-pane", "--pane-id", p2)
	z := list(t)[2]
	if !z.Zoomed || z.Size.Cols != 119 || z.Size.Rows != 48 || z.TopRow == 0 {
		t.Errorf("zoomed pane: %+v", z)
	}
	cli(t, "zoom-pane", "--pane-id", p2, "--toggle")
	if z := list(t)[2]; z.Zoomed || z.Size.Rows != 10 {
		t.Errorf("after toggle: %+v", z)
	}
	// No space: a 1-cell request on a 3-cell pane still needs room.
	r := run(t, "cli", "--no-auto-start", "split-pane", "--pane-id", p2, "--cells", "9")
	if r.code != 1 || !strings.Contains(r.stderr, "No space for split!") {
		t.Errorf("oversized split: %d %q", r.code, r.stderr)
	}
}

func TestSendTextGetText(t *testing.T) {
	startTestServer(t, Config{})
	p := paneID(t, cli(t, "spawn", "--new-window", "--", "/bin/sh"))
	cli(t, "send-text", "--pane-id", p, "--no-paste", "--", "echo sim-$((40+2))\r")
	eventually(t, "echo output", func() bool { return strings.Contains(cli(t, "get-text", "--pane-id", p), "sim-42") })
	// Pasted text without bracketed paste: newlines become CR, so sh runs it.
	cli(t, "send-text", "--pane-id", p, "echo pasted-$((1+1))\n")
	eventually(t, "pasted output", func() bool { return strings.Contains(cli(t, "get-text", "--pane-id", p), "pasted-2") })
	// The screen has as many lines as rows by default.
	if n := strings.Count(cli(t, "get-text", "--pane-id", p), "\n"); n != 48 {
		t.Errorf("get-text printed %d lines, want 48", n)
	}
	if got := cli(t, "get-text", "--pane-id", p, "--start-line", "0", "--end-line", "0"); !strings.Contains(got, "echo sim-") {
		t.Errorf("first line = %q", got)
	}
}

func TestPaneLifecycle(t *testing.T) {
	startTestServer(t, Config{})
	clean := paneID(t, cli(t, "spawn", "--new-window", "--", "sh", "-c", "sleep 0.2"))
	failing := paneID(t, cli(t, "spawn", "--new-window", "--", "sh", "-c", "sleep 0.2; exit 3"))
	eventually(t, "clean exit closes the pane", func() bool { _, ok := list(t)[atoi(clean)]; return !ok })
	eventually(t, "unclean exit notice", func() bool {
		return strings.Contains(cli(t, "get-text", "--pane-id", failing), "Exited with code 3.")
	})
	if _, ok := list(t)[atoi(failing)]; !ok {
		t.Fatal("a pane whose program failed should stay (CloseOnCleanExit)")
	}
	// The tty is real and the process runs on it.
	p := paneID(t, cli(t, "spawn", "--new-window", "--", "sleep", "30"))
	tty := *list(t)[atoi(p)].TTY
	if !strings.HasPrefix(tty, "/dev/pts/") {
		t.Fatalf("tty = %q", tty)
	}
	if _, err := os.Stat(tty); err != nil {
		t.Fatalf("tty %s: %v", tty, err)
	}
	eventually(t, "title from foreground process", func() bool { return list(t)[atoi(p)].Title == "sleep" })
	cli(t, "kill-pane", "--pane-id", p)
	if _, ok := list(t)[atoi(p)]; ok {
		t.Fatal("killed pane still listed")
	}
	r := run(t, "cli", "--no-auto-start", "kill-pane", "--pane-id", p)
	if r.code != 1 || !strings.Contains(r.stderr, `reason: "Error: no such pane `+p+`"`) || !strings.HasSuffix(r.stderr, "; terminating\n") {
		t.Errorf("kill of a vanished pane: %d %q", r.code, r.stderr)
	}
}

func atoi(s string) int {
	var n int
	fmt.Sscan(s, &n)
	return n
}

func TestWorkspacesAndGUI(t *testing.T) {
	startTestServer(t, Config{})
	a := paneID(t, cli(t, "spawn", "--new-window", "--workspace", "alpha"))
	b := paneID(t, cli(t, "spawn", "--new-window", "--workspace", "beta"))
	var clients []struct {
		Workspace string `json:"workspace"`
		Focused   *int   `json:"focused_pane_id"`
		Idle      struct {
			Secs  int `json:"secs"`
			Nanos int `json:"nanos"`
		} `json:"idle_time"`
	}
	getClients := func() {
		if err := json.Unmarshal([]byte(cli(t, "list-clients", "--format", "json")), &clients); err != nil {
			t.Fatal(err)
		}
	}
	getClients()
	if len(clients) != 1 || clients[0].Workspace != "alpha" || *clients[0].Focused != atoi(a) {
		t.Fatalf("GUI after spawns: %+v", clients)
	}
	// activate-pane in another workspace does not switch the GUI.
	cli(t, "activate-pane", "--pane-id", b)
	if getClients(); clients[0].Workspace != "alpha" {
		t.Errorf("activate-pane switched the workspace: %+v", clients[0])
	}
	cli(t, "rename-workspace", "--workspace", "alpha", "--", "gamma")
	if getClients(); clients[0].Workspace != "gamma" || list(t)[atoi(a)].Workspace != "gamma" {
		t.Errorf("rename did not carry the GUI: %+v", clients[0])
	}
	// Tab and window titles.
	tab := list(t)[atoi(a)].TabID
	cli(t, "set-tab-title", "--tab-id", fmt.Sprint(tab), "build")
	cli(t, "set-window-title", "--pane-id", a, "main window")
	if it := list(t)[atoi(a)]; it.TabTitle != "build" || it.WinTitle != "main window" {
		t.Errorf("titles: %+v", it)
	}
	// Killing the last pane of the GUI's workspace moves it to the first other one.
	cli(t, "kill-pane", "--pane-id", a)
	if getClients(); clients[0].Workspace != "beta" {
		t.Errorf("GUI did not move on: %+v", clients[0])
	}
	// Without --pane-id and WEZTERM_PANE, WezTerm falls back to the GUI's focus.
	if got := cli(t, "get-pane-direction", "Next"); got != "" {
		t.Errorf("get-pane-direction Next with one pane = %q", got)
	}
	// A pane id from the environment.
	t.Setenv("WEZTERM_PANE", "nope")
	if r := run(t, "cli", "--no-auto-start", "kill-pane"); r.code != 1 || !strings.Contains(r.stderr, "invalid digit found in string") {
		t.Errorf("bad WEZTERM_PANE: %d %q", r.code, r.stderr)
	}
}

func TestHeadlessPaneNotSpecified(t *testing.T) {
	startTestServer(t, Config{NoGUI: true})
	cli(t, "spawn", "--new-window")
	if got := cli(t, "list-clients", "--format", "json"); got != "[]" {
		t.Errorf("headless list-clients = %q", got)
	}
	r := run(t, "cli", "--no-auto-start", "kill-pane")
	if r.code != 1 || !strings.Contains(r.stderr, "--pane-id was not specified and $WEZTERM_PANE\n                         is not set") {
		t.Errorf("no pane: %d %q", r.code, r.stderr)
	}
	if it := list(t)[0]; it.WinTitle != "" {
		t.Errorf("headless window_title = %q, want empty", it.WinTitle)
	}
}

func TestFaults(t *testing.T) {
	startTestServer(t, Config{})
	cli(t, "spawn", "--new-window")
	ctl := func(args ...string) {
		t.Helper()
		if r := run(t, append([]string{"ctl"}, args...)...); r.code != 0 {
			t.Fatalf("ctl %v: %s", args, r.stderr)
		}
	}
	ctl("fail", "--call", "3", "boom")
	for i := 1; i <= 4; i++ {
		r := run(t, "cli", "--no-auto-start", "list", "--format", "json")
		if (r.code != 0) != (i == 3) {
			t.Errorf("call %d: exit %d", i, r.code)
		}
		if i == 3 && !strings.Contains(r.stderr, `reason: "Error: boom"`) {
			t.Errorf("call 3 stderr %q", r.stderr)
		}
	}
	ctl("fail", "off")
	ctl("garbage", "on")
	if out := cli(t, "list", "--format", "json"); json.Valid([]byte(out)) {
		t.Errorf("garbage mode printed valid JSON: %q", out)
	}
	ctl("garbage", "off")
	ctl("delay", "300ms")
	start := time.Now()
	cli(t, "list")
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("delay not applied: %v", d)
	}
	ctl("delay", "0s")
	ctl("version", "20230712-072601-f4abf8fd")
	if r := run(t, "--version"); r.stdout != "wezterm 20230712-072601-f4abf8fd\n" {
		t.Errorf("--version = %q", r.stdout)
	}
	if r := run(t, "cli", "--no-auto-start", "zoom-pane", "--pane-id", "0"); r.code != 2 || !strings.Contains(r.stderr, "unrecognized subcommand 'zoom-pane'") {
		t.Errorf("zoom-pane on 20230712: %d %q", r.code, r.stderr)
	}
	ctl("version", "20220624-141144-bd1b7c5d")
	if out := cli(t, "list", "--format", "json"); strings.Contains(out, "left_col") || !strings.Contains(out, `"cwd"`) {
		t.Errorf("2022-06 list has the wrong fields: %s", out)
	}
}

func TestNotRunningAndFlagOrder(t *testing.T) {
	dir, _ := os.MkdirTemp("", "wsim")
	defer os.RemoveAll(dir)
	t.Setenv("WEZTERM_UNIX_SOCKET", dir+"/sock")
	t.Setenv("WEZTERM_SIM_NO_AUTOSTART", "1")
	r := run(t, "cli", "--no-auto-start", "list")
	want := regexp.MustCompile(`^\d\d:\d\d:\d\d\.\d{3}  ERROR  wezterm > failed to connect to Socket\("` + regexp.QuoteMeta(dir) + `/sock"\): connecting to ` + regexp.QuoteMeta(dir) + `/sock; terminating\n$`)
	if r.code != 1 || !want.MatchString(r.stderr) {
		t.Errorf("not running: exit %d, stderr %q", r.code, r.stderr)
	}
	r = run(t, "cli", "list", "--no-auto-start")
	if r.code != 2 || !strings.HasPrefix(r.stderr, "error: unexpected argument '--no-auto-start' found") {
		t.Errorf("flag after subcommand: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestListTableAndJSONFormat(t *testing.T) {
	startTestServer(t, Config{})
	cli(t, "spawn", "--new-window", "--workspace", "wide", "--", "sh", "-c", `printf '\033]0;⠐ Claude Code\007'; exec sleep 30`)
	eventually(t, "title", func() bool { return list(t)[0].Title == "⠐ Claude Code" })
	out := cli(t, "list", "--format", "json")
	if strings.HasSuffix(out, "\n") || !strings.HasPrefix(out, "[\n  {\n    \"window_id\": 0,") {
		t.Errorf("JSON layout differs from serde's pretty printer: %q", out[:min(60, len(out))])
	}
	tb := cli(t, "list")
	lines := strings.Split(tb, "\n")
	if !strings.HasPrefix(lines[0], "WINID TABID PANEID WORKSPACE SIZE   TITLE") || !strings.Contains(lines[1], "    0     0      0 wide      160x48 ⠐ Claude Code") {
		t.Errorf("table:\n%s", tb)
	}
}
