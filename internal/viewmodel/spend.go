package viewmodel

import (
	"github.com/wezterm-parallel/wezterm-parallel/internal/decide"
	"github.com/wezterm-parallel/wezterm-parallel/internal/spend"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
)

// Spend is how an agent pane's spend reads: "$1.23 · $4.10/h · 1.2M tok",
// short "$1.23", and the colour its budget gives it (text; waiting at
// 80 %; error at 100 %). A model without a price reads "$?" and "cost
// unknown": never $0.
type Spend struct {
	Text, Short string
	Role        Role
	Level       int // 0, 80 or 100 of the pane budget
}

// SpendOf reads a pane's spend against the pane budget (0: none).
func SpendOf(s *topology.Spend, budget float64) Spend {
	if s == nil {
		return Spend{}
	}
	tok := spend.HumanTokens(s.TokensIn+s.TokensOut+s.CacheWrite+s.CacheRead) + " tok"
	out := Spend{Role: RoleText, Level: decide.BudgetLevel(s.CostUSD, budget)}
	if s.CostUSD == nil {
		// Never $0: unknown, and why (last: a narrow tile keeps the tokens).
		out.Short, out.Text = "$?", "cost unknown · "+tok
		if s.Model != "" {
			out.Text += " · no price for " + Ellipsize(s.Model, 40)
		}
	} else {
		out.Short = spend.USD(s.CostUSD)
		out.Text = out.Short
		// Over budget is said in words too, not by colour alone, right
		// after the figure (a narrow tile cuts the end).
		switch out.Level {
		case 100:
			out.Text += " over the " + spend.USD(&budget) + " budget"
		case 80:
			out.Text += " (80 % of " + spend.USD(&budget) + ")"
		}
		if r := spend.Rate(s.USDPerHour); r != "" {
			out.Text += " · " + r
		}
		out.Text += " · " + tok
	}
	out.Role = levelRole(out.Level)
	if out.Level == 100 {
		out.Short += " over"
	}
	return out
}

func levelRole(level int) Role {
	switch level {
	case 100:
		return RoleError
	case 80:
		return RoleWaiting
	}
	return RoleText
}

// TodayOf is the header's "Today $4.20" (with "of $10" under a daily
// budget), "" when no agent used anything today.
func TodayOf(t *topology.SpendTotal, budget float64) (string, Role) {
	if t == nil || t.TokensIn+t.TokensOut+t.CacheWrite+t.CacheRead == 0 {
		return "", RoleText
	}
	s := "Today " + spend.USD(t.CostUSD)
	if t.Unpriced > 0 {
		s = "Today ≥" + spend.USD(t.CostUSD)
	}
	if budget > 0 {
		s += " of " + spend.USD(&budget)
	}
	level := decide.BudgetLevel(t.CostUSD, budget)
	if level == 100 {
		s += " — over budget"
	}
	return s, levelRole(level)
}

// workspaceSpend sums its agent panes' spend: "$3.10", "≥$3.10" when a
// pane's cost is unknown, "" when none spent.
func workspaceSpend(ws topology.Workspace) string {
	var usd float64
	n, unknown := 0, false
	for _, win := range ws.Windows {
		for _, t := range win.Tabs {
			for _, p := range t.Panes {
				if p.Spend == nil {
					continue
				}
				n++
				if p.Spend.CostUSD == nil {
					unknown = true
				} else {
					usd += *p.Spend.CostUSD
				}
			}
		}
	}
	switch {
	case n == 0:
		return ""
	case unknown && usd == 0:
		return "$?" // nothing priced: unknown, not $0
	case unknown:
		return "≥" + spend.USD(&usd)
	}
	return spend.USD(&usd)
}
