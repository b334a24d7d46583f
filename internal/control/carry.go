package control

import (
	"context"
	"fmt"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/decide"
	"github.com/wezterm-parallel/wezterm-parallel/internal/status"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// deliverTimeout bounds typing one queued prompt.
const deliverTimeout = 10 * time.Second

// Carried is what became of the effects' prompts: one delivered or not
// (Pane, Err), or how many were dropped.
type Carried struct {
	Pane    wezterm.PaneID
	Err     error // nil: delivered
	Dropped int   // > 0: this many prompts were dropped, nothing else
}

// String says it in the user's words.
func (c Carried) String() string {
	switch {
	case c.Dropped > 0:
		return fmt.Sprintf("Dropped %s: the pane or its agent is gone", status.Plural(c.Dropped, "queued prompt"))
	case c.Err != nil:
		return fmt.Sprintf("The queued prompt was not delivered to pane %d: %v", c.Pane, c.Err)
	}
	return fmt.Sprintf("Delivered the queued prompt to pane %d", c.Pane)
}

// CarryOut carries out a decision's effects, the one way the window and
// the resident do: notify gets each note; each due prompt is typed into
// its pane from its own goroutine (within deliverTimeout of ctx) and its
// outcome passed to done, as are the dropped ones. done and notify may be
// called from any goroutine.
func (c *Controller) CarryOut(ctx context.Context, e decide.Effects, notify func(decide.Note), done func(Carried)) {
	for _, n := range e.Notes {
		notify(n)
	}
	for _, it := range e.Deliver {
		go func() {
			cctx, cancel := context.WithTimeout(ctx, deliverTimeout)
			defer cancel()
			done(Carried{Pane: it.Pane, Err: c.SendText(cctx, it.Pane, it.Text, true)})
		}()
	}
	if n := len(e.Dropped); n > 0 {
		done(Carried{Dropped: n})
	}
}
