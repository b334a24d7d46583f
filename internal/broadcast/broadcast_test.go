package broadcast

import (
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

func TestQueue(t *testing.T) {
	status := map[wezterm.PaneID]agents.Status{1: agents.Waiting, 2: agents.Working, 3: "", 4: agents.Working}
	st := func(p wezterm.PaneID) (agents.Status, bool) { s, ok := status[p]; return s, ok }
	var q Queue
	now, queued := q.Plan(time.Unix(0, 0), []wezterm.PaneID{1, 2, 3, 4}, "fix the tests", st)
	if len(now) != 2 || now[0] != 1 || now[1] != 3 || len(queued) != 2 || queued[0].Pane != 2 {
		t.Fatalf("plan: now %v, queued %+v", now, queued)
	}
	if d, x := q.Due(st); len(d)+len(x) != 0 {
		t.Fatalf("nothing is due yet: %v %v", d, x)
	}
	if !q.Cancel(queued[1].ID) || q.Cancel(queued[1].ID) {
		t.Fatal("cancel")
	}
	status[2] = agents.Waiting
	d, _ := q.Due(st)
	if len(d) != 1 || d[0].Pane != 2 || d[0].Text != "fix the tests" || len(q.Items()) != 0 {
		t.Fatalf("due: %+v, left %+v", d, q.Items())
	}
	// A pane that goes away drops its prompt.
	q.Plan(time.Unix(1, 0), []wezterm.PaneID{4}, "x", st)
	delete(status, 4)
	if d, x := q.Due(st); len(d) != 0 || len(x) != 1 || x[0].Pane != 4 {
		t.Fatalf("gone pane: %v %v", d, x)
	}
}
