// Package agentstate reads the state an agent keeps of itself, where it
// keeps one, so its status comes from its own word rather than from its
// screen: Claude Code writes ~/.claude/sessions/<pid>.json while it runs
// ({"status": "busy"|"waiting"|"idle", "waitingFor": …, "sessionId": …}).
// Reads are small, bounded and never block: regular files only, opened
// without waiting, at most maxState bytes.
package agentstate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
)

// maxState bounds one state file (a real one is under 2 KiB).
const maxState = 64 << 10

// Reader reads agents' own state. Safe for concurrent use.
type Reader struct {
	// Environ returns a process's environment ("KEY=value" entries; nil
	// when unknown): where its agent keeps its state depends on it (HOME,
	// CLAUDE_CONFIG_DIR).
	Environ func(pid int32) []string
	// Home is ours, for processes whose environment cannot be read.
	Home string

	mu    sync.Mutex
	procs map[int32]*proc
}

type proc struct {
	file  string
	mod   time.Time
	size  int64
	rep   agents.Report
	ok    bool
	touch time.Time
}

// New returns a reader for this system.
func New() *Reader {
	home, _ := os.UserHomeDir()
	return &Reader{Environ: ProcEnviron, Home: home, procs: map[int32]*proc{}}
}

// Read returns the state agent kind ("claude") keeps for process pid; ok
// is false when it keeps none that can be read (the caller falls back to
// the screen).
func (r *Reader) Read(kind string, pid int32) (agents.Report, bool) {
	if kind != "claude" || pid <= 0 {
		return agents.Report{}, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.procs[pid]
	if p == nil {
		p = &proc{file: filepath.Join(r.claudeDir(pid), "sessions", strconv.Itoa(int(pid))+".json")}
		r.procs[pid] = p
	}
	p.touch = time.Now()
	r.prune(p.touch)
	fi, err := os.Lstat(p.file)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > maxState {
		p.ok = false
		return agents.Report{}, false
	}
	if p.ok && fi.ModTime().Equal(p.mod) && fi.Size() == p.size {
		return p.rep, true // unchanged since the last read
	}
	rep, err := readClaude(p.file, pid)
	p.mod, p.size, p.rep, p.ok = fi.ModTime(), fi.Size(), rep, err == nil
	return rep, err == nil
}

// prune forgets processes not asked about for a while (they ended).
func (r *Reader) prune(now time.Time) {
	if len(r.procs) < 64 {
		return
	}
	for pid, p := range r.procs {
		if now.Sub(p.touch) > time.Minute {
			delete(r.procs, pid)
		}
	}
}

// claudeDir is Claude Code's config folder for a process: its
// CLAUDE_CONFIG_DIR, else ~/.claude under its HOME.
func (r *Reader) claudeDir(pid int32) string {
	var env []string
	if r.Environ != nil {
		env = r.Environ(pid)
	}
	home := r.Home
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "CLAUDE_CONFIG_DIR="); ok && v != "" {
			// A comma-separated list is our own convention, not Claude
			// Code's: take it whole.
			return v
		}
		if v, ok := strings.CutPrefix(kv, "HOME="); ok && v != "" {
			home = v
		}
	}
	return filepath.Join(home, ".claude")
}

// claudeState is Claude Code's per-process state file (2.1.3xx).
type claudeState struct {
	PID        int32  `json:"pid"`
	SessionID  string `json:"sessionId"`
	Status     string `json:"status"`
	WaitingFor string `json:"waitingFor"`
}

func readClaude(file string, pid int32) (agents.Report, error) {
	b, err := readSmall(file, maxState)
	if err != nil {
		return agents.Report{}, err
	}
	var s claudeState
	if err := json.Unmarshal(b, &s); err != nil {
		return agents.Report{}, fmt.Errorf("read %s: %w", file, err)
	}
	if s.PID != 0 && s.PID != pid {
		return agents.Report{}, fmt.Errorf("read %s: written by process %d, not %d", file, s.PID, pid)
	}
	rep := agents.Report{Session: s.SessionID}
	switch s.Status {
	case "busy":
		rep.Status, rep.Why = agents.Working, "its state file says busy"
	case "waiting":
		rep.Status, rep.Why = agents.Waiting, "its state file says waiting"
		if s.WaitingFor != "" {
			rep.Why = "waits for a " + s.WaitingFor + " (its state file)"
		}
	case "idle":
		rep.Status, rep.Why = agents.Idle, "its state file says idle"
	default:
		return agents.Report{}, fmt.Errorf("read %s: status %q not known", file, s.Status)
	}
	return rep, nil
}

// readSmall reads a regular file of at most limit bytes without ever
// blocking (a FIFO put in its place opens and reads nothing); a longer one
// gives its first limit bytes and an error.
func readSmall(file string, limit int64) ([]byte, error) {
	flags := os.O_RDONLY
	if runtime.GOOS != "windows" {
		flags |= syscall.O_NONBLOCK
	}
	f, err := os.OpenFile(file, flags, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, errors.New(file + ": not a regular file")
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return b[:limit], errors.New(file + ": too large")
	}
	return b, nil
}

// ProcEnviron reads a process's environment from /proc (Linux; nil
// elsewhere or when it is not ours to read).
func ProcEnviron(pid int32) []string {
	if runtime.GOOS != "linux" {
		return nil
	}
	// A huge environment is cut: the variables we look for come early.
	b, _ := readSmall("/proc/"+strconv.Itoa(int(pid))+"/environ", 1<<20)
	var out []string
	for _, kv := range bytes.Split(b, []byte{0}) {
		if len(kv) > 0 {
			out = append(out, string(kv))
		}
	}
	return out
}
