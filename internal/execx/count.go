package execx

import (
	"context"
	"sort"
	"sync"
	"time"
)

// Counter is a Runner that counts the processes it starts, by what they
// are ("list", "get-text", "--version"…), over a sliding minute: users see
// what the app costs in process starts (the log, doctor --verbose).
type Counter struct {
	Runner Runner
	now    func() time.Time

	mu     sync.Mutex
	starts []start // the last minute's, oldest first
	total  int
}

type start struct {
	at  time.Time
	key string
}

// NewCounter wraps r.
func NewCounter(r Runner) *Counter { return &Counter{Runner: r, now: time.Now} }

// Run counts cmd, then runs it.
func (c *Counter) Run(ctx context.Context, cmd Cmd) (Result, error) {
	c.mu.Lock()
	now := c.now()
	c.trim(now)
	c.starts = append(c.starts, start{now, Key(cmd.Args)})
	c.total++
	c.mu.Unlock()
	return c.Runner.Run(ctx, cmd)
}

func (c *Counter) trim(now time.Time) {
	i := 0
	for i < len(c.starts) && now.Sub(c.starts[i].at) >= time.Minute {
		i++
	}
	c.starts = append(c.starts[:0], c.starts[i:]...)
}

// Minute is the count of the last minute.
type Minute struct {
	Total int            `json:"total"`
	ByKey map[string]int `json:"by_kind"`
	// Since: the counter's whole life.
	Since int `json:"since_start"`
}

// LastMinute counts the processes started in the last minute.
func (c *Counter) LastMinute() Minute {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.trim(c.now())
	m := Minute{Total: len(c.starts), ByKey: map[string]int{}, Since: c.total}
	for _, s := range c.starts {
		m.ByKey[s.key]++
	}
	return m
}

// Keys lists a minute's kinds, most frequent first.
func (m Minute) Keys() []string {
	keys := make([]string, 0, len(m.ByKey))
	for k := range m.ByKey {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m.ByKey[keys[i]] != m.ByKey[keys[j]] {
			return m.ByKey[keys[i]] > m.ByKey[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}

// Key names a command for counting: the subcommand of `wezterm cli`
// ("list"), or the first argument otherwise ("--version", "start").
func Key(args []string) string {
	if len(args) < 2 {
		return "(none)"
	}
	rest := args[1:]
	if rest[0] == "cli" {
		for _, a := range rest[1:] {
			if len(a) > 0 && a[0] != '-' {
				return a
			}
		}
		return "cli"
	}
	return rest[0]
}
