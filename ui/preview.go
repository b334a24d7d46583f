package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/control"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// tickEvery is how often the detail panel reads its pane's screen, and
// the countdown to WezTerm's next try is redrawn; 0 turns both tickers off
// (tests: a ticker's goroutine would touch widgets beside the test's).
var tickEvery = time.Second

// preview keeps the detail panel's last screen lines fresh with a ticker
// of its own, while a pane is selected and the window shown: rendering
// never reads a screen. Only the UI goroutine calls its methods.
type preview struct {
	jobs *jobs
	ctl  *control.Controller
	show func(id wezterm.PaneID, text string)
	gone func(id wezterm.PaneID) // the pane went away
	id   wezterm.PaneID
	on   bool
	busy bool
	quit chan struct{} // closed to stop the ticker's goroutine
}

// follow reads id's screen every previewEvery while on; a new pane is read
// at once. Cheap when nothing changed: render calls it every time.
func (p *preview) follow(id wezterm.PaneID, on bool) {
	switch {
	case !on:
		p.stop()
	case !p.on || id != p.id:
		p.stop()
		p.id, p.on = id, true
		p.quit = every(tickEvery, func() { p.fetch() })
		p.fetch()
	}
}

func (p *preview) stop() {
	if p.quit != nil {
		close(p.quit)
		p.quit = nil
	}
	p.on = false
}

// every runs f on the UI goroutine every d until the returned channel is
// closed (on the UI goroutine: f never runs after that).
func every(d time.Duration, f func()) chan struct{} {
	quit := make(chan struct{})
	if d <= 0 {
		return quit
	}
	go func() {
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				onUI(func() {
					select {
					case <-quit:
					default:
						f()
					}
				})
			}
		}
	}()
	return quit
}

func (p *preview) fetch() {
	if p.busy {
		return // a slow WezTerm gets one read at a time
	}
	p.busy = true
	id := p.id
	run(p.jobs, func(ctx context.Context) (string, error) { return p.ctl.Preview(ctx, id) }, func(text string, err error) {
		p.busy = false
		switch {
		case errors.Is(err, wezterm.ErrNoSuchPane):
			p.gone(id)
		case err == nil:
			p.show(id, textsafe.EscapeKeepNewlines(lastLines(text, 30)))
		}
	})
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n "), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
