package control

import (
	"context"
	"errors"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/broadcast"
	"github.com/wezterm-parallel/wezterm-parallel/internal/decide"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm/weztermtest"
)

func TestCarryOut(t *testing.T) {
	f := weztermtest.NewFakeRunner(t)
	c := wezterm.New("wezterm", f, wezterm.WithVersion(wezterm.ParseVersion("20240203-110809-5046fc22")))
	k := New(c)
	k.wait = func(context.Context, time.Duration) error { return nil }
	f.Expect(cli("send-text", "--pane-id", "1")...).Stdin("go on")
	f.Expect(cli("send-text", "--pane-id", "1", "--no-paste")...).Stdin("\r")
	f.Expect(cli("send-text", "--pane-id", "2")...).Stdin("go on").Fail(1, weztermtest.NoSuchPaneStderr("2"))
	var (
		mu    sync.Mutex
		notes []string
		out   []string
		wg    sync.WaitGroup
	)
	record := func(r Carried) {
		mu.Lock()
		defer mu.Unlock()
		out = append(out, r.String())
		if r.Pane == 2 && !errors.Is(r.Err, wezterm.ErrNoSuchPane) {
			t.Errorf("pane 2: %v", r.Err)
		}
		wg.Done()
	}
	// One prompt at a time: the fake runner expects its commands in order.
	wg.Add(2)
	k.CarryOut(context.Background(), decide.Effects{
		Notes:   []decide.Note{{Title: "Claude waits", Body: "pane 1"}},
		Deliver: []broadcast.Item{{Pane: 1, Text: "go on"}},
		Dropped: []broadcast.Item{{Pane: 9}, {Pane: 8}},
	}, func(n decide.Note) { notes = append(notes, n.Title) }, record)
	wg.Wait()
	wg.Add(1)
	k.CarryOut(context.Background(), decide.Effects{Deliver: []broadcast.Item{{Pane: 2, Text: "go on"}}}, nil, record)
	wg.Wait()
	sort.Strings(out)
	want := []string{"Delivered the queued prompt to pane 1", "Dropped 2 queued prompts: the pane or its agent is gone",
		"The queued prompt was not delivered to pane 2: "}
	for i := range want {
		if i >= len(out) || !strings.HasPrefix(out[i], want[i]) {
			t.Fatalf("outcomes %q, want %q", out, want)
		}
	}
	if len(notes) != 1 || notes[0] != "Claude waits" {
		t.Errorf("notes %q", notes)
	}
}
