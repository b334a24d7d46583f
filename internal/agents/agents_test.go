package agents

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/assets"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

func bundled(t *testing.T) []Rule {
	t.Helper()
	rules, err := ParseRules("agents.toml", assets.AgentRules)
	if err != nil {
		t.Fatal(err)
	}
	return rules
}

// Recorded screens and titles, as each agent shows them.
func TestBundledRules(t *testing.T) {
	rules := bundled(t)
	tests := []struct {
		name, fg, cmdline, title, screen string
		cpu                              float64
		want                             Status
	}{
		{"claude working (spinner title)", "claude", "claude", "⠐ Claude Code", "● Reading parser.go\n", 3, Working},
		{"claude idle (✳ title)", "claude", "claude --resume", "✳ Claude Code", "> \n", 0, Idle},
		{"claude waiting (edit approval)", "node", "node /usr/lib/node_modules/.bin/claude", "✳ Claude Code",
			"Edit file parser.go\nDo you want to make this edit to parser.go?\n❯ 1. Yes\n  2. Yes, and don't ask again\n  3. No\n", 0, Waiting},
		{"codex waiting", "codex", "codex", "codex", "Run `go test ./...`?\nAllow command? [y/N]\n", 0, Waiting},
		{"codex working (CPU)", "codex", "codex exec", "codex", "thinking…\n", 40, Working},
		{"codex idle", "codex", "codex", "codex", "› Ask Codex to do anything\n", 0, Idle},
		{"gemini working (spinner title)", "gemini", "gemini", "⠙ Gemini - app", "Thinking about the tests\n", 12, Working},
		{"gemini idle", "gemini", "gemini", "Gemini - app", "> Type your message\n", 0, Idle},
		{"aider working (CPU)", "aider", "aider", "aider", "Applied edit to parser.go\n", 35, Working},
		{"opencode working (CPU)", "opencode", "opencode", "opencode", "Writing parser_test.go\n", 60, Working},
		{"opencode idle", "opencode", "opencode", "opencode", "How can I help?\n", 0, Idle},
		{"claude exited", "claude", "claude", "✳ Claude Code", "", 0, Exited},
		{"gemini waiting", "gemini", "gemini", "Gemini", "Allow execution of: rm -rf build? (y/n)\n", 0, Waiting},
		{"aider waiting", "aider", "aider --model sonnet", "aider", "Add parser.go to the chat? (Y)es/(N)o [Yes]:\n", 0, Waiting},
		{"aider idle", "aider", "aider", "aider", "Tokens: 4k sent\n> \n", 0, Waiting}, // aider's bare prompt waits for you
		// Real WezTerm's get-text keeps the blanks a program wrote or
		// erased (issue 19's differential suite): a prompt line padded to
		// the pane's width, with a status line under it.
		{"aider prompt padded as WezTerm prints it", "aider", "aider", "aider", "Tokens: 4k sent\n> " + strings.Repeat(" ", 78) + "\n  status line\n", 0, Waiting},
		{"opencode waiting", "opencode", "opencode", "opencode", "Permission required: bash ls\nAllow once  Always  Reject\n", 0, Waiting},
		// Seen on 2026-12-07 with Claude Code 2.1.328, Codex 0.169.0 and
		// Gemini CLI 0.61.0 against a fake model API (docs/agents.md).
		{"claude 2.1 working, focused (◐ title)", "claude", "/x/claude-code-linux-x64/claude", "◐ Claude Code", "✻ Brewing… (3s · esc to interrupt)\n", 1, Working},
		{"claude 2.1 working, unfocused (✳ title, busy)", "claude", "claude", "✳ Claude Code", "✻ Brewing… (3s · esc to interrupt)\n", 30, Working},
		{"claude 2.1 permission prompt", "claude", "claude", "✳ Claude Code",
			" Bash command\n Run touch created-by-agent.txt\n touch created-by-agent.txt\n Do you want to proceed?\n ❯ 1. Yes\n   2. Yes, and always allow access to /p from this project\n   3. Yes, and switch to auto mode\n   4. No\n Esc to cancel · Tab to amend\n", 0, Waiting},
		{"claude 2.1 idle", "claude", "claude", "✳ Claude Code", "✻ Brewed for 9s · done 9:30 AM\n❯\n  ⏸ manual mode on · ? for shortcuts\n", 0, Idle},
		{"codex 0.169 working (spinner title)", "node", "node /c/node_modules/.bin/codex", "⠇ proj", "• Running touch x\n", 1, Working},
		{"codex 0.169 approval (title)", "node", "node /c/node_modules/.bin/codex", "[ ! ] Action Required | proj", "› Ask Codex to do anything\n", 0, Waiting},
		{"codex 0.169 approval (blink)", "node", "node /c/node_modules/.bin/codex", "[ . ] Action Required | proj", "", 0, Waiting},
		{"codex 0.169 approval (screen)", "codex", "codex", "proj",
			"  Would you like to run the following command?\n  $ touch x\n› 1. Yes, proceed (y)\n  Press enter to confirm or esc to cancel\n", 0, Waiting},
		{"codex 0.169 idle", "node", "node /c/node_modules/.bin/codex", "proj", "  Worked for 17s • 9:36 AM\n› Ask Codex to do anything\n", 0, Idle},
		{"gemini 0.61 working", "node", "/usr/bin/node --max-old-space-size=12052 /g/node_modules/.bin/gemini", "✦  Working… (proj)", " ⠦ Thinking... (esc to cancel, 12s)\n", 2, Working},
		{"gemini 0.61 approval", "node", "node /g/node_modules/.bin/gemini", "✋  Action Required (proj)",
			"│ ? Shell  touch x │\n│ Allow execution of [Shell]? │\n│ ● 1. Allow once │\n", 0, Waiting},
		{"gemini 0.61 ready", "node", "node /g/node_modules/.bin/gemini", "◇  Ready (proj)", " >   Type your message or @path/to/file\n", 40, Idle},
	}
	for _, tt := range tests {
		r, ok := Match(rules, tt.fg, tt.cmdline)
		if !ok {
			t.Errorf("%s: no rule matched %q / %q", tt.name, tt.fg, tt.cmdline)
			continue
		}
		procs := 2
		if tt.want == Exited {
			procs = 0
		}
		got, why := classify(r, Observation{Foreground: tt.fg, Title: tt.title, CPU: tt.cpu, Processes: procs, Screen: tt.screen, Read: true}, false)
		if got != tt.want || why == "" {
			t.Errorf("%s: %s (%s), want %s", tt.name, got, why, tt.want)
		}
	}
	if _, ok := Match(rules, "bash", "bash"); ok {
		t.Error("bash matched an agent rule")
	}
	// The command (or the script an interpreter runs) names the agent, not
	// any argument.
	for _, tc := range []struct{ name, cmdline, want string }{
		{"claude", "claude --resume", "Claude Code"},
		{"node", "node /usr/local/bin/claude -p hi", "Claude Code"},
		{"MainThread", "/home/u/.local/bin/claude", "Claude Code"},
		{"node", "node /usr/lib/node_modules/@openai/codex/bin/codex", "Codex"},
		{"vim", "vim notes/claude", ""},
		{"wezterm-sim", "/bin/wezterm-sim fake-agent --usage-dir /tmp/x/claude", "demo agent"},
		{"less", "less /home/u/.codex/sessions/codex", ""},
		// How people run today's CLIs.
		{"2.1.328", "/home/u/.local/share/claude/versions/2.1.328 --resume", "Claude Code"},
		{"claude.exe", "/p/node_modules/@anthropic-ai/claude-code/bin/claude.exe", "Claude Code"},
		{"node", "node /p/node_modules/@anthropic-ai/claude-code/cli.js", "Claude Code"},
		{"bun", "bun run /p/node_modules/@anthropic-ai/claude-code/cli.mjs", "Claude Code"},
		{"node", "/usr/bin/node --max-old-space-size=12052 /p/node_modules/.bin/gemini", "Gemini CLI"},
		{"node", "node /p/node_modules/@google/gemini-cli/bundle/gemini.js", "Gemini CLI"},
		{"codex", "/p/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/codex/codex", "Codex"},
		{"cat", "cat /home/u/.local/share/claude/versions/2.1.328", ""},
	} {
		r, ok := Match(rules, tc.name, tc.cmdline)
		got := ""
		if ok {
			got = r.Name
		}
		if got != tc.want {
			t.Errorf("%s / %q: %q, want %q", tc.name, tc.cmdline, got, tc.want)
		}
	}
}

func TestTrackerDebounceAndQueue(t *testing.T) {
	rules, err := ParseRules("x.toml", []byte(`[[agents]]
name = "fake"
process = ['fake-agent']
waiting = ['Approve\?']
`))
	if err != nil {
		t.Fatal(err)
	}
	tr := NewTracker(rules)
	t0 := time.Unix(100, 0)
	obs := func(pane wezterm.PaneID, screen string, cpu float64) Observation {
		return Observation{Pane: pane, Foreground: "fake-agent", Cmdline: "x fake-agent", CPU: cpu, Processes: 1, Screen: screen, Read: true}
	}
	step := func(i int, o ...Observation) map[wezterm.PaneID]State {
		return tr.Update(t0.Add(time.Duration(i)*time.Second), o)
	}
	s := step(0, obs(1, "a", 80), obs(2, "b", 80))
	if s[1].Status != Working || s[2].Status != Working {
		t.Fatalf("start: %+v", s)
	}
	s = step(1, obs(1, "Approve?", 0), obs(2, "b2", 80))
	if s[1].Status != Working {
		t.Fatalf("one tick must not flip the status: %+v", s[1])
	}
	s = step(2, obs(1, "Approve?", 0), obs(2, "Approve?", 0))
	if s[1].Status != Waiting || !s[1].Since.Equal(t0.Add(2*time.Second)) || !strings.Contains(s[1].Why, "prompt") {
		t.Fatalf("pane 1 after two ticks: %+v", s[1])
	}
	s = step(3, obs(1, "Approve?", 0), obs(2, "Approve?", 0))
	if q := Queue(s); len(q) != 2 || q[0] != 1 || q[1] != 2 {
		t.Fatalf("queue = %v (%+v)", q, s)
	}
	// The agent leaves: exited at once.
	s = step(4, Observation{Pane: 1, Foreground: "bash", Processes: 1}, obs(2, "Approve?", 0))
	if s[1].Status != Exited || s[1].Name != "fake" {
		t.Fatalf("exit: %+v", s[1])
	}
	// The pane goes: forgotten.
	step(5, obs(2, "Approve?", 0))
	if _, ok := tr.panes[1]; ok {
		t.Error("state kept for a vanished pane")
	}
}

func TestParseRulesProblems(t *testing.T) {
	_, err := ParseRules("a.toml", []byte(`[[agents]]
name = "x"
process = ['(']
colour = 1
`))
	if err == nil || !strings.Contains(err.Error(), "a.toml:3:12: process: error parsing regexp") || !strings.Contains(err.Error(), `a.toml:4:1: unknown key "colour"`) {
		t.Fatalf("err = %v", err)
	}
}

// Between screen reads the last screen stands: a waiting agent stays
// waiting on ticks that do not read it.
func TestTicksWithoutReadKeepTheScreen(t *testing.T) {
	rules, _ := ParseRules("x.toml", []byte("[[agents]]\nname = \"f\"\nprocess = ['fake']\nidle_title = ['^✳']\nwaiting = ['Approve']\n"))
	tr := NewTracker(rules)
	t0 := time.Unix(0, 0)
	o := Observation{Pane: 1, Foreground: "fake", Title: "✳ f", Processes: 1}
	read := o
	read.Screen, read.Read = "Approve? [y/N]", true
	seq := []Observation{o, read, o, read, o, o}
	var last State
	for i, ob := range seq {
		last = tr.Update(t0.Add(time.Duration(i)*time.Second), []Observation{ob})[1]
	}
	if last.Status != Waiting {
		t.Fatalf("status %s (%s), want waiting", last.Status, last.Why)
	}
}

// A pane id that now names another pane (WezTerm restarted) does not keep
// the old agent's state: no stale "exited" badge on a fresh shell.
func TestPaneIDReusedByAnotherPane(t *testing.T) {
	rules, _ := ParseRules("t.toml", []byte("[[agents]]\nname = \"fake\"\nprocess = ['fake-agent']\n"))
	tr := NewTracker(rules)
	now := time.Unix(0, 0)
	tr.Update(now, []Observation{{Pane: 3, TTY: "/dev/pts/3", Foreground: "fake-agent", Cmdline: "fake-agent", Processes: 1}})
	// Same id, other tty, a shell: no agent at all.
	got := tr.Update(now.Add(time.Second), []Observation{{Pane: 3, TTY: "/dev/pts/9", Foreground: "bash", Cmdline: "bash", Processes: 1}})
	if st, ok := got[3]; ok {
		t.Errorf("the new pane 3 carries the old agent: %+v", st)
	}
	// Same tty, the agent left: that is "exited".
	tr.Update(now, []Observation{{Pane: 4, TTY: "/dev/pts/4", Foreground: "fake-agent", Cmdline: "fake-agent", Processes: 1}})
	if got := tr.Update(now.Add(time.Second), []Observation{{Pane: 4, TTY: "/dev/pts/4", Foreground: "bash", Cmdline: "bash", Processes: 1}}); got[4].Status != Exited {
		t.Errorf("agent left its pane: %+v", got[4])
	}
}

// A launcher that does not exec (npx: "npm exec" → sh -c → claude; a
// wrapper script) is looked through: the agent is the member of the
// foreground group that matches.
func TestFindLooksThroughLaunchers(t *testing.T) {
	tr := NewTracker(bundled(t))
	for _, tc := range []struct {
		name, leader, cmdline string
		group                 []Proc
		want                  string
		pid                   int32
	}{
		{"npx", "npm exec", "npm exec", []Proc{{11, "sh", "sh -c claude 600"}, {12, "claude", "claude 600"}}, "Claude Code", 12},
		{"wrapper without exec", "bash", "/bin/bash /home/u/bin/work", []Proc{{21, "node", "node /p/node_modules/.bin/codex"}}, "Codex", 21},
		{"leader itself", "claude", "claude", []Proc{{31, "rg", "rg foo"}}, "Claude Code", 30},
		{"shell at its prompt", "bash", "-bash", nil, "", 0},
		{"a pipeline of tools", "grep", "grep x", []Proc{{41, "less", "less"}}, "", 0},
	} {
		pid := int32(30)
		r, got, ok := tr.Find(Observation{Foreground: tc.leader, Cmdline: tc.cmdline, PID: pid, Group: tc.group})
		name := ""
		if ok {
			name = r.Name
		}
		if name != tc.want || (ok && got != tc.pid) {
			t.Errorf("%s: %q pid %d, want %q pid %d", tc.name, name, got, tc.want, tc.pid)
		}
	}
}

// What the agent says of itself decides at once (no debounce), and its
// session id is kept; without it, the screen rules apply again.
func TestReportedStateDecides(t *testing.T) {
	tr := NewTracker(bundled(t))
	t0 := time.Unix(500, 0)
	o := func(rep *Report, title string) Observation {
		return Observation{Pane: 7, TTY: "/dev/pts/7", Foreground: "claude", Cmdline: "claude", PID: 99, Title: title, Processes: 3, Reported: rep}
	}
	steps := []struct {
		obs  Observation
		want Status
	}{
		{o(&Report{Status: Working, Why: "busy", Session: "s-1"}, "✳ Claude Code"), Working},
		{o(&Report{Status: Waiting, Why: "waits for a permission prompt", Session: "s-1"}, "✳ Claude Code"), Waiting},
		{o(&Report{Status: Working, Session: "s-1"}, "✳ Claude Code"), Working},
		{o(&Report{Status: Idle, Session: "s-1"}, "✳ Claude Code"), Idle},
	}
	for i, st := range steps {
		got := tr.Update(t0.Add(time.Duration(i)*time.Second), []Observation{st.obs})[7]
		if got.Status != st.want || got.Session != "s-1" || got.PID != 99 || !got.Since.Equal(t0.Add(time.Duration(i)*time.Second)) {
			t.Fatalf("step %d: %+v, want %s at once", i, got, st.want)
		}
	}
}

func TestWaitingTitle(t *testing.T) {
	rules, err := ParseRules("w.toml", []byte("[[agents]]\nname = \"w\"\nprocess = ['^w$']\nworking_title = ['^\\*']\nwaiting_title = ['^!']\nstate = \"claude\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if rules[0].State != "claude" || TitleClass(&rules[0], "! x") != "waiting" || TitleClass(&rules[0], "* x") != "working" {
		t.Errorf("rule %+v", rules[0])
	}
	if _, err := ParseRules("w.toml", []byte("[[agents]]\nname = \"w\"\nprocess = ['^w$']\nstate = \"screen\"\n")); err == nil || !strings.Contains(err.Error(), "w.toml:4:1: state must be") {
		t.Errorf("a bad state: %v", err)
	}
}

func TestStartAndResume(t *testing.T) {
	rules := bundled(t)
	want := map[string][2]string{
		"Claude Code": {"claude", "claude --resume {session}"},
		"Codex":       {"codex", "codex resume {session}"},
		"Gemini CLI":  {"gemini", "gemini --resume {session}"},
		"demo agent":  {"{cmdline}", "{cmdline} --resume {session}"},
		"aider":       {"", ""},
	}
	for _, r := range rules {
		if w, ok := want[r.Name]; ok && (r.Start != w[0] || r.Resume != w[1]) {
			t.Errorf("%s: start %q resume %q, want %q %q", r.Name, r.Start, r.Resume, w[0], w[1])
		}
	}
	for _, c := range []struct{ toml, want string }{
		{"resume = \"x --resume\"", "resume must name the session"},
		{"resume = \"x {sesion}\"", "unknown placeholder {sesion}"},
		{"start = \"x {session}\"", "start: unknown placeholder {session}"},
	} {
		_, err := ParseRules("a.toml", []byte("[[agents]]\nname = \"x\"\nprocess = ['x']\n"+c.toml+"\n"))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "a.toml:4:") {
			t.Errorf("%s: %v, want %q at a.toml:4", c.toml, err, c.want)
		}
	}
}

// Find remembers what a program matched, and forgets past maxMatched
// programs; the answers stay those of Match.
func TestFindRemembers(t *testing.T) {
	rules, err := ParseRules("t", []byte("[[agents]]\nname = \"A\"\nprocess = ['^a$']\n[[agents]]\nname = \"B\"\nprocess = ['^b$']\n"))
	if err != nil {
		t.Fatal(err)
	}
	tr := NewTracker(rules)
	for i := 0; i < maxMatched+10; i++ {
		name := fmt.Sprintf("p%d", i)
		if _, _, ok := tr.Find(Observation{Foreground: name}); ok {
			t.Fatalf("%s matched", name)
		}
	}
	if len(tr.matched) > maxMatched {
		t.Errorf("%d programs remembered", len(tr.matched))
	}
	for range 2 {
		if r, _, ok := tr.Find(Observation{Foreground: "b"}); !ok || r.Name != "B" {
			t.Errorf("b: %+v %v", r, ok)
		}
		if r, _, ok := tr.Find(Observation{Foreground: "sh", Group: []Proc{{Name: "a", PID: 7}}}); !ok || r.Name != "A" {
			t.Errorf("a in the group: %+v %v", r, ok)
		}
	}
}
