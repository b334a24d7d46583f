package spend

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wezterm-parallel/wezterm-parallel/assets"
)

// TestPricesRefuseWhatCannotBeAPrice: nan and inf (TOML has both) made
// `list --json` and `spend --json` exit 1 with no output and dropped the
// window from the resident every 5 s; 1e308 printed a 300-digit cost.
// Each is refused where it stands, and the bundled prices stay in force.
func TestPricesRefuseWhatCannotBeAPrice(t *testing.T) {
	for _, tc := range []struct{ value, want string }{
		{"nan", "p.toml:3:1: a price must be a number of dollars, not NaN"},
		{"+nan", "p.toml:3:1: a price must be a number of dollars, not NaN"},
		{"inf", "p.toml:3:1: a price must be a number of dollars, not +Inf"},
		{"-inf", "p.toml:3:1: a price must be a number of dollars, not -Inf"},
		{"1e308", "p.toml:3:1: 1e+308 dollars per million tokens is not a plausible price (at most 1e+06)"},
		{"1_000_001", "p.toml:3:1: 1.000001e+06 dollars per million tokens is not a plausible price"},
		{"-1", "p.toml:3:1: a price cannot be negative"},
		{`"x"`, "p.toml:3:1: input must be a number"},
	} {
		t.Run(tc.value, func(t *testing.T) {
			file := "[models.\"claude-sonnet-4-5\"]\noutput = 15\ninput = " + tc.value + "\n"
			_, err := ParsePrices("p.toml", []byte(file))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "prices.toml"), []byte(file), 0o600)
			got, err := LoadPrices(assets.Prices, filepath.Join(dir, "prices.toml"), os.ReadFile)
			if err == nil || got.Models["claude-sonnet-4-5"].In != bundled(t).Models["claude-sonnet-4-5"].In {
				t.Errorf("the bundled price is not kept: %v, %+v", err, got.Models["claude-sonnet-4-5"])
			}
		})
	}
	// The dearest plausible price still prices, and the sum encodes.
	p, err := ParsePrices("p.toml", []byte("[models.\"m\"]\ninput = 1e6\noutput = 1e6\n"))
	if err != nil {
		t.Fatal(err)
	}
	var s Sum
	s.AddEntry(p, Entry{Model: "m", Tokens: Tokens{In: math.MaxInt64, Out: math.MaxInt64}})
	if _, err := json.Marshal(s.Total()); err != nil || math.IsInf(s.USD, 0) {
		t.Errorf("the largest cost: %v, %v", s.USD, err)
	}
}

// TestTokenSumsSaturate: counts near the int64 limit add up to the limit,
// never to a negative number (`tokens_out -9223372036854775304`).
func TestTokenSumsSaturate(t *testing.T) {
	big := Tokens{In: math.MaxInt64 - 5, Out: math.MaxInt64, CacheWrite: 1, CacheRead: math.MaxInt64 / 2}
	for _, tc := range []struct {
		a, b Tokens
		want Tokens
	}{
		{Tokens{1, 2, 3, 4}, Tokens{10, 20, 30, 40}, Tokens{11, 22, 33, 44}},
		{big, big, Tokens{math.MaxInt64, math.MaxInt64, 2, math.MaxInt64 - 1}},
		{big, Tokens{In: 5}, Tokens{math.MaxInt64, math.MaxInt64, 1, math.MaxInt64 / 2}},
		{big, Tokens{In: 6}, Tokens{math.MaxInt64, math.MaxInt64, 1, math.MaxInt64 / 2}},
	} {
		if got := tc.a.Add(tc.b); got != tc.want {
			t.Errorf("%+v + %+v = %+v, want %+v", tc.a, tc.b, got, tc.want)
		}
	}
	if n := big.Total(); n != math.MaxInt64 {
		t.Errorf("total %d", n)
	}
	var s Sum
	for range 3 {
		s.AddEntry(Prices{}, Entry{Model: "unpriced", Tokens: big})
	}
	if s.Unpriced != math.MaxInt64 || s.Out != math.MaxInt64 {
		t.Errorf("sum: %+v", s)
	}
}
