package wezterm_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/wezterm-parallel/wezterm-parallel/internal/execx"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm/weztermtest"
)

const latest = "20240203-110809-5046fc22"

func newClient(t *testing.T, version string) (*wezterm.Client, *weztermtest.FakeRunner) {
	f := weztermtest.NewFakeRunner(t)
	f.ExpectVersion("wezterm", version)
	return wezterm.New("wezterm", f, wezterm.WithEnv([]string{"WEZTERM_PANE=7", "HOME=/h"})), f
}

func cli(args ...string) []string {
	return append([]string{"wezterm", "cli", "--no-auto-start"}, args...)
}

// Sent text goes on stdin, never in argv: argv shows in ps to every local
// user and is capped at 128 KiB.
func TestSendTextUsesStdin(t *testing.T) {
	secret := "export TOKEN=s3cr3t; -rf / " + strings.Repeat("x", 200<<10)
	for _, paste := range []bool{true, false} {
		c, f := newClient(t, latest)
		argv := cli("send-text", "--pane-id", "3")
		if !paste {
			argv = append(argv, "--no-paste")
		}
		f.Expect(argv...).Stdin(secret)
		if err := c.SendText(context.Background(), 3, secret, paste); err != nil {
			t.Fatal(err)
		}
		for _, call := range f.Calls() {
			if strings.Contains(strings.Join(call.Args, " "), "s3cr3t") {
				t.Errorf("text in argv: %q", call.Args)
			}
		}
	}
}

// TestClientArgv checks the exact argv of every client method.
func TestClientArgv(t *testing.T) {
	p := wezterm.Ptr[wezterm.PaneID]
	tests := []struct {
		name   string
		argv   []string
		stdout string
		call   func(context.Context, *wezterm.Client) (any, error)
		want   any
	}{
		{"list", cli("list", "--format", "json"), "[]",
			func(ctx context.Context, c *wezterm.Client) (any, error) { ps, err := c.List(ctx); return len(ps), err }, 0},
		{"list-clients", cli("list-clients", "--format", "json"), `[{"username":"a","hostname":"h","pid":1,"connection_elapsed":{"secs":1,"nanos":0},"idle_time":{"secs":0,"nanos":5},"workspace":"w","focused_pane_id":3}]`,
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				cs, err := c.ListClients(ctx)
				if err != nil {
					return nil, err
				}
				return cs[0].Workspace + "/" + strings.Repeat("x", int(*cs[0].FocusedPaneID)), nil
			}, "w/xxx"},
		{"spawn new window in workspace", cli("spawn", "--new-window", "--workspace", "agents", "--cwd", "/src", "--", "claude", "--resume"), "12\n",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				return c.Spawn(ctx, wezterm.SpawnOptions{NewWindow: true, Workspace: "agents", CWD: "/src", Program: []string{"claude", "--resume"}})
			}, wezterm.PaneID(12)},
		{"spawn defaults to new window", cli("spawn", "--new-window"), "3\n",
			func(ctx context.Context, c *wezterm.Client) (any, error) { return c.Spawn(ctx, wezterm.SpawnOptions{}) }, wezterm.PaneID(3)},
		{"spawn tab next to pane", cli("spawn", "--pane-id", "4", "--domain-name", "local"), "5\n",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				return c.Spawn(ctx, wezterm.SpawnOptions{PaneID: p(4), DomainName: "local"})
			}, wezterm.PaneID(5)},
		{"spawn tab in window", cli("spawn", "--window-id", "2"), "6\n",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				return c.Spawn(ctx, wezterm.SpawnOptions{WindowID: wezterm.Ptr[wezterm.WindowID](2)})
			}, wezterm.PaneID(6)},
		{"split default", cli("split-pane", "--pane-id", "1"), "2\n",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				return c.SplitPane(ctx, 1, wezterm.SplitOptions{})
			}, wezterm.PaneID(2)},
		{"split right percent", cli("split-pane", "--pane-id", "1", "--right", "--percent", "30"), "2\n",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				return c.SplitPane(ctx, 1, wezterm.SplitOptions{Direction: wezterm.Right, Percent: 30})
			}, wezterm.PaneID(2)},
		{"split top-level left cells cwd prog", cli("split-pane", "--pane-id", "1", "--left", "--top-level", "--cells", "20", "--cwd", "/tmp", "--", "htop"), "9\n",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				return c.SplitPane(ctx, 1, wezterm.SplitOptions{Direction: wezterm.Left, TopLevel: true, Cells: 20, CWD: "/tmp", Program: []string{"htop"}})
			}, wezterm.PaneID(9)},
		{"split up and down", cli("split-pane", "--pane-id", "1", "--top"), "2\n",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				return c.SplitPane(ctx, 1, wezterm.SplitOptions{Direction: wezterm.Up})
			}, wezterm.PaneID(2)},
		// Values that start with "-" go as --flag=value (clap reads
		// `--workspace -x` as a missing value).
		{"spawn dash values", cli("spawn", "--new-window", "--workspace=-dash", "--domain-name=-d", "--cwd=-dir"), "9\n",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				return c.Spawn(ctx, wezterm.SpawnOptions{NewWindow: true, Workspace: "-dash", CWD: "-dir", DomainName: "-d"})
			}, wezterm.PaneID(9)},
		{"split dash cwd", cli("split-pane", "--pane-id", "1", "--cwd=-dir"), "10\n",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				return c.SplitPane(ctx, 1, wezterm.SplitOptions{CWD: "-dir"})
			}, wezterm.PaneID(10)},
		{"move to a dash workspace", cli("move-pane-to-new-tab", "--pane-id", "3", "--new-window", "--workspace=-w"), "",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				return nil, c.MovePaneToNewTab(ctx, 3, wezterm.MoveOptions{NewWindow: true, Workspace: "-w"})
			}, nil},
		{"rename a dash workspace", cli("rename-workspace", "--workspace=-old", "--", "-new"), "",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				return nil, c.RenameWorkspace(ctx, "-old", nil, "-new")
			}, nil},
		{"get-text range escapes", cli("get-text", "--pane-id", "3", "--start-line=-10", "--end-line=5", "--escapes"), "a\nb\n",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				return c.GetText(ctx, 3, wezterm.GetTextOptions{StartLine: wezterm.Ptr(-10), EndLine: wezterm.Ptr(5), Escapes: true})
			}, "a\nb\n"},
		{"get-text screen", cli("get-text", "--pane-id", "3"), "x\n",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				return c.GetText(ctx, 3, wezterm.GetTextOptions{})
			}, "x\n"},
		{"activate-pane", cli("activate-pane", "--pane-id", "3"), "",
			func(ctx context.Context, c *wezterm.Client) (any, error) { return nil, c.ActivatePane(ctx, 3) }, nil},
		{"activate-pane-direction", cli("activate-pane-direction", "--pane-id", "3", "Next"), "",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				return nil, c.ActivatePaneDirection(ctx, 3, wezterm.Next)
			}, nil},
		{"get-pane-direction found", cli("get-pane-direction", "--pane-id", "3", "Left"), "2\n",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				id, ok, err := c.GetPaneDirection(ctx, 3, wezterm.Left)
				return [2]any{id, ok}, err
			}, [2]any{wezterm.PaneID(2), true}},
		{"get-pane-direction none", cli("get-pane-direction", "--pane-id", "3", "Up"), "",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				id, ok, err := c.GetPaneDirection(ctx, 3, wezterm.Up)
				return [2]any{id, ok}, err
			}, [2]any{wezterm.PaneID(0), false}},
		{"activate-tab id", cli("activate-tab", "--tab-id", "4"), "",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				return nil, c.ActivateTab(ctx, wezterm.TabTarget{TabID: wezterm.Ptr[wezterm.TabID](4)})
			}, nil},
		{"activate-tab index", cli("activate-tab", "--pane-id", "3", "--tab-index=-1"), "",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				return nil, c.ActivateTab(ctx, wezterm.TabTarget{PaneID: p(3), Index: wezterm.Ptr(-1)})
			}, nil},
		{"activate-tab relative", cli("activate-tab", "--pane-id", "3", "--tab-relative=1", "--no-wrap"), "",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				return nil, c.ActivateTab(ctx, wezterm.TabTarget{PaneID: p(3), Relative: wezterm.Ptr(1), NoWrap: true})
			}, nil},
		{"kill-pane", cli("kill-pane", "--pane-id", "3"), "",
			func(ctx context.Context, c *wezterm.Client) (any, error) { return nil, c.KillPane(ctx, 3) }, nil},
		{"zoom-pane toggle", cli("zoom-pane", "--pane-id", "3", "--toggle"), "",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				return nil, c.ZoomPane(ctx, 3, wezterm.ToggleZoom)
			}, nil},
		{"adjust-pane-size", cli("adjust-pane-size", "--pane-id", "3", "--amount", "5", "Right"), "",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				return nil, c.AdjustPaneSize(ctx, 3, wezterm.Right, 5)
			}, nil},
		{"move-pane-to-new-tab window", cli("move-pane-to-new-tab", "--pane-id", "3", "--new-window", "--workspace", "w2"), "",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				return nil, c.MovePaneToNewTab(ctx, 3, wezterm.MoveOptions{NewWindow: true, Workspace: "w2"})
			}, nil},
		{"move-pane-to-new-tab same window", cli("move-pane-to-new-tab", "--pane-id", "3"), "",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				return nil, c.MovePaneToNewTab(ctx, 3, wezterm.MoveOptions{})
			}, nil},
		{"set-tab-title", cli("set-tab-title", "--tab-id", "2", "--", "--build"), "",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				return nil, c.SetTabTitle(ctx, wezterm.Ptr[wezterm.TabID](2), nil, "--build")
			}, nil},
		{"set-window-title", cli("set-window-title", "--pane-id", "3", "--", "main"), "",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				return nil, c.SetWindowTitle(ctx, nil, p(3), "main")
			}, nil},
		{"rename-workspace", cli("rename-workspace", "--workspace", "default", "--", "agents"), "",
			func(ctx context.Context, c *wezterm.Client) (any, error) {
				return nil, c.RenameWorkspace(ctx, "default", nil, "agents")
			}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := newClient(t, latest)
			f.Expect(tt.argv...).Stdout(tt.stdout)
			got, err := tt.call(context.Background(), c)
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if got != tt.want {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
			for _, call := range f.Calls() {
				for _, kv := range call.Env {
					if strings.HasPrefix(kv, "WEZTERM_PANE=") {
						t.Errorf("child env carries %s", kv)
					}
				}
				if call.Timeout <= 0 {
					t.Errorf("no timeout on %v", call.Args)
				}
			}
		})
	}
}

func TestClientRejectsBadOptionsBeforeRunning(t *testing.T) {
	f := weztermtest.NewFakeRunner(t) // no expectations: nothing may run
	c := wezterm.New("wezterm", f, wezterm.WithVersion(wezterm.ParseVersion(latest)))
	ctx := context.Background()
	checks := []error{
		func() error { _, err := c.SplitPane(ctx, 1, wezterm.SplitOptions{Percent: 30, Cells: 4}); return err }(),
		func() error { _, err := c.SplitPane(ctx, 1, wezterm.SplitOptions{Percent: 100}); return err }(),
		func() error { _, err := c.SplitPane(ctx, 1, wezterm.SplitOptions{Direction: "Sideways"}); return err }(),
		func() error {
			_, err := c.Spawn(ctx, wezterm.SpawnOptions{WindowID: wezterm.Ptr[wezterm.WindowID](1), Workspace: "x"})
			return err
		}(),
		c.ActivateTab(ctx, wezterm.TabTarget{}),
		c.AdjustPaneSize(ctx, 1, wezterm.Next, 1),
		c.ZoomPane(ctx, 1, "--wide"),
		c.RenameWorkspace(ctx, "", nil, "x"),
	}
	for i, err := range checks {
		if err == nil {
			t.Errorf("check %d: no error", i)
		}
	}
}

func TestUnsupportedNamesVersion(t *testing.T) {
	c, _ := newClient(t, "20230712-072601-f4abf8fd")
	err := c.ZoomPane(context.Background(), 1, wezterm.Zoom)
	if !errors.Is(err, wezterm.ErrUnsupported) {
		t.Fatalf("err = %v, want ErrUnsupported", err)
	}
	if !strings.Contains(err.Error(), "20230712-072601-f4abf8fd") || !strings.Contains(err.Error(), "20240127") {
		t.Errorf("message %q should name the installed and the needed release", err)
	}
}

func TestOldReleaseFallbacks(t *testing.T) {
	// 20220319: no JSON, no --right: list parses the table, split uses --horizontal.
	c, f := newClient(t, "20220319-142410-0fcdea07")
	f.Expect(cli("list")...).Stdout("WINID TABID PANEID WORKSPACE SIZE  TITLE CWD\n    0     0      0 default   80x24 bash  file:///home/a/\n")
	panes, err := c.List(context.Background())
	if err != nil || len(panes) != 1 || panes[0].Title != "bash" || panes[0].Size.Cols != 80 {
		t.Fatalf("List = %+v, %v", panes, err)
	}
	f.Expect(cli("split-pane", "--pane-id", "0", "--horizontal")...).Stdout("1\n")
	if _, err := c.SplitPane(context.Background(), 0, wezterm.SplitOptions{Direction: wezterm.Right}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SplitPane(context.Background(), 0, wezterm.SplitOptions{Direction: wezterm.Right, Percent: 30}); !errors.Is(err, wezterm.ErrUnsupported) {
		t.Fatalf("percent on 20220319: %v", err)
	}
}

func TestErrorKinds(t *testing.T) {
	tests := []struct {
		name       string
		stderr     string
		code       int
		err        error
		kind       error
		wantReason string
	}{
		{"not running", weztermtest.NotRunningStderr, 1, nil, wezterm.ErrNotRunning, "failed to connect to Socket"},
		{"no such pane", weztermtest.NoSuchPaneStderr("999"), 1, nil, wezterm.ErrNoSuchPane, "no such pane 999"},
		{"usage", "error: unexpected argument '--bogus' found\n\nUsage: wezterm cli kill-pane [OPTIONS]\n", 2, nil, wezterm.ErrUsage, "unexpected argument '--bogus'"},
		{"clap 2 usage exits 1", "error: Found argument '--bogus' which wasn't expected, or isn't valid in this context\n\nUSAGE:\n    wezterm cli kill-pane [OPTIONS]\n\nFor more information try --help\n", 1, nil, wezterm.ErrUsage, "Found argument '--bogus'"},
		{"session handler's not found", "12:00:00.000  ERROR  wezterm > unexpected response Ok(ErrorResponse(ErrorResponse { reason: \"Error: pane_id 999 invalid\" })); terminating\n", 1, nil, wezterm.ErrNoSuchPane, "pane_id 999 invalid"},
		{"activate-pane's not found", "12:00:00.000  ERROR  wezterm > unexpected response Ok(ErrorResponse(ErrorResponse { reason: \"Error: pane 999 not found\" })); terminating\n", 1, nil, wezterm.ErrNoSuchPane, "pane 999 not found"},
		{"the CLI's not found", "12:00:00.000  ERROR  wezterm > unable to resolve current tab; terminating\n", 1, nil, wezterm.ErrNoSuchPane, "unable to resolve current tab"},
		{"other", "12:00:00.000  ERROR  wezterm > something odd; terminating\n", 1, nil, wezterm.ErrFailed, "something odd"},
		{"timeout", "", -1, &execx.CmdError{Args: []string{"wezterm"}, ExitCode: -1, TimedOut: true, Err: context.DeadlineExceeded}, wezterm.ErrTimeout, ""},
		{"not installed", "", -1, &execx.CmdError{Args: []string{"wezterm"}, ExitCode: -1, Err: errNotFound()}, wezterm.ErrNotInstalled, "wezterm not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, f := newClient(t, latest)
			e := f.Expect(cli("kill-pane", "--pane-id", "999")...)
			if tt.err != nil {
				e.Err(tt.err)
			} else {
				e.Fail(tt.code, tt.stderr)
			}
			err := c.KillPane(context.Background(), 999)
			if !errors.Is(err, tt.kind) {
				t.Fatalf("err = %v, want kind %v", err, tt.kind)
			}
			var we *wezterm.Error
			if !errors.As(err, &we) || !strings.Contains(we.Reason, tt.wantReason) {
				t.Errorf("reason = %q, want it to contain %q", we.Reason, tt.wantReason)
			}
			if !strings.HasPrefix(err.Error(), "kill-pane 999: ") {
				t.Errorf("message %q does not name the operation", err)
			}
		})
	}
}

func TestMalformedOutput(t *testing.T) {
	c, f := newClient(t, latest)
	f.Expect(cli("list", "--format", "json")...).Stdout("<html>oops</html>")
	if _, err := c.List(context.Background()); !errors.Is(err, wezterm.ErrMalformed) {
		t.Fatalf("list: %v", err)
	}
	f.Expect(cli("split-pane", "--pane-id", "1")...).Stdout("garbage\n")
	if _, err := c.SplitPane(context.Background(), 1, wezterm.SplitOptions{}); !errors.Is(err, wezterm.ErrMalformed) {
		t.Fatalf("split: %v", err)
	}
}

func TestVersionCached(t *testing.T) {
	c, f := newClient(t, latest)
	f.Expect(cli("kill-pane", "--pane-id", "1")...)
	f.Expect(cli("kill-pane", "--pane-id", "2")...)
	_ = c.KillPane(context.Background(), 1)
	_ = c.KillPane(context.Background(), 2)
	if n := len(f.Calls()); n != 3 {
		t.Fatalf("%d calls, want 3 (one --version)", n)
	}
}

// TestMovePaneIDGate: --move-pane-id can kill panes on 20240203 (fixed in
// 1d72e79e6, 2024-08-24): refused there without running anything, used on
// a nightly built after the fix.
func TestMovePaneIDGate(t *testing.T) {
	c, f := newClient(t, latest)
	_, err := c.SplitPane(context.Background(), 1, wezterm.SplitOptions{Direction: wezterm.Down, MovePaneID: wezterm.Ptr[wezterm.PaneID](8)})
	if !errors.Is(err, wezterm.ErrUnsupported) || !strings.Contains(err.Error(), "nightly from 20240825") {
		t.Fatalf("20240203: %v", err)
	}
	if n := len(f.Calls()); n != 1 { // --version only
		t.Errorf("%d commands ran", n)
	}
	c, f = newClient(t, "20240901-083012-1a2b3c4d")
	f.Expect(cli("split-pane", "--pane-id", "1", "--bottom", "--move-pane-id", "8")...).Stdout("8\n")
	if id, err := c.SplitPane(context.Background(), 1, wezterm.SplitOptions{Direction: wezterm.Down, MovePaneID: wezterm.Ptr[wezterm.PaneID](8)}); err != nil || id != 8 {
		t.Fatalf("nightly: %v %v", id, err)
	}
}

// TestNightliesByDate: a nightly is judged by its own date for features
// that reached nightlies before a release; a release by its release.
func TestNightliesByDate(t *testing.T) {
	for _, tc := range []struct {
		raw        string
		zoom, adj  bool
		move, uvar bool
	}{
		{"20230712-072601-f4abf8fd", false, true, false, true}, // the release: zoom-pane came in 20240127
		{"20230901-101010-deadbeef", true, true, false, true},  // a nightly after zoom-pane's 2023-08-27
		{"20230501-101010-deadbeef", false, true, false, true}, // a nightly after adjust-pane-size's 2023-04-18
		{"20230401-101010-deadbeef", false, false, false, true},
		{"20240203-110809-5046fc22", true, true, false, true},
		{"20240901-083012-1a2b3c4d", true, true, true, true},
		{"20220408-101518-b908e2dd", false, false, false, false},
	} {
		v := wezterm.ParseVersion("wezterm " + tc.raw)
		if v.Has(wezterm.FeatZoomPane) != tc.zoom || v.Has(wezterm.FeatAdjustPaneSize) != tc.adj ||
			v.Has(wezterm.FeatMovePaneID) != tc.move || v.Has(wezterm.FeatUserVarChanged) != tc.uvar {
			t.Errorf("%s: zoom %v adjust %v move %v user-var %v", tc.raw, v.Has(wezterm.FeatZoomPane),
				v.Has(wezterm.FeatAdjustPaneSize), v.Has(wezterm.FeatMovePaneID), v.Has(wezterm.FeatUserVarChanged))
		}
	}
	if !wezterm.ParseVersion("wezterm 20220408-101518-b908e2dd").ClapTwo() || wezterm.ParseVersion("wezterm 20220624-141144-bd1b7c5d").ClapTwo() {
		t.Error("ClapTwo")
	}
}
