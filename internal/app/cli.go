package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
)

// spec describes a command once, for its parsing, its --help, the top-level
// help, "did you mean" and shell completion.
type spec struct {
	name     string // "list", "layout save"
	synopsis string // after the name: "[--json] [--interval 1s]"
	summary  string // one line for the command list
	about    string // more, for CMD --help ("" = the summary)
	define   func(fs *flag.FlagSet)
	min, max int    // positionals (max -1: any number)
	complete string // what positionals are: "layout", "command", "shell", "layout-command"
	hidden   bool
}

func noFlags(*flag.FlagSet) {}

// specs are the commands, in the order the help lists them.
var specs = []spec{
	{name: "list", synopsis: "[--json] [--interval 1s]", summary: "workspaces, windows, tabs and panes with CPU, memory and the foreground program",
		about: "JSON is a stable contract for scripts. CPU needs two samples, --interval apart; without\n--interval it shows as \"…\".",
		define: func(fs *flag.FlagSet) {
			fs.Bool("json", false, "print JSON")
			fs.Duration("interval", 0, "take two samples this far apart so CPU % is known")
		}},
	{name: "top", synopsis: "[--interval 1s] [--sort cpu|mem|pane] [--iterations N]", summary: "a refreshing per-pane table",
		define: func(fs *flag.FlagSet) {
			fs.Duration("interval", time.Second, "refresh interval (at least 100ms)")
			fs.Int("iterations", 0, "stop after this many refreshes (0: until Ctrl-C)")
			fs.String("sort", "cpu", "sort by `cpu|mem|pane`")
		}},
	{name: "spend", synopsis: "[--json] [--since 1d] [--by day|model|pane|workspace]",
		summary: "tokens and cost of your agents (Claude Code, Codex, Gemini CLI), from their own records",
		about: "Reads the session files the agents keep (~/.claude/projects, ~/.codex/sessions, ~/.gemini/tmp;\n" +
			"$CLAUDE_CONFIG_DIR and $CODEX_HOME are honoured) and prices them from prices.toml. --by pane and\n" +
			"--by workspace ask WezTerm which agent runs where. A model without a price shows its tokens and\n" +
			"an unknown cost.",
		define: func(fs *flag.FlagSet) {
			fs.Bool("json", false, "print JSON")
			fs.String("since", "1d", "from: `Nd` calendar days (1d = today), a duration (12h) or a date (2026-12-01)")
			fs.String("by", "day", "group by `day|model|pane|workspace`")
		}},
	{name: "launch", synopsis: "[--dry-run] [--cwd DIR] [--workspace W] [--keep-partial] [--yes] NAME|FILE|DIR",
		summary: "open a layout: bundled, from your layouts folder, a file, or a project folder's .wezterm-parallel.toml",
		about: "A project's layout (from a folder you did not write) shows what it will run and asks once;\n" +
			"--yes skips the question for your own layouts only.",
		define: func(fs *flag.FlagSet) {
			fs.Bool("dry-run", false, "print the wezterm commands instead of running them")
			fs.String("cwd", "", "root `DIR` for the layout's panes")
			fs.String("workspace", "", "`W`orkspace to launch into (default: the layout's)")
			fs.Bool("keep-partial", false, "keep the panes of a launch that failed midway")
			fs.Bool("yes", false, "do not ask (your own layouts only; a project layout always asks once)")
		}, min: 1, max: 1, complete: "layout"},
	{name: "layout", synopsis: "list | check | save | cleanup", summary: "your layouts: list them, check files, save a workspace, clean up a fan-out",
		define: noFlags, min: 0, max: -1, complete: "layout-command"},
	{name: "layout list", summary: "the layouts you can launch, with where each comes from", define: noFlags},
	{name: "layout check", synopsis: "FILE|NAME...", summary: "FILE:LINE:COL for every problem; exit 1 if any", define: noFlags,
		min: 1, max: -1, complete: "layout"},
	{name: "layout save", synopsis: "[--workspace W] [--force] NAME", summary: "save a running workspace as a layout",
		define: func(fs *flag.FlagSet) {
			fs.String("workspace", "", "`W`orkspace to save (default: the one WezTerm shows)")
			fs.Bool("force", false, "overwrite an existing layout of that name")
		}, min: 1, max: 1},
	{name: "layout cleanup", synopsis: "[--force] NAME|FILE", summary: "remove the worktrees a fan-out created, keeping any that hold work",
		define: func(fs *flag.FlagSet) {
			fs.Bool("force", false, "remove copies with uncommitted changes or unmerged commits too (their branches are kept)")
		}, min: 1, max: 1, complete: "layout"},
	{name: "snapshot", synopsis: "[--json] [--import PATH]", summary: "record the workspaces, splits, folders and agents WezTerm has now (the tray does it by itself)",
		about: "The tray process keeps snapshots on its own: when something changes (after 10 s of calm) and at\n" +
			"least every 5 minutes; the last 20 are kept under the state folder. This takes one now.\n" +
			"--import reads a resurrect.wezterm state (one of its JSON files, or its state folder) into one.",
		define: func(fs *flag.FlagSet) {
			fs.Bool("json", false, "print the snapshot's summary as JSON")
			fs.String("import", "", "import a resurrect.wezterm state `PATH` (a workspace/window/tab JSON file or the state folder)")
		}},
	{name: "restore", synopsis: "[--dry-run] [--list] [--from ID|PATH] [--yes] [--workspace NAME]... [--existing merge|copy|skip] [--run-all] [--json]",
		summary: "bring back every workspace, split and folder of a snapshot, each agent in its conversation",
		about: "Restores the newest snapshot (or --from one, a file, or a resurrect.wezterm state). Agents resume\n" +
			"their sessions; shells come back as shells; any other program is typed at its pane's prompt and\n" +
			"waits for your Enter, unless [restore] run in the preferences allows it or --run-all. A workspace\n" +
			"that is there already is merged (only the tabs it lacks are added), copied or skipped: you are\n" +
			"asked, or --existing says. Restoring twice is the same as once.",
		define: func(fs *flag.FlagSet) {
			fs.Bool("dry-run", false, "print what it would do and the exact wezterm commands")
			fs.Bool("list", false, "list the snapshots")
			fs.String("from", "", "the snapshot `ID` (restore --list), or a PATH to a snapshot or resurrect.wezterm state")
			fs.Bool("yes", false, "do not ask before restoring")
			fs.Var(&listFlag{}, "workspace", "restore only workspace `NAME` (repeat for more)")
			fs.String("existing", "", "what to do with workspaces that are there already: `merge|copy|skip` (default: ask, or merge)")
			fs.Bool("run-all", false, "start every program, not only those [restore] run allows")
			fs.Bool("keep-startup-pane", false, "keep the pane WezTerm opened at its start")
			fs.Bool("json", false, "print JSON (with --list: the snapshots; with --dry-run: the plan; else the report)")
		}},
	{name: "switch", synopsis: "WORKSPACE", summary: "make the WezTerm GUI show a workspace (needs the snippet: see lua)", define: noFlags, min: 1, max: 1},
	{name: "jump", synopsis: "PANE_ID", summary: "switch to the pane's workspace and focus it", define: noFlags, min: 1, max: 1},
	{name: "lua", synopsis: "[--install] [--windows]", summary: "the wezterm.lua snippet that lets this app switch workspaces",
		about: "Prints the snippet. --install writes it as a module in ~/.wezterm and adds one require\n" +
			"line at the top of the config file WezTerm loaded (with a backup).",
		define: func(fs *flag.FlagSet) {
			fs.Bool("install", false, "install it: a module file and a require line in wezterm.lua")
			fs.Bool("windows", runtime.GOOS == "windows", "the variant for Windows (a request file instead of a tty)")
		}},
	{name: "doctor", synopsis: "[--verbose]", summary: "check WezTerm, the preferences, the tray process and the snippet, one line per check",
		define: func(fs *flag.FlagSet) {
			fs.Bool("verbose", false, "also the wezterm processes the tray process started in the last minute, and its memory")
		}},
	{name: "demo", synopsis: "[--once]", summary: "a stand-in WezTerm with a few workspaces, to try the app without WezTerm",
		define: func(fs *flag.FlagSet) {
			fs.Bool("once", false, "print the demo's panes and exit (for scripts and tests)")
		}},
	{name: "completion", synopsis: "bash|zsh|fish", summary: "a shell completion script (commands, flags, layout names)",
		about: "  bash: source <(wezterm-parallel completion bash)\n" +
			"  zsh:  source <(wezterm-parallel completion zsh)\n" +
			"  fish: wezterm-parallel completion fish | source",
		define: noFlags, min: 1, max: 1, complete: "shell"},
	{name: "version", summary: "print the version", define: noFlags},
	{name: "help", synopsis: "[COMMAND]", summary: "this help, or a command's", define: noFlags, max: 2, complete: "command"},
	{name: "__complete", define: noFlags, max: -1, hidden: true},
}

func findSpec(name string) (spec, bool) {
	for _, s := range specs {
		if s.name == name {
			return s, true
		}
	}
	return spec{}, false
}

// globalFlags are the flags every command takes, anywhere on the line.
var globalFlags = []struct{ name, value, usage string }{
	{"wezterm", "PATH", "wezterm binary (env " + EnvWezterm + "; default: wezterm on PATH, or wezterm_path)"},
	{"config", "PATH", "preferences (default: config.toml under the OS config dir)"},
	{"timeout", "D", "per-call timeout for wezterm (default 5s)"},
	{"log-level", "L", "debug, info, warn or error (default info)"},
	{"log-file", "PATH", "log file (default: under the user's state directory)"},
	{"hidden", "", "start only the tray process, without the window"},
}

// splitGlobals takes the global flags out of args wherever they are (before
// a "--"), so that `wezterm-parallel list --config x` works like
// `wezterm-parallel --config x list`.
func splitGlobals(args []string) (globals, rest []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || a == "__complete" && len(rest) == 0 {
			// Completion's words are the user's half-typed line, not ours.
			return globals, append(rest, args[i:]...)
		}
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			name, _, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
			matched := false
			for _, g := range globalFlags {
				if g.name != name {
					continue
				}
				matched = true
				globals = append(globals, a)
				if g.value != "" && !hasVal && i+1 < len(args) {
					i++
					globals = append(globals, args[i])
				}
			}
			if matched {
				continue
			}
		}
		rest = append(rest, a)
	}
	return globals, rest
}

// errHelp: --help was asked for and printed.
var errHelp = errors.New("help printed")

// parseArgs parses a command's flags with flags anywhere among its
// positionals ("--" ends them), prints its help for -h/--help, and checks
// the number of positionals.
func parseArgs(s spec, args []string, stdout, stderr io.Writer) (*flag.FlagSet, []string, error) {
	fs := flag.NewFlagSet(s.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	s.define(fs)
	var pos []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			printHelp(stdout, s)
			return nil, nil, errHelp
		}
		if err != nil {
			return nil, nil, usageErr(stderr, s, flagMessage(err, fs))
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if i := len(args) - len(rest); i > 0 && args[i-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
	switch {
	case len(pos) < s.min:
		return nil, nil, usageErr(stderr, s, "missing "+strings.TrimSpace(positionalPart(s.synopsis)))
	case s.max >= 0 && len(pos) > s.max:
		return nil, nil, usageErr(stderr, s, "unexpected argument "+quoted(pos[s.max]))
	}
	return fs, pos, nil
}

// positionalPart is the synopsis without its [--flags].
func positionalPart(synopsis string) string {
	return regexp.MustCompile(`\[--[^\]]*\]\s*`).ReplaceAllString(synopsis, "")
}

// flagMessage rewords the flag package's errors with --flags, and offers
// the nearest flag for an unknown one.
func flagMessage(err error, fs *flag.FlagSet) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		for _, g := range globalFlags {
			names = append(names, g.name)
		}
		out := "unknown flag --" + name
		if near := nearest(name, names); near != "" {
			out += "; did you mean --" + near + "?"
		}
		return out
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return "--" + name + " needs a value"
	}
	return regexp.MustCompile(`flag -([a-z-]+)`).ReplaceAllString(msg, "--$1")
}

func usageErr(stderr io.Writer, s spec, msg string) error {
	fmt.Fprintf(stderr, "wezterm-parallel %s: %s\nRun 'wezterm-parallel %s --help' for its usage.\n", s.name, msg, s.name)
	return errUsage
}

// errUsage: a usage error was printed (exit 2).
var errUsage = errors.New("usage error")

// printHelp prints a command's help.
func printHelp(w io.Writer, s spec) {
	fmt.Fprintf(w, "Usage: wezterm-parallel %s", s.name)
	if s.synopsis != "" {
		fmt.Fprintf(w, " %s", s.synopsis)
	}
	fmt.Fprintf(w, "\n\n%s\n", s.summary)
	if s.about != "" {
		fmt.Fprintf(w, "\n%s\n", s.about)
	}
	if s.name == "layout" {
		fmt.Fprintln(w, "\nCommands:")
		for _, sub := range specs {
			if rest, ok := strings.CutPrefix(sub.name, "layout "); ok {
				fmt.Fprintf(w, "  %-8s %s\n", rest, sub.summary)
			}
		}
	}
	fs := flag.NewFlagSet(s.name, flag.ContinueOnError)
	s.define(fs)
	var lines [][2]string
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		left := "--" + f.Name
		if name != "" {
			left += " " + strings.ToUpper(strings.ReplaceAll(name, "`", ""))
		}
		if d := f.DefValue; d != "" && d != "false" && d != "0" && d != "0s" {
			usage += " (default " + d + ")"
		}
		lines = append(lines, [2]string{left, usage})
	})
	if len(lines) > 0 {
		fmt.Fprintln(w, "\nFlags:")
		for _, l := range lines {
			fmt.Fprintf(w, "  %-22s %s\n", l[0], l[1])
		}
	}
	fmt.Fprintln(w, "\nGlobal flags (anywhere on the line):")
	for _, g := range globalFlags {
		left := "--" + g.name
		if g.value != "" {
			left += " " + g.value
		}
		fmt.Fprintf(w, "  %-22s %s\n", left, g.usage)
	}
}

// printUsage is the top-level help.
func printUsage(w io.Writer) {
	fmt.Fprint(w, `wezterm-parallel: a control panel for WezTerm workspaces and panes

Usage:
  wezterm-parallel [flags]            the window (and the tray process, where the desktop has a tray)
  wezterm-parallel --hidden           only the tray process (what "Start at login" runs)
  wezterm-parallel COMMAND [args]     one of the commands below

Without a display, the bare command prints an overview of every workspace and pane.

Commands:
`)
	for _, s := range specs {
		if s.hidden || strings.HasPrefix(s.name, "layout ") {
			continue
		}
		head := s.name
		if s.synopsis != "" {
			head += " " + s.synopsis
		}
		if len(head) <= 16 {
			fmt.Fprintf(w, "  %-16s %s\n", head, s.summary)
		} else {
			fmt.Fprintf(w, "  %s\n  %-16s %s\n", head, "", s.summary)
		}
	}
	fmt.Fprintln(w, "\nFlags:")
	for _, g := range globalFlags {
		left := "--" + g.name
		if g.value != "" {
			left += " " + g.value
		}
		fmt.Fprintf(w, "  %-16s %s\n", left, g.usage)
	}
	fmt.Fprintln(w, "\n'wezterm-parallel COMMAND --help' (or 'help COMMAND') tells more about a command.")
}

// commandNames are the visible commands.
func commandNames() []string {
	var out []string
	for _, s := range specs {
		if !s.hidden && !strings.Contains(s.name, " ") {
			out = append(out, s.name)
		}
	}
	return out
}

// nearest is the candidate closest to word (edit distance at most 2, or
// the only one it is a prefix of), or "".
func nearest(word string, candidates []string) string {
	best, bestD := "", 3
	var prefixed []string
	for _, c := range candidates {
		if strings.HasPrefix(c, word) && word != "" {
			prefixed = append(prefixed, c)
		}
		if d := editDistance(word, c); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" && len(prefixed) == 1 {
		return prefixed[0]
	}
	return best
}

// editDistance is the Levenshtein distance (with adjacent swaps counted as
// one edit, as people mistype).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// unknownCommand says so, with the nearest command, on stderr (exit 2).
func unknownCommand(stderr io.Writer, name string) int {
	msg := "wezterm-parallel: unknown command " + quoted(name)
	if near := nearest(name, commandNames()); near != "" {
		msg += "; did you mean " + quoted(near) + "?"
	}
	fmt.Fprintln(stderr, msg)
	fmt.Fprintln(stderr, "Run 'wezterm-parallel help' for the commands.")
	return 2
}

// sortedFlags lists a command's flags as --name (for completion).
func sortedFlags(s spec) []string {
	fs := flag.NewFlagSet(s.name, flag.ContinueOnError)
	s.define(fs)
	var out []string
	fs.VisitAll(func(f *flag.Flag) { out = append(out, "--"+f.Name) })
	sort.Strings(out)
	return out
}

// flags reads parsed flag values.
type flags struct{ fs *flag.FlagSet }

func (f flags) get(n string) any           { return f.fs.Lookup(n).Value.(flag.Getter).Get() }
func (f flags) bool(n string) bool         { return f.get(n).(bool) }
func (f flags) str(n string) string        { return f.get(n).(string) }
func (f flags) int(n string) int           { return f.get(n).(int) }
func (f flags) dur(n string) time.Duration { return f.get(n).(time.Duration) }
func (f flags) list(n string) []string     { return f.get(n).([]string) }

// listFlag is a flag that may be repeated.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }
func (l *listFlag) Get() any           { return []string(*l) }

// parse parses a command's arguments; ok false means return code (0 after
// --help, 2 after a usage error).
func (r *runner) parse(name string, args []string) (f flags, pos []string, code int, ok bool) {
	s, found := findSpec(name)
	if !found {
		panic("no spec for " + name)
	}
	fs, pos, err := parseArgs(s, args, r.o.Stdout, r.o.Stderr)
	switch {
	case errors.Is(err, errHelp):
		return flags{}, nil, 0, false
	case err != nil:
		return flags{}, nil, 2, false
	}
	return flags{fs}, pos, 0, true
}

// quoted is "s", with control characters escaped.
func quoted(s string) string { return `"` + textsafe.Escape(s) + `"` }
