package restore

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/assets"
	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/snapshot"
	"github.com/wezterm-parallel/wezterm-parallel/internal/spend"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

var t0 = time.Date(2026, 12, 7, 10, 42, 0, 0, time.Local)

func rules(t testing.TB) []agents.Rule {
	r, err := agents.LoadRules(assets.AgentRules, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func tty(n int) *string { s := fmt.Sprintf("/dev/pts/%d", n); return &s }

func pane(id, left, top, cols, rows int, cwd, fg, cmdline string) topology.Pane {
	one := 1
	p := topology.Pane{ID: wezterm.PaneID(id), Left: left, Top: top, Cols: cols, Rows: rows, CWD: cwd, TTY: tty(id)}
	if fg != "" {
		p.Usage = &topology.Usage{ProcessCount: &one, Foreground: &topology.Foreground{PID: int32(id + 100), Name: fg, Cmdline: cmdline}}
	}
	return p
}

func agentPane(p topology.Pane, name, session string) topology.Pane {
	p.Agent = &topology.Agent{Name: name, Status: agents.Idle, PID: p.Usage.Foreground.PID, Session: session}
	return p
}

func ws(name string, tabs ...topology.Tab) topology.Workspace {
	for i := range tabs {
		for j := range tabs[i].Panes {
			tabs[i].Panes[j].Workspace = name
		}
	}
	return topology.Workspace{Name: name, Windows: []topology.Window{{ID: 1, Tabs: tabs}}}
}

func tab(title string, panes ...topology.Pane) topology.Tab {
	t := topology.Tab{Title: title, TitleSet: title != "", Panes: panes}
	for _, p := range panes {
		t.Cols, t.Rows = max(t.Cols, p.Left+p.Cols), max(t.Rows, p.Top+p.Rows)
	}
	return t
}

// fixture is a home with folders and agent records.
type fixture struct {
	home, proj, web, gone string
	roots                 spend.Roots
}

func newFixture(t *testing.T) fixture {
	home := t.TempDir()
	f := fixture{home: home, proj: filepath.Join(home, "proj one"), web: filepath.Join(home, "proj one", "web 项目"),
		gone: filepath.Join(home, "deleted")}
	os.MkdirAll(f.web, 0o700)
	f.roots = spend.DefaultRoots(func(string) string { return "" }, home)
	// Claude Code: a transcript for session "c-live".
	os.MkdirAll(filepath.Join(home, ".claude", "projects", "-x"), 0o700)
	os.WriteFile(filepath.Join(home, ".claude", "projects", "-x", "c-live.jsonl"), []byte("{}\n"), 0o600)
	// Codex: a rollout for 019a0000-live.
	os.MkdirAll(filepath.Join(home, ".codex", "sessions", "2026", "12", "07"), 0o700)
	os.WriteFile(filepath.Join(home, ".codex", "sessions", "2026", "12", "07", "rollout-2026-12-07T10-00-00-019a0000-live.jsonl"), []byte("{}\n"), 0o600)
	// Gemini CLI: a recording for 3f2b1c9d-… in f.proj.
	h := sha256.Sum256([]byte(f.proj))
	os.MkdirAll(filepath.Join(home, ".gemini", "tmp", "proj-one", "chats"), 0o700)
	os.WriteFile(filepath.Join(home, ".gemini", "tmp", "proj-one", "chats", "session-2026-12-07T10-00-3f2b1c9d.jsonl"),
		[]byte(`{"sessionId":"3f2b1c9d-aaaa-4bbb-8ccc-dddddddddddd","projectHash":"`+hex.EncodeToString(h[:])+`","kind":"main"}`+"\n"), 0o600)
	return f
}

func (f fixture) options(t *testing.T) Options {
	return Options{Rules: rules(t), Sessions: Sessions{Roots: f.roots}, Home: f.home}
}

func take(tr topology.Tree) *snapshot.Snapshot {
	s := snapshot.Take(tr, t0, "test")
	s.ID = "20261207T094200Z"
	return s
}

func rowsByDir(p *Plan) map[string]Row {
	m := map[string]Row{}
	for _, r := range p.Rows() {
		m[r.Dir+"|"+r.Command] = r
	}
	return m
}

func TestPlanPanes(t *testing.T) {
	f := newFixture(t)
	ssh := pane(7, 0, 25, 80, 23, "/home/u/remote", "ssh", "ssh build-box")
	evil := pane(8, 81, 25, 79, 23, f.proj, "sh", "")
	evil.Usage.Foreground = &topology.Foreground{PID: 9, Name: "python3", Cmdline: "python3 -c 'print(1)\n\x1b[2J'"}
	tr := topology.Tree{Workspaces: []topology.Workspace{
		ws("dev",
			tab("agents",
				agentPane(pane(1, 0, 0, 80, 24, f.proj, "claude", "claude"), "Claude Code", "c-live"),
				agentPane(pane(2, 81, 0, 79, 24, f.proj, "claude", "claude"), "Claude Code", "c-gone"),
				ssh, evil),
			tab("",
				pane(3, 0, 0, 80, 48, f.web, "npm", "npm run dev"),
				pane(4, 81, 0, 79, 24, f.gone, "bash", "bash"),
				pane(5, 81, 25, 79, 23, f.proj, "make", "make watch TARGET=all")),
		),
		ws("ai",
			tab("",
				func() topology.Pane {
					p := agentPane(pane(10, 0, 0, 80, 48, f.proj, "codex", "codex"), "Codex", "")
					p.Spend = &topology.Spend{Session: "019a0000-live", Model: "gpt-6.1-sol"}
					return p
				}(),
				agentPane(pane(11, 81, 0, 79, 24, f.proj, "gemini", "node /usr/lib/gemini.js"), "Gemini CLI", "3f2b1c9d-aaaa-4bbb-8ccc-dddddddddddd"),
				agentPane(pane(12, 81, 25, 79, 23, f.web, "gemini", "gemini"), "Gemini CLI", "3f2b1c9d-aaaa-4bbb-8ccc-dddddddddddd"))),
	}}
	o := f.options(t)
	o.Allowed = []string{"npm  run dev", "make watch *"}
	p, err := NewPlan(take(tr), topology.Tree{}, o)
	if err != nil {
		t.Fatal(err)
	}
	rows := p.Rows()
	if len(rows) != 10 {
		t.Fatalf("%d rows", len(rows))
	}
	cases := []struct {
		i       int
		kind    Kind
		mode    Mode
		command string
		resumed bool
		note    string
	}{
		{0, Agent, Runs, "claude --resume c-live", true, ""},
		{2, Agent, Runs, "claude", false, "session c-gone is gone (its transcript is gone)"},
		{1, Remote, Waits, "ssh build-box", false, "was on build-box:/home/u/remote: not opened there"},
		{3, Program, Shown, "python3 -c 'print(1)\n\x1b[2J'", false, "control characters"},
		{4, Program, Runs, "npm run dev", false, ""},
		{5, Shell, None, "", false, "that folder is gone; it opens in"},
		{6, Program, Runs, "make watch TARGET=all", false, ""},
		{7, Agent, Runs, "codex resume 019a0000-live", true, ""},
		{8, Agent, Runs, "gemini --resume 3f2b1c9d-aaaa-4bbb-8ccc-dddddddddddd", true, ""},
		{9, Agent, Runs, "gemini", false, "only in the folder it was started in"},
	}
	for _, c := range cases {
		r := rows[c.i]
		if r.Kind != c.kind || r.Mode != c.mode || r.Command != c.command || r.Resumed != c.resumed || !strings.Contains(r.Note, c.note) {
			t.Errorf("row %d: %s %s %q resumed=%v note %q\n  want %s %s %q %v note ~%q", c.i, r.Kind, r.Mode, r.Command, r.Resumed, r.Note,
				c.kind, c.mode, c.command, c.resumed, c.note)
		}
	}
	if rows[5].Dir != f.proj {
		t.Errorf("a gone folder opens in the workspace's root %q, not %q", f.proj, rows[5].Dir)
	}
	if rows[1].Dir == "/home/u/remote" {
		t.Error("a remote folder is never opened here")
	}
	if strings.ContainsAny(rows[3].Does, "\n\x1b") {
		t.Errorf("text shown escaped: %q", rows[3].Does)
	}
	m := p.Summary()
	if m.Panes != 10 || m.Agents != 5 || m.Resumed != 3 || m.Runs != 2 || m.Waits != 1 {
		t.Errorf("summary %+v", m)
	}
	// Without the allow list, the dev server waits; with run all, it runs.
	o.Allowed = nil
	p2, _ := NewPlan(take(tr), topology.Tree{}, o)
	if r := p2.Rows()[4]; r.Mode != Waits || !strings.Contains(r.Does, "waits for your Enter") {
		t.Errorf("not allowed: %+v", r)
	}
	o.RunAll = true
	p3, _ := NewPlan(take(tr), topology.Tree{}, o)
	if r := p3.Rows()[1]; r.Mode != Runs || r.Why != "run all" {
		t.Errorf("run all: %+v", r)
	}
	if r := p3.Rows()[3]; r.Mode != Shown {
		t.Errorf("run all never types control characters: %+v", r)
	}
}

func TestPlanSessionIDsAreNotObeyed(t *testing.T) {
	f := newFixture(t)
	bad := agentPane(pane(1, 0, 0, 80, 24, f.proj, "claude", "claude"), "Claude Code", "x; rm -rf ~")
	p, err := NewPlan(take(topology.Tree{Workspaces: []topology.Workspace{ws("w", tab("", bad))}}), topology.Tree{}, f.options(t))
	if err != nil {
		t.Fatal(err)
	}
	r := p.Rows()[0]
	if r.Command != "claude" || r.Resumed || !strings.Contains(r.Note, "not one an agent writes") {
		t.Errorf("%+v", r)
	}
}

func TestPlanExisting(t *testing.T) {
	f := newFixture(t)
	snap := take(topology.Tree{Workspaces: []topology.Workspace{
		ws("dev",
			tab("one", pane(1, 0, 0, 80, 24, f.proj, "bash", "bash"), pane(2, 81, 0, 79, 24, f.web, "bash", "bash")),
			tab("two", pane(3, 0, 0, 160, 24, f.web, "bash", "bash")),
			tab("three", pane(4, 0, 0, 80, 24, f.proj, "bash", "bash"), pane(5, 81, 0, 79, 24, f.proj, "bash", "bash"))),
		ws("new", tab("", pane(6, 0, 0, 80, 24, f.proj, "bash", "bash"))),
	}})
	// There now: tab one whole (other ids, other order), one pane of three.
	now := topology.Tree{Workspaces: []topology.Workspace{
		ws("dev",
			tab("", pane(40, 0, 0, 80, 24, f.web, "bash", "bash"), pane(41, 81, 0, 79, 24, f.proj, "vim", "vim")),
			tab("", pane(42, 0, 0, 80, 24, f.proj, "bash", "bash"))),
		ws("dev (restored)", tab("", pane(43, 0, 0, 80, 24, f.proj, "bash", "bash"))),
	}}
	o := f.options(t)
	p, err := NewPlan(snap, now, o)
	if err != nil {
		t.Fatal(err)
	}
	dev := p.Workspaces[0]
	if dev.Action != Merge || !dev.Exists || dev.Present != 1 || dev.Partial != 1 || len(dev.Windows) != 1 || len(dev.Windows[0].Tabs) != 1 || dev.Windows[0].Tabs[0].Title != "two" {
		t.Fatalf("merge: %+v windows %d", dev, len(dev.Windows))
	}
	if nw := p.Workspaces[1]; nw.Action != Create || nw.Exists {
		t.Errorf("new: %+v", nw)
	}
	if !strings.Contains(strings.Join(p.Notes(), "\n"), `tab three: 1 of its 2 panes are there`) {
		t.Errorf("notes: %q", p.Notes())
	}
	o.Existing = map[string]Action{"dev": Copy}
	p, _ = NewPlan(snap, now, o)
	if d := p.Workspaces[0]; d.Action != Copy || d.Target != "dev (restored 2)" || len(d.Windows[0].Tabs) != 3 {
		t.Errorf("copy: %+v", d)
	}
	o.Existing = map[string]Action{"": Skip}
	p, _ = NewPlan(snap, now, o)
	if d := p.Workspaces[0]; d.Action != Skip || len(d.Windows) != 0 || p.Workspaces[1].Action != Create {
		t.Errorf("skip: %+v", d)
	}
	o.Existing = nil
	o.Workspaces = []string{"new"}
	p, _ = NewPlan(snap, now, o)
	if len(p.Workspaces) != 1 || p.Workspaces[0].Name != "new" {
		t.Errorf("--workspace: %+v", p.Workspaces)
	}
	o.Workspaces = []string{"nope"}
	if _, err := NewPlan(snap, now, o); err == nil || !strings.Contains(err.Error(), "has no workspace nope (it has dev, new)") {
		t.Errorf("unknown workspace: %v", err)
	}
}

func TestPlanSymlinkedFolderIsThere(t *testing.T) {
	f := newFixture(t)
	link := filepath.Join(f.home, "link")
	os.Symlink(f.proj, link)
	snap := take(topology.Tree{Workspaces: []topology.Workspace{ws("dev", tab("", pane(1, 0, 0, 80, 24, link, "bash", "bash")))}})
	now := topology.Tree{Workspaces: []topology.Workspace{ws("dev", tab("", pane(2, 0, 0, 80, 24, f.proj, "vim", "vim")))}}
	p, _ := NewPlan(snap, now, f.options(t))
	if !p.Empty() {
		t.Errorf("the same folder through a link is there already: %+v", p.Workspaces[0])
	}
}

func TestPlanBlank(t *testing.T) {
	f := newFixture(t)
	snap := take(topology.Tree{Workspaces: []topology.Workspace{ws("default", tab("", pane(1, 0, 0, 80, 24, f.proj, "bash", "bash"), pane(2, 81, 0, 79, 24, f.proj, "bash", "bash")))}})
	blank := topology.Tree{Workspaces: []topology.Workspace{ws("default", tab("", pane(0, 0, 0, 80, 24, f.home, "zsh", "-zsh")))}}
	p, _ := NewPlan(snap, blank, f.options(t))
	if p.Blank == nil || *p.Blank != 0 || p.Workspaces[0].Exists {
		t.Errorf("the start-up pane is not a workspace of the user's, and it is closed: %+v %v", p.Workspaces[0], p.Blank)
	}
	busy := topology.Tree{Workspaces: []topology.Workspace{ws("default", tab("", pane(0, 0, 0, 80, 24, f.home, "vim", "vim")))}}
	if p, _ := NewPlan(snap, busy, f.options(t)); p.Blank != nil || !p.Workspaces[0].Exists {
		t.Errorf("a pane running a program is the user's: %v", p.Blank)
	}
	o := f.options(t)
	o.KeepBlank = true
	if p, _ := NewPlan(snap, blank, o); p.Blank != nil {
		t.Error("KeepBlank")
	}
}

func TestOffer(t *testing.T) {
	blank := topology.Tree{Workspaces: []topology.Workspace{ws("default", tab("", pane(0, 0, 0, 80, 24, "/home/u", "zsh", "-zsh")))}}
	busy := topology.Tree{Workspaces: []topology.Workspace{ws("default", tab("", pane(0, 0, 0, 80, 24, "/home/u", "zsh", "-zsh"), pane(1, 81, 0, 79, 24, "/home/u", "zsh", "-zsh")))}}
	infos := []snapshot.Info{
		{ID: "b", Err: "broken"},
		{ID: "blank", Blank: true, Summary: snapshot.Summary{Workspaces: 1, Panes: 1}},
		{ID: "good", Confirmed: t0, Summary: snapshot.Summary{Workspaces: 4, Panes: 23, Agents: 6}},
		{ID: "older", Confirmed: t0.Add(-time.Hour), Summary: snapshot.Summary{Workspaces: 1, Panes: 2}},
	}
	b, ok := Offer(blank, infos, t0.Add(3*time.Hour))
	if !ok || b.Text != "Restore 4 workspaces, 23 panes, 6 agents from 10:42" || b.Snapshot != "good" {
		t.Errorf("offer: %+v %v", b, ok)
	}
	if _, ok := Offer(busy, infos, t0); ok {
		t.Error("offered while WezTerm has the user's panes")
	}
	if _, ok := Offer(blank, infos[:2], t0); ok {
		t.Error("offered nothing worth restoring")
	}
	if l := TrayLabel(busy, infos, t0); l != "Restore a snapshot…" {
		t.Errorf("tray: %q", l)
	}
	if l := TrayLabel(blank, infos, t0); l != "Restore 4 workspaces, 23 panes, 6 agents from 10:42…" {
		t.Errorf("tray offer: %q", l)
	}
	if l := TrayLabel(busy, nil, t0); l != "" {
		t.Errorf("no snapshot, no item: %q", l)
	}
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{t0, "10:42"},
		{t0.AddDate(0, 0, -1), "yesterday 10:42"},
		{t0.AddDate(0, 0, -3), t0.AddDate(0, 0, -3).Format("Mon") + " 10:42"},
		{t0.AddDate(0, 0, -20), t0.AddDate(0, 0, -20).Format("2 Jan") + " 10:42"},
		{t0.AddDate(-1, 0, 0), "7 Dec 2025 10:42"},
	} {
		if got := When(c.at, t0.Add(time.Hour)); got != c.want {
			t.Errorf("When(%v) = %q, want %q", c.at, got, c.want)
		}
	}
}

func TestPlanJSONAndLines(t *testing.T) {
	f := newFixture(t)
	tr := topology.Tree{Workspaces: []topology.Workspace{ws("dev",
		tab("agents", agentPane(pane(1, 0, 0, 80, 24, f.proj, "claude", "claude"), "Claude Code", "c-live"),
			pane(2, 81, 0, 79, 24, f.web, "npm", "npm run dev")))}}
	p, err := NewPlan(take(tr), topology.Tree{}, f.options(t))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Join(p.Lines(), "\n")
	for _, want := range []string{
		"dev: new — 1 window, 2 panes",
		"tab 1 agents  in '" + f.proj + "': resumes Claude Code's session c-live: types 'claude --resume c-live' and Enter",
		"types 'npm run dev' and waits for your Enter",
	} {
		if !strings.Contains(lines, want) {
			t.Errorf("lines lack %q:\n%s", want, lines)
		}
	}
	j := p.JSON(snapshot.Info{ID: "x"}, nil)
	b, _ := json.Marshal(j)
	for _, want := range []string{`"action":"create"`, `"mode":"runs"`, `"mode":"waits"`, `"resumed":true`, `"close_startup_pane":null`, `"commands":[]`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("json lacks %s: %s", want, b)
		}
	}
}

func TestAllowed(t *testing.T) {
	for _, c := range []struct {
		list []string
		cmd  string
		want bool
	}{
		{[]string{"npm run dev"}, "npm run dev", true},
		{[]string{"npm run dev"}, "npm  run   dev", true},
		{[]string{"npm run dev"}, "npm run dev --port 3", false},
		{[]string{"npm run *"}, "npm run dev --port 3", true},
		{[]string{"*/bin/serve"}, "/opt/x/bin/serve", true},
		{[]string{"*"}, "anything at all", true},
		{[]string{""}, "", false},
		{nil, "npm run dev", false},
	} {
		if got := allowed(c.list, c.cmd); got != c.want {
			t.Errorf("allowed(%q, %q) = %v", c.list, c.cmd, got)
		}
	}
}

func TestServiceInfosFollowTheFolder(t *testing.T) {
	dir := t.TempDir()
	svc := &Service{Store: snapshot.Open(dir)}
	if in, err := svc.Infos(); err != nil || len(in) != 0 {
		t.Fatalf("empty: %v %v", in, err)
	}
	f := newFixture(t)
	s := snapshot.Take(topology.Tree{Workspaces: []topology.Workspace{ws("w", tab("", pane(1, 0, 0, 80, 24, f.proj, "vim", "vim")))}}, t0, "t")
	if _, err := svc.Store.Save(s); err != nil {
		t.Fatal(err)
	}
	// The folder's time may not move within its resolution: the writer
	// says so (Forget) when it wrote.
	svc.Forget()
	if in, _ := svc.Infos(); len(in) != 1 {
		t.Errorf("after a save: %d", len(in))
	}
	blank := topology.Tree{Workspaces: []topology.Workspace{ws("default", tab("", pane(0, 0, 0, 80, 24, "/h", "zsh", "zsh")))}}
	if b, ok := svc.Offer(blank, t0); !ok || b.Text != "Restore 1 workspace, 1 pane from 10:42" {
		t.Errorf("offer: %+v %v", b, ok)
	}
}

// A grid of one command is said once, then how many more panes do the
// same; a pane that differs is said on its own.
func TestLinesSayTheSameOnce(t *testing.T) {
	pane := func(cmd string) *PanePlan {
		return &PanePlan{Kind: Program, Dir: "/w", Command: cmd, Mode: Waits}
	}
	p := &Plan{Workspaces: []*WorkspacePlan{{Name: "big", Target: "big", Action: Create, Windows: []*WindowPlan{{Tabs: []*TabPlan{{
		Panes: []*PanePlan{pane("sleep 3600"), pane("sleep 3600"), pane("sleep 3600"), pane("top"), pane("sleep 3600")}}}}}}}}
	got := strings.Join(p.Lines(), "\n")
	want := `big: new — 1 window, 5 panes
  tab 1  in /w: types 'sleep 3600' and waits for your Enter
      and the same in 2 more panes
  tab 1  in /w: types top and waits for your Enter
  tab 1  in /w: types 'sleep 3600' and waits for your Enter`
	if got != want {
		t.Errorf("lines:\n%s\nwant:\n%s", got, want)
	}
}
