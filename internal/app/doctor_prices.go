package app

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/spend"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
)

// pricesStale is the age past which doctor asks for a look at the
// vendors' price pages: models and prices change every few weeks.
const pricesStale = 60 * 24 * time.Hour

// pricesLine checks the price table: how old it is, and whether a model
// the agents used in the last week has no price (its cost shows as
// unknown).
func (r *runner) pricesLine(line func(status, check, msg string), now time.Time) {
	p := r.prices()
	taken, ok := newestDate(p.Taken)
	switch {
	case !ok:
		line("warn", "prices", fmt.Sprintf("%s: no date the prices were taken", p))
	case now.Sub(taken) > pricesStale:
		line("warn", "prices", fmt.Sprintf("taken %s, %d days ago: models and prices change often; check the vendors' pages and put what changed in prices.toml beside config.toml",
			taken.Format("2006-01-02"), int(now.Sub(taken).Hours()/24)))
	default:
		line("ok", "prices", p.String())
	}
	tr := spend.NewTracker(spend.Options{Roots: spend.DefaultRoots(r.o.Getenv, r.home()), Prices: p, Keep: 7 * 24 * time.Hour, Now: func() time.Time { return now }})
	tr.Poll()
	unpriced := map[string]int64{}
	for _, e := range tr.Entries(nil) {
		var s spend.Sum
		s.AddEntry(p, e)
		if !s.Known() {
			unpriced[string(e.Source)+" "+e.Model] += e.Tokens.Total()
		}
	}
	if len(unpriced) == 0 {
		return
	}
	var names []string
	for k, n := range unpriced {
		names = append(names, fmt.Sprintf("%s (%s tokens)", textsafe.Escape(k), spend.HumanTokens(n)))
	}
	sort.Strings(names)
	line("warn", "prices", "used in the last 7 days without a price (cost shown as unknown): "+strings.Join(names, ", ")+
		"; add them to prices.toml beside config.toml")
}

// newestDate is the latest YYYY-MM-DD in a Taken ("2026-12-07 (yours),
// 2026-12-02").
func newestDate(s string) (time.Time, bool) {
	var best time.Time
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if len(part) < 10 {
			continue
		}
		if t, err := time.Parse("2006-01-02", part[:10]); err == nil && t.After(best) {
			best = t
		}
	}
	return best, !best.IsZero()
}
