package sim

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// fakeAgent imitates an AI coding agent for tests and the demo as today's
// Claude Code behaves in a pane without focus: its title stays "✳ NAME"
// while it works (burning CPU, a "✻ Working…" line that changes, progress
// lines), then it shows a permission prompt ("Do you want to proceed?")
// and waits for a line of input. "quit" ends it cleanly; anything else
// (Enter: "1. Yes") starts another round of work. With a Claude Code config
// folder (--usage-dir, else $CLAUDE_CONFIG_DIR) it records token use there
// and keeps its state in sessions/<pid>.json as Claude Code does;
// --resume ID continues that session's record (as `claude --resume ID`
// does, failing with Claude Code's words when there is none).
func fakeAgent(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fake-agent", flag.ContinueOnError)
	fs.SetOutput(stderr)
	work := fs.Duration("work", 2*time.Second, "how long each round of work takes")
	name := fs.String("name", "agent", "name shown in the title")
	signal := fs.String("signal", "", "file to write the time (RFC 3339, ns) each time the agent starts waiting: latency tests")
	usageDir := fs.String("usage-dir", os.Getenv("CLAUDE_CONFIG_DIR"), "a Claude Code config folder to record token use (projects/<folder>/<session>.jsonl) and state (sessions/<pid>.json) in")
	model := fs.String("model", "claude-sonnet-4-5-20250929", "the model its records name")
	resume := fs.String("resume", "", "continue this session (its record under --usage-dir)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	in := bufio.NewReader(stdin)
	var rec *usageRecorder
	if *resume != "" && *usageDir == "" {
		fmt.Fprintf(stderr, "No conversation found with session ID: %s\n", *resume)
		return 1
	}
	if *usageDir != "" {
		var err error
		if rec, err = newUsageRecorder(*usageDir, *model, *resume); err != nil {
			fmt.Fprintln(stderr, "fake-agent:", err)
			return 1
		}
		defer rec.state("", "")
		if *resume != "" {
			fmt.Fprintf(stdout, "Resumed session %s\r\n", rec.session)
		}
	}
	fmt.Fprintf(stdout, "\x1b]0;✳ %s\x07", *name)
	spinner := []rune("·✢✳✶✻✽")
	for round := 1; ; round++ {
		rec.state("busy", "")
		began := time.Now()
		end := began.Add(*work)
		for i := 0; time.Now().Before(end); i++ {
			fmt.Fprintf(stdout, "\r%c Working… (%ds · esc to interrupt)\x1b[K", spinner[i%len(spinner)], int(time.Since(began).Seconds()))
			if i%5 == 0 {
				fmt.Fprintf(stdout, "\r\x1b[K● step %d.%d: read parser.go\r\n", round, i/5)
			}
			if rec != nil && i%10 == 0 {
				rec.message() // one model call a second of work
			}
			burn(100 * time.Millisecond)
		}
		fmt.Fprint(stdout, "\r\x1b[K Bash command\r\n\r\n   touch parser.go\r\n\r\n Do you want to proceed?\r\n ❯ 1. Yes\r\n   2. No\r\n")
		rec.state("waiting", "permission prompt")
		if *signal != "" {
			os.WriteFile(*signal, []byte(time.Now().Format(time.RFC3339Nano)), 0o600)
		}
		line, err := in.ReadString('\n')
		if err != nil {
			return 0
		}
		line = strings.TrimSpace(line)
		fmt.Fprintf(stdout, "\r\ngot: %s\r\n", line)
		if line == "quit" {
			return 0
		}
	}
}

// burn keeps a core busy for d.
func burn(d time.Duration) {
	end := time.Now().Add(d)
	x := 0
	for time.Now().Before(end) {
		for i := 0; i < 1000; i++ {
			x += i
		}
	}
	_ = x
}

// usageRecorder writes token use the way Claude Code does: one JSONL line
// per assistant content block, the same message id and request id on each
// (a streamed message), with the usage so far (docs/spend.md); and its
// state as Claude Code keeps it per process.
type usageRecorder struct {
	path, session, cwd, model string
	tag                       string // this process's part of message ids
	stateFile                 string
	n                         int
}

// state writes sessions/<pid>.json with status "busy", "waiting" or
// "idle" (like Claude Code 2.1.3xx); "" removes it (the agent ends).
func (u *usageRecorder) state(status, waitingFor string) {
	if u == nil {
		return
	}
	if status == "" {
		os.Remove(u.stateFile)
		return
	}
	b, _ := json.Marshal(map[string]any{"pid": os.Getpid(), "sessionId": u.session, "cwd": u.cwd, "status": status,
		"waitingFor": waitingFor, "updatedAt": time.Now().UnixMilli(), "kind": "interactive"})
	tmp := u.stateFile + ".tmp"
	if os.WriteFile(tmp, b, 0o600) == nil {
		os.Rename(tmp, u.stateFile)
	}
}

func newUsageRecorder(dir, model, resume string) (*usageRecorder, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	// Claude Code's project folder name: the path with / and . as -.
	project := strings.NewReplacer("/", "-", ".", "-").Replace(cwd)
	session := fmt.Sprintf("%08x-0000-4000-8000-%012x", os.Getpid(), time.Now().UnixNano()&0xffffffffffff)
	pdir := filepath.Join(dir, "projects", project)
	if resume != "" {
		// Claude Code finds a session in any project folder and goes on
		// appending to its file.
		found, _ := filepath.Glob(filepath.Join(dir, "projects", "*", resume+".jsonl"))
		if len(found) == 0 || strings.ContainsAny(resume, "/*?[") {
			return nil, fmt.Errorf("No conversation found with session ID: %s", resume)
		}
		session, pdir = resume, filepath.Dir(found[0])
	}
	if err := os.MkdirAll(pdir, 0o700); err != nil {
		return nil, fmt.Errorf("record usage: %w", err)
	}
	sdir := filepath.Join(dir, "sessions")
	if err := os.MkdirAll(sdir, 0o700); err != nil {
		return nil, fmt.Errorf("record state: %w", err)
	}
	return &usageRecorder{path: filepath.Join(pdir, session+".jsonl"), session: session, cwd: cwd, model: model,
		tag:       fmt.Sprintf("%08x%012x", os.Getpid(), time.Now().UnixNano()&0xffffffffffff),
		stateFile: filepath.Join(sdir, fmt.Sprintf("%d.json", os.Getpid()))}, nil
}

func (u *usageRecorder) message() {
	u.n++
	f, err := os.OpenFile(u.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	// Ids are unique across agents, as the API's are.
	id, req := fmt.Sprintf("msg_%s_%06d", u.tag, u.n), fmt.Sprintf("req_%s_%06d", u.tag, u.n)
	in, cw, cr := 900+u.n%7*50, 400, 18000+u.n*600
	now := time.Now().UTC()
	for i, out := range []int{12, 280} { // a text block, then a tool use: output grows
		line, _ := json.Marshal(map[string]any{
			"type": "assistant", "sessionId": u.session, "cwd": u.cwd, "requestId": req, "version": "2.0.0",
			"uuid":      fmt.Sprintf("%s-%d", id, i),
			"timestamp": now.Add(time.Duration(i) * 50 * time.Millisecond).Format("2006-01-02T15:04:05.000Z"),
			"message": map[string]any{"id": id, "type": "message", "role": "assistant", "model": u.model,
				"content": []map[string]any{{"type": "text", "text": "Working on it."}},
				"usage": map[string]any{"input_tokens": in, "output_tokens": out,
					"cache_creation_input_tokens": cw, "cache_read_input_tokens": cr}},
		})
		f.Write(append(line, '\n'))
	}
}
