//go:build unix

// Package realagents runs the real Claude Code, Codex and Gemini CLI (from
// npm, installed by scripts/agents-install.sh outside the repository) in
// stand-in panes against the fake model API (internal/fakeapi) on
// 127.0.0.1, and checks what the product says of them: status over time,
// the attention queue, answering from the app, tokens and cost. `make e2e`
// runs it; without $WEZTERM_PARALLEL_AGENTS it is skipped, saying why.
package realagents

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/assets"
	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/control"
	"github.com/wezterm-parallel/wezterm-parallel/internal/fakeapi"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim/simtest"
	"github.com/wezterm-parallel/wezterm-parallel/internal/spend"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

func TestMain(m *testing.M) { simtest.Main(m) }

// EnvAgents names the folder scripts/agents-install.sh installed into.
const EnvAgents = "WEZTERM_PARALLEL_AGENTS"

// agent is how one CLI is run here: its first-run screens answered in its
// own config files, its model API pointed at the fake.
type agent struct {
	name    string // the rule's name
	bin     string // under $DIR/bin
	prov    string // fakeapi provider
	model   string // what its records should name (its default)
	ready   *regexp.Regexp
	setup   func(t *testing.T, home, proj, url string) []string // writes config, returns the env
	spendOf spend.Source
}

var key = "sk-ant-fake-key-0123456789"

var all = []agent{
	{name: "Claude Code", bin: "claude", prov: fakeapi.Anthropic, model: "claude-opus-5-5", spendOf: spend.Claude,
		ready: regexp.MustCompile(`(?m)^❯`),
		setup: func(t *testing.T, home, proj, url string) []string {
			writeJSON(t, filepath.Join(home, ".claude.json"), map[string]any{
				"hasCompletedOnboarding": true, "hasSeenAutoDefaultNudge": true, "hasResetAutoModeOptInForDefaultOffer": true,
				// Claude Code remembers a key by its last 20 characters.
				"customApiKeyResponses": map[string]any{"approved": []string{key[len(key)-20:]}, "rejected": []string{}},
				"projects":              map[string]any{proj: map[string]any{"hasTrustDialogAccepted": true}},
			})
			// Manual mode: the classic permission prompt (auto mode answers
			// most prompts itself).
			writeJSON(t, filepath.Join(home, ".claude", "settings.json"), map[string]any{"permissions": map[string]any{"defaultMode": "default"}})
			return []string{"ANTHROPIC_BASE_URL=" + url, "ANTHROPIC_API_KEY=" + key,
				"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1", "DISABLE_AUTOUPDATER=1"}
		}},
	{name: "Codex", bin: "codex", prov: fakeapi.OpenAI, model: "gpt-6.1-sol", spendOf: spend.Codex,
		ready: regexp.MustCompile(`(?m)^› `),
		setup: func(t *testing.T, home, proj, url string) []string {
			cfg := fmt.Sprintf(`model_provider = "fake"

[model_providers.fake]
name = "fake"
base_url = "%s/v1"
env_key = "OPENAI_API_KEY"
wire_api = "responses"

[projects.%q]
trust_level = "trusted"

[tui]
screen_reader_detection_done = true

[tui.model_availability_nux]
"gpt-6.1-sol" = 2
`, url, proj)
			writeFile(t, filepath.Join(home, ".codex", "config.toml"), cfg)
			return []string{"CODEX_HOME=" + filepath.Join(home, ".codex"), "OPENAI_API_KEY=sk-fake-openai"}
		}},
	{name: "Gemini CLI", bin: "gemini", prov: fakeapi.Gemini, model: "gemini-3.8-flash", spendOf: spend.Gemini,
		ready: regexp.MustCompile(`Type your message`),
		setup: func(t *testing.T, home, proj, url string) []string {
			writeJSON(t, filepath.Join(home, ".gemini", "settings.json"), map[string]any{
				"security": map[string]any{"auth": map[string]any{"selectedType": "gemini-api-key"}},
				// Its usage statistics go to a Google host, and while they
				// fail the first turn waits.
				"privacy": map[string]any{"usageStatisticsEnabled": false},
				"general": map[string]any{"disableAutoUpdate": true, "disableUpdateNag": true},
			})
			writeJSON(t, filepath.Join(home, ".gemini", "trustedFolders.json"), map[string]any{proj: "TRUST_FOLDER"})
			return []string{"GEMINI_API_KEY=fake-gemini-key", "GOOGLE_GEMINI_BASE_URL=" + url, "COLORTERM=truecolor"}
		}},
}

// The script: the model thinks for workFor, then asks to run a command
// (the agent's permission prompt); once allowed, it answers after
// answerFor. A second round does the same.
const (
	workFor   = 6 * time.Second
	answerFor = 4 * time.Second
)

func script(prov string) fakeapi.Script {
	turns := []fakeapi.Turn{
		{Delay: fakeapi.Duration(workFor), Text: "I will create the file.", Tool: &fakeapi.Tool{Shell: "touch created-1.txt"}, Usage: fakeapi.Usage{Input: 2000, Output: 100, CacheRead: 400, CacheWrite: 600}},
		{Delay: fakeapi.Duration(answerFor), Text: "Created the file.", Usage: fakeapi.Usage{Input: 2100, Output: 30, CacheRead: 900}},
		{Delay: fakeapi.Duration(answerFor), Text: "One more.", Tool: &fakeapi.Tool{Shell: "touch created-2.txt"}, Usage: fakeapi.Usage{Input: 2300, Output: 60, CacheRead: 1200}},
		{Delay: fakeapi.Duration(answerFor), Text: "Both are there.", Usage: fakeapi.Usage{Input: 2400, Output: 20, CacheRead: 1500}},
	}
	if prov != fakeapi.Anthropic {
		for i := range turns {
			turns[i].Usage.CacheWrite = 0 // only Anthropic reports cache writes
		}
	}
	sc := fakeapi.Script{Background: fakeapi.Turn{Usage: fakeapi.Usage{Input: 10, Output: 2}}}
	switch prov {
	case fakeapi.Anthropic:
		sc.Anthropic = turns
	case fakeapi.OpenAI:
		sc.OpenAI = turns
	case fakeapi.Gemini:
		sc.Gemini = turns
	}
	return sc
}

func TestRealAgents(t *testing.T) {
	dir := os.Getenv(EnvAgents)
	if dir == "" {
		t.Skipf("$%s is not set: `make e2e` installs the real Claude Code, Codex and Gemini CLI (scripts/agents-install.sh) and runs this test with it", EnvAgents)
	}
	for _, a := range all {
		t.Run(strings.ReplaceAll(a.name, " ", "_"), func(t *testing.T) { run(t, dir, a) })
	}
}

// sample is what one published snapshot said of the agent's pane.
type sample struct {
	at        time.Time
	status    agents.Status
	why       string
	attention bool
	spend     *topology.Spend
	title     string
}

type recorder struct {
	mu      sync.Mutex
	pane    wezterm.PaneID
	samples []sample
}

func (r *recorder) publish(s monitor.Snapshot) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range s.Tree.Panes() {
		if p.ID != r.pane {
			continue
		}
		sm := sample{at: s.Time, attention: slices.Contains(s.Attention, p.ID), spend: p.Spend, title: p.Title}
		if p.Agent != nil {
			sm.status, sm.why = p.Agent.Status, p.Agent.Why
		}
		r.samples = append(r.samples, sm)
	}
}

func (r *recorder) all() []sample {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.samples)
}

// waitFor polls the samples until ok says so.
func (r *recorder) waitFor(t *testing.T, what string, limit time.Duration, ok func(sample) bool) sample {
	t.Helper()
	end := time.Now().Add(limit)
	seen := 0
	for time.Now().Before(end) {
		s := r.all()
		for _, sm := range s[seen:] {
			if ok(sm) {
				return sm
			}
		}
		seen = len(s)
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: not within %s; timeline:\n%s", what, limit, timeline(r.all(), time.Time{}))
	return sample{}
}

// timeline prints the changes of status, seconds from t0.
func timeline(ss []sample, t0 time.Time) string {
	var b strings.Builder
	last := agents.Status("?")
	for _, s := range ss {
		if t0.IsZero() {
			t0 = s.at
		}
		if s.status != last {
			last = s.status
			att := ""
			if s.attention {
				att = " [in the attention queue]"
			}
			fmt.Fprintf(&b, "  %6.1fs  %-8s %s%s\n", s.at.Sub(t0).Seconds(), orNone(s.status), s.why, att)
		}
	}
	return b.String()
}

func orNone(s agents.Status) string {
	if s == "" {
		return "(none)"
	}
	return string(s)
}

func run(t *testing.T, dir string, a agent) {
	bin := filepath.Join(dir, "bin", a.bin)
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("%s is not installed in %s (scripts/agents-install.sh): %v", a.name, dir, err)
	}
	api, err := fakeapi.Start("", script(a.prov))
	if err != nil {
		t.Fatal(err)
	}
	defer api.Close()
	home := t.TempDir()
	proj := filepath.Join(home, "proj")
	os.MkdirAll(proj, 0o700)
	// Resolve symlinks: the agents key projects by the real path.
	proj, _ = filepath.EvalSymlinks(proj)
	env := append([]string{"env", "-i", "HOME=" + home, "PATH=" + filepath.Join(dir, "bin") + ":/usr/local/bin:/usr/bin:/bin",
		"TERM=xterm-256color", "LANG=en_US.UTF-8"}, a.setup(t, home, proj, api.URL)...)
	defer killUnder(home) // Codex leaves an app-server daemon behind

	st := simtest.Start(t, sim.Config{Cols: 160, Rows: 48})
	c := st.Client()
	ctl := control.New(c)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	id, err := c.Spawn(ctx, wezterm.SpawnOptions{NewWindow: true, Workspace: "agents", CWD: proj, Program: append(env, bin)})
	if err != nil {
		t.Fatal(err)
	}
	screen := func() string {
		text, err := c.GetText(context.Background(), id, wezterm.GetTextOptions{})
		if err != nil {
			return err.Error()
		}
		return text
	}
	rules, err := agents.LoadRules(assets.AgentRules, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{pane: id}
	sampler := metrics.New(metrics.Options{})
	defer sampler.Close()
	m := monitor.New(c, sampler, time.Second, rec.publish)
	m.SetAgents(agents.NewTracker(rules), 2*time.Second)
	tr := spend.NewTracker(spend.Options{Roots: spend.DefaultRoots(func(k string) string {
		switch k {
		case "CODEX_HOME":
			return filepath.Join(home, ".codex")
		case "XDG_CONFIG_HOME":
			return filepath.Join(home, ".config")
		}
		return ""
	}, home), Prices: mustPrices(t)})
	m.SetSpend(spend.NewLive(tr, spend.UsageOf(rules)))
	ctl.After = m.Kick // as the window and the resident do after an action
	go m.Run(ctx)

	// Start: the pane's agent is found and idle once its prompt is up.
	waitScreen(t, c, id, a.ready, 60*time.Second)
	start := rec.waitFor(t, "idle after start", 30*time.Second, func(s sample) bool { return s.status == agents.Idle })
	t0 := start.at

	for round, hidden := range []bool{false, true} {
		m.SetHidden(hidden)
		mode := map[bool]string{false: "shown", true: "hidden"}[hidden]
		ask, answer := 2*round, 2*round+1
		if err := ctl.SendText(ctx, id, fmt.Sprintf("please create file %d", round+1), true); err != nil {
			t.Fatal(err)
		}
		ex := waitExchange(t, api, a.prov, ask, 30*time.Second, screen)
		// Working for the whole time the model takes.
		rec.waitFor(t, "working", time.Duration(ex.Finished.Sub(ex.Started))+5*time.Second, func(s sample) bool {
			return s.status == agents.Working
		})
		waiting := rec.waitFor(t, "waiting at its permission prompt", 15*time.Second, func(s sample) bool {
			return s.attention && s.status == agents.Waiting && s.at.After(ex.Finished)
		})
		latency := waiting.at.Sub(ex.Finished)
		checkWorking(t, rec.all(), ex, 1500*time.Millisecond, fmt.Sprintf("round %d (%s)", round+1, mode))
		t.Logf("%s, %s: attention %d ms after the model's tool call ended", a.name, mode, latency.Milliseconds())
		if !hidden && latency > 2*time.Second {
			t.Errorf("%s: in the attention queue %s after it began to wait; want within 2 s", mode, latency)
		}
		// Answered from the app, as the Send dialog does: Enter is "Yes".
		if err := ctl.SendText(ctx, id, "", true); err != nil {
			t.Fatal(err)
		}
		ex2 := waitExchange(t, api, a.prov, answer, 30*time.Second, screen)
		rec.waitFor(t, "idle after the answer", 20*time.Second, func(s sample) bool {
			return s.status == agents.Idle && s.at.After(ex2.Finished)
		})
		checkWorking(t, rec.all(), ex2, 1500*time.Millisecond, fmt.Sprintf("answer %d (%s)", round+1, mode))
	}
	t.Logf("%s timeline (seconds from the first idle; prompts at the first 'working'):\n%s", a.name, timeline(rec.all(), t0))

	// Tokens and cost as the pane shows them equal what the model API
	// reported for the agent's turns.
	want := api.MainTotal(a.prov)
	last := rec.waitFor(t, "spend on the pane", 20*time.Second, func(s sample) bool {
		return s.spend != nil && s.spend.TokensIn == want.Input && s.spend.TokensOut == want.Output &&
			s.spend.CacheRead == want.CacheRead && s.spend.CacheWrite == want.CacheWrite
	})
	if last.spend.CostUSD == nil || *last.spend.CostUSD <= 0 {
		t.Errorf("cost on the pane: %v for model %q; want a number", last.spend.CostUSD, last.spend.Model)
	}
	if last.spend.Model != a.model {
		t.Errorf("model on the pane %q, want %q (its default today)", last.spend.Model, a.model)
	}
	t.Logf("%s spend on the pane: model %s, tokens in %d out %d cache write %d read %d, cost $%.5f (fake API: %+v)",
		a.name, last.spend.Model, last.spend.TokensIn, last.spend.TokensOut, last.spend.CacheWrite, last.spend.CacheRead, *last.spend.CostUSD, want)
	for _, ex := range api.Log() {
		if ex.Provider != a.prov && ex.Provider != "" {
			t.Errorf("a request for another provider: %+v", ex)
		}
	}
}

// checkWorking fails when a sample taken while the model was answering
// (after a settling time) says anything but working.
func checkWorking(t *testing.T, ss []sample, ex fakeapi.Exchange, settle time.Duration, what string) {
	t.Helper()
	n := 0
	for _, s := range ss {
		if s.at.After(ex.Started.Add(settle)) && s.at.Before(ex.Finished) {
			n++
			if s.status != agents.Working {
				t.Errorf("%s: %s at %.1fs of the model's %.1fs (%s); want working the whole time", what, s.status,
					s.at.Sub(ex.Started).Seconds(), ex.Finished.Sub(ex.Started).Seconds(), s.why)
			}
		}
	}
	if n < 2 {
		t.Errorf("%s: only %d samples while the model worked", what, n)
	}
}

// waitExchange waits for the provider's main turn n to be answered.
func waitExchange(t *testing.T, api *fakeapi.Server, prov string, n int, limit time.Duration, screen func() string) fakeapi.Exchange {
	t.Helper()
	end := time.Now().Add(limit + 10*time.Second)
	for time.Now().Before(end) {
		for _, ex := range api.Log() {
			if ex.Provider == prov && ex.Main && ex.Turn == n && ex.Status == 200 {
				return ex
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	b, _ := json.MarshalIndent(api.Log(), "", " ")
	t.Fatalf("turn %d of %s never answered; the fake API saw:\n%s\nthe pane shows:\n%s", n, prov, b, screen())
	return fakeapi.Exchange{}
}

func waitScreen(t *testing.T, c *wezterm.Client, id wezterm.PaneID, re *regexp.Regexp, limit time.Duration) {
	t.Helper()
	end := time.Now().Add(limit)
	var text string
	for time.Now().Before(end) {
		text, _ = c.GetText(context.Background(), id, wezterm.GetTextOptions{})
		if re.MatchString(text) {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("its prompt (%s) never showed; the screen:\n%s", re, text)
}

func mustPrices(t *testing.T) spend.Prices {
	p, err := spend.ParsePrices("prices.toml", assets.Prices)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func writeJSON(t *testing.T, path string, v any) {
	b, _ := json.MarshalIndent(v, "", "  ")
	writeFile(t, path, string(b))
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o700)
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

// killUnder ends every process whose command line or environment names
// dir (the agents' private HOME): what an agent left running.
func killUnder(dir string) {
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		cmd, _ := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		env, _ := os.ReadFile("/proc/" + e.Name() + "/environ")
		if strings.Contains(string(cmd), dir) || strings.Contains(string(env), "HOME="+dir+"\x00") {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// TestLaunchers: Claude Code started the ways people start it is found,
// and its status comes from its own state file: by its native binary's
// versions/X.Y.Z path, through npx (npm exec → sh -c → claude), and from a
// wrapper script that does not exec.
func TestLaunchers(t *testing.T) {
	dir := os.Getenv(EnvAgents)
	if dir == "" {
		t.Skipf("$%s is not set: `make e2e` installs the real agents and runs this test with it", EnvAgents)
	}
	claude, err := filepath.EvalSymlinks(filepath.Join(dir, "bin", "claude"))
	if err != nil {
		t.Fatalf("Claude Code is not installed in %s: %v", dir, err)
	}
	a := all[0]
	for _, l := range []struct {
		name string
		argv func(home string) []string
	}{
		{"versions path", func(home string) []string {
			// The native installer's layout: ~/.local/share/claude/versions/X.Y.Z.
			v := filepath.Join(home, ".local", "share", "claude", "versions", "2.1.328")
			os.MkdirAll(filepath.Dir(v), 0o700)
			os.Symlink(claude, v) // run by the link's path: its name is the version
			return []string{v}
		}},
		{"npx", func(home string) []string {
			return []string{"npx", "--offline", "-c", "claude"}
		}},
		{"wrapper without exec", func(home string) []string {
			w := filepath.Join(home, "bin", "work")
			writeFile(t, w, "#!/bin/sh\n# a wrapper that runs the agent and then does more\nclaude \"$@\"\necho done\n")
			os.Chmod(w, 0o700)
			return []string{w}
		}},
	} {
		t.Run(strings.ReplaceAll(l.name, " ", "_"), func(t *testing.T) {
			api, err := fakeapi.Start("", script(a.prov))
			if err != nil {
				t.Fatal(err)
			}
			defer api.Close()
			home := t.TempDir()
			proj := filepath.Join(home, "proj")
			os.MkdirAll(proj, 0o700)
			proj, _ = filepath.EvalSymlinks(proj)
			env := append([]string{"env", "-i", "HOME=" + home, "PATH=" + filepath.Join(dir, "bin") + ":/usr/local/bin:/usr/bin:/bin",
				"TERM=xterm-256color", "LANG=en_US.UTF-8", "npm_config_cache=" + filepath.Join(home, ".npm")}, a.setup(t, home, proj, api.URL)...)
			defer killUnder(home)
			st := simtest.Start(t, sim.Config{Cols: 160, Rows: 48})
			c := st.Client()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			id, err := c.Spawn(ctx, wezterm.SpawnOptions{NewWindow: true, CWD: proj, Program: append(env, l.argv(home)...)})
			if err != nil {
				t.Fatal(err)
			}
			rules, _ := agents.LoadRules(assets.AgentRules, "", nil)
			var mu sync.Mutex
			var found *topology.Agent
			var fg string
			m := monitor.New(c, metrics.New(metrics.Options{}), time.Second, func(s monitor.Snapshot) {
				for _, p := range s.Tree.Panes() {
					if p.ID == id && p.Agent != nil && p.Agent.Name == "Claude Code" && strings.Contains(p.Agent.Why, "state file") {
						mu.Lock()
						a := *p.Agent
						found = &a
						if p.Usage != nil && p.Usage.Foreground != nil {
							fg = p.Usage.Foreground.Name
						}
						mu.Unlock()
					}
				}
			})
			m.SetAgents(agents.NewTracker(rules), 2*time.Second)
			go m.Run(ctx)
			end := time.Now().Add(60 * time.Second)
			for time.Now().Before(end) {
				mu.Lock()
				f := found
				mu.Unlock()
				if f != nil {
					t.Logf("%s: found as %q (pid %d, session %s) while the foreground is %q: %s", l.name, f.Name, f.PID, f.Session, fg, f.Why)
					return
				}
				time.Sleep(200 * time.Millisecond)
			}
			text, _ := c.GetText(ctx, id, wezterm.GetTextOptions{})
			t.Fatalf("%s: Claude Code was not found with its state file within 60 s (foreground %q); the pane:\n%s", l.name, fg, text)
		})
	}
}
