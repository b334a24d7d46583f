//go:build unix

package sim

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"time"
)

const ctlUsage = `wezterm-sim ctl COMMAND
  delay DURATION                 delay every CLI reply (0 to stop)
  garbage on|off                 answer CLI calls with garbage on stdout
  fail [--call N] [--sub NAME] [--times K] MESSAGE
                                 fail CLI calls with WezTerm's ErrorResponse:
                                 only the Nth call from now (--call), only one
                                 subcommand (--sub), K times (default: once
                                 with --call, else until "fail off")
  fail off                       stop failing
  version RELEASE                imitate another release (e.g. 20230712-072601-f4abf8fd)
  gui on|off                     attach or detach the simulated GUI client
  gui connect                    the GUI is attached with wezterm connect
                                 (list-clients: workspace "")
  snippet on|legacy|off          act as if wezterm.lua has (or lacks) the
                                 workspace-switching snippet (legacy: one
                                 installed before its user var was renamed)
  workspace NAME                 switch the GUI's workspace (created if missing)
  focus PANE_ID                  move the GUI's focus
  status                         print faults and the GUI state as JSON
  stop                           kill all panes and exit
  kill                           exit at once, as a crash would
`

// control applies a fault switch. s.mu is held. after, when set, runs once
// the reply is written.
func (s *Server) control(args []string) (out string, err error, after func()) {
	if len(args) == 0 {
		return "", errors.New(ctlUsage), nil
	}
	arg := func(i int) string {
		if i < len(args) {
			return args[i]
		}
		return ""
	}
	switch args[0] {
	case "delay":
		d, err := time.ParseDuration(arg(1))
		if err != nil {
			return "", fmt.Errorf("delay: %w", err), nil
		}
		s.faults.Delay = d
	case "garbage":
		s.faults.Garbage = arg(1) == "on"
	case "fail":
		if arg(1) == "off" {
			s.faults = faults{Delay: s.faults.Delay, Garbage: s.faults.Garbage, FailTimes: -1}
			break
		}
		fs := flag.NewFlagSet("fail", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		call := fs.Int("call", 0, "")
		sub := fs.String("sub", "", "")
		times := fs.Int("times", 0, "")
		if err := fs.Parse(args[1:]); err != nil || fs.NArg() != 1 {
			return "", errors.New("usage: fail [--call N] [--sub NAME] [--times K] MESSAGE"), nil
		}
		f := faults{Delay: s.faults.Delay, Garbage: s.faults.Garbage, FailMsg: fs.Arg(0), FailCall: *call, FailSub: *sub, FailTimes: *times}
		if f.FailTimes == 0 {
			f.FailTimes = -1
			if f.FailCall > 0 {
				f.FailTimes = 1
			}
		}
		s.faults = f
	case "version":
		if arg(1) == "" {
			return "", errors.New("version: missing RELEASE"), nil
		}
		s.version = arg(1)
	case "gui":
		switch arg(1) {
		case "on":
			if s.gui == nil {
				s.gui = &guiClient{workspace: "default", focused: -1, lastInput: time.Now(), pid: os.Getpid()}
				s.fixGUI()
			}
		case "connect":
			// A GUI attached with `wezterm connect`: the mux server never
			// learns its workspace (list-clients says "") nor, here, its
			// focus.
			if s.gui == nil {
				s.gui = &guiClient{workspace: "default", focused: -1, lastInput: time.Now(), pid: os.Getpid()}
				s.fixGUI()
			}
			s.gui.remote = true
		case "off":
			s.gui = nil
		default:
			return "", errors.New("gui on|off"), nil
		}
	case "snippet":
		switch arg(1) {
		case "on", "legacy":
			s.snippet = arg(1)
		default:
			s.snippet = ""
		}
	case "workspace":
		if err := s.switchWorkspace(arg(1)); err != nil {
			return "", err, nil
		}
	case "focus":
		id, err := strconv.Atoi(arg(1))
		if err != nil || s.panes[id] == nil {
			return "", fmt.Errorf("focus: no such pane %q", arg(1)), nil
		}
		if s.gui == nil {
			return "", errors.New("focus: no GUI client"), nil
		}
		p := s.panes[id]
		s.gui.workspace = p.tab.win.workspace
		s.activate(p)
	case "status":
		st := map[string]any{"faults": s.faults, "version": s.version, "panes": len(s.panes), "windows": len(s.windows)}
		if s.gui != nil {
			st["gui"] = map[string]any{"workspace": s.gui.workspace, "focused": s.guiFocus().idOrNeg()}
		}
		b, _ := json.MarshalIndent(st, "", "  ")
		return string(b) + "\n", nil, nil
	case "stop":
		return "", nil, func() { go s.Close() }
	case "kill":
		return "", nil, func() { s.Kill() }
	default:
		return "", errors.New(ctlUsage), nil
	}
	return "", nil, nil
}

func (p *pane) idOrNeg() int {
	if p == nil {
		return -1
	}
	return p.id
}

// Kill stops the server abruptly: the listener closes and the panes' ptys
// with it (their programs get SIGHUP), as when a real mux server crashes.
// A process running Serve exits through the OnKill hook.
func (s *Server) Kill() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	close(s.done)
	for _, p := range s.panes {
		p.kill()
	}
	s.mu.Unlock()
	// The socket file is left behind, as after a crash.
	if ul, ok := s.ln.(*net.UnixListener); ok {
		ul.SetUnlinkOnClose(false)
	}
	_ = s.ln.Close()
}

// Control applies a fault switch in-process, as `wezterm-sim ctl` does over
// the socket.
func (s *Server) Control(args ...string) (string, error) {
	s.mu.Lock()
	out, err, after := s.control(args)
	s.mu.Unlock()
	if after != nil {
		after()
	}
	return out, err
}
