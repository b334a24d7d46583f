//go:build unix

package spend

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// claudeLine writes one assistant message of a Claude Code transcript.
func claudeRecord(id string, at time.Time, out int) string {
	return `{"type":"assistant","sessionId":"s-` + id + `","cwd":"/w","requestId":"r` + id + `","timestamp":"` + at.UTC().Format(time.RFC3339Nano) +
		`","message":{"id":"` + id + `","model":"claude-sonnet-4-5","usage":{"input_tokens":1,"output_tokens":` + itoa(out) + `}}}` + "\n"
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

func outTokens(tr *Tracker) int64 {
	var n int64
	for _, e := range tr.Entries(nil) {
		n += e.Out
	}
	return n
}

// pollWithin polls in a goroutine and fails the test when it does not
// return in time (the FIFO hung spend, list and the resident for good).
func pollWithin(t *testing.T, tr *Tracker, d time.Duration) {
	t.Helper()
	done := make(chan struct{})
	go func() { tr.Poll(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("Poll did not return within %v", d)
	}
}

// TestOnlyRegularFilesAreRead: a FIFO, a link to /dev/zero, a folder, a
// dangling link and a socket named like records, in each agent's folder,
// are passed over at once; the real records beside them count.
func TestOnlyRegularFilesAreRead(t *testing.T) {
	home := t.TempDir()
	now := time.Now()
	roots := Roots{Claude: []string{filepath.Join(home, ".claude")}, Codex: filepath.Join(home, ".codex", "sessions"),
		Gemini: filepath.Join(home, ".gemini", "tmp")}
	proj := filepath.Join(roots.Claude[0], "projects", "-x")
	codex := filepath.Join(roots.Codex, "2026", "12", "07")
	chats := filepath.Join(roots.Gemini, "abc", "chats")
	write(t, filepath.Join(proj, "real.jsonl"), claudeRecord("m1", now, 7))
	for _, dir := range []string{proj, codex, chats} {
		os.MkdirAll(dir, 0o700)
		name := func(n string) string {
			if dir == chats {
				return filepath.Join(dir, "session-"+n+".json")
			}
			return filepath.Join(dir, n+".jsonl")
		}
		if err := syscall.Mkfifo(name("fifo"), 0o600); err != nil {
			t.Fatal(err)
		}
		os.Symlink("/dev/zero", name("zero"))
		os.Mkdir(name("folder"), 0o700)
		os.Symlink(filepath.Join(dir, "nowhere"), name("dangling"))
	}
	tr := NewTracker(Options{Roots: roots, Prices: bundled(t)})
	pollWithin(t, tr, 5*time.Second)
	if n := outTokens(tr); n != 7 {
		t.Errorf("output tokens %d, want the real record's 7", n)
	}
	// A FIFO put where a record was seen is not opened blocking either.
	f, _, err := openRegular(filepath.Join(proj, "fifo.jsonl"))
	if !errors.Is(err, errNotRegular) {
		f.Close()
		t.Errorf("openRegular on a FIFO: %v", err)
	}
}

// TestPollStopsWhenAsked: a poll under a context that ended reads
// nothing more and says so; the next one goes on where it stopped.
func TestPollStopsWhenAsked(t *testing.T) {
	home := t.TempDir()
	now := time.Now()
	var b strings.Builder
	for i := range 5000 {
		b.WriteString(claudeRecord("m"+itoa(i), now, 1))
	}
	write(t, filepath.Join(home, "projects", "-x", "s.jsonl"), b.String())
	tr := NewTracker(Options{Roots: Roots{Claude: []string{home}}, Prices: bundled(t)})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := tr.PollContext(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("poll after cancel: %v", err)
	}
	if n := outTokens(tr); n != 0 {
		t.Errorf("read %d tokens after being cancelled", n)
	}
	tr.Poll()
	if n := outTokens(tr); n != 5000 {
		t.Errorf("then %d tokens, want 5000", n)
	}
}

// TestLinkedFoldersAreFollowed: record folders kept elsewhere (dotfiles,
// another disk) and linked into place are read, at every level, each
// once however many links lead to it, and loops end.
func TestLinkedFoldersAreFollowed(t *testing.T) {
	now := time.Now()
	for _, tc := range []struct {
		name string
		link func(home, elsewhere string) Roots
	}{
		{"~/.claude/projects", func(home, elsewhere string) Roots {
			write(t, filepath.Join(elsewhere, "-w", "s.jsonl"), claudeRecord("m1", now, 5))
			os.MkdirAll(filepath.Join(home, ".claude"), 0o700)
			os.Symlink(elsewhere, filepath.Join(home, ".claude", "projects"))
			return Roots{Claude: []string{filepath.Join(home, ".claude")}}
		}},
		{"a project folder", func(home, elsewhere string) Roots {
			write(t, filepath.Join(elsewhere, "s.jsonl"), claudeRecord("m1", now, 5))
			os.MkdirAll(filepath.Join(home, ".claude", "projects"), 0o700)
			os.Symlink(elsewhere, filepath.Join(home, ".claude", "projects", "-w"))
			// Reached twice, and a loop back up: still counted once.
			os.Symlink(elsewhere, filepath.Join(home, ".claude", "projects", "-w-again"))
			os.Symlink("..", filepath.Join(elsewhere, "loop"))
			return Roots{Claude: []string{filepath.Join(home, ".claude")}}
		}},
		{"$CODEX_HOME/sessions", func(home, elsewhere string) Roots {
			write(t, filepath.Join(elsewhere, "2026", "12", "07", "rollout-a.jsonl"), codexRollout(now, "a", 5))
			os.MkdirAll(filepath.Join(home, ".codex"), 0o700)
			os.Symlink(elsewhere, filepath.Join(home, ".codex", "sessions"))
			return Roots{Codex: filepath.Join(home, ".codex", "sessions")}
		}},
		{"~/.gemini/tmp", func(home, elsewhere string) Roots {
			write(t, filepath.Join(elsewhere, "abc", "chats", "session-1.json"), geminiRecording(now, 5))
			os.MkdirAll(filepath.Join(home, ".gemini"), 0o700)
			os.Symlink(elsewhere, filepath.Join(home, ".gemini", "tmp"))
			return Roots{Gemini: filepath.Join(home, ".gemini", "tmp")}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home, elsewhere := t.TempDir(), t.TempDir()
			tr := NewTracker(Options{Roots: tc.link(home, elsewhere), Prices: bundled(t)})
			pollWithin(t, tr, 5*time.Second)
			if n := outTokens(tr); n != 5 {
				t.Errorf("output tokens %d, want 5", n)
			}
		})
	}
}

func codexRollout(at time.Time, session string, out int) string {
	ts := at.UTC().Format(time.RFC3339Nano)
	return `{"timestamp":"` + ts + `","type":"session_meta","payload":{"id":"` + session + `","cwd":"/w"}}` + "\n" +
		`{"timestamp":"` + ts + `","type":"turn_context","payload":{"cwd":"/w","model":"gpt-5.1-codex"}}` + "\n" +
		`{"timestamp":"` + ts + `","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":100,"output_tokens":` + itoa(out) + `},"last_token_usage":{"input_tokens":100,"output_tokens":` + itoa(out) + `}}}}` + "\n"
}

func geminiRecording(at time.Time, out int) string {
	return `{"sessionId":"g","projectHash":"abc","messages":[{"id":"m1","timestamp":"` + at.UTC().Format(time.RFC3339Nano) +
		`","type":"gemini","model":"gemini-2.5-pro","tokens":{"input":10,"output":` + itoa(out) + `}}]}`
}

// TestCodexRewrittenInPlaceCountsOnce: a rollout truncated and written
// back with the same bytes (an editor, a sync tool) is read again from its
// start; its token counts are not counted again (the resident's "Today"
// went from $0.68 to $0.90 while `spend` said $0.68).
func TestCodexRewrittenInPlaceCountsOnce(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	path := filepath.Join(dir, "2026", "12", "07", "rollout-a.jsonl")
	content := codexRollout(now.Add(-time.Minute), "a", 5) +
		`{"timestamp":"` + now.UTC().Format(time.RFC3339Nano) + `","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":300,"output_tokens":12},"last_token_usage":{"input_tokens":200,"output_tokens":7}}}}` + "\n"
	write(t, path, content)
	clock := now
	tr := NewTracker(Options{Roots: Roots{Codex: dir}, Prices: bundled(t), Keep: 48 * time.Hour, Now: func() time.Time { return clock }})
	tr.Poll()
	if n := outTokens(tr); n != 12 {
		t.Fatalf("first read: %d output tokens, want 12", n)
	}
	os.Truncate(path, 0)
	clock = clock.Add(time.Second) // a hot-file poll sees it shrink
	tr.Poll()
	write(t, path, content)
	os.Chtimes(path, now.Add(2*time.Second), now.Add(2*time.Second))
	clock = clock.Add(time.Second)
	tr.Poll()
	if n := outTokens(tr); n != 12 {
		t.Errorf("after the rewrite: %d output tokens, want 12", n)
	}
}

// TestColdHistoryIsNotWalkedEveryScan: folders that did not change are
// not listed again and old records are stat'ed a few at a time, yet a new
// record shows at the next walk and an old one that grows within
// coldEvery.
func TestColdHistoryIsNotWalkedEveryScan(t *testing.T) {
	home := t.TempDir()
	now := time.Now()
	month := now.Add(-30 * 24 * time.Hour)
	for p := range 10 {
		for s := range 50 {
			path := filepath.Join(home, "projects", "-p"+itoa(p), "s"+itoa(s)+".jsonl")
			write(t, path, claudeRecord("old"+itoa(p*100+s), month, 1))
			os.Chtimes(path, month, month)
		}
	}
	for p := range 10 {
		os.Chtimes(filepath.Join(home, "projects", "-p"+itoa(p)), month, month)
	}
	os.Chtimes(filepath.Join(home, "projects"), month, month)
	clock := now
	tr := NewTracker(Options{Roots: Roots{Claude: []string{home}}, Prices: bundled(t), Keep: 48 * time.Hour, Now: func() time.Time { return clock }})
	tr.Poll()
	listed, statted := tr.listed, tr.statted
	clock = clock.Add(ScanEvery)
	tr.Poll()
	if l, s := tr.listed-listed, tr.statted-statted; l != 0 || s > 500*int(ScanEvery)/int(coldEvery)+1 {
		t.Errorf("a walk of unchanged history listed %d folders and stat'ed %d of 500 files", l, s)
	}
	// A new session in an old folder: read at the next walk.
	write(t, filepath.Join(home, "projects", "-p3", "new.jsonl"), claudeRecord("new", clock, 40))
	clock = clock.Add(ScanEvery)
	tr.Poll()
	if n := outTokens(tr); n != 40 {
		t.Errorf("new session: %d output tokens, want 40", n)
	}
	// An old session resumed in place: read within coldEvery.
	f, _ := os.OpenFile(filepath.Join(home, "projects", "-p7", "s9.jsonl"), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(claudeRecord("resumed", clock, 300))
	f.Close()
	for end := clock.Add(coldEvery + ScanEvery); clock.Before(end); {
		clock = clock.Add(ScanEvery)
		tr.Poll()
	}
	if n := outTokens(tr); n != 340 {
		t.Errorf("resumed session: %d output tokens, want 340", n)
	}
}
