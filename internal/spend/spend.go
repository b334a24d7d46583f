// Package spend reads what AI coding agents record locally about their
// token use (Claude Code and Codex CLI session JSONL, Gemini CLI session
// JSON), prices it from a table of per-model prices, and ties sessions to
// the panes their agents run in. It reads incrementally: each file is read
// once from the start, then only what was appended (an offset per file);
// nothing goes over the network. Formats: docs/spend.md.
package spend

import (
	"math"
	"time"
)

// Tokens are counts of one kind of use.
type Tokens struct {
	In         int64 `json:"tokens_in"`   // input not served from a cache
	Out        int64 `json:"tokens_out"`  // output, reasoning included
	CacheWrite int64 `json:"cache_write"` // input written to a prompt cache
	CacheRead  int64 `json:"cache_read"`  // input served from a prompt cache
}

// Add returns t + o, each count stopping at the largest int64 rather
// than wrapping to a negative one (records hold whatever they hold).
func (t Tokens) Add(o Tokens) Tokens {
	return Tokens{satAdd(t.In, o.In), satAdd(t.Out, o.Out), satAdd(t.CacheWrite, o.CacheWrite), satAdd(t.CacheRead, o.CacheRead)}
}

// satAdd adds counts (never negative) without wrapping.
func satAdd(a, b int64) int64 {
	if s := a + b; s >= a || b < 0 {
		return s
	}
	return math.MaxInt64
}

// Sub returns t - o.
func (t Tokens) Sub(o Tokens) Tokens {
	return Tokens{t.In - o.In, t.Out - o.Out, t.CacheWrite - o.CacheWrite, t.CacheRead - o.CacheRead}
}

// Total is every token counted (saturating, as Add).
func (t Tokens) Total() int64 {
	return satAdd(satAdd(t.In, t.Out), satAdd(t.CacheWrite, t.CacheRead))
}

// Zero reports whether nothing was used.
func (t Tokens) Zero() bool { return t == Tokens{} }

// Source names the agent whose files an entry came from.
type Source string

// Sources.
const (
	Claude Source = "claude"
	Codex  Source = "codex"
	Gemini Source = "gemini"
)

// Entry is one model call (or, for a streamed message seen again with
// more output, the growth since it was last counted).
type Entry struct {
	Time    time.Time
	Source  Source
	Session string // the agent's session id
	Cwd     string // where the agent ran
	Model   string
	Tokens
	// priced is set when the tracker kept the entry: 1 with its cost in
	// usd, 2 for a model without a price (0: not looked up yet).
	priced int8
	usd    float64
	// msg identifies the API message (0: unknown): the growth of a
	// streamed message is folded into its entry, not kept as another.
	msg uint64
}
