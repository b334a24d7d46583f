package spend

import (
	"bytes"
	"encoding/json"
	"math"
)

// Claude Code (2.1.3xx) writes its own account of a session's cost into
// the transcript when the session ends or is resumed: a "cost-state" line
// with totalCostUSD and, per model, the tokens it counted and their
// costUSD. It knows what our table does not model (1-hour cache writes,
// long-context and fast-mode rates) and prices models our table lacks, so
// for its session its figure wins: each of the session's entries of that
// model is priced at the agent's own rate per token (below), which sums to
// the agent's costUSD when our tokens equal its tokens. Between two
// cost-states (while the session runs) new entries are priced from the
// table, or, for a model the table lacks, at the last rate the agent
// itself reported for that model in any session (docs/spend.md).

// costState is the part of a cost-state line that matters.
type costState struct {
	Session string
	Models  map[string]modelCost
}

type modelCost struct {
	Tokens
	USD float64
}

type costLine struct {
	Type       string `json:"type"`
	SessionID  string `json:"sessionId"`
	ModelUsage map[string]struct {
		Input      int64   `json:"inputTokens"`
		Output     int64   `json:"outputTokens"`
		CacheRead  int64   `json:"cacheReadInputTokens"`
		CacheWrite int64   `json:"cacheCreationInputTokens"`
		CostUSD    float64 `json:"costUSD"`
	} `json:"modelUsage"`
}

var costMark = []byte(`"cost-state"`)

// maxAgentUSD bounds a cost figure believed per model (a session that
// cost more is garbage, not spend).
const maxAgentUSD = 1e6

// parseClaudeCost reads a cost-state line; ok is false for any other line.
func parseClaudeCost(line []byte, file string) (costState, bool) {
	if !bytes.Contains(line, costMark) {
		return costState{}, false
	}
	var l costLine
	if json.Unmarshal(line, &l) != nil || l.Type != "cost-state" {
		return costState{}, false
	}
	cs := costState{Session: l.SessionID, Models: map[string]modelCost{}}
	if cs.Session == "" {
		cs.Session = claudeSession(file)
	}
	for model, u := range l.ModelUsage {
		t := Tokens{In: max(u.Input, 0), Out: max(u.Output, 0), CacheWrite: max(u.CacheWrite, 0), CacheRead: max(u.CacheRead, 0)}
		// A model the agent could not price itself says 0: no figure.
		if u.CostUSD <= 0 || u.CostUSD > maxAgentUSD || math.IsNaN(u.CostUSD) || weight(t) <= 0 {
			continue
		}
		cs.Models[model] = modelCost{Tokens: t, USD: u.CostUSD}
	}
	return cs, len(cs.Models) > 0
}

// weight is what a model call costs in input-token units at Anthropic's
// ratios (output 5×, a 5-minute cache write 1.25×, a cache read 0.1× the
// input price): how an agent's cost for many calls is shared among them.
func weight(t Tokens) float64 {
	return float64(t.In) + 5*float64(t.Out) + 1.25*float64(t.CacheWrite) + 0.1*float64(t.CacheRead)
}

// agentCost takes in a cost-state: the agent's rate for each of its
// models, kept per session and per model, and the session's entries
// priced again. Called with t.mu held.
func (t *Tracker) agentCost(cs costState) {
	if t.rates == nil {
		t.rates = map[string]map[string]float64{}
	}
	for model, mc := range cs.Models {
		rate := mc.USD / weight(mc.Tokens)
		if t.rates[cs.Session] == nil {
			t.rates[cs.Session] = map[string]float64{}
		}
		t.rates[cs.Session][model] = rate
		t.setModelRate(model, rate)
	}
	// Its session, and what other sessions have of its models without a
	// price, are priced again.
	for _, s := range t.sessions {
		own := s.Source == Claude && s.ID == cs.Session
		for i := range s.Entries {
			e := &s.Entries[i]
			if _, ok := cs.Models[e.Model]; ok && (own || e.priced != 1) {
				t.priceEntry(e)
			}
		}
	}
}

func (t *Tracker) setModelRate(model string, rate float64) {
	if t.modelRates == nil {
		t.modelRates = map[string]float64{}
	}
	t.modelRates[model] = rate
}

// priceEntry prices e: at its session's own rate for its model when the
// agent reported one, else from the table, else at the model's last rate
// an agent reported; otherwise its cost is unknown. Called with t.mu held.
func (t *Tracker) priceEntry(e *Entry) {
	if r, ok := t.rates[e.Session][e.Model]; ok {
		e.priced, e.usd = 1, r*weight(e.Tokens)
		return
	}
	e.price(t.o.Prices)
	if e.priced == 1 {
		return
	}
	if r, ok := t.modelRates[e.Model]; ok {
		e.priced, e.usd = 1, r*weight(e.Tokens)
	}
}
