package control

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm/weztermtest"
)

func cli(args ...string) []string {
	return append([]string{"wezterm", "cli", "--no-auto-start"}, args...)
}

func TestActionsRunExactCommands(t *testing.T) {
	f := weztermtest.NewFakeRunner(t)
	c := wezterm.New("wezterm", f, wezterm.WithVersion(wezterm.ParseVersion("20240203-110809-5046fc22")))
	kicks := 0
	k := New(c)
	k.After = func() { kicks++ }
	var waits []string
	k.wait = func(_ context.Context, d time.Duration) error {
		waits = append(waits, fmt.Sprintf("%s after %d calls", d, len(f.Calls())))
		return nil
	}
	ctx := context.Background()
	f.Expect(cli("activate-pane", "--pane-id", "3")...)
	f.Expect(cli("split-pane", "--pane-id", "3", "--right")...).Stdout("9\n")
	f.Expect(cli("send-text", "--pane-id", "9", "--no-paste")...).Stdin("htop\r")
	// A prompt is pasted, then, after PasteSettle, submitted with a
	// separate Enter: a broadcast pastes everywhere, waits once, submits.
	f.Expect(cli("send-text", "--pane-id", "1")...).Stdin("fix the tests")
	f.Expect(cli("send-text", "--pane-id", "2")...).Stdin("fix the tests").Fail(1, weztermtest.NoSuchPaneStderr("2"))
	f.Expect(cli("send-text", "--pane-id", "4")...).Stdin("fix the tests")
	f.Expect(cli("send-text", "--pane-id", "1", "--no-paste")...).Stdin("\r")
	f.Expect(cli("send-text", "--pane-id", "4", "--no-paste")...).Stdin("\r")
	f.Expect(cli("kill-pane", "--pane-id", "3")...)
	if err := k.Focus(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if id, err := k.Split(ctx, 3, wezterm.Right, "htop"); err != nil || id != 9 {
		t.Fatalf("split: %v %v", id, err)
	}
	err := k.Broadcast(ctx, []wezterm.PaneID{1, 2, 4}, "fix the tests\n")
	if err == nil || !strings.Contains(err.Error(), "no such pane 2") {
		t.Errorf("broadcast error: %v", err)
	}
	if err := k.Kill(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if len(waits) != 1 || waits[0] != fmt.Sprintf("%s after 6 calls", PasteSettle) {
		t.Errorf("waits %q: want one PasteSettle between the pastes and the Enters", waits)
	}
	if kicks != 3 {
		t.Errorf("After called %d times, want 3 (failed actions do not count)", kicks)
	}
}
