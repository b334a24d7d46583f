// Package config reads and writes wezterm-parallel's TOML files: the
// preferences (config.toml) with defaults, positioned messages and atomic,
// comment-preserving saves; and the shared machinery (Doc, Locate) the
// layout parser uses.
package config

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Preferences are the settings in config.toml.
type Preferences struct {
	WeztermPath      string        // wezterm_path: "" = wezterm on PATH
	RefreshInterval  time.Duration // refresh_interval
	Theme            string        // theme: system, light or dark
	CloseToTray      bool          // close_to_tray
	StartHidden      bool          // start_hidden
	Notifications    bool          // notifications
	ConfirmKill      bool          // confirm_kill
	LayoutsDir       string        // layouts_dir: "" = <config dir>/layouts
	DefaultCWD       string        // default_cwd: "" = WezTerm's default
	AgentCommand     string        // agent_command: what agent layouts run; "" = a shell
	AgentPoll        time.Duration // agent_poll: least time between two screen reads of an agent's pane
	MapKeepAspect    bool          // map_keep_aspect: tabs keep WezTerm's shape instead of filling the space
	NotifyLayouts    bool          // [notify] layouts: a layout launched or failed
	NotifyThresholds bool          // [notify] thresholds: a pane over its CPU/memory threshold
	NotifyExited     bool          // [notify] exited: a pane's program exited with an error
	NotifyAgents     bool          // [notify] agents: an agent started waiting for the user
	NotifyBudget     bool          // [notify] budget: spend reached 80 % / 100 % of a budget
	BudgetDailyUSD   float64       // [budget] daily_usd: all agents' spend per day; 0 = none
	BudgetPaneUSD    float64       // [budget] pane_usd: one agent pane's spend; 0 = none
	CPUAlertPercent  float64       // [alerts] cpu_percent (100 = one core)
	MemAlertMB       int           // [alerts] memory_mb
	AlertAfter       time.Duration // [alerts] after
	// Trust holds consent for project layouts: absolute path -> "sha256:…"
	// of the file the user approved ([trust] table).
	Trust map[string]string
	// RestoreRun ([restore] run) are the command lines a restore starts
	// without waiting for the user's Enter: exact ("npm run dev") or
	// patterns where * stands for anything ("make watch *"). nil: none.
	RestoreRun []string
}

// MaxRestoreRun bounds [restore] run.
const MaxRestoreRun = 256

// Defaults returns the preferences used when config.toml says nothing.
func Defaults() Preferences {
	return Preferences{
		RefreshInterval: time.Second, AgentPoll: 2 * time.Second, Theme: "system", CloseToTray: true, Notifications: true,
		ConfirmKill:   true,
		NotifyLayouts: true, NotifyThresholds: true, NotifyExited: true, NotifyAgents: true, NotifyBudget: true,
		CPUAlertPercent: 90, MemAlertMB: 4096, AlertAfter: 30 * time.Second,
		Trust: map[string]string{},
	}
}

// retired are keys earlier versions read, per table: a file that still
// has one is told why it no longer counts (a warning, never an error).
var retired = map[string]map[string]string{
	"": {"confirm_broadcast": "the broadcast dialog always shows what it sends and to which panes before it sends"},
}

// field describes one scalar preference: where it lives in the file and
// how to read, check and print it.
type field struct {
	table, key string
	doc        string
	ptr        func(*Preferences) any
}

var fields = []field{
	{"", "wezterm_path", "wezterm binary; empty: wezterm on PATH", func(p *Preferences) any { return &p.WeztermPath }},
	{"", "refresh_interval", "how often panes and CPU/memory are refreshed (250ms to 1m)", func(p *Preferences) any { return &p.RefreshInterval }},
	{"", "theme", `"system", "light" or "dark"`, func(p *Preferences) any { return &p.Theme }},
	{"", "close_to_tray", "closing the window hides it to the tray", func(p *Preferences) any { return &p.CloseToTray }},
	{"", "start_hidden", "start hidden in the tray", func(p *Preferences) any { return &p.StartHidden }},
	{"", "notifications", "desktop notifications at all (each kind can be switched off under [notify])", func(p *Preferences) any { return &p.Notifications }},
	{"", "confirm_kill", "ask before killing a pane", func(p *Preferences) any { return &p.ConfirmKill }},
	{"", "layouts_dir", "folder of your layouts; empty: layouts/ beside this file", func(p *Preferences) any { return &p.LayoutsDir }},
	{"", "default_cwd", "working directory for new panes; empty: WezTerm's default", func(p *Preferences) any { return &p.DefaultCWD }},
	{"", "agent_poll", "read an agent's screen (get-text) at most this often, to tell working from waiting", func(p *Preferences) any { return &p.AgentPoll }},
	{"", "agent_command", `command agent layouts run in each pane, e.g. "claude"; empty: a shell`, func(p *Preferences) any { return &p.AgentCommand }},
	{"", "map_keep_aspect", "draw each tab with WezTerm's shape (false: the tiles fill the space they have)", func(p *Preferences) any { return &p.MapKeepAspect }},
	{"notify", "layouts", "notify when a layout launched or failed", func(p *Preferences) any { return &p.NotifyLayouts }},
	{"notify", "thresholds", "notify when a pane stays above a threshold below", func(p *Preferences) any { return &p.NotifyThresholds }},
	{"notify", "exited", "notify when a pane's program exits with an error", func(p *Preferences) any { return &p.NotifyExited }},
	{"notify", "agents", "notify when an agent starts waiting for you", func(p *Preferences) any { return &p.NotifyAgents }},
	{"notify", "budget", "notify when spend reaches 80 % and 100 % of a budget below", func(p *Preferences) any { return &p.NotifyBudget }},
	{"budget", "daily_usd", "USD all agents may spend per day (your time zone); 0: no budget", func(p *Preferences) any { return &p.BudgetDailyUSD }},
	{"budget", "pane_usd", "USD one agent pane's session may spend; 0: no budget", func(p *Preferences) any { return &p.BudgetPaneUSD }},
	{"alerts", "cpu_percent", "alert when a pane's CPU stays above this (100 = one core)", func(p *Preferences) any { return &p.CPUAlertPercent }},
	{"alerts", "memory_mb", "alert when a pane's memory stays above this many MiB", func(p *Preferences) any { return &p.MemAlertMB }},
	{"alerts", "after", "how long a pane must stay above a threshold", func(p *Preferences) any { return &p.AlertAfter }},
}

// read sets f in p from t, if t has it.
func (f field) read(t *Table, p *Preferences) {
	switch v := f.ptr(p).(type) {
	case *string:
		t.String(f.key, v)
	case *bool:
		t.Bool(f.key, v)
	case *int:
		t.Int(f.key, v)
	case *float64:
		t.Float(f.key, v)
	case *time.Duration:
		t.Duration(f.key, v)
	}
}

func fieldNames(table string) []string {
	var out []string
	for _, f := range fields {
		if f.table == table {
			out = append(out, f.key)
		}
	}
	return out
}

// decodePrefs reads doc over the defaults. Unknown keys are warnings;
// wrong types and bad values are errors.
func decodePrefs(d *Doc) Preferences {
	p := Defaults()
	root := d.Root()
	tables := map[string]*Table{"": root}
	for _, name := range []string{"notify", "budget", "alerts", "restore"} {
		if t, ok := root.Sub(name); ok {
			tables[name] = t
		}
	}
	for _, f := range fields {
		if t := tables[f.table]; t != nil {
			f.read(t, &p)
		}
	}
	var trust map[string]string
	if root.StringMap("trust", &trust) {
		p.Trust = trust
	}
	if t := tables["restore"]; t != nil {
		p.RestoreRun = readRestoreRun(d, t)
	}
	for table, t := range tables {
		for key, why := range retired[table] {
			if t.Has(key) {
				t.Retire(key, why)
			}
		}
		if table == "restore" {
			t.Unknown(true, "run")
			continue
		}
		t.Unknown(true, fieldNames(table)...)
	}
	// Values.
	switch p.Theme {
	case "system", "light", "dark":
	default:
		d.Errorf("theme", "theme must be \"system\", \"light\" or \"dark\", not %q", p.Theme)
		p.Theme = "system"
	}
	if p.RefreshInterval < 250*time.Millisecond || p.RefreshInterval > time.Minute {
		d.Errorf("refresh_interval", "refresh_interval must be between 250ms and 1m, not %s", p.RefreshInterval)
		p.RefreshInterval = time.Second
	}
	if p.AgentPoll < 250*time.Millisecond {
		d.Errorf("agent_poll", "agent_poll must be at least 250ms, not %s", p.AgentPoll)
		p.AgentPoll = 2 * time.Second
	}
	if p.CPUAlertPercent <= 0 {
		d.Errorf("alerts.cpu_percent", "alerts.cpu_percent must be above 0")
		p.CPUAlertPercent = 90
	}
	if p.MemAlertMB <= 0 {
		d.Errorf("alerts.memory_mb", "alerts.memory_mb must be above 0")
		p.MemAlertMB = 4096
	}
	for _, b := range []struct {
		key string
		v   *float64
	}{{"budget.daily_usd", &p.BudgetDailyUSD}, {"budget.pane_usd", &p.BudgetPaneUSD}} {
		if *b.v < 0 || math.IsNaN(*b.v) || math.IsInf(*b.v, 0) {
			d.Errorf(b.key, "%s must be 0 (no budget) or more", b.key)
			*b.v = 0
		}
	}
	if p.AlertAfter < 0 {
		d.Errorf("alerts.after", "alerts.after must not be negative")
		p.AlertAfter = 30 * time.Second
	}
	return p
}

// readRestoreRun reads and checks [restore] run: each entry a command line
// with something in it and no control character (it is typed into a
// shell, so one that could act on the terminal is refused with its place).
func readRestoreRun(d *Doc, t *Table) []string {
	var run []string
	if !t.Strings("run", &run) {
		return nil
	}
	if len(run) > MaxRestoreRun {
		d.Errorf("restore.run", "restore.run has %d entries; at most %d", len(run), MaxRestoreRun)
		return nil
	}
	out := run[:0]
	for i, c := range run {
		at := fmt.Sprintf("restore.run.%d", i)
		switch {
		case strings.TrimSpace(c) == "":
			d.Errorf(at, "restore.run[%d] is empty: write a command line, like \"npm run dev\"", i)
		case strings.ContainsFunc(c, func(r rune) bool { return r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 }):
			d.Errorf(at, "restore.run[%d] holds a control character: a command line is one line of text", i)
		default:
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// ParsePreferences reads config.toml text. Errors (a broken file) come back
// as Problems with positions; warnings (unknown keys) are in the second
// result.
func ParsePreferences(file string, data []byte) (Preferences, Problems, error) {
	d, err := ParseDoc(file, data)
	if err != nil {
		return Defaults(), nil, err
	}
	p := decodePrefs(d)
	ps := d.Sorted()
	if errs := ps.Errors(); len(errs) > 0 {
		return Defaults(), ps.Warnings(), errs
	}
	return p, ps.Warnings(), nil
}

// literal prints a value as TOML.
func literal(v any) string {
	switch x := v.(type) {
	case string:
		return Quote(x)
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatFloat(x, 'f', 1, 64)
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	case time.Duration:
		return Quote(x.String())
	}
	panic(fmt.Sprintf("literal: %T", v))
}

// stringArray writes a TOML array of strings on one line.
func stringArray(v []string) string {
	parts := make([]string, len(v))
	for i, s := range v {
		parts[i] = Quote(s)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// Quote writes s as a TOML basic string.
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// change is one key to write.
type change struct {
	table, key string
	value      *string // nil: remove the key
}

// diff lists the keys whose values differ between a and b.
func diff(a, b Preferences) []change {
	var out []change
	for _, f := range fields {
		va, vb := reflect.ValueOf(f.ptr(&a)).Elem().Interface(), reflect.ValueOf(f.ptr(&b)).Elem().Interface()
		if va != vb {
			lit := literal(vb)
			out = append(out, change{f.table, f.key, &lit})
		}
	}
	keys := map[string]bool{}
	for k := range a.Trust {
		keys[k] = true
	}
	for k := range b.Trust {
		keys[k] = true
	}
	if !slices.Equal(a.RestoreRun, b.RestoreRun) {
		lit := stringArray(b.RestoreRun)
		out = append(out, change{"restore", "run", &lit})
	}
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, k := range sorted {
		va, oka := a.Trust[k]
		vb, okb := b.Trust[k]
		switch {
		case okb && (!oka || va != vb):
			lit := Quote(vb)
			out = append(out, change{"trust", Quote(k), &lit})
		case oka && !okb:
			out = append(out, change{"trust", Quote(k), nil})
		}
	}
	return out
}

// Template is the commented config.toml written on first run: every key
// with its default, commented out, so defaults keep applying until the user
// changes one.
func Template() string {
	var b strings.Builder
	b.WriteString("# wezterm-parallel preferences. Uncomment a line to change a setting;\n")
	b.WriteString("# the app also writes here when you save from its Preferences window.\n")
	d := Defaults()
	table := ""
	for _, f := range fields {
		if f.table != table {
			table = f.table
			fmt.Fprintf(&b, "\n[%s]\n", table)
		} else {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "# %s\n# %s = %s\n", f.doc, f.key, literal(reflect.ValueOf(f.ptr(&d)).Elem().Interface()))
	}
	b.WriteString("\n[restore]\n# Programs a restore starts without waiting for your Enter (agents always\n" +
		"# resume, shells just open): exact command lines, or patterns where * is\n" +
		"# anything, e.g. [\"npm run dev\", \"make watch *\"]. Others wait at their prompt.\n# run = []\n")
	b.WriteString("\n# Project layouts (.wezterm-parallel.toml) you allowed to run, by file hash.\n[trust]\n")
	return b.String()
}

// DefaultPath is config.toml under the OS config dir.
func DefaultPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find config dir: %w", err)
	}
	return filepath.Join(dir, "wezterm-parallel", "config.toml"), nil
}

// LayoutsDir is where the user's layouts live for preferences p loaded
// from configPath.
func LayoutsDir(p Preferences, configPath string) string {
	if p.LayoutsDir != "" {
		return ExpandHome(p.LayoutsDir)
	}
	return filepath.Join(filepath.Dir(configPath), "layouts")
}

// ExpandHome replaces a leading ~ with the home directory.
func ExpandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[1:])
		}
	}
	return p
}
