package sim

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// valueKind is how clap parses a flag's value.
type valueKind int

const (
	noValue valueKind = iota
	strValue
	usizeValue
	isizeValue
	u8Value
)

type flagSpec struct {
	name      string // without "--"
	kind      valueKind
	meta      string   // value name in messages, e.g. PANE_ID
	conflicts []string // flags this one cannot be used with ("PROG" = positional)
	requires  []string
	choices   []string // allowed values
	since     string   // first release date with this flag
}

type subSpec struct {
	name     string
	about    string
	since    string
	flags    []flagSpec
	pos      string // positional name, "" for none
	posMulti bool   // trailing var arg (PROG...)
	posReq   bool
	groups   [][]string // mutually exclusive flag groups
}

func paneIDFlag() flagSpec { return flagSpec{name: "pane-id", kind: usizeValue, meta: "PANE_ID"} }

var directions = []string{"Up", "Down", "Left", "Right", "Next", "Prev"}

// subcommands mirrors wezterm/src/cli/*.rs (see ../shared/wezterm-cli.md §1).
var subcommands = []subSpec{
	{name: "list", about: "list windows, tabs and panes", flags: []flagSpec{
		{name: "format", kind: strValue, meta: "FORMAT", choices: []string{"table", "json"}, since: "20220624"}}},
	{name: "list-clients", about: "list clients", since: "20220319", flags: []flagSpec{
		{name: "format", kind: strValue, meta: "FORMAT", choices: []string{"table", "json"}, since: "20220624"}}},
	{name: "spawn", about: "spawn a command into a new window or tab", flags: []flagSpec{
		paneIDFlag(),
		{name: "domain-name", kind: strValue, meta: "DOMAIN_NAME"},
		{name: "window-id", kind: usizeValue, meta: "WINDOW_ID", conflicts: []string{"workspace", "new-window"}},
		{name: "new-window", since: "20210814"},
		{name: "cwd", kind: strValue, meta: "CWD"},
		{name: "workspace", kind: strValue, meta: "WORKSPACE", requires: []string{"new-window"}, since: "20220319"},
	}, pos: "PROG", posMulti: true},
	{name: "split-pane", about: "split the current pane", flags: []flagSpec{
		paneIDFlag(),
		{name: "horizontal"},
		{name: "left", since: "20220624"}, {name: "right", since: "20220624"},
		{name: "top", since: "20220624"}, {name: "bottom", since: "20220624"},
		{name: "top-level", since: "20220624"},
		{name: "cells", kind: usizeValue, meta: "CELLS", since: "20220624"},
		{name: "percent", kind: u8Value, meta: "PERCENT", conflicts: []string{"cells"}, since: "20220624"},
		{name: "cwd", kind: strValue, meta: "CWD"},
		{name: "move-pane-id", kind: usizeValue, meta: "MOVE_PANE_ID", conflicts: []string{"cwd", "PROG"}, since: "20220624"},
	}, pos: "PROG", posMulti: true,
		groups: [][]string{{"horizontal", "left", "right", "top", "bottom"}}},
	{name: "send-text", about: "send text to a pane as though it were pasted", since: "20220319", flags: []flagSpec{
		paneIDFlag(), {name: "no-paste", since: "20220624"}}, pos: "TEXT"},
	{name: "get-text", about: "retrieve the textual content of a pane", since: "20230320", flags: []flagSpec{
		paneIDFlag(),
		{name: "start-line", kind: isizeValue, meta: "START_LINE"},
		{name: "end-line", kind: isizeValue, meta: "END_LINE"},
		{name: "escapes"}}},
	{name: "activate-pane-direction", about: "activate an adjacent pane", since: "20221119",
		flags: []flagSpec{paneIDFlag()}, pos: "DIRECTION", posReq: true},
	{name: "get-pane-direction", about: "determine the adjacent pane", since: "20230408",
		flags: []flagSpec{paneIDFlag()}, pos: "DIRECTION", posReq: true},
	{name: "kill-pane", about: "kill a pane", since: "20230326", flags: []flagSpec{paneIDFlag()}},
	{name: "activate-pane", about: "activate (focus) a pane", since: "20230326", flags: []flagSpec{paneIDFlag()}},
	{name: "adjust-pane-size", about: "adjust the size of a pane directionally", since: "20230712", flags: []flagSpec{
		paneIDFlag(), {name: "amount", kind: usizeValue, meta: "AMOUNT"}}, pos: "DIRECTION", posReq: true},
	{name: "activate-tab", about: "activate a tab", since: "20230326", flags: []flagSpec{
		{name: "tab-id", kind: usizeValue, meta: "TAB_ID", conflicts: []string{"tab-index", "tab-relative", "no-wrap", "pane-id"}},
		// No conflict with --tab-relative: clap lets both through and
		// activate_tab.rs prefers --tab-index.
		{name: "tab-index", kind: isizeValue, meta: "TAB_INDEX"},
		{name: "tab-relative", kind: isizeValue, meta: "TAB_RELATIVE"},
		{name: "no-wrap", requires: []string{"tab-relative"}},
		// No required group either: without a target the CLI bails
		// "impossible arguments!" at run time (activate_tab.rs).
		paneIDFlag()}},
	{name: "set-tab-title", about: "change the title of a tab", since: "20230408", flags: []flagSpec{
		{name: "tab-id", kind: usizeValue, meta: "TAB_ID", conflicts: []string{"pane-id"}}, paneIDFlag()},
		pos: "TITLE", posReq: true},
	{name: "set-window-title", about: "change the title of a window", since: "20230408", flags: []flagSpec{
		{name: "window-id", kind: usizeValue, meta: "WINDOW_ID", conflicts: []string{"pane-id"}}, paneIDFlag()},
		pos: "TITLE", posReq: true},
	{name: "rename-workspace", about: "rename a workspace", since: "20230408", flags: []flagSpec{
		// No conflict with --pane-id: rename_workspace.rs prefers
		// --workspace.
		{name: "workspace", kind: strValue, meta: "WORKSPACE"}, paneIDFlag()},
		pos: "NEW_WORKSPACE", posReq: true},
	{name: "zoom-pane", about: "zoom, unzoom, or toggle zoom state", since: "20240127", flags: []flagSpec{
		paneIDFlag(), {name: "zoom"}, {name: "unzoom"}, {name: "toggle"}},
		groups: [][]string{{"zoom", "unzoom", "toggle"}}},
	{name: "move-pane-to-new-tab", about: "move a pane into a new tab", since: "20220624", flags: []flagSpec{
		paneIDFlag(),
		{name: "window-id", kind: usizeValue, meta: "WINDOW_ID", conflicts: []string{"new-window"}},
		{name: "new-window"},
		{name: "workspace", kind: strValue, meta: "WORKSPACE"}}},
}

func findSub(name, version string) (*subSpec, bool) {
	for i := range subcommands {
		s := &subcommands[i]
		if s.name == name && hasRelease(version, s.since) {
			return s, true
		}
	}
	return nil, false
}

// hasRelease reports whether a release (full version string) is at least
// since (YYYYMMDD); "" means always.
func hasRelease(version, since string) bool {
	if since == "" || len(version) < 8 {
		return true
	}
	return version[:8] >= since
}

// usageError is a clap-style parse failure: printed to stderr, exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func clapError(usage, format string, args ...any) *usageError {
	return &usageError{msg: "error: " + fmt.Sprintf(format, args...) + "\n\nUsage: " + usage + "\n\nFor more information, try '--help'.\n"}
}

func (s *subSpec) usage() string {
	u := "wezterm cli " + s.name + " [OPTIONS]"
	if s.pos != "" {
		p := "<" + s.pos + ">"
		if s.posMulti {
			p = "[" + s.pos + "]..."
		} else if !s.posReq {
			p = "[" + s.pos + "]"
		}
		u += " " + p
	}
	return u
}

func (f *flagSpec) display() string {
	if f.kind == noValue {
		return "--" + f.name
	}
	return "--" + f.name + " <" + f.meta + ">"
}

// Args is a parsed subcommand line.
type Args struct {
	Sub   string            `json:"sub"`
	Flags map[string]string `json:"flags"`
	Pos   []string          `json:"pos"`
}

// Has reports whether flag name was given.
func (a Args) Has(name string) bool { _, ok := a.Flags[name]; return ok }

// Int returns an integer flag (already validated by the parser).
func (a Args) Int(name string) (int, bool) {
	v, ok := a.Flags[name]
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

// parseSub parses the arguments after the subcommand name the way clap
// does for wezterm's derive structs.
func parseSub(s *subSpec, argv []string, version string) (Args, error) {
	a := Args{Sub: s.name, Flags: map[string]string{}}
	lookup := func(name string) *flagSpec {
		for i := range s.flags {
			if s.flags[i].name == name && hasRelease(version, s.flags[i].since) {
				return &s.flags[i]
			}
		}
		return nil
	}
	for i := 0; i < len(argv); i++ {
		arg := argv[i]
		if arg == "--" {
			a.Pos = append(a.Pos, argv[i+1:]...)
			break
		}
		if strings.HasPrefix(arg, "--") && (len(a.Pos) == 0 || !s.posMulti) {
			name, val, hasVal := strings.Cut(arg[2:], "=")
			f := lookup(name)
			if f == nil {
				return a, clapError(s.usage(), "unexpected argument '%s' found", arg)
			}
			if _, dup := a.Flags[name]; dup {
				return a, clapError(s.usage(), "the argument '%s' cannot be used multiple times", f.display())
			}
			if f.kind == noValue {
				if hasVal {
					return a, clapError(s.usage(), "unexpected value '%s' for '--%s' found; no more were expected", val, name)
				}
				a.Flags[name] = "true"
				continue
			}
			if !hasVal {
				if i+1 >= len(argv) || (strings.HasPrefix(argv[i+1], "-") && !(f.kind == isizeValue && isNegNum(argv[i+1]))) {
					return a, clapError(s.usage(), "a value is required for '%s' but none was supplied", f.display())
				}
				i++
				val = argv[i]
			}
			if err := checkValue(f, val); err != nil {
				return a, clapError(s.usage(), "invalid value '%s' for '%s': %s", val, f.display(), err)
			}
			a.Flags[name] = val
			continue
		}
		if strings.HasPrefix(arg, "-") && len(arg) > 1 && !isNegNum(arg) && (len(a.Pos) == 0 || !s.posMulti) {
			return a, clapError(s.usage(), "unexpected argument '%s' found", arg)
		}
		if s.pos == "" {
			return a, clapError(s.usage(), "unexpected argument '%s' found", arg)
		}
		if !s.posMulti && len(a.Pos) == 1 {
			return a, clapError(s.usage(), "unexpected argument '%s' found", arg)
		}
		a.Pos = append(a.Pos, arg)
	}
	// Relations between arguments.
	for name := range a.Flags {
		f := lookup(name)
		for _, c := range f.conflicts {
			if c == "PROG" && len(a.Pos) > 0 || a.Has(c) {
				other := "[" + c + "]..."
				if g := lookup(c); g != nil {
					other = g.display()
				}
				return a, clapError(s.usage(), "the argument '%s' cannot be used with '%s'", f.display(), other)
			}
		}
		for _, r := range f.requires {
			if !a.Has(r) {
				return a, clapError(s.usage(), "the following required arguments were not provided:\n  --%s", r)
			}
		}
	}
	for _, g := range s.groups {
		var given []string
		for _, n := range g {
			if a.Has(n) {
				given = append(given, n)
			}
		}
		if len(given) > 1 {
			return a, clapError(s.usage(), "the argument '--%s' cannot be used with '--%s'", given[0], given[1])
		}
	}
	if s.posReq && len(a.Pos) == 0 {
		return a, clapError(s.usage(), "the following required arguments were not provided:\n  <%s>", s.pos)
	}
	if s.pos == "DIRECTION" {
		d, ok := canonDirection(a.Pos[0])
		if !ok {
			// PaneDirection's own parser error, which clap prints
			// without a usage (seen on WezTerm 20250223).
			return a, &usageError{msg: fmt.Sprintf("error: invalid direction %s, possible values are [\"Up\", \"Down\", \"Left\", \"Right\", \"Next\", \"Prev\"]\n", a.Pos[0])}
		}
		a.Pos[0] = d
	}
	return a, nil
}

func canonDirection(s string) (string, bool) {
	for _, d := range directions {
		if strings.EqualFold(d, s) {
			return d, true
		}
	}
	return "", false
}

func isNegNum(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil && strings.HasPrefix(s, "-")
}

func checkValue(f *flagSpec, v string) error {
	switch f.kind {
	case usizeValue:
		if _, err := strconv.ParseUint(v, 10, 64); err != nil {
			return rustIntError(v, err)
		}
	case isizeValue:
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return rustIntError(v, err)
		}
	case u8Value:
		if _, err := strconv.ParseUint(v, 10, 8); err != nil {
			return rustIntError(v, err)
		}
	}
	if len(f.choices) > 0 && !slices.Contains(f.choices, v) {
		return fmt.Errorf("possible values: %s", strings.Join(f.choices, ", "))
	}
	return nil
}

// rustIntError words an integer parse failure as Rust's ParseIntError does.
func rustIntError(v string, err error) error {
	switch {
	case v == "":
		return fmt.Errorf("cannot parse integer from empty string")
	case strings.Contains(err.Error(), "out of range"):
		return fmt.Errorf("number too large to fit in target type")
	default:
		return fmt.Errorf("invalid digit found in string")
	}
}
