package viewmodel

import (
	"testing"

	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
)

func f(v float64) *float64 { return &v }

func TestSpendOf(t *testing.T) {
	for _, tc := range []struct {
		s      *topology.Spend
		budget float64
		text   string
		short  string
		role   Role
	}{
		{nil, 0, "", "", RoleText},
		{&topology.Spend{TokensIn: 1000, TokensOut: 234, CostUSD: f(1.5), USDPerHour: f(6)}, 0, "$1.50 · $6.00/h · 1.23k tok", "$1.50", RoleText},
		{&topology.Spend{TokensIn: 10, CostUSD: f(0.001), USDPerHour: f(0)}, 0, "<$0.01 · 10 tok", "<$0.01", RoleText},
		{&topology.Spend{TokensOut: 5000}, 1, "cost unknown · 5.00k tok", "$?", RoleText}, // unknown: never $0, no budget level
		{&topology.Spend{TokensOut: 5000, Model: "claude-nova-7"}, 0, "cost unknown · 5.00k tok · no price for claude-nova-7", "$?", RoleText},
		// Over budget in words, not colour alone.
		{&topology.Spend{CostUSD: f(0.8)}, 1, "$0.80 (80 % of $1.00) · 0 tok", "$0.80", RoleWaiting},
		{&topology.Spend{CostUSD: f(1.2)}, 1, "$1.20 over the $1.00 budget · 0 tok", "$1.20 over", RoleError},
	} {
		got := SpendOf(tc.s, tc.budget)
		if got.Text != tc.text || got.Short != tc.short || (tc.s != nil && got.Role != tc.role) {
			t.Errorf("%+v / %v: %+v", tc.s, tc.budget, got)
		}
	}
	if s, _ := TodayOf(&topology.SpendTotal{CostUSD: f(0)}, 10); s != "" {
		t.Errorf("nothing spent shows %q", s)
	}
	if s, r := TodayOf(&topology.SpendTotal{TokensIn: 5, CostUSD: f(9), Unpriced: 7}, 10); s != "Today ≥$9.00 of $10.00" || r != RoleWaiting {
		t.Errorf("today: %q %v", s, r)
	}
	if s, r := TodayOf(&topology.SpendTotal{TokensIn: 5, CostUSD: f(12)}, 10); s != "Today $12.00 of $10.00 — over budget" || r != RoleError {
		t.Errorf("today over: %q %v", s, r)
	}
}
