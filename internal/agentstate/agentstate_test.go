package agentstate

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
)

// reader whose processes all have HOME=home.
func reader(home string) *Reader {
	return &Reader{Environ: func(int32) []string { return []string{"PATH=/bin", "HOME=" + home} }, Home: "/nonexistent", procs: map[int32]*proc{}}
}

func write(t *testing.T, path, body string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o700)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

// As Claude Code 2.1.328 writes it (seen 2026-12-07).
const busy = `{"pid":4242,"sessionId":"160ac2b8-bf4b-4d3e-90ef-25eb2275f448","cwd":"/tmp/p","startedAt":1796635804482,"procStart":"44100","version":"2.1.328","kind":"interactive","status":"busy","updatedAt":1796635805368}`

func TestClaudeStates(t *testing.T) {
	home := t.TempDir()
	r := reader(home)
	file := filepath.Join(home, ".claude", "sessions", "4242.json")
	for _, tc := range []struct {
		body string
		want agents.Status
		why  string
	}{
		{busy, agents.Working, "busy"},
		{strings.Replace(busy, `"status":"busy"`, `"status":"waiting","waitingFor":"permission prompt"`, 1), agents.Waiting, "waits for a permission prompt"},
		{strings.Replace(busy, `"status":"busy"`, `"status":"idle"`, 1), agents.Idle, "idle"},
	} {
		write(t, file, tc.body)
		// A later write within the same mtime tick must still be seen.
		os.Chtimes(file, time.Now(), time.Now().Add(time.Duration(len(tc.body))*time.Millisecond))
		got, ok := r.Read("claude", 4242)
		if !ok || got.Status != tc.want || !strings.Contains(got.Why, tc.why) || got.Session != "160ac2b8-bf4b-4d3e-90ef-25eb2275f448" {
			t.Errorf("%s: %+v %v", tc.want, got, ok)
		}
	}
}

func TestClaudeConfigDirFromTheProcess(t *testing.T) {
	dir := t.TempDir()
	r := &Reader{Environ: func(int32) []string { return []string{"HOME=/nowhere", "CLAUDE_CONFIG_DIR=" + dir} }, procs: map[int32]*proc{}}
	write(t, filepath.Join(dir, "sessions", "4242.json"), busy)
	if got, ok := r.Read("claude", 4242); !ok || got.Status != agents.Working {
		t.Errorf("CLAUDE_CONFIG_DIR: %+v %v", got, ok)
	}
	if _, ok := r.Read("codex", 4242); ok {
		t.Error("a kind nobody keeps was read")
	}
}

// Nothing a careless or hostile hand puts there is believed or hangs the
// monitor: another process's file, garbage, unknown states, a FIFO, a
// device, a huge file.
func TestClaudeRefusesWhatIsNotItsState(t *testing.T) {
	home := t.TempDir()
	sessions := filepath.Join(home, ".claude", "sessions")
	os.MkdirAll(sessions, 0o700)
	r := reader(home)
	cases := map[int32]func(path string){
		1: func(p string) { write(t, p, strings.Replace(busy, `"pid":4242`, `"pid":77`, 1)) },
		2: func(p string) { write(t, p, "{not json") },
		3: func(p string) { write(t, p, strings.Replace(busy, `"busy"`, `"dancing"`, 1)) },
		4: func(p string) { write(t, p, strings.Repeat(" ", maxState+10)+busy) },
		5: func(p string) { os.Symlink("/dev/zero", p) },
	}
	if runtime.GOOS != "windows" {
		cases[6] = func(p string) { mkfifo(p) }
	}
	for pid, put := range cases {
		put(filepath.Join(sessions, strconv.Itoa(int(pid))+".json"))
		done := make(chan struct{})
		go func() { r.Read("claude", pid); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("case %d: Read blocked", pid)
		}
		if got, ok := r.Read("claude", pid); ok {
			t.Errorf("case %d: believed %+v", pid, got)
		}
	}
	if _, ok := r.Read("claude", 999); ok {
		t.Error("a process without a file has a state")
	}
}

func TestProcEnvironOfThisProcess(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc/PID/environ is Linux's")
	}
	// The environment a process started with: look for what surely is
	// there.
	env := ProcEnviron(int32(os.Getpid()))
	found := false
	for _, kv := range env {
		if strings.HasPrefix(kv, "PATH=") || strings.HasPrefix(kv, "HOME=") {
			found = true
		}
	}
	if !found {
		t.Errorf("no PATH or HOME in our own environ: %q", env)
	}
	if ProcEnviron(-5) != nil {
		t.Error("an impossible pid has an environment")
	}
}
