// Package app is wezterm-parallel's command line: global flags, logging,
// every subcommand (list, top, doctor, demo, spend, launch and layouts,
// snapshot and restore, lua, switch, jump, completion), and which GUI
// process a start without one becomes (the tray's resident or the window,
// one of each per session). The GUI plugs in through Options.GUI so that
// this package stays free of Fyne.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/execx"
	"github.com/wezterm-parallel/wezterm-parallel/internal/logx"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/monitor"
	"github.com/wezterm-parallel/wezterm-parallel/internal/restore"
	"github.com/wezterm-parallel/wezterm-parallel/internal/snapshot"
	"github.com/wezterm-parallel/wezterm-parallel/internal/spend"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Version is set at build time (-ldflags "-X ...app.Version=…").
var Version = "dev"

// EnvWezterm names the environment variable that chooses the wezterm binary.
const EnvWezterm = "WEZTERM_PARALLEL_WEZTERM"

// Options are the process's surroundings, replaceable in tests.
type Options struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	LookPath       func(string) (string, error)
	Runner         execx.Runner // nil: real processes
	// Env is the base environment of wezterm calls (nil: os.Environ()).
	Env []string
	// GUI opens the window (set by main; nil in tests and headless
	// builds).
	GUI func(ctx context.Context, p GUIParams) int
	// ProbeDisplay says whether the window can open (nil: connect to the
	// X server, desktop.ProbeDisplay).
	ProbeDisplay func() error
	// TrayWait is how long --hidden waits for a tray to appear (at login
	// the tray may register after us; 0: 30 s).
	TrayWait time.Duration
	// TrayAvailable says whether a tray can show the resident (nil: ask
	// the desktop).
	TrayAvailable func() (bool, string)
	// Start starts a detached process: the resident, when the window opens
	// without one (nil: execx.Detach).
	Start func(argv []string) error
	// Exe is this program ("": os.Executable), for the processes it starts.
	Exe string
}

// Role is what a GUI process is.
type Role int

// Roles.
const (
	// RoleWindow is the window: fed by the resident when one runs.
	RoleWindow Role = iota
	// RoleResident lives in the tray without a window (--hidden).
	RoleResident
)

// GUIParams is what the window gets from the command line.
type GUIParams struct {
	Client *wezterm.Client
	// NewClient makes a client for another binary (env nil: the default
	// environment), with the command line's timeout and logging.
	NewClient func(bin string, env []string) *wezterm.Client
	Store     *config.Store
	Interval  time.Duration
	Hint      string
	Log       *slog.Logger
	// Hidden starts in the tray (--hidden, used by the autostart entry).
	Hidden bool
	// AgentRules recognise agents in panes (bundled + agents.toml).
	AgentRules []agents.Rule
	// Demo: the client talks to the stand-in (no real wezterm.lua to
	// offer the snippet for).
	Demo bool
	Role Role
	// RuntimeDir is where the resident and the window meet (ipc); "" for
	// the demo, which stands alone.
	RuntimeDir string
	// HasTray and TrayWhy: whether a tray shows the resident, and why not.
	HasTray bool
	TrayWhy string
	// Calls counts the wezterm processes this process starts.
	Calls *execx.Counter
	// WindowArgv starts the window (the resident's "Show panel").
	WindowArgv []string
	// NewSpend follows the agents' token records for a monitor (nil: no
	// spend figures). Each monitor gets its own.
	NewSpend func() monitor.Spender
	// DemoSpend follows the records the demo's agents keep in usageDir
	// (the spend a demo shows is theirs, not the user's).
	DemoSpend func(usageDir string) monitor.Spender
	// Restore is restoring for the window (banner, dialog, palette) and
	// Snapshots the writer its feed uses while it polls alone
	// (resident.FeedOptions.Snapshots); both nil for the demo.
	Restore   *restore.Service
	Snapshots *snapshot.Writer
}

func (o *Options) defaults() {
	if o.Stdin == nil {
		o.Stdin = os.Stdin
	}
	if o.Stdout == nil {
		o.Stdout = os.Stdout
	}
	if o.Stderr == nil {
		o.Stderr = os.Stderr
	}
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.LookPath == nil {
		o.LookPath = exec.LookPath
	}
}

// globals are the flags before the subcommand.
type globals struct {
	wezterm  string
	logLevel string
	logFile  string
	config   string
	timeout  time.Duration
	hidden   bool
}

// Main runs the command line and returns the exit code.
func Main(args []string, o Options) int {
	o.defaults()
	// Human output passes a guard that escapes control characters: text
	// from panes and files (titles, cwds, names) must not act on the
	// user's terminal. JSON and top's screen clearing use the raw stream.
	raw := o.Stdout
	out, errw := textsafe.NewWriter(o.Stdout), textsafe.NewWriter(o.Stderr)
	defer out.Flush()
	defer errw.Flush()
	o.Stdout, o.Stderr = out, errw
	// Global flags may come anywhere (before a "--"), as in the command
	// lines people know.
	gargs, rest := splitGlobals(args)
	fs := flag.NewFlagSet("wezterm-parallel", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var g globals
	fs.StringVar(&g.wezterm, "wezterm", o.Getenv(EnvWezterm), "wezterm binary")
	fs.StringVar(&g.logLevel, "log-level", "info", "log level")
	fs.StringVar(&g.logFile, "log-file", "", "log file")
	fs.StringVar(&g.config, "config", "", "preferences file")
	fs.BoolVar(&g.hidden, "hidden", false, "start hidden in the tray")
	fs.DurationVar(&g.timeout, "timeout", wezterm.DefaultTimeout, "per-call timeout")
	if err := fs.Parse(gargs); err != nil {
		fmt.Fprintln(o.Stderr, "wezterm-parallel:", flagMessage(err, fs))
		return 2
	}
	cmd := ""
	if len(rest) > 0 {
		cmd, rest = rest[0], rest[1:]
	}
	switch {
	case cmd == "-h" || cmd == "--help" || cmd == "-help":
		printUsage(o.Stdout)
		return 0
	case strings.HasPrefix(cmd, "-"):
		fmt.Fprintln(o.Stderr, "wezterm-parallel:", flagMessage(fmt.Errorf("flag provided but not defined: -%s", strings.TrimLeft(cmd, "-")), fs))
		fmt.Fprintln(o.Stderr, "Run 'wezterm-parallel --help' for the flags.")
		return 2
	case cmd == "help":
		return helpCmd(o.Stdout, o.Stderr, rest)
	case cmd == "completion":
		return completionCmd(o.Stdout, o.Stderr, rest)
	case cmd != "":
		if s, ok := findSpec(cmd); !ok || s.hidden && cmd != "__complete" {
			return unknownCommand(o.Stderr, cmd)
		}
	}
	level, err := logx.ParseLevel(g.logLevel)
	if err != nil {
		fmt.Fprintln(o.Stderr, "wezterm-parallel:", err)
		return 2
	}
	log, closer, err := logx.Open(g.logFile, level)
	if err != nil {
		// A read-only home must not stop the app; log nowhere instead.
		fmt.Fprintln(o.Stderr, "wezterm-parallel: logging disabled:", err)
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	} else {
		defer closer.Close()
	}
	if o.Runner == nil {
		o.Runner = execx.Exec{Log: log}
	}
	calls := execx.NewCounter(o.Runner)
	o.Runner = calls
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first signal, a second one ends the process the usual way:
	// nothing can make it deaf to Ctrl+C.
	context.AfterFunc(ctx, stop)

	if cmd != "__complete" { // not a line per Tab press
		log.Info("start", "version", Version, "command", cmd, "wezterm", g.wezterm)
	}
	r := &runner{o: o, g: g, log: log, raw: raw, calls: calls}
	switch cmd {
	case "", "list", "top", "layout", "switch", "jump", "launch", "doctor", "demo", "spend", "snapshot", "restore":
		// Every command that talks to WezTerm or uses layouts reads the
		// preferences, and says once, the same way, when they did not load.
		r.store()
	}
	switch cmd {
	case "":
		if o.GUI != nil && !hasDisplay(o.Getenv) {
			fmt.Fprintln(o.Stderr, "wezterm-parallel: no display (DISPLAY and WAYLAND_DISPLAY are empty): printing an overview instead of opening the window")
		}
		if o.GUI != nil && hasDisplay(o.Getenv) {
			return r.gui(ctx)
		}
		return r.overview(ctx)
	case "list":
		return r.list(ctx, rest)
	case "top":
		return r.top(ctx, rest)
	case "layout":
		return r.layoutCmd(ctx, rest)
	case "lua":
		return r.lua(rest)
	case "switch":
		return r.switchCmd(ctx, rest)
	case "jump":
		return r.jump(ctx, rest)
	case "launch":
		return r.launchCmd(ctx, rest)
	case "doctor":
		return r.doctor(ctx, rest)
	case "demo":
		return r.demo(ctx, rest)
	case "spend":
		return r.spendCmd(ctx, rest)
	case "snapshot":
		return r.snapshotCmd(ctx, rest)
	case "restore":
		return r.restoreCmd(ctx, rest)
	case "version":
		if _, _, code, ok := r.parse("version", rest); !ok {
			return code
		}
		fmt.Fprintln(o.Stdout, "wezterm-parallel", Version)
		return 0
	case "__complete":
		return r.complete(rest)
	}
	return unknownCommand(o.Stderr, cmd)
}

type runner struct {
	o   Options
	g   globals
	log *slog.Logger
	raw io.Writer // stdout without the control-character guard: JSON

	st    *config.Store // the preferences, read once (store)
	rules []agents.Rule
	calls *execx.Counter
	// prices, read once (prices).
	pricesV  spend.Prices
	pricesOK bool
}

// store is the one loader of the preferences, for every command: read once,
// its notice (broken, unreadable, not creatable: running on defaults) and
// warnings (unknown keys) printed once to stderr with FILE:LINE:COL.
func (r *runner) store() *config.Store {
	if r.st != nil {
		return r.st
	}
	path := r.g.config
	if path == "" {
		var err error
		if path, err = config.DefaultPath(); err != nil {
			// No home or config dir: nothing to read or write.
			fmt.Fprintln(r.o.Stderr, "wezterm-parallel: preferences:", err, "— running on defaults")
			path = filepath.Join(os.TempDir(), "wezterm-parallel-nonexistent", "config.toml")
		}
	}
	r.st = config.Open(path)
	if n := r.st.Notice(); n != "" {
		fmt.Fprintln(r.o.Stderr, "wezterm-parallel:", n)
		if b := r.st.Broken(); len(b) > 1 {
			for _, p := range b[1:] {
				fmt.Fprintln(r.o.Stderr, "  "+p.String())
			}
		}
	}
	for _, p := range r.st.Warnings() {
		fmt.Fprintln(r.o.Stderr, p.String())
	}
	return r.st
}

// weztermBin is the wezterm binary: --wezterm or the environment, else
// the preferences' wezterm_path, else "" (wezterm on PATH).
func (r *runner) weztermBin() string {
	if r.g.wezterm != "" {
		return r.g.wezterm
	}
	return config.ExpandHome(r.store().Prefs().WeztermPath)
}

// client returns a wezterm client for bin ("" = the configured one) with
// env as the base environment.
func (r *runner) client(bin string, env []string) *wezterm.Client {
	if bin == "" {
		bin = r.weztermBin()
	}
	if env == nil {
		env = r.o.Env
	}
	opts := []wezterm.Option{wezterm.WithTimeout(r.g.timeout), wezterm.WithLogger(r.log)}
	if env != nil {
		opts = append(opts, wezterm.WithEnv(env))
	}
	return wezterm.New(bin, r.o.Runner, opts...)
}

func (r *runner) guiParams(c *wezterm.Client, store *config.Store, interval time.Duration, hint string) GUIParams {
	p := GUIParams{Client: c, NewClient: r.client, Store: store, Interval: interval, Hint: hint, Log: r.log,
		Hidden: r.g.hidden, AgentRules: r.agentRules(), Calls: r.calls,
		NewSpend:  func() monitor.Spender { return r.newLive(spend.DefaultRoots(r.o.Getenv, r.home()), ResidentKeep) },
		DemoSpend: r.demoSpend}
	if svc, err := r.restoreService(); err == nil {
		p.Restore, p.Snapshots = svc, snapshot.NewWriter(svc.Store, "window")
	} else {
		r.log.Warn("no snapshots", "err", err)
	}
	return p
}

// explain turns a wezterm error into one line saying what to do.
func (r *runner) explain(err error) string {
	switch {
	case errors.Is(err, wezterm.ErrNotInstalled):
		if r.st != nil && r.st.Notice() != "" && r.g.wezterm == "" {
			// wezterm_path may be in the file that did not load.
			return fmt.Sprintf("%v — the preferences did not load, so their wezterm_path (if any) is not used: fix %s, or pass --wezterm PATH (env %s)", err, r.st.Path(), EnvWezterm)
		}
		return fmt.Sprintf("%v — install WezTerm, or pass --wezterm PATH (env %s)", err, EnvWezterm)
	case errors.Is(err, wezterm.ErrNotRunning):
		return fmt.Sprintf("WezTerm is not running: %v — start WezTerm (this app must share its DISPLAY/WAYLAND_DISPLAY, or set WEZTERM_UNIX_SOCKET), or try `wezterm-parallel demo`", err)
	case errors.Is(err, wezterm.ErrTimeout):
		return fmt.Sprintf("%v — WezTerm is busy or hung; try again, or raise --timeout", err)
	case errors.Is(err, context.Canceled):
		return "interrupted"
	}
	return err.Error()
}

// overview is what the app does without a command where no window can
// open (no display): the tree with usage when WezTerm answers, else what to
// do (exit 0: this is the interactive entry point, not a script's).
func (r *runner) overview(ctx context.Context) int {
	sampler := metrics.New(metrics.Options{History: 2})
	defer sampler.Close()
	tree, err := sampledTree(ctx, r.newMonitor(r.client("", nil), sampler), 500*time.Millisecond)
	if err != nil {
		fmt.Fprintln(r.o.Stdout, r.explain(err))
		fmt.Fprintln(r.o.Stdout, "\nTry it without WezTerm: wezterm-parallel demo   (all commands: wezterm-parallel help)")
		return 0
	}
	printTree(r.o.Stdout, tree)
	return 0
}

// hasDisplay reports whether a window can open: always on macOS and
// Windows; on Linux and the BSDs when an X11 or Wayland display is set.
func hasDisplay(getenv func(string) string) bool {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		return true
	}
	return getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != ""
}
