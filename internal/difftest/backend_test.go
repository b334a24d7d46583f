//go:build unix

package difftest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/sim"
	"github.com/wezterm-parallel/wezterm-parallel/internal/sim/simtest"
)

func TestMain(m *testing.M) { simtest.Main(m) }

// EnvReal names the real wezterm CLI.
const EnvReal = "WEZTERM_PARALLEL_REAL_WEZTERM"

// RealVersion is the WezTerm the transcript in testdata was recorded
// from (the stand-in imitates it in this suite).
const RealVersion = "20250223-062404-4ff581a8"

// Result is what one call did.
type Result struct {
	Stdout string `json:"stdout"`
	Stderr string `json:"stderr"`
	Code   int    `json:"code"`
}

// backend runs `wezterm [global] cli --no-auto-start args` with stdin.
type backend interface {
	cli(global, args []string, stdin string) Result
	// home is the pane shells' home folder and runtime the folder of the
	// sockets, both replaced by placeholders in outputs.
	home() string
	runtime() string
	close()
}

// env the shells of both run with, so prompts and locales agree.
func paneEnv(home string) []string {
	return []string{"HOME=" + home, "PATH=/usr/bin:/bin", "PS1=$ ", "ENV=", "LANG=C.UTF-8", "SHELL=/bin/sh", "USER=tester"}
}

// --- the stand-in ---

type standIn struct {
	env     *simtest.Env
	homeDir string
}

func startStandIn(t *testing.T, mode string) *standIn {
	t.Helper()
	dir, err := os.MkdirTemp("", "wzd")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	home := filepath.Join(dir, "home")
	os.MkdirAll(home, 0o700)
	e := simtest.Start(t, sim.Config{Cols: 80, Rows: 24, Shell: []string{"/bin/sh"}, Home: home,
		Env: paneEnv(home), Version: RealVersion, NoGUI: mode == "mux", Ordered: true, GUIUnfocused: true})
	if err := e.Server.EnsureWorkspace("default"); err != nil {
		t.Fatal(err)
	}
	return &standIn{env: e, homeDir: home}
}

func (s *standIn) cli(global, args []string, stdin string) Result {
	argv := append(append(append([]string{}, global...), "cli", "--no-auto-start"), args...)
	cmd := exec.Command(s.env.Link, argv...)
	var env []string
	for _, kv := range s.env.Env {
		if !strings.HasPrefix(kv, "WEZTERM_PANE=") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	return runCmd(cmd, stdin)
}

func (s *standIn) home() string    { return s.homeDir }
func (s *standIn) runtime() string { return filepath.Dir(s.env.Server.Socket()) }
func (s *standIn) close()          { s.env.Server.Close() }

func runCmd(cmd *exec.Cmd, stdin string) Result {
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Stdin = strings.NewReader(stdin)
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		code = -1
		errb.WriteString(err.Error())
	}
	return Result{Stdout: out.String(), Stderr: errb.String(), Code: code}
}

// --- the real WezTerm ---

type real struct {
	bin, dir, homeDir, runDir string
	display                   string
	env                       []string
	procs                     []*exec.Cmd
}

// realConfig is the wezterm.lua of the runs: the Software front end (no
// GPU under Xvfb) and /bin/sh, as the stand-in's panes run.
const realConfig = `return { front_end = "Software", default_prog = { "/bin/sh" }, check_for_updates = false }
`

// startReal starts a real WezTerm in a private folder: mode "gui" is
// wezterm-gui under its own Xvfb, "mux" a wezterm-mux-server.
func startReal(t *testing.T, bin, mode string) *real {
	return startRealWith(t, bin, realOpts{mode: mode, config: realConfig})
}

// realOpts shape a real WezTerm run.
type realOpts struct {
	mode   string // "gui" or "mux"
	config string // written to ~/.wezterm.lua unless "" (no config file)
	// configAt writes config there instead (relative to HOME).
	configAt string
	guiArgs  []string          // after wezterm-gui (e.g. start --class X)
	env      map[string]string // added to the environment (XDG_CONFIG_HOME…)
	// linkless: the GUI publishes no link; readiness is checked on its
	// gui-sock-PID instead.
	linkless bool
	display  string // reuse this X display (another GUI's)
	// prepare runs before WezTerm starts (to install the snippet).
	prepare func(r *real)
	// noStart: only the folders (and, for "gui", the X display).
	noStart bool
}

func startRealWith(t *testing.T, bin string, o realOpts) *real {
	t.Helper()
	dir, err := os.MkdirTemp("/tmp", "wzr")
	if err != nil {
		t.Fatal(err)
	}
	r := &real{bin: bin, dir: dir, homeDir: filepath.Join(dir, "home"), runDir: filepath.Join(dir, "run")}
	t.Cleanup(func() { r.close(); os.RemoveAll(dir) })
	os.MkdirAll(r.homeDir, 0o700)
	os.MkdirAll(r.runDir, 0o700)
	if o.config != "" {
		at := ".wezterm.lua"
		if o.configAt != "" {
			at = o.configAt
		}
		p := filepath.Join(r.homeDir, at)
		os.MkdirAll(filepath.Dir(p), 0o700)
		if err := os.WriteFile(p, []byte(o.config), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	r.env = append(paneEnv(r.homeDir), "XDG_RUNTIME_DIR="+r.runDir, "XDG_CONFIG_HOME="+filepath.Join(r.homeDir, ".config"))
	for k, v := range o.env {
		r.env = withEnv(r.env, k, v)
	}
	if o.prepare != nil {
		o.prepare(r)
	}
	if o.noStart {
		if o.mode == "gui" {
			d, err := r.startXvfb()
			if err != nil {
				t.Skipf("real WezTerm: %v", err)
			}
			r.display = d
			r.env = withEnv(r.env, "DISPLAY", d)
		}
		return r
	}
	if err := r.launch(o); err != nil {
		t.Skipf("real WezTerm: %v", err)
	}
	r.ready(t, o)
	return r
}

func (r *real) launch(o realOpts) error {
	sibling := func(name string) string { return filepath.Join(filepath.Dir(r.bin), name) }
	switch o.mode {
	case "gui":
		display := o.display
		if display == "" {
			var err error
			if display, err = r.startXvfb(); err != nil {
				return err
			}
		}
		r.display = display
		r.env = withEnv(r.env, "DISPLAY", display)
		argv := append([]string{sibling("wezterm-gui")}, o.guiArgs...)
		if p, err := exec.LookPath("dbus-run-session"); err == nil {
			argv = append([]string{p, "--"}, argv...)
		}
		return r.start(argv, "gui.log")
	case "mux":
		return r.start([]string{sibling("wezterm-mux-server")}, "mux.log")
	}
	return fmt.Errorf("mode %q", o.mode)
}

// ready waits for the first pane to answer.
func (r *real) ready(t *testing.T, o realOpts) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		env := r.env
		if o.linkless {
			if socks, _ := filepath.Glob(filepath.Join(r.runtime(), "gui-sock-*")); len(socks) > 0 {
				env = withEnv(env, "WEZTERM_UNIX_SOCKET", socks[0])
			}
		}
		res := r.cliEnv(env, nil, []string{"list", "--format", "json"}, "")
		if res.Code == 0 && strings.Contains(res.Stdout, `"pane_id"`) {
			return
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(r.dir, o.mode+".log"))
			t.Fatalf("real WezTerm (%s) did not answer: %+v\n%s", o.mode, res, log)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// withEnv returns env with k=v in place of any k.
func withEnv(env []string, k, v string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if !strings.HasPrefix(kv, k+"=") {
			out = append(out, kv)
		}
	}
	return append(out, k+"="+v)
}

func (r *real) startXvfb() (string, error) {
	xvfb, err := exec.LookPath("Xvfb")
	if err != nil {
		return "", fmt.Errorf("no Xvfb (%v)", err)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return "", err
	}
	cmd := exec.Command(xvfb, "-displayfd", "3", "-screen", "0", "1440x900x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{pw}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	pw.Close()
	r.procs = append(r.procs, cmd)
	line, err := bufio.NewReader(pr).ReadString('\n')
	pr.Close()
	if err != nil {
		return "", fmt.Errorf("Xvfb gave no display: %v", err)
	}
	return ":" + strings.TrimSpace(line), nil
}

func (r *real) start(argv []string, logName string) error {
	logf, err := os.Create(filepath.Join(r.dir, logName))
	if err != nil {
		return err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env, cmd.Dir = r.env, r.homeDir
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	r.procs = append(r.procs, cmd)
	go func() { cmd.Wait(); logf.Close() }()
	return nil
}

func (r *real) cli(global, args []string, stdin string) Result {
	return r.cliEnv(r.env, global, args, stdin)
}

func (r *real) cliEnv(env, global, args []string, stdin string) Result {
	argv := append(append(append([]string{}, global...), "cli", "--no-auto-start"), args...)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.bin, argv...)
	cmd.Env, cmd.Dir = env, r.homeDir
	return runCmd(cmd, stdin)
}

func (r *real) home() string    { return r.homeDir }
func (r *real) runtime() string { return filepath.Join(r.runDir, "wezterm") }

func (r *real) close() {
	for i := len(r.procs) - 1; i >= 0; i-- {
		if p := r.procs[i].Process; p != nil {
			_ = syscall.Kill(-p.Pid, syscall.SIGTERM)
		}
	}
	time.Sleep(200 * time.Millisecond)
	for _, c := range r.procs {
		if p := c.Process; p != nil {
			_ = syscall.Kill(-p.Pid, syscall.SIGKILL)
		}
	}
	r.procs = nil
}

// version of the real CLI ("wezterm 20250223-062404-4ff581a8").
func realVersion(bin string) string {
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		return ""
	}
	f := strings.Fields(string(out))
	if len(f) < 2 {
		return ""
	}
	return f[1]
}
