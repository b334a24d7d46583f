//go:build unix

package app_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/app"
	"github.com/wezterm-parallel/wezterm-parallel/internal/execx"
	"github.com/wezterm-parallel/wezterm-parallel/internal/ipc"
	"github.com/wezterm-parallel/wezterm-parallel/internal/ipc/ipctest"
	"github.com/wezterm-parallel/wezterm-parallel/internal/resident"
)

// guiRig: a desktop (display, runtime folder) with or without a tray, a
// GUI that records how it was started, and a Start that records argv.
type guiRig struct {
	dir     string
	tray    bool
	gui     []app.GUIParams
	started [][]string
	// onStart runs in Start (e.g. a stand-in resident).
	onStart func()
	// noDisplay is what the display probe says (nil: the window can open).
	noDisplay error
	// trayAfter: the tray appears after this many asks (0: as tray says).
	trayAfter, asked int
}

func (g *guiRig) opts() app.Options {
	return app.Options{
		Getenv: func(k string) string {
			switch k {
			case "DISPLAY":
				return ":99"
			case ipc.EnvDir:
				return g.dir
			}
			return ""
		},
		TrayAvailable: func() (bool, string) {
			g.asked++
			if g.trayAfter > 0 && g.asked > g.trayAfter {
				return true, ""
			}
			return g.tray, "test: no tray"
		},
		ProbeDisplay: func() error { return g.noDisplay },
		TrayWait:     50 * time.Millisecond,
		Start: func(argv []string) error {
			g.started = append(g.started, argv)
			if g.onStart != nil {
				g.onStart()
			}
			return nil
		},
		Exe: "/opt/wp/wezterm-parallel",
		GUI: func(_ context.Context, p app.GUIParams) int { g.gui = append(g.gui, p); return 0 },
	}
}

func TestHiddenStartsTheResidentOnce(t *testing.T) {
	g := &guiRig{dir: t.TempDir(), tray: true}
	if _, errOut, code := runApp(t, g.opts(), "--hidden", "--timeout", "7s"); code != 0 || len(g.gui) != 1 {
		t.Fatalf("exit %d, gui %d: %s", code, len(g.gui), errOut)
	}
	p := g.gui[0]
	if p.Role != app.RoleResident || p.RuntimeDir != g.dir || !p.HasTray || p.Calls == nil {
		t.Errorf("params: role %v dir %q tray %v", p.Role, p.RuntimeDir, p.HasTray)
	}
	if argv := p.WindowArgv; argv[0] != "/opt/wp/wezterm-parallel" || slices.Contains(argv, "--hidden") ||
		!slices.Contains(argv, "--config") || !slices.Contains(argv, "7s") {
		t.Errorf("window argv %q", argv)
	}
	// While one resident holds the lock, another start says so and leaves.
	release, held, err := resident.Claim(g.dir, ipc.Resident)
	if err != nil || held {
		t.Fatal(held, err)
	}
	defer release()
	out, _, code := runApp(t, g.opts(), "--hidden")
	if code != 0 || len(g.gui) != 1 || !strings.Contains(out, "already runs in the tray") {
		t.Errorf("second --hidden: exit %d, gui %d, %q", code, len(g.gui), out)
	}
}

func TestWindowStartsAResidentWhenATrayShows(t *testing.T) {
	g := &guiRig{dir: t.TempDir(), tray: true}
	var l *ipc.Listener
	g.onStart = func() {
		// The "resident": something answering on its socket.
		var err error
		if l, err = ipc.Listen(g.dir, ipc.Resident); err != nil {
			t.Fatal(err)
		}
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				c.Close()
			}
		}()
	}
	t.Cleanup(func() {
		if l != nil {
			l.Close()
		}
	})
	if _, errOut, code := runApp(t, g.opts()); code != 0 || len(g.gui) != 1 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if len(g.started) != 1 || !slices.Contains(g.started[0], "--hidden") || g.gui[0].Role != app.RoleWindow {
		t.Errorf("started %q, role %v", g.started, g.gui[0].Role)
	}
	// A resident runs: the next window does not start another.
	if _, _, code := runApp(t, g.opts()); code != 0 || len(g.started) != 1 {
		t.Errorf("second window start: exit %d, %d resident starts", code, len(g.started))
	}
}

func TestNoTrayMeansTheWindowAlone(t *testing.T) {
	g := &guiRig{dir: t.TempDir(), tray: false}
	if _, _, code := runApp(t, g.opts()); code != 0 || len(g.gui) != 1 {
		t.Fatalf("exit %d", code)
	}
	if p := g.gui[0]; p.Role != app.RoleWindow || p.HasTray || p.TrayWhy == "" || len(g.started) != 0 {
		t.Errorf("role %v, tray %v (%q), resident starts %d", p.Role, p.HasTray, p.TrayWhy, len(g.started))
	}
}

// --hidden (the login autostart) without a tray waits for one to appear
// (trays register late at login), then is the resident; with none at all
// it says so and exits — it never opens a window nobody asked for.
func TestHiddenWaitsForATrayOrSaysThereIsNone(t *testing.T) {
	g := &guiRig{dir: t.TempDir(), tray: false}
	_, errOut, code := runApp(t, g.opts(), "--hidden")
	if code != 1 || len(g.gui) != 0 || !strings.Contains(errOut, "--hidden needs a system tray, and there is none (test: no tray)") {
		t.Errorf("no tray: exit %d, gui %d, stderr %q", code, len(g.gui), errOut)
	}
	late := &guiRig{dir: t.TempDir(), tray: false, trayAfter: 1}
	o := late.opts()
	o.TrayWait = 5 * time.Second
	if _, errOut, code := runApp(t, o, "--hidden"); code != 0 || len(late.gui) != 1 || late.gui[0].Role != app.RoleResident {
		t.Errorf("a tray that came late: exit %d, gui %+v, stderr %q", code, late.gui, errOut)
	}
}

// A display that cannot be opened (a stale DISPLAY, Wayland without
// XWayland) is said in one line with what to run instead; no window is
// tried and no resident started for it. The resident itself needs none.
func TestNoDisplayIsSaidNotPanicked(t *testing.T) {
	g := &guiRig{dir: t.TempDir(), tray: true, noDisplay: errors.New("cannot open the display DISPLAY=:99 (stale)")}
	_, errOut, code := runApp(t, g.opts())
	if code != 1 || len(g.gui) != 0 || len(g.started) != 0 ||
		!strings.Contains(errOut, "the window cannot open: cannot open the display DISPLAY=:99") {
		t.Errorf("exit %d, gui %d, started %d, stderr %q", code, len(g.gui), len(g.started), errOut)
	}
	if _, _, code := runApp(t, g.opts(), "--hidden"); code != 0 || len(g.gui) != 1 || g.gui[0].Role != app.RoleResident {
		t.Errorf("--hidden needs no display: exit %d, gui %+v", code, g.gui)
	}
}

func TestSecondWindowStartFocusesTheFirst(t *testing.T) {
	g := &guiRig{dir: t.TempDir(), tray: false}
	release, held, err := resident.Claim(g.dir, ipc.Window)
	if err != nil || held {
		t.Fatal(held, err)
	}
	defer release()
	l, err := ipc.Listen(g.dir, ipc.Window)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	got := make(chan string, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		m, _ := c.Recv()
		got <- m.Op
	}()
	out, _, code := runApp(t, g.opts())
	if code != 0 || len(g.gui) != 0 || !strings.Contains(out, "already open") {
		t.Fatalf("exit %d, gui %d, %q", code, len(g.gui), out)
	}
	select {
	case op := <-got:
		if op != ipc.OpFocus {
			t.Errorf("the open window got %q", op)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the open window was not asked to come to the front")
	}
}

// TestDoctorVerboseShowsTheResidentsCost: doctor asks the running resident
// what it costs, and --verbose breaks the wezterm processes down.
func TestDoctorVerboseShowsTheResidentsCost(t *testing.T) {
	dir := t.TempDir()
	l, err := ipc.Listen(dir, ipc.Resident)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				m, err := c.Recv()
				if err != nil || m.Op != ipc.OpStats {
					return
				}
				c.Send(ipc.Msg{Op: ipc.OpStats, Seq: m.Seq, Stats: &ipc.Stats{PID: 4242, Uptime: "1h2m0s", Tray: true, RSS: 30 << 20, Go: 12 << 20, Heap: 5 << 20,
					Wezterm: execx.Minute{Total: 13, ByKey: map[string]int{"list": 12, "list-clients": 1}}}})
			}()
		}
	}()
	noPath := func(string) (string, error) { return "", exec.ErrNotFound }
	env := func(k string) string {
		if k == ipc.EnvDir {
			return dir
		}
		return ""
	}
	out, _, _ := runApp(t, app.Options{LookPath: noPath, Getenv: env}, "doctor", "--verbose")
	want := "ok    tray process     pid 4242, up 1h2m0s, window closed, 13 wezterm processes in the last minute (list 12, list-clients 1), RSS 30.0 MiB (Go runtime 12.0 MiB, live heap 5.0 MiB)"
	if !strings.Contains(out, want) {
		t.Errorf("doctor --verbose:\n%s\nwant the line\n%s", out, want)
	}
	if out, _, _ := runApp(t, app.Options{LookPath: noPath, Getenv: env}, "doctor"); strings.Contains(out, "list 12") || !strings.Contains(out, "pid 4242") {
		t.Errorf("doctor without --verbose:\n%s", out)
	}
	if _, errOut, code := runApp(t, app.Options{LookPath: noPath, Getenv: env}, "doctor", "--bogus"); code != 2 || !strings.Contains(errOut, "unknown flag --bogus") {
		t.Errorf("doctor --bogus: exit %d, %q", code, errOut)
	}
}

// TestAnotherUsersResidentIsRefused: another local user listening where
// our resident would (a runtime folder they made in the shared temp
// folder, or their socket and held lock left in ours while it was open)
// does not pass for our tray process: --hidden refuses, the window runs
// alone without dialling it, doctor says why, and it hears nothing.
func TestAnotherUsersResidentIsRefused(t *testing.T) {
	base, err := os.MkdirTemp("", "wprt")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(base)
	os.Chmod(base, 0o1777)
	for _, tc := range []struct{ name, dir string }{
		{"their folder", filepath.Join(base, "wezterm-parallel-0")},
		{"their entries in ours", filepath.Join(base, "ours")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "their entries in ours" {
				os.Mkdir(tc.dir, 0o777)
				os.Chmod(tc.dir, 0o777)
			}
			imp := ipctest.Start(t, tc.dir)
			g := &guiRig{dir: tc.dir, tray: true}
			out, errOut, code := runApp(t, g.opts(), "--hidden")
			if code != 1 || len(g.gui) != 0 || !strings.Contains(errOut, "belongs to uid 64123") || strings.Contains(out, "already runs") {
				t.Errorf("--hidden: exit %d, gui %d, out %q, err %q", code, len(g.gui), out, errOut)
			}
			_, errOut, code = runApp(t, g.opts())
			if code != 0 || len(g.gui) != 1 || g.gui[0].RuntimeDir != "" || len(g.started) != 0 || !strings.Contains(errOut, "the window runs alone") {
				t.Errorf("window: exit %d, gui %+v, resident starts %d, err %q", code, g.gui, len(g.started), errOut)
			}
			noPath := func(string) (string, error) { return "", exec.ErrNotFound }
			out, _, _ = runApp(t, app.Options{LookPath: noPath, Getenv: g.opts().Getenv}, "doctor", "--verbose")
			if !strings.Contains(out, "FAIL  tray process     not asked: ") || !strings.Contains(out, "belongs to uid 64123") {
				t.Errorf("doctor:\n%s", out)
			}
			if imp.Reached() {
				t.Errorf("the impostor heard from us: %q", imp.Lines())
			}
		})
	}
}

// TestDoctorSaysWhyTheTrayProcessIsRefused: a runtime folder that is a
// symbolic link is refused, and doctor says so rather than "not running".
func TestDoctorSaysWhyTheTrayProcessIsRefused(t *testing.T) {
	real, link := t.TempDir(), filepath.Join(t.TempDir(), "run")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	env := func(k string) string {
		if k == ipc.EnvDir {
			return link
		}
		return ""
	}
	noPath := func(string) (string, error) { return "", exec.ErrNotFound }
	out, _, _ := runApp(t, app.Options{LookPath: noPath, Getenv: env}, "doctor")
	if !strings.Contains(out, "FAIL  tray process     not asked: the runtime folder "+link+" is not a folder (a symbolic link?)") {
		t.Errorf("doctor:\n%s", out)
	}
}
