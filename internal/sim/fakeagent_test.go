package sim

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFakeAgentResume: --resume goes on with the session's record (the
// same file grows, under the same id), as `claude --resume` does, and
// fails in Claude Code's words for a session that is not there.
func TestFakeAgentResume(t *testing.T) {
	dir := t.TempDir()
	work := t.TempDir()
	t.Chdir(work)
	run := func(args ...string) (string, string, int) {
		var out, errb bytes.Buffer
		code := fakeAgent(append([]string{"--usage-dir", dir, "--work", "150ms"}, args...), strings.NewReader("quit\n"), &out, &errb)
		return out.String(), errb.String(), code
	}
	if _, e, code := run(); code != 0 {
		t.Fatalf("first run: %d %s", code, e)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "projects", "*", "*.jsonl"))
	if len(files) != 1 {
		t.Fatalf("records: %v", files)
	}
	session := strings.TrimSuffix(filepath.Base(files[0]), ".jsonl")
	before, _ := os.Stat(files[0])
	out, e, code := run("--resume", session)
	if code != 0 || !strings.Contains(out, "Resumed session "+session) {
		t.Fatalf("resume: %d %q %q", code, out, e)
	}
	after, _ := os.Stat(files[0])
	if again, _ := filepath.Glob(filepath.Join(dir, "projects", "*", "*.jsonl")); len(again) != 1 || after.Size() <= before.Size() {
		t.Errorf("the session's file did not grow: %v %d -> %d", again, before.Size(), after.Size())
	}
	if _, e, code := run("--resume", "00000000-0000-4000-8000-000000000000"); code == 0 || !strings.Contains(e, "No conversation found with session ID") {
		t.Errorf("a gone session: %d %q", code, e)
	}
}
