package ui

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

// run does work off the caller's goroutine, with a deadline, and gives
// done its result; Wait waits for both.
func TestRunOffTheCaller(t *testing.T) {
	test.NewTempApp(t)
	inline = false
	defer func() { inline = true }()
	j := &jobs{ctx: context.Background()}
	caller := make(chan struct{})
	var (
		got      string
		gotErr   error
		deadline bool
	)
	run(j, func(ctx context.Context) (string, error) {
		<-caller // would block forever were it run on the caller's goroutine
		_, deadline = ctx.Deadline()
		return "done", errors.New("why")
	}, func(v string, err error) { got, gotErr = v, err })
	close(caller)
	j.wg.Wait()
	if got != "done" || gotErr == nil || !deadline {
		t.Errorf("got %q %v, deadline %v", got, gotErr, deadline)
	}
	// The ticker stops when told, and never runs f after that.
	// (Fyne's test driver runs f on the ticker's goroutine: count
	// atomically.)
	var n atomic.Int32
	quit := every(time.Millisecond, func() { n.Add(1) })
	time.Sleep(20 * time.Millisecond)
	close(quit)
	time.Sleep(5 * time.Millisecond)
	if after := n.Load(); after == 0 {
		t.Error("the ticker never ticked")
	} else if time.Sleep(20 * time.Millisecond); n.Load() != after {
		t.Errorf("ticked %d times after it was stopped", n.Load()-after)
	}
}
