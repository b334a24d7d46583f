package resident

import (
	"context"
	"sync"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
)

// Names keeps the layout names for the tray, read from the folder every
// 5 s off the UI goroutine.
type Names struct {
	mu    sync.Mutex
	names []string
}

// Get returns the names last read.
func (l *Names) Get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.names
}

// Watch reads dir() now and every 5 s until ctx ends.
func (l *Names) Watch(ctx context.Context, dir func() string) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		if entries, err := layout.List(dir()); err == nil {
			names := make([]string, len(entries))
			for i, e := range entries {
				names[i] = e.Name
			}
			l.mu.Lock()
			l.names = names
			l.mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
