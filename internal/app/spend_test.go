//go:build unix

package app_test

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/app"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// fixtureHome is a home folder holding the spend package's fixtures where
// the agents keep them.
func fixtureHome(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	src := "../spend/testdata"
	for from, to := range map[string]string{"claude": ".claude", "codex": ".codex/sessions", "gemini": ".gemini/tmp"} {
		os.MkdirAll(filepath.Dir(filepath.Join(home, to)), 0o700)
		if out, err := exec.Command("cp", "-r", filepath.Join(src, from), filepath.Join(home, to)).CombinedOutput(); err != nil {
			t.Fatalf("copy fixtures: %v %s", err, out)
		}
	}
	return home
}

// spend --json totals equal the hand-computed sum of the fixtures (see
// internal/spend's TestFixtureTotals for the arithmetic).
func TestSpendJSONTotals(t *testing.T) {
	home := fixtureHome(t)
	getenv := func(k string) string {
		if k == "HOME" {
			return home
		}
		return ""
	}
	for _, by := range []string{"model", "day"} {
		out, errOut, code := runApp(t, app.Options{Getenv: getenv}, "spend", "--since", "2026-11-30", "--json", "--by", by)
		if code != 0 || errOut != "" {
			t.Fatalf("by %s: exit %d, stderr %q", by, code, errOut)
		}
		// The JSON contract, read as a script would.
		type row struct {
			Key       string   `json:"key"`
			CostUSD   *float64 `json:"cost_usd"`
			PricedUSD float64  `json:"priced_usd"`
			Unpriced  int64    `json:"unpriced_tokens"`
			In        int64    `json:"tokens_in"`
			Out       int64    `json:"tokens_out"`
			CW        int64    `json:"cache_write"`
			CR        int64    `json:"cache_read"`
		}
		var rep struct {
			Rows  []row `json:"rows"`
			Total row   `json:"total"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		tot := rep.Total
		// In 14+3000+20+100+7000+5000+1000, out 1000+200+1000+50+1000+500+200,
		// cache write 2500+1000, cache read 32000+30000+20000+4000+9000.
		if tot.In != 16134 || tot.Out != 3950 || tot.CW != 3500 || tot.CR != 95000 {
			t.Errorf("by %s: total tokens %+v", by, tot)
		}
		if tot.CostUSD != nil || math.Abs(tot.PricedUSD-0.118437) > 1e-9 || tot.Unpriced != 150 {
			t.Errorf("by %s: total cost %v, priced %v, unpriced %d; want null, 0.118437, 150", by, tot.CostUSD, tot.PricedUSD, tot.Unpriced)
		}
		if by == "day" && (len(rep.Rows) != 1 || rep.Rows[0].Key != "2026-12-01") {
			t.Errorf("by day: %+v", rep.Rows)
		}
		if by == "model" && len(rep.Rows) != 7 {
			t.Errorf("by model: %d rows", len(rep.Rows))
		}
	}
	out, _, code := runApp(t, app.Options{Getenv: getenv}, "spend", "--since", "2026-11-30", "--by", "model")
	if code != 0 || !strings.Contains(out, "claude-mystery-9") || !strings.Contains(out, "unknown") || !strings.Contains(out, "≥$0.12") {
		t.Errorf("human report:\n%s", out)
	}
	_, errOut, code := runApp(t, app.Options{Getenv: getenv}, "spend", "--by", "modle")
	if code != 2 || !strings.Contains(errOut, `did you mean "model"`) {
		t.Errorf("--by modle: %d %q", code, errOut)
	}
	_, errOut, code = runApp(t, app.Options{Getenv: getenv}, "spend", "--since", "yesterday")
	if code != 2 || !strings.Contains(errOut, "--since") {
		t.Errorf("--since yesterday: %d %q", code, errOut)
	}
}

// list --json: an agent pane carries the spend its session file records,
// tied by process, folder and start time; a pane in another folder does not.
func TestListJSONSpend(t *testing.T) {
	s := startSim(t, sim.Config{})
	claude := t.TempDir()
	c := s.Client()
	ctx := context.Background()
	work := t.TempDir()
	id, err := c.Spawn(ctx, wezterm.SpawnOptions{NewWindow: true, Workspace: "agents", CWD: work,
		Program: []string{s.Link, "fake-agent", "--work", "2s", "--name", "spender", "--usage-dir", claude}})
	if err != nil {
		t.Fatal(err)
	}
	// Wait for the agent's first records.
	var file string
	deadline := time.Now().Add(20 * time.Second)
	for file == "" && time.Now().Before(deadline) {
		files, _ := filepath.Glob(filepath.Join(claude, "projects", "*", "*.jsonl"))
		if len(files) == 1 {
			file = files[0]
		}
		time.Sleep(200 * time.Millisecond)
	}
	if file == "" {
		t.Fatal("the fake agent wrote no records")
	}
	// Let its round of work end (it then waits): the file stops growing.
	time.Sleep(3 * time.Second)
	getenv := func(k string) string {
		switch k {
		case "CLAUDE_CONFIG_DIR":
			return claude
		case "HOME":
			return t.TempDir()
		}
		return ""
	}
	out, errOut, code := runApp(t, app.Options{Env: s.Env, Getenv: getenv}, "--wezterm", s.Link, "list", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var tree struct {
		Workspaces []struct {
			Windows []struct {
				Tabs []struct {
					Panes []struct {
						ID    wezterm.PaneID `json:"id"`
						Spend *struct {
							Model     string   `json:"model"`
							TokensOut int64    `json:"tokens_out"`
							CostUSD   *float64 `json:"cost_usd"`
							Session   string   `json:"session"`
						} `json:"spend"`
					} `json:"panes"`
				} `json:"tabs"`
			} `json:"windows"`
		} `json:"workspaces"`
	}
	if err := json.Unmarshal([]byte(out), &tree); err != nil {
		t.Fatal(err)
	}
	// The file by hand: each message is written twice (streamed), the last
	// copy with the final output.
	data, _ := os.ReadFile(file)
	final := map[string]int64{}
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var m struct {
			Message struct {
				ID    string `json:"id"`
				Usage struct {
					Out int64 `json:"output_tokens"`
				} `json:"usage"`
			} `json:"message"`
		}
		json.Unmarshal([]byte(l), &m)
		final[m.Message.ID] = max(final[m.Message.ID], m.Message.Usage.Out)
	}
	var want int64
	for _, v := range final {
		want += v
	}
	found := 0
	for _, ws := range tree.Workspaces {
		for _, w := range ws.Windows {
			for _, tab := range w.Tabs {
				for _, p := range tab.Panes {
					if p.Spend == nil {
						continue
					}
					found++
					if p.ID != id || p.Spend.TokensOut != want || p.Spend.CostUSD == nil || *p.Spend.CostUSD <= 0 ||
						!strings.HasPrefix(p.Spend.Model, "claude-sonnet-4-5") || !strings.HasPrefix(filepath.Base(file), p.Spend.Session) {
						t.Errorf("pane %d spend %+v (want pane %d, out %d)", p.ID, *p.Spend, id, want)
					}
				}
			}
		}
	}
	if found != 1 {
		t.Errorf("%d panes with spend, want 1:\n%s", found, out)
	}
}

// TestSpendSurvivesHostileRecordsAndPrices: a FIFO and a link to
// /dev/zero among the records hung `spend` for good, and a nan price made
// `spend --json` exit 1 with no output. Now the report comes, the price
// file's problem is named with its position, and the bundled price is
// used.
func TestSpendSurvivesHostileRecordsAndPrices(t *testing.T) {
	home := fixtureHome(t)
	proj := filepath.Join(home, ".claude", "projects", "-x")
	os.MkdirAll(proj, 0o700)
	if err := exec.Command("mkfifo", filepath.Join(proj, "evil.jsonl")).Run(); err != nil {
		t.Fatal(err)
	}
	os.Symlink("/dev/zero", filepath.Join(proj, "z.jsonl"))
	cfg := t.TempDir()
	os.WriteFile(filepath.Join(cfg, "prices.toml"), []byte("[models.\"claude-sonnet-4-5\"]\ninput = nan\noutput = 15\n"), 0o600)
	getenv := func(k string) string {
		if k == "HOME" {
			return home
		}
		return ""
	}
	type result struct {
		out, errOut string
		code        int
	}
	done := make(chan result, 1)
	go func() {
		out, errOut, code := runApp(t, app.Options{Getenv: getenv}, "--config", filepath.Join(cfg, "config.toml"),
			"spend", "--since", "2026-11-30", "--json")
		done <- result{out, errOut, code}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("spend did not finish within 20 s")
	}
	var rep struct {
		Total struct {
			PricedUSD float64 `json:"priced_usd"`
		} `json:"total"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.out), &rep) != nil || math.Abs(rep.Total.PricedUSD-0.118437) > 1e-9 {
		t.Errorf("exit %d, stdout %q", r.code, r.out)
	}
	if !strings.Contains(r.errOut, "prices.toml:2:1: a price must be a number of dollars, not NaN") {
		t.Errorf("stderr %q", r.errOut)
	}
}

// doctor names a model in use without a price, whatever WezTerm's state.
func TestDoctorNamesUnpricedModels(t *testing.T) {
	home := t.TempDir()
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	rec := `{"type":"assistant","timestamp":"` + now + `","sessionId":"s","cwd":"/p","message":{"id":"m1","model":"claude-nova-7","usage":{"input_tokens":1200,"output_tokens":30}}}`
	os.MkdirAll(filepath.Join(home, ".claude", "projects", "-p"), 0o700)
	os.WriteFile(filepath.Join(home, ".claude", "projects", "-p", "s.jsonl"), []byte(rec+"\n"), 0o600)
	getenv := func(k string) string {
		if k == "HOME" {
			return home
		}
		return ""
	}
	out, _, _ := runApp(t, app.Options{Getenv: getenv}, "doctor", "--wezterm", filepath.Join(home, "no-wezterm"))
	if !strings.Contains(out, "prices") || !strings.Contains(out, "claude claude-nova-7 (1.23k tokens)") {
		t.Errorf("doctor:\n%s", out)
	}
}
