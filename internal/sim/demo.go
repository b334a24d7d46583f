//go:build unix

package sim

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Demo programs: small POSIX sh loops, so the demo needs nothing installed.
var (
	demoServer = []string{"sh", "-c", `printf '\033]0;dev-server :8080\007'; i=0; while :; do i=$((i+1)); echo "GET /api/items 200 $((i % 40 + 3))ms"; sleep 1; done`}
	demoTests  = []string{"sh", "-c", `printf '\033]0;test watcher\007'; while :; do echo "PASS ./... ($(date +%T))"; sleep 5; done`}
	// A loop that keeps a good part of a core busy.
	demoBusy = []string{"sh", "-c", `printf '\033]0;build (busy)\007'; while :; do i=0; while [ $i -lt 500000 ]; do i=$((i+1)); done; echo "built in $i steps"; sleep 1; done`}
)

// demoBusyAgent is an agent at work: bursts of CPU and progress lines.
func demoBusyAgent(n int, task string, steps int) []string {
	return []string{"sh", "-c", fmt.Sprintf(`printf '\033]0;agent %d\007'; echo %s; n=0; while :; do i=0; while [ $i -lt %d ]; do i=$((i+1)); done; n=$((n+1)); echo "step $n: edited $((n %% 7 + 1)) files"; sleep 0.3; done`, n, shellQuote(task), steps)}
}

func demoAgent(n int, prompt string) []string {
	return []string{"sh", "-c", fmt.Sprintf(`printf '\033]0;agent %d\007'; echo "agent %d ready"; echo %s; exec sh`, n, n, shellQuote(prompt))}
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// PopulateDemo fills the mux with three workspaces: "agents" (a 2x2 grid),
// "servers" (a dev server, a busy build and a test watcher) and "default"
// (one shell), and points the GUI at "agents".
func (s *Server) PopulateDemo() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := strconv.Itoa
	run := func(sub string, flags map[string]string, pos ...string) (int, error) {
		// The demo's windows are the user's own, at the GUI's size.
		out, err := s.exec(request{Op: "cli", Args: Args{Sub: sub, Flags: flags, Pos: pos},
			Config: map[string]string{"initial_cols": id(s.cfg.Cols), "initial_rows": id(s.cfg.Rows)}})
		if err != nil {
			return 0, fmt.Errorf("demo %s: %w", sub, err)
		}
		return strconv.Atoi(strings.TrimSpace(out))
	}
	if _, err := run("spawn", map[string]string{"new-window": "true", "workspace": "default"}); err != nil {
		return err
	}
	agent1, agent3 := demoAgent(1, "waiting for a prompt"), demoBusyAgent(3, "writing tests", 120000)
	if fa := s.cfg.FakeAgent; len(fa) > 0 {
		// Imitation agents: one asks for approval after 3 s, one keeps working.
		if s.cfg.UsageDir != "" {
			// As Claude Code finds its config folder: in its environment
			// (where the app looks for its state file too).
			fa = append([]string{"env", "CLAUDE_CONFIG_DIR=" + s.cfg.UsageDir}, fa...)
		}
		agent1 = append(append([]string{}, fa...), "--work", "3s", "--name", "agent 1")
		agent3 = append(append([]string{}, fa...), "--work", "10m", "--name", "agent 3")
	}
	// Agents that record usage each work in a project folder of their own,
	// as agents people run side by side do (a fan-out's worktrees).
	where := func(n int) map[string]string {
		if s.cfg.UsageDir == "" {
			return map[string]string{}
		}
		dir := filepath.Join(filepath.Dir(s.cfg.UsageDir), "work", fmt.Sprintf("agent-%d", n))
		if os.MkdirAll(dir, 0o700) != nil {
			return map[string]string{}
		}
		return map[string]string{"cwd": dir}
	}
	a0flags := where(1)
	a0flags["new-window"], a0flags["workspace"] = "true", "agents"
	a0, err := run("spawn", a0flags, agent1...)
	if err != nil {
		return err
	}
	a1, err := run("split-pane", map[string]string{"pane-id": id(a0), "right": "true"}, demoBusyAgent(2, "refactoring parser.go", 400000)...)
	if err != nil {
		return err
	}
	a3flags := where(3)
	a3flags["pane-id"], a3flags["bottom"] = id(a0), "true"
	if _, err := run("split-pane", a3flags, agent3...); err != nil {
		return err
	}
	if _, err := run("split-pane", map[string]string{"pane-id": id(a1), "bottom": "true"}, demoAgent(4, "reviewing diff")...); err != nil {
		return err
	}
	s0, err := run("spawn", map[string]string{"new-window": "true", "workspace": "servers"}, demoServer...)
	if err != nil {
		return err
	}
	if _, err := run("split-pane", map[string]string{"pane-id": id(s0), "right": "true", "percent": "40"}, demoBusy...); err != nil {
		return err
	}
	if _, err := run("split-pane", map[string]string{"pane-id": id(s0), "bottom": "true", "percent": "30"}, demoTests...); err != nil {
		return err
	}
	if s.gui != nil {
		s.gui.workspace = "agents"
		s.activate(s.panes[a0])
	}
	return nil
}
