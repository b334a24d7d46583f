package ui

import (
	"context"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
)

// actionTimeout bounds one action (each wezterm call has its own timeout
// too); longTimeout one that opens many panes (a layout, a restore).
const (
	actionTimeout = 15 * time.Second
	longTimeout   = 5 * time.Minute
)

// onUI runs f on the UI goroutine: only the helpers here, the tooltips'
// timers and the wiring (run.go) use it.
func onUI(f func()) { fyne.Do(f) }

// inline runs work and done on the caller's goroutine (tests: Fyne's test
// driver runs fyne.Do where it is called, so a job's done would touch
// widgets beside the test's own goroutine).
var inline bool

// jobs runs the window's blocking work off the UI goroutine.
type jobs struct {
	ctx context.Context
	wg  sync.WaitGroup
}

// run runs work off the UI goroutine, with the window's context and a
// timeout, then done with its result on the UI goroutine. No closure
// given to run touches both: work does IO, done touches widgets.
func run[T any](j *jobs, work func(context.Context) (T, error), done func(T, error)) {
	runWithin(j, actionTimeout, work, done)
}

// runWithin is run with another deadline.
func runWithin[T any](j *jobs, d time.Duration, work func(context.Context) (T, error), done func(T, error)) {
	if inline {
		ctx, cancel := context.WithTimeout(j.ctx, d)
		defer cancel()
		v, err := work(ctx)
		done(v, err)
		return
	}
	j.wg.Add(1)
	go func() {
		defer j.wg.Done()
		ctx, cancel := context.WithTimeout(j.ctx, d)
		defer cancel()
		v, err := work(ctx)
		onUI(func() { done(v, err) })
	}()
}

// act runs an action and says how it went in the status line: a failure
// in red with the reason (escaped), a success plainly (never a warning
// for an action that succeeded).
func act(j *jobs, st *statusView, work func(context.Context) (string, error)) {
	run(j, work, func(msg string, err error) { report(st, msg, err) })
}

func report(st *statusView, msg string, err error) {
	switch {
	case err != nil:
		st.fail(textsafe.Escape(err.Error()))
	case msg != "":
		st.info(msg)
	}
}
