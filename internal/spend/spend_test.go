package spend

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/assets"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

func bundled(t testing.TB) Prices {
	t.Helper()
	p, err := ParsePrices("prices.toml", assets.Prices)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func fixtureRoots() Roots {
	return Roots{Claude: []string{"testdata/claude"}, Codex: "testdata/codex", Gemini: "testdata/gemini"}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// The fixtures' sums, by hand (docs/spend.md has the fields; prices from
// assets/prices.toml):
//
//	Claude sess-a: msg_01 streamed three times (output 5, 5, 300: counted
//	once, 300), msg_02; a synthetic message (skipped); msg_03 of a model
//	without a price (150 tokens, unknown). Sub-agent file: msg_s1 (haiku).
//	sess-b (resumed): a copy of msg_02 (not counted again) and msg_04 (opus).
//	  sonnet-4-5: in 14, out 1000, cw 2500, cr 32000 -> $0.034017
//	  haiku-4-5:  in 3000, out 200                  -> $0.004
//	  opus-4-5:   in 20, out 1000, cw 1000, cr 30000 -> $0.04635
//	Codex: two turns: in 12000-8000 + 15000-12000 = 7000, cached 20000,
//	  out 1000 (gpt-5.1-codex)                        -> $0.02125
//	Gemini: m2 in 9000-4000, cached 4000, out 400+100 (pro) -> $0.01175;
//	  m3 in 1000, cached 9000, out 200 (flash)        -> $0.00107
func TestFixtureTotals(t *testing.T) {
	tr := NewTracker(Options{Roots: fixtureRoots(), Prices: bundled(t)})
	tr.Poll()
	var rep Report
	for _, e := range tr.Entries(nil) {
		rep.Add(tr.Prices(), string(e.Source)+" "+e.Model, e)
	}
	rows, total := rep.Rows()
	want := map[string]struct {
		tok  Tokens
		cost float64 // -1: unknown
	}{
		"claude claude-sonnet-4-5-20250929": {Tokens{14, 1000, 2500, 32000}, 0.034017},
		"claude claude-haiku-4-5-20251001":  {Tokens{3000, 200, 0, 0}, 0.004},
		"claude claude-opus-4-5-20251101":   {Tokens{20, 1000, 1000, 30000}, 0.04635},
		"claude claude-mystery-9":           {Tokens{100, 50, 0, 0}, -1},
		"codex gpt-5.1-codex":               {Tokens{7000, 1000, 0, 20000}, 0.02125},
		"gemini gemini-2.5-pro":             {Tokens{5000, 500, 0, 4000}, 0.01175},
		"gemini gemini-2.5-flash":           {Tokens{1000, 200, 0, 9000}, 0.00107},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows: %+v", rows)
	}
	for _, r := range rows {
		w, ok := want[r.Key]
		if !ok {
			t.Errorf("unexpected row %q", r.Key)
			continue
		}
		if r.Tokens != w.tok {
			t.Errorf("%s: tokens %+v, want %+v", r.Key, r.Tokens, w.tok)
		}
		switch {
		case w.cost < 0 && r.CostUSD != nil:
			t.Errorf("%s: cost %v, want unknown (never 0)", r.Key, *r.CostUSD)
		case w.cost >= 0 && (r.CostUSD == nil || !near(*r.CostUSD, w.cost)):
			t.Errorf("%s: cost %v, want %v", r.Key, r.CostUSD, w.cost)
		}
	}
	if total.CostUSD != nil || !near(total.PricedUSD, 0.118437) || total.Unpriced != 150 {
		t.Errorf("total: %+v (priced %v), want unknown, priced 0.118437, 150 unpriced", total.CostUSD, total.PricedUSD)
	}
	// Sessions: the sub-agent's file belongs to its parent session.
	var ids []string
	for _, s := range tr.Sessions(time.Time{}) {
		ids = append(ids, string(s.Source)+":"+s.ID)
	}
	if got := strings.Join(ids, " "); !strings.Contains(got, "claude:sess-a") || strings.Contains(got, "agent-7f3a") || len(ids) != 4 {
		t.Errorf("sessions: %s", got)
	}
}

func TestGrowingFileReadOnce(t *testing.T) {
	dir := t.TempDir()
	proj := filepath.Join(dir, "projects", "-w")
	os.MkdirAll(proj, 0o700)
	path := filepath.Join(proj, "s.jsonl")
	line := func(id string, out int) string {
		return `{"type":"assistant","sessionId":"s","cwd":"/w","requestId":"r` + id + `","timestamp":"2026-12-01T10:00:00Z","message":{"id":"` + id +
			`","model":"claude-sonnet-4-5","usage":{"input_tokens":1,"output_tokens":` + strconv.Itoa(out) + `,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}}` + "\n"
	}
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	tr := NewTracker(Options{Roots: Roots{Claude: []string{dir}}, Prices: bundled(t), Now: func() time.Time { return now }})
	os.WriteFile(path, []byte(line("m1", 10)), 0o600)
	tr.Poll()
	read1 := tr.ReadBytes()
	// Between ticks: the same message streamed on (more output), a new one,
	// and half of a third line.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	third := line("m3", 7)
	f.WriteString(line("m1", 40) + line("m2", 5) + third[:30])
	f.Close()
	now = now.Add(time.Second) // a hot-file poll, not a scan
	tr.Poll()
	sum := func() (s Sum) {
		for _, e := range tr.Entries(nil) {
			s.AddEntry(tr.Prices(), e)
		}
		return s
	}
	if got := sum(); got.Out != 45 || got.In != 2 {
		t.Fatalf("after growth: %+v, want out 40+5, in 2", got.Tokens)
	}
	f, _ = os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(third[30:])
	f.Close()
	now = now.Add(time.Second)
	tr.Poll()
	if got := sum(); got.Out != 52 || got.In != 3 {
		t.Fatalf("after the rest of the line: %+v", got.Tokens)
	}
	// Only what was appended was read: every byte once.
	fi, _ := os.Stat(path)
	if tr.ReadBytes() != fi.Size() || read1 >= fi.Size() {
		t.Errorf("read %d bytes of a %d-byte file", tr.ReadBytes(), fi.Size())
	}
	// A quiet tick reads nothing.
	now = now.Add(time.Second)
	tr.Poll()
	if tr.ReadBytes() != fi.Size() {
		t.Errorf("a quiet tick read again")
	}
}

func TestLookup(t *testing.T) {
	p := bundled(t)
	for _, tc := range []struct {
		model string
		want  string // "" = none
	}{
		{"claude-sonnet-4-5-20250929", "claude-sonnet-4-5"},
		{"claude-sonnet-4-5", "claude-sonnet-4-5"},
		{"anthropic/claude-opus-4-1", "claude-opus-4-1"},
		{"claude-opus-4-20250514", "claude-opus-4"},
		{"gpt-5.1-codex", "gpt-5.1-codex"},
		{"gpt-5.1-codex-max", "gpt-5.1-codex-max"},
		{"gpt-5-codex-2099", "gpt-5-codex"},
		{"gpt-5.9-codex", ""}, // not gpt-5: a codex variant is never priced as its base
		{"claude-mystery-9", ""},
		{"", ""},
		{"unknown", ""},
	} {
		got, ok := p.Lookup(tc.model)
		if tc.want == "" {
			if ok {
				t.Errorf("%q priced %+v, want none", tc.model, got)
			}
			continue
		}
		if !ok || got != p.Models[tc.want] {
			t.Errorf("%q: %+v %v, want %s", tc.model, got, ok, tc.want)
		}
	}
	if _, ok := p.Cost("claude-mystery-9", Tokens{In: 5}); ok {
		t.Error("an unknown model has a cost")
	}
}

func TestPricesFile(t *testing.T) {
	_, err := ParsePrices("p.toml", []byte("taken = \"x\"\n[models.\"m\"]\ninput = -1\nouput = 2\n"))
	if err == nil || !strings.Contains(err.Error(), "p.toml:3:") || !strings.Contains(err.Error(), "negative") {
		t.Errorf("want a positioned error, got %v", err)
	}
	base := bundled(t)
	user, err := ParsePrices("u.toml", []byte("taken = \"2026-12-01\"\n[models.\"claude-sonnet-4-5\"]\ninput = 1\noutput = 2\n[models.\"my-model\"]\ninput = 1\noutput = 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	m := base.Merge(user)
	if m.Models["claude-sonnet-4-5"].In != 1 || m.Models["my-model"].Out != 1 || m.Models["claude-opus-4-5"].In != 5 {
		t.Errorf("merge: %+v", m.Models)
	}
	// A broken user file leaves the bundled prices in force, and says so.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "prices.toml"), []byte("[models.\"x\"\n"), 0o600)
	got, err := LoadPrices(assets.Prices, filepath.Join(dir, "prices.toml"), os.ReadFile)
	if err == nil || len(got.Models) != len(base.Models) {
		t.Errorf("broken user prices: %v, %d models", err, len(got.Models))
	}
}

func TestMatch(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	at := func(min float64) time.Time { return t0.Add(time.Duration(min * float64(time.Minute))) }
	sess := func(id, cwd string, mins ...float64) *Session {
		s := &Session{Source: Claude, ID: id, Cwd: cwd}
		for _, m := range mins {
			s.Entries = append(s.Entries, Entry{Time: at(m), Source: Claude, Session: id, Tokens: Tokens{In: 1}})
		}
		s.First, s.Last = s.Entries[0].Time, s.Entries[len(s.Entries)-1].Time
		return s
	}
	agent := func(pane wezterm.PaneID, cwd string, start float64, busy ...[2]float64) Agent {
		a := Agent{Pane: pane, Source: Claude, Start: at(start), Cwd: cwd}
		for _, b := range busy {
			a.Working = append(a.Working, Span{at(b[0]), at(b[1])})
		}
		return a
	}
	tests := []struct {
		name     string
		sessions []*Session
		agents   []Agent
		want     map[wezterm.PaneID]string
	}{
		{"one agent, one folder", []*Session{sess("a", "/w", 1, 2)}, []Agent{agent(1, "/w", 0)}, map[wezterm.PaneID]string{1: "a"}},
		{"another folder is not ours", []*Session{sess("a", "/x", 1)}, []Agent{agent(1, "/w", 0)}, map[wezterm.PaneID]string{}},
		{"a session before the agent started is not ours", []*Session{sess("old", "/w", -30)}, []Agent{agent(1, "/w", 0)}, map[wezterm.PaneID]string{}},
		{"an agent cannot own what was written before it ran",
			[]*Session{sess("a", "/w", 1, 2), sess("b", "/w", 6, 7)},
			[]Agent{agent(1, "/w", 0), agent(2, "/w", 5, [2]float64{5.5, 8})},
			map[wezterm.PaneID]string{1: "a", 2: "b"}},
		{"two agents in one folder, nobody saw who worked: not tied to either (never the wrong pane)",
			[]*Session{sess("b", "/w", 6, 7), sess("a", "/w", 7.5, 8)},
			[]Agent{agent(1, "/w", 0), agent(2, "/w", 5)},
			map[wezterm.PaneID]string{}},
		{"work seen before the monitor watched does not count",
			[]*Session{sess("a", "/w", 1, 2)},
			[]Agent{func() Agent { a := agent(1, "/w", 0, [2]float64{3, 4}); a.Seen = at(3); return a }(), agent(2, "/w", 0)},
			map[wezterm.PaneID]string{}},
		{"same start, told apart by who was working",
			[]*Session{sess("a", "/w", 1, 2, 3), sess("b", "/w", 1.5, 4, 5)},
			[]Agent{agent(1, "/w", 0, [2]float64{0.5, 3.2}), agent(2, "/w", 0, [2]float64{1.4, 1.6}, [2]float64{3.8, 6})},
			map[wezterm.PaneID]string{1: "a", 2: "b"}},
		{"working decides even against start order",
			[]*Session{sess("a", "/w", 10, 11)},
			[]Agent{agent(1, "/w", 0, [2]float64{9, 12}), agent(2, "/w", 5, [2]float64{20, 21})},
			map[wezterm.PaneID]string{1: "a"}},
		{"a resumed session is the new agent's",
			[]*Session{sess("r", "/w", -100, -99, 3, 4)},
			[]Agent{agent(1, "/w", 2)},
			map[wezterm.PaneID]string{1: "r"}},
		{"fan-out copies: own folders", []*Session{sess("a", "/w-1", 1), sess("b", "/w-2", 1)},
			[]Agent{agent(1, "/w-1", 0), agent(2, "/w-2", 0)}, map[wezterm.PaneID]string{1: "a", 2: "b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := map[wezterm.PaneID]string{}
			for pane, ss := range Match(tc.sessions, tc.agents) {
				var ids []string
				for _, s := range ss {
					ids = append(ids, s.ID)
				}
				got[pane] = strings.Join(ids, ",")
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
	// Gemini records name the folder by its hash.
	g := &Session{Source: Gemini, ID: "g", Gemini: ProjectHash("/work/gem"), Entries: []Entry{{Time: at(1)}}}
	if m := Match([]*Session{g}, []Agent{{Pane: 3, Source: Gemini, Start: t0, Cwd: "/work/gem/"}}); len(m[3]) != 1 {
		t.Errorf("gemini by project hash: %v", m)
	}
}

// A resumed session's spend on its pane counts what happened since the
// agent started, not the history it copied.
func TestPaneSpendFromAgentStart(t *testing.T) {
	tr := NewTracker(Options{Roots: fixtureRoots(), Prices: bundled(t)})
	tr.Poll()
	start := time.Date(2026, 12, 1, 10, 59, 0, 0, time.UTC)
	now := start.Add(5 * time.Minute)
	panes, day := tr.Spend([]Agent{{Pane: 7, Source: Claude, Start: start, Cwd: "/work/app"}}, now, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	ps, ok := panes[7]
	if !ok {
		t.Fatalf("no spend for the agent: %v", panes)
	}
	if ps.Tokens != (Tokens{20, 1000, 1000, 30000}) || ps.Session != "sess-b" || !ps.Known() || !near(ps.USD, 0.04635) {
		t.Errorf("pane spend %+v", ps)
	}
	// msg_04 was 4.5 minutes ago: in the rate window.
	if ps.Recent.Entries != 1 {
		t.Errorf("recent: %+v", ps.Recent)
	}
	if day.Unpriced != 150 || !near(day.USD, 0.118437) {
		t.Errorf("day: %+v", day)
	}
}
