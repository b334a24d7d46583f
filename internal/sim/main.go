//go:build unix

// Package sim is wezterm-sim, a stand-in for WezTerm used by tests and the
// demo. `wezterm-sim cli …` accepts the argv of `wezterm cli …` and answers
// with WezTerm's stdout, stderr and exit codes; the state lives in a server
// process (`wezterm-sim serve` or `start`) reached over the unix socket named
// by WEZTERM_UNIX_SOCKET, and every pane is a real program on a real pty.
package sim

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Main runs wezterm-sim with args (without argv[0]) and returns the exit
// code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// WezTerm's global flags come before the command; --config name=value
	// overrides reach spawn (initial_cols, initial_rows), the rest are
	// ignored.
	overrides := map[string]string{}
	for len(args) > 0 {
		switch a := args[0]; {
		case a == "-n" || a == "--skip-config":
			args = args[1:]
		case a == "--config" && len(args) > 1:
			if k, v, ok := strings.Cut(args[1], "="); ok {
				overrides[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
			args = args[2:]
		case strings.HasPrefix(a, "--config="):
			if k, v, ok := strings.Cut(strings.TrimPrefix(a, "--config="), "="); ok {
				overrides[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
			args = args[1:]
		case a == "--config-file" && len(args) > 1:
			args = args[2:]
		case strings.HasPrefix(a, "--config-file="):
			args = args[1:]
		default:
			goto done
		}
	}
done:
	if len(args) == 0 {
		fmt.Fprint(stderr, topUsage)
		return 2
	}
	switch args[0] {
	case "--version", "-V":
		// WEZTERM_SIM_CLI_VERSION: a CLI binary of another release than
		// the running server (an upgrade while the GUI runs).
		if v := os.Getenv("WEZTERM_SIM_CLI_VERSION"); v != "" {
			fmt.Fprintf(stdout, "wezterm %s\n", v)
			return 0
		}
		sock, _ := wezterm.SocketPath(os.Getenv)
		fmt.Fprintf(stdout, "wezterm %s\n", versionFor(sock))
		return 0
	case "-h", "--help", "help":
		fmt.Fprint(stdout, topUsage)
		return 0
	case "cli":
		return cliMain(args[1:], overrides, stdin, stdout, stderr)
	case "serve":
		return serveMain(args[1:], stdout, stderr, false)
	case "start":
		return serveMain(args[1:], stdout, stderr, true)
	case "ctl":
		return ctlMain(args[1:], stdout, stderr)
	case "fake-agent":
		return fakeAgent(args[1:], stdin, stdout, stderr)
	case "model-api":
		return modelAPI(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "error: unrecognized subcommand '%s'\n\nUsage: wezterm [OPTIONS] [COMMAND]\n\nFor more information, try '--help'.\n", args[0])
	return 2
}

const topUsage = `wezterm-sim: a stand-in for WezTerm (tests and demo)

Usage:
  wezterm-sim --version
  wezterm-sim cli [--no-auto-start] [--prefer-mux] [--class CLASS] SUBCOMMAND ...
  wezterm-sim serve [--socket PATH] [--size COLSxROWS] [--shell PROG] [--demo|--empty] [--no-gui] [--lua-snippet] [--version RELEASE]
  wezterm-sim start [same flags as serve]   (serve in the background; prints the socket)
  wezterm-sim ctl COMMAND ...               (fault switches; "wezterm-sim ctl help")
  wezterm-sim fake-agent [--work 2s] [--name N] [--signal FILE]
                                                 (an imitation AI agent, for tests and the demo;
                                                 FILE gets the time it starts waiting)
  wezterm-sim model-api [--addr 127.0.0.1:0] [--script FILE] [--log FILE] [--url-file FILE]
                                                 (a scripted fake of the model APIs the real agent
                                                 CLIs use, on loopback only)

The socket is $WEZTERM_UNIX_SOCKET, else $XDG_RUNTIME_DIR/wezterm/sock.
`

// socketPath is where WezTerm's CLI looks when no GUI symlink exists:
// $WEZTERM_UNIX_SOCKET, else the default unix domain's socket.
func socketPath() string {
	if s := os.Getenv("WEZTERM_UNIX_SOCKET"); s != "" {
		return s
	}
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir != "" {
		return filepath.Join(dir, "wezterm", "sock")
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".local", "share", "wezterm", "sock")
}

func call(sock string, req request, timeout time.Duration) (response, error) {
	var resp response
	c, err := net.DialTimeout("unix", sock, time.Second)
	if err != nil {
		return resp, err
	}
	defer c.Close()
	if timeout > 0 {
		_ = c.SetDeadline(time.Now().Add(timeout))
	}
	req.ClientPI = os.Getpid()
	if err := json.NewEncoder(c).Encode(req); err != nil {
		return resp, err
	}
	if err := json.NewDecoder(bufio.NewReader(c)).Decode(&resp); err != nil {
		return resp, fmt.Errorf("read reply: %w", err)
	}
	return resp, nil
}

// versionFor asks a running server which release it imitates; without one
// it is $WEZTERM_SIM_VERSION or DefaultVersion.
func versionFor(sock string) string {
	if resp, err := call(sock, request{Op: "hello"}, 2*time.Second); err == nil && resp.Version != "" {
		return resp.Version
	}
	if v := os.Getenv("WEZTERM_SIM_VERSION"); v != "" {
		return v
	}
	return DefaultVersion
}

// logLine formats a line the way WezTerm's logger does on stderr.
func logLine(level, msg string) string {
	return fmt.Sprintf("%s  %-6s wezterm > %s\n", time.Now().Format("15:04:05.000"), level, msg)
}

const cliUsage = "wezterm cli [OPTIONS] <COMMAND>"

func cliMain(args []string, overrides map[string]string, stdin io.Reader, stdout, stderr io.Writer) int {
	noAuto := false
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "--no-auto-start":
			noAuto = true
		case "--prefer-mux":
		case "--class":
			if len(args) < 2 {
				fmt.Fprint(stderr, clapError(cliUsage, "a value is required for '--class <CLASS>' but none was supplied").msg)
				return 2
			}
			args = args[1:]
		case "-h", "--help":
			fmt.Fprintln(stdout, "Usage: "+cliUsage)
			return 0
		default:
			fmt.Fprint(stderr, clapError(cliUsage, "unexpected argument '%s' found", args[0]).msg)
			return 2
		}
		args = args[1:]
	}
	if len(args) == 0 {
		fmt.Fprint(stderr, "Interact with experimental mux server\n\nUsage: "+cliUsage+"\n")
		return 2
	}
	// Found as WezTerm's CLI finds it: WEZTERM_UNIX_SOCKET, else the GUI's
	// link in the runtime folder, else the mux server's socket.
	sock, _ := wezterm.SocketPath(os.Getenv)
	version := versionFor(sock)
	spec, ok := findSub(args[0], version)
	if !ok {
		return usageFail(stderr, clapError(cliUsage, "unrecognized subcommand '%s'", args[0]).msg, version)
	}
	a, err := parseSub(spec, args[1:], version)
	if err != nil {
		return usageFail(stderr, err.Error(), version)
	}
	// Relative cwds are resolved against the CLI's own directory
	// (cli/mod.rs resolve_relative_cwd).
	if cwd, ok := a.Flags["cwd"]; ok && !filepath.IsAbs(cwd) {
		if wd, err := os.Getwd(); err == nil {
			a.Flags["cwd"] = filepath.Join(wd, cwd)
		}
	}
	req := request{Op: "cli", Args: a}
	if a.Sub == "spawn" && len(overrides) > 0 {
		req.Config = overrides
	}
	if v, ok := os.LookupEnv("WEZTERM_PANE"); ok {
		req.EnvPane = &v
	}
	if a.Sub == "send-text" && len(a.Pos) == 0 {
		b, _ := io.ReadAll(stdin)
		text := string(b)
		req.Stdin = &text
	}
	resp, err := call(sock, req, 0)
	if err != nil && !noAuto && os.Getenv("WEZTERM_SIM_NO_AUTOSTART") == "" {
		fmt.Fprint(stderr, logLine("WARN", fmt.Sprintf("While connecting to Socket(%q): connecting to %s.  Will try spawning the server.", sock, sock)))
		if startErr := startBackground(sock, nil, stderr); startErr != nil {
			fmt.Fprint(stderr, logLine("ERROR", fmt.Sprintf("(after spawning server) failed to connect to Socket(%q): %v; terminating", sock, startErr)))
			return 1
		}
		resp, err = call(sock, req, 0)
	}
	if err != nil {
		fmt.Fprint(stderr, logLine("ERROR", fmt.Sprintf("failed to connect to Socket(%q): connecting to %s; terminating", sock, sock)))
		return 1
	}
	fmt.Fprint(stdout, resp.Stdout)
	if resp.Error != "" {
		fmt.Fprint(stderr, logLine("ERROR", resp.Error+"; terminating"))
		return 1
	}
	return 0
}

// usageFail prints a usage error as the release's clap does and returns its
// exit code: clap 3+ (20220624 on) exits 2; the structopt/clap 2 of
// releases up to 20220408 exits 1 and lays the message out with "USAGE:"
// (clap 2's src/errors.rs). The messages' own words stay clap 3's.
func usageFail(stderr io.Writer, msg, version string) int {
	if hasRelease(version, "20220624") {
		fmt.Fprint(stderr, msg)
		return 2
	}
	if head, usage, ok := strings.Cut(msg, "\n\nUsage: "); ok {
		usage, _, _ = strings.Cut(usage, "\n")
		msg = head + "\n\nUSAGE:\n    " + usage + "\n\nFor more information try --help\n"
	}
	fmt.Fprint(stderr, msg)
	return 1
}

// serveFlags parses the flags shared by serve and start.
func serveFlags(args []string, stderr io.Writer) (Config, startup, []string, error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sock := fs.String("socket", socketPath(), "unix socket to listen on")
	size := fs.String("size", "160x48", "size of new windows, COLSxROWS")
	shell := fs.String("shell", "", "default program (default $SHELL)")
	demo := fs.Bool("demo", false, "start with a few workspaces, busy and idle panes")
	empty := fs.Bool("empty", false, "start with no window (WezTerm starts with one shell)")
	noGUI := fs.Bool("no-gui", false, "act as a headless mux server (no GUI client)")
	version := fs.String("version", os.Getenv("WEZTERM_SIM_VERSION"), "release to imitate")
	ordered := fs.Bool("ordered", false, "list windows by id (WezTerm's order is unspecified)")
	snippet := fs.Bool("lua-snippet", false, "act as if wezterm.lua has the workspace-switching snippet")
	usage := fs.String("usage-dir", "", "the demo's agents record token use in this Claude Code config folder")
	if err := fs.Parse(args); err != nil {
		return Config{}, startup{}, nil, err
	}
	cfg := Config{Socket: *sock, Version: *version, NoGUI: *noGUI, Ordered: *ordered, LuaSnippet: *snippet, UsageDir: *usage}
	if _, err := fmt.Sscanf(*size, "%dx%d", &cfg.Cols, &cfg.Rows); err != nil || cfg.Cols < 3 || cfg.Rows < 3 {
		return cfg, startup{}, nil, fmt.Errorf("--size %q: want COLSxROWS, e.g. 160x48", *size)
	}
	if *shell != "" {
		cfg.Shell = strings.Fields(*shell)
	}
	return cfg, startup{demo: *demo, empty: *empty}, args, nil
}

type startup struct{ demo, empty bool }

func serveMain(args []string, stdout, stderr io.Writer, background bool) int {
	cfg, up, raw, err := serveFlags(args, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "wezterm-sim:", err)
		return 2
	}
	if background {
		if err := startBackground(cfg.Socket, raw, stderr); err != nil {
			fmt.Fprintln(stderr, "wezterm-sim start:", err)
			return 1
		}
		fmt.Fprintln(stdout, cfg.Socket)
		return 0
	}
	cfg.Log = stderr
	// The demo's imitation agents run this very binary, under the name it
	// was started with (the app binary is the stand-in only as wezterm-sim).
	// (`start` runs `serve` as "wezterm-sim" from its own executable, which
	// need not be on PATH: ask the system where this binary is.)
	if IsSimName(os.Args[0]) {
		if exe, err := os.Executable(); err == nil {
			cfg.FakeAgent = []string{exe, "fake-agent"}
		}
	}
	srv, err := NewServer(cfg)
	if err != nil {
		fmt.Fprintln(stderr, "wezterm-sim serve:", err)
		return 1
	}
	switch {
	case up.demo:
		err = srv.PopulateDemo()
	case !up.empty:
		err = srv.EnsureWorkspace("default") // one window with the default shell
	}
	if err != nil {
		fmt.Fprintln(stderr, "wezterm-sim serve:", err)
		srv.Close()
		return 1
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		<-sigs
		srv.Close()
	}()
	fmt.Fprintf(stderr, "wezterm-sim %s listening on %s\n", cfg.Version, cfg.Socket)
	if err := srv.Serve(); err != nil {
		fmt.Fprintln(stderr, "wezterm-sim serve:", err)
		return 1
	}
	return 0
}

// startBackground runs `serve` with args in a new session, its output in a
// log file beside the socket, and waits until the socket answers.
func startBackground(sock string, args []string, stderr io.Writer) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find own executable: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(sock), 0o700); err != nil {
		return fmt.Errorf("create socket dir: %w", err)
	}
	logf, err := os.OpenFile(sock+".log", os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("open server log: %w", err)
	}
	defer logf.Close()
	hasSocket := false
	for _, a := range args {
		if a == "--socket" || strings.HasPrefix(a, "--socket=") || strings.HasPrefix(a, "-socket") {
			hasSocket = true
		}
	}
	full := []string{"serve"}
	if !hasSocket {
		full = append(full, "--socket", sock)
	}
	full = append(full, args...)
	cmd := exec.Command(exe, full...)
	cmd.Args[0] = "wezterm-sim" // the multi-call app binary dispatches on argv[0]
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start server: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.After(10 * time.Second)
	for {
		if _, err := call(sock, request{Op: "hello"}, time.Second); err == nil {
			_ = cmd.Process.Release()
			return nil
		}
		select {
		case err := <-exited:
			return fmt.Errorf("server exited (%v); see %s", err, sock+".log")
		case <-deadline:
			return fmt.Errorf("server did not answer on %s within 10s; see %s", sock, sock+".log")
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func ctlMain(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stdout, ctlUsage)
		return 0
	}
	resp, err := call(socketPath(), request{Op: "ctl", Ctl: args}, 30*time.Second)
	if err != nil {
		fmt.Fprintf(stderr, "wezterm-sim ctl: no server on %s: %v\n", socketPath(), err)
		return 1
	}
	fmt.Fprint(stdout, resp.Stdout)
	if resp.Error != "" {
		fmt.Fprintln(stderr, "wezterm-sim ctl:", resp.Error)
		return 1
	}
	return 0
}
