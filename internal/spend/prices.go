package spend

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
)

// MaxPrice bounds a price in USD per million tokens: the dearest models
// cost hundreds; above this a price is a typo (and 1e308 made costs
// hundreds of digits long, or infinite once summed).
const MaxPrice = 1e6

// Price is USD per million tokens of each kind.
type Price struct {
	In, Out, CacheWrite, CacheRead float64
}

// Prices is a price table: assets/prices.toml, overridden model by model by
// the user's prices.toml.
type Prices struct {
	Taken  string // when the prices were read from the vendors' pages
	Models map[string]Price
	// found remembers Lookup's answers (model ids repeat on every entry).
	found *sync.Map
}

type found struct {
	p  Price
	ok bool
}

// ParsePrices reads a prices.toml: `taken = "YYYY-MM-DD"` and one
// [models."ID"] table per model with input, output, cache_write and
// cache_read (USD per million tokens). Problems are positioned.
func ParsePrices(file string, data []byte) (Prices, error) {
	d, err := config.ParseDoc(file, data)
	if err != nil {
		return Prices{}, err
	}
	root := d.Root()
	p := Prices{Models: map[string]Price{}, found: &sync.Map{}}
	root.String("taken", &p.Taken)
	if models, ok := root.Sub("models"); ok {
		for _, id := range models.Keys() {
			t, ok := models.Sub(id)
			if !ok {
				d.Errorf(models.KeyPath(id), "model %q: want a table of prices", id)
				continue
			}
			var pr Price
			for _, f := range []struct {
				key string
				dst *float64
			}{{"input", &pr.In}, {"output", &pr.Out}, {"cache_write", &pr.CacheWrite}, {"cache_read", &pr.CacheRead}} {
				t.Float(f.key, f.dst)
				switch v := *f.dst; {
				case math.IsNaN(v) || math.IsInf(v, 0):
					// TOML allows nan and inf; a cost computed from them
					// breaks every JSON output and the window's feed.
					d.Errorf(t.KeyPath(f.key), "a price must be a number of dollars, not %v", v)
				case v < 0:
					d.Errorf(t.KeyPath(f.key), "a price cannot be negative")
				case v > MaxPrice:
					d.Errorf(t.KeyPath(f.key), "%g dollars per million tokens is not a plausible price (at most %g)", v, float64(MaxPrice))
				}
			}
			if !t.Has("input") || !t.Has("output") {
				d.Errorf(t.Path(), "model %q needs at least input and output prices", id)
			}
			t.Unknown(false, "input", "output", "cache_write", "cache_read")
			p.Models[strings.ToLower(id)] = pr
		}
	}
	root.Unknown(false, "taken", "models")
	if errs := d.Sorted().Errors(); len(errs) > 0 {
		return Prices{}, errs
	}
	return p, nil
}

// Merge returns the table with the user's models added or replacing ours.
func (p Prices) Merge(user Prices) Prices {
	out := Prices{Taken: p.Taken, Models: make(map[string]Price, len(p.Models)+len(user.Models)), found: &sync.Map{}}
	for k, v := range p.Models {
		out.Models[k] = v
	}
	for k, v := range user.Models {
		out.Models[k] = v
	}
	if user.Taken != "" {
		out.Taken = user.Taken + " (yours), " + p.Taken
	}
	return out
}

var dateSuffix = regexp.MustCompile(`-\d{8}$`)

// Lookup finds a model's price: by its id, its id without a date suffix
// ("claude-sonnet-4-5-20250929"), or the longest table id it starts with
// followed by "-" or "." ("gpt-5-codex" is not "gpt-5", but
// "claude-opus-4-5-thinking" is "claude-opus-4-5").
func (p Prices) Lookup(model string) (Price, bool) {
	if p.found != nil {
		if f, ok := p.found.Load(model); ok {
			return f.(found).p, f.(found).ok
		}
	}
	pr, ok := p.lookup(model)
	if p.found != nil {
		p.found.Store(model, found{pr, ok})
	}
	return pr, ok
}

func (p Prices) lookup(model string) (Price, bool) {
	m := strings.ToLower(strings.TrimSpace(model))
	if i := strings.LastIndexByte(m, '/'); i >= 0 { // "anthropic/claude-…"
		m = m[i+1:]
	}
	if pr, ok := p.Models[m]; ok {
		return pr, true
	}
	if pr, ok := p.Models[dateSuffix.ReplaceAllString(m, "")]; ok {
		return pr, true
	}
	ids := make([]string, 0, len(p.Models))
	for id := range p.Models {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return len(ids[i]) > len(ids[j]) })
	for _, id := range ids {
		if strings.HasPrefix(m, id+"-") && !strings.Contains(strings.TrimPrefix(m, id+"-"), "codex") {
			return p.Models[id], true
		}
	}
	return Price{}, false
}

// Cost prices t for model; ok is false when the model has no price (the
// cost is then unknown, never 0).
func (p Prices) Cost(model string, t Tokens) (usd float64, ok bool) {
	pr, ok := p.Lookup(model)
	if !ok {
		return 0, false
	}
	const m = 1e6
	return float64(t.In)/m*pr.In + float64(t.Out)/m*pr.Out + float64(t.CacheWrite)/m*pr.CacheWrite + float64(t.CacheRead)/m*pr.CacheRead, true
}

// String names the table for messages.
func (p Prices) String() string {
	return fmt.Sprintf("%d models, prices taken %s", len(p.Models), p.Taken)
}

// LoadPrices returns the bundled table with the user's prices.toml (when
// it exists) merged over it. A broken user file is reported and left out:
// the bundled prices still apply.
func LoadPrices(bundled []byte, userFile string, read func(string) ([]byte, error)) (Prices, error) {
	base, err := ParsePrices("bundled:prices.toml", bundled)
	if err != nil {
		return Prices{}, err
	}
	if userFile == "" {
		return base, nil
	}
	data, err := read(userFile)
	if err != nil {
		return base, nil // no user prices
	}
	user, err := ParsePrices(userFile, data)
	if err != nil {
		return base, err
	}
	return base.Merge(user), nil
}
