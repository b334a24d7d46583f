package app

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/assets"
	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/spend"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// ResidentKeep is how much spend history a long-running monitor keeps
// (today's total and agents started in the last two days).
const ResidentKeep = 48 * time.Hour

// listKeep bounds what `list` reads: agents running longer show the spend
// of their last week.
const listKeep = 7 * 24 * time.Hour

func (r *runner) home() string {
	if h := r.o.Getenv("HOME"); h != "" {
		return h
	}
	h, _ := os.UserHomeDir()
	return h
}

// configDir is the folder of config.toml (and prices.toml, agents.toml).
func (r *runner) configDir() string {
	path := r.g.config
	if path == "" {
		path, _ = config.DefaultPath()
	}
	if path == "" {
		return ""
	}
	return filepath.Dir(path)
}

// prices are the bundled prices with the user's prices.toml over them; a
// broken user file is reported once and left out.
func (r *runner) prices() spend.Prices {
	if r.pricesOK {
		return r.pricesV
	}
	user := ""
	if dir := r.configDir(); dir != "" {
		user = filepath.Join(dir, "prices.toml")
	}
	p, err := spend.LoadPrices(assets.Prices, user, config.ReadFile)
	if err != nil {
		fmt.Fprintln(r.o.Stderr, err)
		if p.Models == nil {
			p = spend.Prices{Models: map[string]spend.Price{}}
		}
	}
	r.pricesV, r.pricesOK = p, true
	return p
}

// newLive follows the records under roots for one monitor.
func (r *runner) newLive(roots spend.Roots, keep time.Duration) *spend.Live {
	t := spend.NewTracker(spend.Options{Roots: roots, Prices: r.prices(), Keep: keep})
	return spend.NewLive(t, spend.UsageOf(r.agentRules()))
}

// spendCmd prints what the agents spent, grouped like ccusage's reports.
func (r *runner) spendCmd(ctx context.Context, args []string) int {
	f, _, code, ok := r.parse("spend", args)
	if !ok {
		return code
	}
	now := time.Now()
	since, err := parseSince(f.str("since"), now, time.Local)
	if err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel spend:", err)
		return 2
	}
	by := f.str("by")
	switch by {
	case "day", "model", "pane", "workspace":
	default:
		fmt.Fprintf(r.o.Stderr, "wezterm-parallel spend: --by %q: want day, model, pane or workspace%s\n", by, meant(by, []string{"day", "model", "pane", "workspace"}))
		return 2
	}
	roots := spend.DefaultRoots(r.o.Getenv, r.home())
	tr := spend.NewTracker(spend.Options{Roots: roots, Prices: r.prices()})
	if err := tr.PollContext(ctx); err != nil {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel spend: interrupted while reading the records")
		return 130
	}

	// Panes and workspaces need WezTerm: which agent runs where.
	var agentsNow []spend.Agent
	where := map[wezterm.PaneID]string{}
	paneNote := ""
	if by == "pane" || by == "workspace" {
		sampler := metrics.New(metrics.Options{History: 2})
		defer sampler.Close()
		m := r.agentMonitor(r.client("", nil), sampler)
		live := spend.NewLive(tr, spend.UsageOf(r.agentRules()))
		tree, err := sampledTree(ctx, m, 0)
		if err != nil {
			paneNote = "no panes: " + r.explain(err)
		} else {
			for _, p := range tree.Panes() {
				if by == "pane" {
					where[p.ID] = fmt.Sprintf("pane %d (%s)", p.ID, displayWorkspace(p.Workspace))
				} else {
					where[p.ID] = displayWorkspace(p.Workspace)
				}
			}
			agentsNow = live.Agents(ctx, &tree)
		}
	}
	var rep spend.Report
	prices := tr.Prices()
	tr.EntriesOwned(agentsNow, since, func(e spend.Entry, pane wezterm.PaneID, owned bool) {
		var key string
		switch by {
		case "day":
			key = spend.DayKey(e.Time, time.Local)
		case "model":
			key = e.Model
		default: // pane, workspace
			key = "(no running agent)"
			if owned {
				key = where[pane]
			}
		}
		rep.Add(prices, key, e)
	})
	rows, total := rep.Rows()
	if f.bool("json") {
		out := struct {
			Since       time.Time   `json:"since"`
			By          string      `json:"by"`
			Rows        []spend.Row `json:"rows"`
			Total       spend.Row   `json:"total"`
			PricesTaken string      `json:"prices_taken"`
			Files       int         `json:"files_read"`
			Note        string      `json:"note,omitempty"`
		}{since, by, rows, total, prices.Taken, tr.Files(), paneNote}
		if out.Rows == nil {
			out.Rows = []spend.Row{}
		}
		enc := json.NewEncoder(r.raw)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(r.o.Stderr, "wezterm-parallel spend:", err)
			return 1
		}
		return 0
	}
	w := r.o.Stdout
	if paneNote != "" {
		fmt.Fprintln(w, paneNote)
	}
	if len(rows) == 0 {
		fmt.Fprintf(w, "no agent usage since %s (looked in %s)\n", since.Format("2006-01-02 15:04"), strings.Join(rootList(roots), ", "))
		return 0
	}
	title := map[string]string{"day": "DAY", "model": "MODEL", "pane": "PANE", "workspace": "WORKSPACE"}[by]
	fmt.Fprintf(w, "%s %10s %10s %11s %11s %10s\n", fit(title, 28), "INPUT", "OUTPUT", "CACHE WRITE", "CACHE READ", "COST")
	line := func(rw spend.Row) {
		fmt.Fprintf(w, "%s %10s %10s %11s %11s %10s\n", fit(rw.Key, 28), spend.HumanTokens(rw.In), spend.HumanTokens(rw.Out),
			spend.HumanTokens(rw.CacheWrite), spend.HumanTokens(rw.CacheRead), rowCost(rw))
	}
	for _, rw := range rows {
		line(rw)
	}
	line(total)
	fmt.Fprintf(w, "since %s · prices taken %s", since.Format("2006-01-02 15:04"), prices.Taken)
	if total.Unpriced > 0 {
		fmt.Fprintf(w, " · %s tokens of models without a price are not in the costs (add them to %s)",
			spend.HumanTokens(total.Unpriced), filepath.Join(r.configDir(), "prices.toml"))
	}
	fmt.Fprintln(w)
	return 0
}

// rowCost is a row's cost: known, or the priced part marked as a floor.
func rowCost(rw spend.Row) string {
	if rw.CostUSD != nil {
		return spend.USD(rw.CostUSD)
	}
	if rw.PricedUSD > 0 {
		return "≥" + spend.USD(&rw.PricedUSD)
	}
	return "unknown"
}

func displayWorkspace(ws string) string {
	if ws == "" {
		return `""`
	}
	return ws
}

func rootList(r spend.Roots) []string {
	var out []string
	for _, c := range r.Claude {
		out = append(out, filepath.Join(c, "projects"))
	}
	return append(out, r.Codex, r.Gemini)
}

// parseSince reads --since: Nd (calendar days in loc, 1d = today), a
// duration (12h, 90m) or a date (2006-01-02).
func parseSince(s string, now time.Time, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if n, ok := strings.CutSuffix(s, "d"); ok {
		if days, err := strconv.Atoi(n); err == nil && days >= 1 {
			return spend.SinceDays(now, days, loc), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--since %q: want days (1d = today, 7d), a duration (12h) or a date (2026-12-01)", s)
}

// meant is "; did you mean X?" for the nearest choice, or "".
func meant(s string, choices []string) string {
	if near := nearest(s, choices); near != "" {
		return "; did you mean " + quoted(near) + "?"
	}
	return ""
}
