package metrics

import "time"

// procInfo is what one pass over the process table yields for a process.
type procInfo struct {
	PID, PPID, PGID int32
	// TPGID is the foreground process group of the process's controlling
	// terminal (-1 or 0 when none).
	TPGID int32
	// TTY identifies the controlling terminal (0: none); comparable with
	// ttyID of a pane's tty path.
	TTY   uint64
	Name  string
	State string
	// CPU is user+system time in seconds; Start the start time. Both may be
	// zero when the platform fills them lazily (see procReader.fill).
	CPU   float64
	RSS   uint64
	Start time.Time
	// startKey tells a process from a later one that reuses its pid.
	startKey uint64
	filled   bool
}

type procKey struct {
	pid   int32
	start uint64
}

func (p *procInfo) key() procKey { return procKey{p.PID, p.startKey} }

// procReader reads the process table in one pass.
type procReader interface {
	// read returns the processes that may belong to a pane (every
	// process, for readers that cannot tell); processes that vanish while
	// being read are skipped silently.
	read() ([]procInfo, error)
	// watch tells the reader which terminals are panes' (ttyKey form), so
	// it can leave other processes alone.
	watch(ttys map[uint64]bool)
	// fill completes CPU, RSS and Start when read left them out (only for
	// processes that belong to a pane, where that costs extra calls).
	fill(p *procInfo)
	// cmdline returns the full command line ("" when unreadable).
	cmdline(pid int32) string
	// ttys reports whether processes' terminals are known on this system.
	ttys() bool
	// Close releases what the reader keeps open between ticks.
	Close()
}
