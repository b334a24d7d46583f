package execx

import (
	"context"
	"testing"
	"time"
)

type nopRunner struct{}

func (nopRunner) Run(context.Context, Cmd) (Result, error) { return Result{}, nil }

func TestCounterSlidingMinute(t *testing.T) {
	c := NewCounter(nopRunner{})
	now := time.Unix(1000, 0)
	c.now = func() time.Time { return now }
	run := func(args ...string) {
		if _, err := c.Run(context.Background(), Cmd{Args: args}); err != nil {
			t.Fatal(err)
		}
	}
	run("wezterm", "cli", "--no-auto-start", "list", "--format", "json")
	run("wezterm", "cli", "--no-auto-start", "list", "--format", "json")
	run("wezterm", "--version")
	now = now.Add(30 * time.Second)
	run("wezterm", "cli", "--no-auto-start", "get-text", "--pane-id", "3")
	m := c.LastMinute()
	if m.Total != 4 || m.ByKey["list"] != 2 || m.ByKey["--version"] != 1 || m.ByKey["get-text"] != 1 {
		t.Fatalf("minute: %+v", m)
	}
	if k := m.Keys(); k[0] != "list" {
		t.Errorf("keys %v", k)
	}
	now = now.Add(31 * time.Second) // the first three are over a minute old
	if m := c.LastMinute(); m.Total != 1 || m.Since != 4 {
		t.Fatalf("after a minute: %+v", m)
	}
}

func TestKey(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"wezterm", "cli", "--no-auto-start", "split-pane", "--pane-id", "1"}, "split-pane"},
		{[]string{"wezterm", "start", "--always-new-process"}, "start"},
		{[]string{"wezterm"}, "(none)"},
		{[]string{"wezterm", "cli", "--no-auto-start"}, "cli"},
	} {
		if got := Key(tc.args); got != tc.want {
			t.Errorf("Key(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}
