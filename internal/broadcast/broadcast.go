// Package broadcast holds prompts for agents that are busy: a broadcast
// sends at once to panes that can take it and queues the rest until their
// agent waits (or idles). Pure: the caller sends.
package broadcast

import (
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Item is a queued prompt.
type Item struct {
	ID     int
	Pane   wezterm.PaneID
	Text   string
	Queued time.Time
}

// Queue is the prompts waiting for their agent. Not safe for concurrent
// use: its owner (decide.Decider) holds a mutex around it.
type Queue struct {
	items []Item
	next  int
}

// Status reports a pane's agent status ("" when no agent runs there), and
// whether the pane exists.
type Status func(wezterm.PaneID) (status agents.Status, exists bool)

// Plan splits a broadcast: panes whose agent is working get the prompt
// queued, the others are returned to send now.
func (q *Queue) Plan(now time.Time, panes []wezterm.PaneID, text string, st Status) (sendNow []wezterm.PaneID, queued []Item) {
	for _, p := range panes {
		if s, _ := st(p); s == agents.Working {
			q.next++
			it := Item{ID: q.next, Pane: p, Text: text, Queued: now}
			q.items = append(q.items, it)
			queued = append(queued, it)
			continue
		}
		sendNow = append(sendNow, p)
	}
	return sendNow, queued
}

// Due takes out the prompts whose agent now waits or idles, in queue
// order, and those whose pane or agent is gone (dropped: returned so the
// caller can say so).
func (q *Queue) Due(st Status) (deliver, dropped []Item) {
	keep := q.items[:0]
	for _, it := range q.items {
		s, exists := st(it.Pane)
		switch {
		case !exists || s == agents.Exited:
			dropped = append(dropped, it)
		case s == agents.Waiting || s == agents.Idle:
			deliver = append(deliver, it)
		default:
			keep = append(keep, it)
		}
	}
	q.items = keep
	return deliver, dropped
}

// Cancel removes a queued prompt; false when it is not queued (any more).
func (q *Queue) Cancel(id int) bool {
	for i, it := range q.items {
		if it.ID == id {
			q.items = append(q.items[:i], q.items[i+1:]...)
			return true
		}
	}
	return false
}

// Items returns the queued prompts, oldest first.
func (q *Queue) Items() []Item { return append([]Item(nil), q.items...) }
