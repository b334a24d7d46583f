package ipc

import (
	"errors"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Snapshot is monitor.Snapshot on the wire. Histories go whole in the
// first snapshot a window gets (Full) and as each pane's newest sample
// after that: the window keeps its own copy.
type Snapshot struct {
	Time          time.Time                           `json:"time"`
	Status        monitor.Status                      `json:"status"`
	Version       string                              `json:"version,omitempty"`
	Err           string                              `json:"err,omitempty"`
	Tree          topology.Tree                       `json:"tree"`
	Full          bool                                `json:"full,omitempty"`
	History       map[wezterm.PaneID][]metrics.Sample `json:"history,omitempty"`
	SystemHistory []metrics.Sample                    `json:"system_history,omitempty"`
	Detail        wezterm.PaneID                      `json:"detail"`
	DetailProcs   []metrics.Proc                      `json:"detail_procs,omitempty"`
	Attention     []wezterm.PaneID                    `json:"attention,omitempty"`
	NextTry       time.Time                           `json:"next_try,omitzero"`
}

// Encode puts s on the wire: whole histories when full, else the newest
// sample of each.
func Encode(s monitor.Snapshot, full bool) *Snapshot {
	w := &Snapshot{Time: s.Time, Status: s.Status, Version: s.Version, Tree: s.Tree, Full: full, Detail: s.Detail,
		DetailProcs: s.DetailProcs, Attention: s.Attention, NextTry: s.NextTry}
	if s.Err != nil {
		w.Err = s.Err.Error()
	}
	if s.History == nil {
		return w
	}
	if full {
		w.History, w.SystemHistory = s.History, s.SystemHistory
		return w
	}
	w.History = make(map[wezterm.PaneID][]metrics.Sample, len(s.History))
	for id, h := range s.History {
		if len(h) > 0 {
			w.History[id] = h[len(h)-1:]
		}
	}
	if n := len(s.SystemHistory); n > 0 {
		w.SystemHistory = s.SystemHistory[n-1:]
	}
	return w
}

// Histories rebuilds whole snapshots from wire ones on the window's side.
type Histories struct {
	panes map[wezterm.PaneID][]metrics.Sample
	sys   []metrics.Sample
	// have: a full snapshot arrived (deltas before it cannot be placed).
	have bool
}

// Decode turns a wire snapshot into the monitor's. A snapshot without
// histories (the resident polls hidden) keeps none.
func (h *Histories) Decode(w *Snapshot) monitor.Snapshot {
	s := monitor.Snapshot{Time: w.Time, Status: w.Status, Version: w.Version, Tree: w.Tree, Detail: w.Detail,
		DetailProcs: w.DetailProcs, Attention: w.Attention, NextTry: w.NextTry}
	if w.Err != "" {
		s.Err = errors.New(w.Err)
	}
	switch {
	case w.History == nil:
		h.panes, h.sys, h.have = nil, nil, false
		return s
	case w.Full:
		h.panes, h.sys, h.have = w.History, w.SystemHistory, true
	case !h.have:
		h.panes, h.sys, h.have = map[wezterm.PaneID][]metrics.Sample{}, nil, true
		fallthrough
	default:
		next := make(map[wezterm.PaneID][]metrics.Sample, len(w.History))
		for id, add := range w.History {
			next[id] = appendTail(h.panes[id], add)
		}
		h.panes = next // panes gone from the tree drop out
		h.sys = appendTail(h.sys, w.SystemHistory)
	}
	s.History = make(map[wezterm.PaneID][]metrics.Sample, len(h.panes))
	for id, v := range h.panes {
		s.History[id] = v
	}
	s.SystemHistory = h.sys
	return s
}

// appendTail appends and keeps the last monitor.HistoryLen, in a new
// slice: snapshots already handed out must not change.
func appendTail(old, add []metrics.Sample) []metrics.Sample {
	all := make([]metrics.Sample, 0, min(len(old)+len(add), monitor.HistoryLen))
	if n := len(old) + len(add) - monitor.HistoryLen; n > 0 {
		if n >= len(old) {
			return append(all, add[n-len(old):]...)
		}
		old = old[n:]
	}
	return append(append(all, old...), add...)
}
