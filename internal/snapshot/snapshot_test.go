package snapshot

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

var t0 = time.Date(2026, 12, 7, 10, 42, 0, 0, time.UTC)

func tty(n int) *string { s := fmt.Sprintf("/dev/pts/%d", n); return &s }

// pane makes a topology pane with a tty and a foreground program.
func pane(id int, left, top, cols, rows int, cwd, fg, cmdline string) topology.Pane {
	p := topology.Pane{ID: wezterm.PaneID(id), Left: left, Top: top, Cols: cols, Rows: rows, CWD: cwd, TTY: tty(id),
		Title: fmt.Sprintf("title %d", id)}
	if fg != "" {
		n := 1
		p.Usage = &topology.Usage{ProcessCount: &n, Foreground: &topology.Foreground{PID: int32(1000 + id), Name: fg, Cmdline: cmdline}}
	}
	return p
}

func tab(cols, rows int, panes ...topology.Pane) topology.Tab {
	return topology.Tab{Cols: cols, Rows: rows, Panes: panes}
}

func tree(ws ...topology.Workspace) topology.Tree { return topology.Tree{Workspaces: ws} }

func workspace(name string, tabs ...topology.Tab) topology.Workspace {
	return topology.Workspace{Name: name, Windows: []topology.Window{{ID: 1, Tabs: tabs}}}
}

// A tab of three panes: a shell on the left (80 cols), an agent above a dev
// server on the right.
func threePanes() topology.Tab {
	a := pane(1, 0, 0, 80, 48, "/home/u/proj one", "bash", "bash")
	b := pane(2, 81, 0, 79, 24, "/home/u/项目", "claude", "claude --model opus")
	b.Agent = &topology.Agent{Name: "Claude Code", Status: agents.Idle, PID: 1002, Session: "5a3c-77"}
	b.Spend = &topology.Spend{Model: "claude-opus-5-5", Session: "other"}
	c := pane(3, 81, 25, 79, 23, "/home/u/proj one/web", "npm", "npm run dev")
	t := tab(160, 48, a, b, c)
	t.Title, t.TitleSet = "work", true
	return t
}

func TestTake(t *testing.T) {
	s := Take(tree(workspace("dev", threePanes())), t0, "test")
	if s.Version != Version || s.Source != "test" || !s.Taken.Equal(t0) {
		t.Fatalf("header: %+v", s)
	}
	tb := s.Workspaces[0].Windows[0].Tabs[0]
	if tb.Title != "work" || tb.Cols != 160 || tb.Rows != 48 || tb.Approx {
		t.Fatalf("tab: %+v", tb)
	}
	r := tb.Root
	if r.Split != "right" || len(r.Children) != 2 || r.Children[1].Split != "down" {
		t.Fatalf("tree: %s", js(r))
	}
	if r.Children[0].Size != 50 && r.Children[0].Size != 0 {
		t.Errorf("left share %g", r.Children[0].Size)
	}
	ps := tb.Panes()
	if len(ps) != 3 {
		t.Fatalf("%d panes", len(ps))
	}
	if ps[0].Shell != "bash" || ps[0].Program != nil || ps[0].Dir != "/home/u/proj one" || ps[0].Place != Local {
		t.Errorf("shell pane: %s", js(ps[0]))
	}
	if ps[1].Agent == nil || ps[1].Agent.Session != "5a3c-77" || ps[1].Agent.Model != "claude-opus-5-5" || ps[1].Program.Cmdline != "claude --model opus" {
		t.Errorf("agent pane (its own session wins over spend's): %s", js(ps[1]))
	}
	if ps[2].Program == nil || ps[2].Program.Cmdline != "npm run dev" || ps[2].Dir != "/home/u/proj one/web" {
		t.Errorf("dev server: %s", js(ps[2]))
	}
	m := s.Summary()
	if m != (Summary{Workspaces: 1, Windows: 1, Tabs: 1, Panes: 3, Agents: 1, Programs: 1}) {
		t.Errorf("summary %+v", m)
	}
	if got := m.Describe(); got != "1 workspace, 3 panes, 1 agent" {
		t.Errorf("describe %q", got)
	}
}

func TestTakeAgentSessionFromSpend(t *testing.T) {
	p := pane(1, 0, 0, 80, 24, "/p", "codex", "codex")
	p.Agent = &topology.Agent{Name: "Codex", Status: agents.Working}
	p.Spend = &topology.Spend{Model: "gpt-6.1-sol", Session: "0199a-codex"}
	gone := pane(2, 81, 0, 79, 24, "/p", "bash", "bash")
	gone.Agent = &topology.Agent{Name: "Codex", Status: agents.Exited}
	s := Take(tree(workspace("w", tab(160, 24, p, gone))), t0, "test")
	ps := s.Workspaces[0].Windows[0].Tabs[0].Panes()
	if a := ps[0].Agent; a == nil || a.Session != "0199a-codex" || a.Model != "gpt-6.1-sol" {
		t.Errorf("codex: %s", js(ps[0]))
	}
	if ps[1].Agent != nil {
		t.Errorf("an exited agent is not recorded: %s", js(ps[1]))
	}
}

func TestTakeLauncherAgent(t *testing.T) {
	p := pane(1, 0, 0, 80, 24, "/p", "npx", "npm exec claude")
	p.Usage.Group = []topology.Foreground{{PID: 77, Name: "claude", Cmdline: "claude --resume x"}}
	p.Agent = &topology.Agent{Name: "Claude Code", Status: agents.Idle, PID: 77}
	s := Take(tree(workspace("w", tab(80, 24, p))), t0, "test")
	if got := s.Workspaces[0].Windows[0].Tabs[0].Panes()[0].Program; got == nil || got.Name != "claude" {
		t.Errorf("the agent a launcher runs is the program: %+v", got)
	}
}

func TestClassify(t *testing.T) {
	ssh := pane(1, 0, 0, 1, 1, "/home/u/proj", "ssh", "ssh -p 2222 -i key alice@build-box")
	mosh := pane(1, 0, 0, 1, 1, "/x", "mosh-client", "mosh-client devbox")
	noTTY := pane(1, 0, 0, 1, 1, "/srv/remote-only", "", "")
	noTTY.TTY = nil
	osc7 := pane(1, 0, 0, 1, 1, "/home/u/proj", "bash", "bash")
	osc7.Host = "build-box"
	told := pane(1, 0, 0, 1, 1, "/home/u/proj", "bash", "bash")
	told.Where = "remote" // the client's word (a remote OSC 7 after ssh)
	domain := pane(1, 0, 0, 1, 1, "/srv/x", "bash", "bash")
	domain.Where = "unknown" // a mux domain's pane
	cases := []struct {
		name string
		p    topology.Pane
		want Location
	}{
		{"local", pane(1, 0, 0, 1, 1, "/tmp", "bash", "bash"), Location{Place: Local, Dir: "/tmp"}},
		{"no folder", pane(1, 0, 0, 1, 1, "", "bash", "bash"), Location{Place: Unknown}},
		{"OSC 7 host", osc7, Location{Place: Remote, Host: "build-box", Path: "/home/u/proj"}},
		{"ssh'ed away", ssh, Location{Place: Remote, Host: "build-box", Path: "/home/u/proj"}},
		{"mosh", mosh, Location{Place: Remote, Host: "devbox", Path: "/x"}},
		{"no tty", noTTY, Location{Place: Unknown, Path: "/srv/remote-only"}},
		{"remote by the client", told, Location{Place: Remote, Path: "/home/u/proj"}},
		{"a domain's pane", domain, Location{Place: Unknown, Path: "/srv/x"}},
	}
	for _, c := range cases {
		if got := Classify(c.p); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestTakeCuts(t *testing.T) {
	long := "run " + strings.Repeat("x", 3000)
	p := pane(1, 0, 0, 80, 24, "/p", "run", long)
	p.Title = strings.Repeat("é", 400)
	pn := Take(tree(workspace("w", tab(80, 24, p))), t0, "t").Workspaces[0].Windows[0].Tabs[0].Panes()[0]
	if !pn.Program.Cut || len(pn.Program.Cmdline) > MaxCmdline {
		t.Errorf("command line not cut: %d bytes", len(pn.Program.Cmdline))
	}
	if len(pn.Title) > MaxTitle || !strings.HasPrefix(p.Title, pn.Title) {
		t.Errorf("title cut badly: %d bytes", len(pn.Title))
	}
}

func TestBlank(t *testing.T) {
	one := Take(tree(workspace("default", tab(80, 24, pane(0, 0, 0, 80, 24, "/home/u", "zsh", "zsh")))), t0, "t")
	if !one.Blank() {
		t.Error("one shell is blank")
	}
	prog := Take(tree(workspace("default", tab(80, 24, pane(0, 0, 0, 80, 24, "/home/u", "htop", "htop")))), t0, "t")
	if prog.Blank() {
		t.Error("one program is not blank")
	}
	if Take(tree(workspace("d", threePanes())), t0, "t").Blank() {
		t.Error("three panes are not blank")
	}
}

func js(v any) string { b, _ := json.Marshal(v); return string(b) }

func TestStoreSaveListPrune(t *testing.T) {
	st := Open(t.TempDir())
	var first string
	for i := 0; i < Keep+3; i++ {
		s := Take(tree(workspace(fmt.Sprintf("w%d", i), threePanes())), t0.Add(time.Duration(i/2)*time.Second), "t")
		if _, err := st.Save(s); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = s.ID
		}
	}
	list, err := st.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != Keep {
		t.Fatalf("%d kept, want %d", len(list), Keep)
	}
	if list[0].Names[0] != fmt.Sprintf("w%d", Keep+2) || list[len(list)-1].Names[0] != "w3" {
		t.Errorf("order: newest %v, oldest %v", list[0].Names, list[len(list)-1].Names)
	}
	if _, err := st.Load(first); err == nil {
		t.Error("the oldest was not removed")
	}
	if list[0].ID != "20261207T104211Z" || list[1].ID != "20261207T104210Z-2" || list[2].ID != "20261207T104210Z" {
		t.Errorf("ids of two taken in one second: %s %s", list[0].ID, list[1].ID)
	}
	// An update keeps the file.
	s, err := st.Load(list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	s.Confirmed = t0.Add(time.Hour)
	if _, err := st.Update(s); err != nil {
		t.Fatal(err)
	}
	again, _ := st.List()
	if len(again) != Keep || !again[0].Confirmed.Equal(t0.Add(time.Hour)) {
		t.Errorf("update: %d files, confirmed %v", len(again), again[0].Confirmed)
	}
	latest, err := st.Latest()
	if err != nil || latest.ID != list[0].ID {
		t.Errorf("latest %v %v", latest, err)
	}
}

func TestStoreListsBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	st := Open(dir)
	os.WriteFile(filepath.Join(dir, "snapshot-20261207T104200Z.json"), []byte(`{"version":1,"workspaces":[{"name":"x","windows":[{"tabs":[{"root":{"split":"left"}}]}]}]}`), 0o600)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o600)
	list, err := st.List()
	if err != nil || len(list) != 1 || !strings.Contains(list[0].Err, `split "left"`) {
		t.Fatalf("%+v %v", list, err)
	}
	if _, err := st.Latest(); err == nil {
		t.Error("a broken file is not a latest snapshot")
	}
	if _, err := st.Load("../../etc/passwd"); err == nil {
		t.Error("a path is not an id")
	}
}

func TestEncodeTrims(t *testing.T) {
	var tabs []topology.Tab
	for i := 0; i < 600; i++ {
		p := pane(i, 0, 0, 80, 24, "/home/u/"+strings.Repeat("d", 200), "python3", "python3 "+strings.Repeat("a", 1500))
		p.Title = strings.Repeat("t", 200)
		tabs = append(tabs, tab(80, 24, p))
	}
	s := Take(tree(workspace("a", tabs[:300]...), workspace("b", tabs[300:]...)), t0, "t")
	data, err := Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > MaxBytes {
		t.Fatalf("%d bytes", len(data))
	}
	if !strings.Contains(s.Trimmed, "titles") {
		t.Errorf("trimmed: %q", s.Trimmed)
	}
	back, err := Parse("x.json", data)
	if err != nil || back.Trimmed == "" {
		t.Fatalf("%v", err)
	}
}

func TestParseErrors(t *testing.T) {
	deep := `{"split":"right","children":[` + strings.Repeat(`{"split":"right","children":[{"pane":{"place":"unknown"}},`, 70) + `{"pane":{"place":"unknown"}}` + strings.Repeat(`]}`, 70) + `,{"pane":{"place":"unknown"}}]}`
	wrap := func(root string) string {
		return `{"version":1,"workspaces":[{"name":"w","windows":[{"tabs":[{"cols":80,"rows":24,"root":` + root + `}]}]}]}`
	}
	cases := []struct{ name, data, want string }{
		{"not json", "{\n  \"version\": 1,\n  oops\n}", "f.json:3:3:"},
		{"wrong type", `{"version":"1"}`, "f.json:1:"},
		{"not ours", `{"workspaces":[]}`, "not a wezterm-parallel snapshot"},
		{"newer", `{"version":99}`, "newer than this wezterm-parallel reads"},
		{"bad split", wrap(`{"split":"diagonal","children":[{"pane":{"place":"local","dir":"/a"}},{"pane":{"place":"local","dir":"/b"}}]}`), `split "diagonal"`},
		{"one child", wrap(`{"split":"down","children":[{"pane":{"place":"local","dir":"/a"}}]}`), "fewer than two"},
		{"relative dir", wrap(`{"pane":{"place":"local","dir":"a/b"}}`), "not absolute"},
		{"bad place", wrap(`{"pane":{"place":"mars"}}`), `place "mars"`},
		{"sizes", wrap(`{"split":"down","children":[{"size":60,"pane":{"place":"unknown"}},{"size":50,"pane":{"place":"unknown"}}]}`), "add up to 110%"},
		{"deep", wrap(deep), "nested more than"},
		{"no root", wrap(`null`), "has no panes"},
	}
	for _, c := range cases {
		_, err := Parse("f.json", []byte(c.data))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "f.json") {
			t.Errorf("%s: the message does not name the file: %v", c.name, err)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	s := Take(tree(workspace("dev", threePanes()), workspace("日本語 ws", tab(80, 24, pane(9, 0, 0, 80, 24, "/home/u/日本", "fish", "fish")))), t0, "t")
	data, err := Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse("x", data)
	if err != nil {
		t.Fatal(err)
	}
	if js(back) != js(s) {
		t.Errorf("round trip:\n%s\n%s", js(back), js(s))
	}
}

func FuzzParse(f *testing.F) {
	s := Take(tree(workspace("dev", threePanes())), t0, "t")
	data, _ := Encode(s)
	f.Add(data)
	f.Add([]byte(`{"version":1,"workspaces":[{"name":"w","windows":[{"tabs":[{"root":{"split":"right","children":[{"pane":{"place":"local","dir":"/a"}},{"size":99.5,"pane":{"place":"remote"}}]}}]}]}]}`))
	f.Add([]byte(`{"version":1,"workspaces":[{"windows":[{"tabs":[]}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("f.json", data)
		if err != nil {
			return
		}
		// What parses is usable: counted, summarised, encoded again.
		s.Summary()
		s.Blank()
		if _, err := Encode(s); err != nil && len(data) < MaxBytes/2 {
			t.Fatalf("parsed but does not encode: %v", err)
		}
	})
}
