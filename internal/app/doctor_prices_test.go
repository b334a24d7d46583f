package app

import (
	"testing"
	"time"
)

// The table's age is its newest date: the user's own prices count.
func TestPricesAge(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		taken string
		fresh bool
	}{
		{"2026-12-01", true},
		{"2026-09-01", false},
		{"2026-09-01 (yours), 2026-12-02", true},
		{"2026-12-02 (yours), 2026-09-01", true},
		{"", false},
		{"soon", false},
	} {
		taken, ok := newestDate(tc.taken)
		if fresh := ok && now.Sub(taken) <= pricesStale; fresh != tc.fresh {
			t.Errorf("taken %q: fresh %v, want %v", tc.taken, fresh, tc.fresh)
		}
	}
}
