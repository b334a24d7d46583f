package spend

import (
	"sort"
	"time"
)

// Row is one line of a report: the spend of the entries sharing a key.
type Row struct {
	Key string `json:"key"`
	Tokens
	// CostUSD is nil when some of the row's tokens have no price.
	CostUSD *float64 `json:"cost_usd"`
	// PricedUSD is the cost of the priced part (equal to CostUSD when
	// everything is priced).
	PricedUSD float64 `json:"priced_usd"`
	Unpriced  int64   `json:"unpriced_tokens"`
	Entries   int     `json:"calls"`
}

// Report groups entries by key, in key order (days and models sort as
// text; callers pick keys that sort well).
type Report struct {
	rows map[string]*Sum
}

// Add counts e under key.
func (r *Report) Add(p Prices, key string, e Entry) {
	if r.rows == nil {
		r.rows = map[string]*Sum{}
	}
	s := r.rows[key]
	if s == nil {
		s = &Sum{}
		r.rows[key] = s
	}
	s.AddEntry(p, e)
}

// Rows are the report's lines and their total.
func (r *Report) Rows() (rows []Row, total Row) {
	var all Sum
	keys := make([]string, 0, len(r.rows))
	for k := range r.rows {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s := *r.rows[k]
		rows = append(rows, row(k, s))
		all.Tokens = all.Tokens.Add(s.Tokens)
		all.USD += s.USD
		all.Unpriced = satAdd(all.Unpriced, s.Unpriced)
		all.Entries += s.Entries
	}
	return rows, row("total", all)
}

func row(key string, s Sum) Row {
	r := Row{Key: key, Tokens: s.Tokens, PricedUSD: s.USD, Unpriced: s.Unpriced, Entries: s.Entries}
	if s.Known() {
		usd := s.USD
		r.CostUSD = &usd
	}
	return r
}

// DayKey is an entry's day in loc (YYYY-MM-DD).
func DayKey(t time.Time, loc *time.Location) string { return t.In(loc).Format(time.DateOnly) }

// SinceDays is the start of the calendar day n-1 days before now in loc:
// 1 is today since midnight, 7 the last seven days.
func SinceDays(now time.Time, n int, loc *time.Location) time.Time {
	y, m, d := now.In(loc).Date()
	return time.Date(y, m, d-(n-1), 0, 0, 0, 0, loc)
}
