//go:build unix

package monitor

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/broadcast"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim/simtest"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// TestTwoFakeAgentsQueue: two agents on real ptys turn waiting at
// different times; the queue orders them, and an answer takes one out.
func TestTwoFakeAgentsQueue(t *testing.T) {
	env := simtest.Start(t, sim.Config{})
	c := env.Client()
	ctx := context.Background()
	spawn := func(work, name string) wezterm.PaneID {
		id, err := c.Spawn(ctx, wezterm.SpawnOptions{NewWindow: true, Workspace: "agents",
			Program: []string{env.Link, "fake-agent", "--work", work, "--name", name}})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	// Each round of work must span at least two monitor steps (the status
	// is debounced over two), and a step starts several processes: under
	// -race, with other packages' tests running, that is up to a second.
	// alpha works 4 s a round: after 3 s its answered prompt sat exactly on
	// the edge of the 12 screen lines the status reads (the steps it prints
	// while working push it out), so whether it was ever seen working was a
	// race (1 run in 3-4 failed here).
	a := spawn("4s", "alpha")
	b := spawn("6s", "beta")
	rules, err := agents.ParseRules("test.toml", []byte(`[[agents]]
name = "fake"
process = ['fake-agent']
waiting = ['Do you want to proceed\?']
`))
	if err != nil {
		t.Fatal(err)
	}
	s := metrics.New(metrics.Options{})
	defer s.Close()
	m := New(c, s, time.Second, nil)
	m.SetAgents(agents.NewTracker(rules), 0)
	var snap Snapshot
	last := map[wezterm.PaneID]string{}
	status := func(id wezterm.PaneID) string {
		st := "none"
		for _, p := range snap.Tree.Panes() {
			if p.ID == id && p.Agent != nil {
				st = string(p.Agent.Status) + " (" + p.Agent.Why + ")"
			}
		}
		// Log each change of status and the signal that decided it.
		if kind, _, _ := strings.Cut(st, " "); kind != last[id] {
			last[id] = kind
			t.Logf("pane %d: %s", id, st)
		}
		return st
	}
	sawWorking := false
	simtest.Eventually(t, "both agents waiting", func() bool {
		snap = m.Step(ctx)
		sawWorking = sawWorking || strings.HasPrefix(status(b), "working")
		time.Sleep(150 * time.Millisecond)
		return len(snap.Attention) == 2
	})
	if !sawWorking {
		t.Error("beta was never seen working")
	}
	if snap.Attention[0] != a || snap.Attention[1] != b {
		t.Fatalf("queue %v, want [%d %d] (alpha waited first)", snap.Attention, a, b)
	}
	if st := status(a); !strings.HasPrefix(st, "waiting (prompt on screen: ") {
		t.Errorf("alpha: %s", st)
	}
	t.Logf("alpha: %s; beta: %s", status(a), status(b))
	// Answer alpha: it works again (busy CPU), then asks again and
	// queues behind beta, who has waited longer.
	if err := c.SendText(ctx, a, "y\r", false); err != nil {
		t.Fatal(err)
	}
	alphaWorked := false
	simtest.Eventually(t, "alpha back in the queue behind beta", func() bool {
		snap = m.Step(ctx)
		alphaWorked = alphaWorked || strings.HasPrefix(status(a), "working (")
		time.Sleep(100 * time.Millisecond)
		return alphaWorked && len(snap.Attention) == 2 && snap.Attention[0] == b && snap.Attention[1] == a
	})
	// Quit beta: a clean exit closes the pane, and the agent goes.
	c.SendText(ctx, b, "quit\r", false)
	simtest.Eventually(t, "beta gone", func() bool {
		snap = m.Step(ctx)
		return status(b) == "none"
	})
}

// TestQueuedPromptDeliveredWhenAgentWaits: a prompt broadcast while the
// agent works is held, then typed (pasted + Enter) once it waits.
func TestQueuedPromptDeliveredWhenAgentWaits(t *testing.T) {
	env := simtest.Start(t, sim.Config{})
	c := env.Client()
	ctx := context.Background()
	id, err := c.Spawn(ctx, wezterm.SpawnOptions{NewWindow: true,
		Program: []string{env.Link, "fake-agent", "--work", "1500ms", "--name", "busy"}})
	if err != nil {
		t.Fatal(err)
	}
	rules, _ := agents.ParseRules("t.toml", []byte("[[agents]]\nname = \"fake\"\nprocess = ['fake-agent']\nwaiting = ['Do you want to proceed\\?']\n"))
	s := metrics.New(metrics.Options{})
	defer s.Close()
	m := New(c, s, time.Second, nil)
	m.SetAgents(agents.NewTracker(rules), 0)
	status := func(snap Snapshot) broadcast.Status {
		return func(p wezterm.PaneID) (agents.Status, bool) {
			for _, x := range snap.Tree.Panes() {
				if x.ID == p {
					if x.Agent == nil {
						return "", true
					}
					return x.Agent.Status, true
				}
			}
			return "", false
		}
	}
	var q broadcast.Queue
	var snap Snapshot
	simtest.Eventually(t, "the agent working", func() bool {
		snap = m.Step(ctx)
		st, _ := status(snap)(id)
		return st == "working"
	})
	now, queued := q.Plan(time.Now(), []wezterm.PaneID{id}, "ship it", status(snap))
	if len(now) != 0 || len(queued) != 1 {
		t.Fatalf("plan: now %v queued %v", now, queued)
	}
	delivered := false
	simtest.Eventually(t, "the prompt delivered and answered", func() bool {
		snap = m.Step(ctx)
		due, _ := q.Due(status(snap))
		for _, it := range due {
			if err := c.SendText(ctx, it.Pane, it.Text, true); err != nil {
				t.Fatal(err)
			}
			if err := c.SendText(ctx, it.Pane, "\r", false); err != nil {
				t.Fatal(err)
			}
			delivered = true
		}
		time.Sleep(100 * time.Millisecond)
		text, _ := c.GetText(ctx, id, wezterm.GetTextOptions{})
		return delivered && strings.Contains(text, "got: ship it")
	})
}
