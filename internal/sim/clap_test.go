package sim

import (
	"strings"
	"testing"
)

func TestParseSub(t *testing.T) {
	tests := []struct {
		name    string
		version string
		argv    []string
		wantErr string // substring of the clap error; "" = success
		check   func(Args) bool
	}{
		{name: "list json", argv: []string{"list", "--format", "json"}, check: func(a Args) bool { return a.Flags["format"] == "json" }},
		{name: "list json equals", argv: []string{"list", "--format=json"}, check: func(a Args) bool { return a.Flags["format"] == "json" }},
		{name: "bad format", argv: []string{"list", "--format", "yaml"}, wantErr: "invalid value 'yaml' for '--format <FORMAT>'"},
		{name: "global flag after subcommand", argv: []string{"list", "--no-auto-start"}, wantErr: "unexpected argument '--no-auto-start' found"},
		{name: "pane id digits", argv: []string{"kill-pane", "--pane-id", "x1"}, wantErr: "invalid value 'x1' for '--pane-id <PANE_ID>': invalid digit found in string"},
		{name: "pane id missing value", argv: []string{"kill-pane", "--pane-id"}, wantErr: "a value is required for '--pane-id <PANE_ID>'"},
		{name: "duplicate", argv: []string{"kill-pane", "--pane-id", "1", "--pane-id", "2"}, wantErr: "cannot be used multiple times"},
		{name: "workspace needs new window", argv: []string{"spawn", "--workspace", "w"}, wantErr: "required arguments were not provided:\n  --new-window"},
		{name: "window id conflicts", argv: []string{"spawn", "--window-id", "1", "--new-window"}, wantErr: "cannot be used with"},
		{name: "spawn prog", argv: []string{"spawn", "--new-window", "--", "sh", "-c", "echo --x"}, check: func(a Args) bool {
			return strings.Join(a.Pos, " ") == "sh -c echo --x"
		}},
		{name: "spawn trailing var arg", argv: []string{"spawn", "htop", "--sort", "cpu"}, check: func(a Args) bool {
			return strings.Join(a.Pos, " ") == "htop --sort cpu"
		}},
		{name: "split two directions", argv: []string{"split-pane", "--left", "--right"}, wantErr: "the argument '--left' cannot be used with '--right'"},
		{name: "percent and cells", argv: []string{"split-pane", "--percent", "30", "--cells", "4"}, wantErr: "cannot be used with"},
		{name: "percent u8", argv: []string{"split-pane", "--percent", "300"}, wantErr: "number too large to fit in target type"},
		{name: "move pane with prog", argv: []string{"split-pane", "--move-pane-id", "3", "--", "htop"}, wantErr: "cannot be used with '[PROG]...'"},
		{name: "get-text negative", argv: []string{"get-text", "--start-line", "-5", "--end-line=-1"}, check: func(a Args) bool {
			return a.Flags["start-line"] == "-5" && a.Flags["end-line"] == "-1"
		}},
		{name: "direction case-insensitive", argv: []string{"activate-pane-direction", "left"}, check: func(a Args) bool { return a.Pos[0] == "Left" }},
		{name: "direction invalid", argv: []string{"activate-pane-direction", "sideways"}, wantErr: "invalid direction sideways, possible values are"},
		{name: "direction missing", argv: []string{"get-pane-direction"}, wantErr: "required arguments were not provided:\n  <DIRECTION>"},
		// Parsed; the server then panics (crash_test.go).
		{name: "adjust Next parses", argv: []string{"adjust-pane-size", "Next"}, check: func(a Args) bool { return a.Pos[0] == "Next" }},
		// WezTerm's clap has no rule for these (activate_tab.rs,
		// rename_workspace.rs): the CLI decides at run time.
		{name: "activate-tab without a target parses", argv: []string{"activate-tab", "--pane-id", "1"}},
		{name: "tab-index with tab-relative parses", argv: []string{"activate-tab", "--tab-index", "1", "--tab-relative", "1"}},
		{name: "rename-workspace with workspace and pane-id parses", argv: []string{"rename-workspace", "--workspace", "a", "--pane-id", "1", "b"}},
		{name: "no-wrap requires relative", argv: []string{"activate-tab", "--tab-index", "1", "--no-wrap"}, wantErr: "required arguments"},
		{name: "tab-id excludes pane", argv: []string{"activate-tab", "--tab-id", "1", "--pane-id", "2"}, wantErr: "cannot be used with"},
		{name: "zoom exclusive", argv: []string{"zoom-pane", "--zoom", "--toggle"}, wantErr: "cannot be used with"},
		{name: "title required", argv: []string{"set-tab-title", "--tab-id", "1"}, wantErr: "<TITLE>"},
		{name: "title dashes", argv: []string{"set-tab-title", "--tab-id", "1", "--", "--x"}, check: func(a Args) bool { return a.Pos[0] == "--x" }},
		{name: "send-text two texts", argv: []string{"send-text", "a", "b"}, wantErr: "unexpected argument 'b' found"},
		{name: "send-text no-paste old release", version: "20220319-142410-0fcdea07", argv: []string{"send-text", "--no-paste", "x"}, wantErr: "unexpected argument '--no-paste' found"},
		{name: "flag with value on bool", argv: []string{"kill-pane", "--pane-id", "1", "--x"}, wantErr: "unexpected argument '--x'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.version
			if v == "" {
				v = DefaultVersion
			}
			spec, ok := findSub(tt.argv[0], v)
			if !ok {
				t.Fatalf("no subcommand %s", tt.argv[0])
			}
			a, err := parseSub(spec, tt.argv[1:], v)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if !strings.HasPrefix(err.Error(), "error: ") || !strings.Contains(err.Error(), "\n\nUsage: wezterm cli "+tt.argv[0]) && !strings.Contains(err.Error(), "invalid direction") {
					t.Errorf("not clap-shaped: %q", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if tt.check != nil && !tt.check(a) {
				t.Errorf("parsed %+v", a)
			}
		})
	}
}

func TestSubcommandsByRelease(t *testing.T) {
	if _, ok := findSub("zoom-pane", "20230712-072601-f4abf8fd"); ok {
		t.Error("zoom-pane should not exist in 20230712")
	}
	if _, ok := findSub("zoom-pane", "20240127-113634-bbcac864"); !ok {
		t.Error("zoom-pane should exist in 20240127")
	}
	if _, ok := findSub("get-text", "20230320-124340-559cb7b0"); !ok {
		t.Error("get-text should exist in 20230320")
	}
}
