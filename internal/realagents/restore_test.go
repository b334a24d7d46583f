//go:build unix

package realagents

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/assets"
	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/control"
	"github.com/wezterm-parallel/wezterm-parallel/internal/fakeapi"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/restore"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim/simtest"
	"github.com/wezterm-parallel/wezterm-parallel/internal/snapshot"
	"github.com/wezterm-parallel/wezterm-parallel/internal/spend"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// TestRestoreAgents: each real agent CLI (Claude Code, Codex, Gemini CLI),
// started by typing its name into a shell in a stand-in pane, has a
// conversation; a snapshot records it with its session (Claude Code's from
// its own state file, the others' from their records through the spend
// tracker); the stand-in is stopped as a reboot would; a fresh one is
// restored from the snapshot; the agent is back in its pane through its
// own resume command, and the next prompt continues the same session: its
// session file grows under the same id, no other session starts, and the
// model is sent the first prompt along with the second.
func TestRestoreAgents(t *testing.T) {
	dir := os.Getenv(EnvAgents)
	if dir == "" {
		t.Skipf("$%s is not set: `make e2e` installs the real agents and runs this test with it", EnvAgents)
	}
	for _, a := range all {
		t.Run(strings.ReplaceAll(a.name, " ", "_"), func(t *testing.T) { restoreAgent(t, dir, a) })
	}
}

// sessionFiles are where an agent keeps session id's conversation.
func sessionFiles(a agent, home, id string) []string {
	var pat string
	switch a.prov {
	case fakeapi.Anthropic:
		pat = filepath.Join(home, ".claude", "projects", "*", id+".jsonl")
		if id == "" {
			pat = filepath.Join(home, ".claude", "projects", "*", "*.jsonl")
		}
	case fakeapi.OpenAI:
		pat = filepath.Join(home, ".codex", "sessions", "*", "*", "*", "rollout-*"+id+".jsonl")
		if id == "" {
			pat = filepath.Join(home, ".codex", "sessions", "*", "*", "*", "rollout-*.jsonl")
		}
	case fakeapi.Gemini:
		short := id
		if len(short) > 8 {
			short = short[:8]
		}
		pat = filepath.Join(home, ".gemini", "tmp", "*", "chats", "session-*"+short+".json*")
	}
	m, _ := filepath.Glob(pat)
	return m
}

func restoreAgent(t *testing.T, dir string, a agent) {
	if _, err := os.Stat(filepath.Join(dir, "bin", a.bin)); err != nil {
		t.Fatalf("%s is not installed in %s (scripts/agents-install.sh): %v", a.name, dir, err)
	}
	dumps := t.TempDir()
	turns := []fakeapi.Turn{
		{Delay: fakeapi.Duration(time.Second), Text: "The first answer.", Usage: fakeapi.Usage{Input: 1200, Output: 40}},
		{Delay: fakeapi.Duration(time.Second), Text: "The second answer.", Usage: fakeapi.Usage{Input: 1500, Output: 30}},
	}
	sc := fakeapi.Script{Background: fakeapi.Turn{Usage: fakeapi.Usage{Input: 10, Output: 2}}}
	switch a.prov {
	case fakeapi.Anthropic:
		sc.Anthropic = turns
	case fakeapi.OpenAI:
		sc.OpenAI = turns
	case fakeapi.Gemini:
		sc.Gemini = turns
	}
	api, err := fakeapi.StartDump("", sc, dumps)
	if err != nil {
		t.Fatal(err)
	}
	defer api.Close()
	home := t.TempDir()
	proj := filepath.Join(home, "proj 项目")
	os.MkdirAll(proj, 0o700)
	proj, _ = filepath.EvalSymlinks(proj)
	env := append([]string{"HOME=" + home, "PATH=" + filepath.Join(dir, "bin") + ":/usr/local/bin:/usr/bin:/bin",
		"TERM=xterm-256color", "LANG=en_US.UTF-8"}, a.setup(t, home, proj, api.URL)...)
	defer killUnder(home) // Codex leaves an app-server daemon behind
	getenv := func(k string) string {
		switch k {
		case "CODEX_HOME":
			return filepath.Join(home, ".codex")
		case "XDG_CONFIG_HOME":
			return filepath.Join(home, ".config")
		}
		return ""
	}
	roots := spend.DefaultRoots(getenv, home)
	rules, err := agents.LoadRules(assets.AgentRules, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	standIn := func() (*simtest.Env, *wezterm.Client, *monitor.Monitor) {
		st := simtest.Start(t, sim.Config{Cols: 160, Rows: 48, Env: env, Shell: []string{"/bin/sh"}, Home: home})
		c := st.Client()
		s := metrics.New(metrics.Options{History: 2})
		t.Cleanup(func() { s.Close() })
		m := monitor.New(c, s, time.Second, nil)
		m.SetAgents(agents.NewTracker(rules), 0)
		m.SetSpend(spend.NewLive(spend.NewTracker(spend.Options{Roots: roots, Prices: mustPrices(t)}), spend.UsageOf(rules)))
		return st, c, m
	}
	// The session the app knows for the agent's pane: its own word, or
	// its records' (what a snapshot takes).
	session := func(m *monitor.Monitor) (string, bool) {
		snap := m.Step(ctx)
		for _, p := range snap.Tree.Panes() {
			if p.Agent == nil || p.Agent.Name != a.name {
				continue
			}
			if p.Agent.Session != "" {
				return p.Agent.Session, true
			}
			if p.Spend != nil && p.Spend.Session != "" {
				return p.Spend.Session, true
			}
		}
		return "", false
	}
	waitSession := func(m *monitor.Monitor, what string) string {
		t.Helper()
		end := time.Now().Add(45 * time.Second)
		for time.Now().Before(end) {
			if s, ok := session(m); ok {
				return s
			}
			time.Sleep(500 * time.Millisecond)
		}
		t.Fatalf("%s: %s names no session", what, a.name)
		return ""
	}

	// Before: the agent typed into a shell, one prompt answered.
	stA, cA, mA := standIn()
	id, err := cA.Spawn(ctx, wezterm.SpawnOptions{NewWindow: true, Workspace: "agents", CWD: proj})
	if err != nil {
		t.Fatal(err)
	}
	if err := cA.SendText(ctx, id, a.bin+"\r", false); err != nil {
		t.Fatal(err)
	}
	waitScreen(t, cA, id, a.ready, 60*time.Second)
	prompt(t, cA, id, a, api, "first prompt about the parser", 0)
	sid := waitSession(mA, "before")
	files := sessionFiles(a, home, sid)
	if len(files) != 1 {
		t.Fatalf("the files of session %s: %v", sid, files)
	}
	file := files[0]
	waitFile(t, file, "The first answer.", 30*time.Second)
	snap := snapshot.Take(mA.Step(ctx).Tree, time.Now(), "test")
	store := snapshot.Open(filepath.Join(home, "state", "snapshots"))
	if _, err := store.Save(snap); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s before: session %s in %s", a.name, sid, file)

	// The reboot.
	stA.Server.Close()
	time.Sleep(time.Second) // the agent writes its last lines as it ends
	sizeBefore := fileSize(file)
	stB, cB, mB := standIn()
	if err := stB.Server.EnsureWorkspace("default"); err != nil {
		t.Fatal(err)
	}
	loaded, err := store.Latest()
	if err != nil {
		t.Fatal(err)
	}
	plan, err := restore.NewPlan(loaded, mB.Step(ctx).Tree, restore.Options{Rules: rules, Home: home, Sessions: restore.Sessions{Roots: roots}})
	if err != nil {
		t.Fatal(err)
	}
	rows := plan.Rows()
	if len(rows) != 1 || !rows[0].Resumed || !strings.Contains(rows[0].Command, sid) {
		t.Fatalf("plan: %+v", rows)
	}
	rep, err := restore.Run(ctx, cB, plan, restore.RunOptions{})
	if err != nil {
		t.Fatalf("restore: %v\n%s", err, strings.Join(rep.Lines(), "\n"))
	}
	nid := rep.Restored[0].Panes[0]
	screen := func() string { s, _ := cB.GetText(ctx, nid, wezterm.GetTextOptions{}); return s }
	waitScreen(t, cB, nid, a.ready, 60*time.Second)

	// After: one more prompt goes on in the same session.
	prompt(t, cB, nid, a, api, "second prompt about the parser", 1)
	waitFile(t, file, "The second answer.", 30*time.Second)
	if after := fileSize(file); after <= sizeBefore {
		t.Errorf("the session file did not grow: %d -> %d bytes", sizeBefore, after)
	}
	if all := sessionFiles(a, home, ""); a.prov != fakeapi.Gemini && len(all) != 1 {
		t.Errorf("another session was started: %v", all)
	}
	if now := waitSession(mB, "after"); now != sid {
		t.Errorf("the restored agent is in session %s, want %s", now, sid)
	}
	withBoth := false
	dumped, _ := filepath.Glob(filepath.Join(dumps, "*-"+a.prov+".json"))
	for _, f := range dumped {
		b, _ := os.ReadFile(f)
		if strings.Contains(string(b), "first prompt about the parser") && strings.Contains(string(b), "second prompt about the parser") {
			withBoth = true
		}
	}
	if !withBoth {
		t.Errorf("no request to the model held both prompts (%d requests dumped); the pane:\n%s", len(dumped), screen())
	}
	t.Logf("%s resumed session %s with %q after the restore: %s %d -> %d bytes; the model saw both prompts: %v",
		a.name, sid, rows[0].Command, filepath.Base(file), sizeBefore, fileSize(file), withBoth)
}

// prompt sends text as the app's Send does and waits for the model's turn
// n. An agent that has just drawn its input box (Gemini CLI at its start,
// or after loading a conversation) may take that Enter as a newline:
// Enter again while the prompt sits unsent.
func prompt(t *testing.T, c *wezterm.Client, id wezterm.PaneID, a agent, api *fakeapi.Server, text string, n int) {
	t.Helper()
	ctx := context.Background()
	if err := control.New(c).SendText(ctx, id, text, true); err != nil {
		t.Fatal(err)
	}
	for try := 0; try < 3 && !exchanged(api, a.prov, n, 8*time.Second); try++ {
		t.Logf("%s: prompt %d is not sent yet; Enter again", a.name, n+1)
		if err := control.New(c).SendText(ctx, id, "", true); err != nil {
			t.Fatal(err)
		}
	}
	waitExchange(t, api, a.prov, n, 60*time.Second, func() string { s, _ := c.GetText(ctx, id, wezterm.GetTextOptions{}); return s })
}

// exchanged waits up to limit for the provider's main turn n.
func exchanged(api *fakeapi.Server, prov string, n int, limit time.Duration) bool {
	end := time.Now().Add(limit)
	for time.Now().Before(end) {
		for _, ex := range api.Log() {
			if ex.Provider == prov && ex.Main && ex.Turn == n {
				return true
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

func fileSize(p string) int64 {
	st, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return st.Size()
}

func waitFile(t *testing.T, path, want string, limit time.Duration) {
	t.Helper()
	end := time.Now().Add(limit)
	re := regexp.MustCompile(regexp.QuoteMeta(want))
	for time.Now().Before(end) {
		if b, err := os.ReadFile(path); err == nil && re.Match(b) {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s never held %q", path, want)
}
