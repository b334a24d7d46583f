//go:build unix

package difftest

import "time"

// step is one call. Args may name values saved by earlier steps as $name
// (a pane id printed by spawn or split-pane).
type step struct {
	name   string
	global []string // flags before `cli` (--config name=value)
	args   []string
	stdin  string
	save   string // keep the trimmed stdout as $save
	// wait: poll `get-text --pane-id waitPane` until it contains wait
	// (not recorded; a barrier so both sides have drawn the same screen).
	wait     string
	waitPane string
	sleep    time.Duration
}

// scenario starts from one window, one tab, one pane (pane 0, /bin/sh at
// its prompt) in workspace "default": a GUI (mode "gui") or a headless mux
// server ("mux").
type scenario struct {
	name  string
	mode  string
	steps []step
}

func c(name string, args ...string) step { return step{name: name, args: args} }

func save(name, as string, args ...string) step { return step{name: name, args: args, save: as} }

func waitFor(pane, text string) step { return step{wait: text, waitPane: pane} }

func list(name string) step { return c(name, "list", "--format", "json") }

// agentScreen is what an agent's TUI draws, as far as get-text is concerned:
// a title, box drawing, CJK and emoji (wide cells), trailing blanks, a
// spinner redrawn with CR, a line longer than the pane (wrapped), colours,
// cursor addressing.
const agentScreen = `printf '\033]0;✳ Claude Code\007'
printf '╭────────────────────╮\r\n│ > fix the tests    │\r\n╰────────────────────╯\r\n'
printf '日本語の文字 and emoji 🙂 end\r\n'
printf 'trailing blanks      \r\n'
printf 'spinner ⠋\r⠙ Working… (esc to interrupt)\r\n'
i=0; while [ $i -lt 10 ]; do printf '0123456789'; i=$((i+1)); done; printf '\r\n'
printf '\033[1;31mred bold\033[0m normal \033[38;5;208morange\033[0m\r\n'
printf '\033[12;5Hplaced at 12,5'
printf '\033[14;1HDONE'
exec sleep 600
`

const altScreen = `printf 'main screen line\r\n'
printf '\033[?1049h\033[H\033[2Jalt screen: ❯ prompt\r\n'
printf 'ALT-DONE'
exec sleep 600
`

// pasteProbe shows, with od, the bytes a bracketed-paste program receives.
const pasteProbe = `printf '\033[?2004hREADY\r\n'; stty raw -echo; head -c 23 | od -An -c | tr -s ' '; printf '\r\nPASTE-DONE'; exec sleep 600`

var scenarios = []scenario{
	{name: "list", mode: "gui", steps: []step{
		waitFor("0", "$"),
		list("list json"),
		c("list table", "list"),
		c("list-clients json", "list-clients", "--format", "json"),
	}},
	{name: "spawn-split-geometry", mode: "gui", steps: []step{
		waitFor("0", "$"),
		save("spawn into a hidden workspace", "h", "spawn", "--new-window", "--workspace", "hid"),
		waitFor("$h", "$"),
		{name: "spawn with --config initial size", global: []string{"--config", "initial_cols=100", "--config", "initial_rows=30"},
			args: []string{"spawn", "--new-window", "--workspace", "sized"}, save: "s"},
		waitFor("$s", "$"),
		save("split right 30%", "a", "split-pane", "--pane-id", "0", "--right", "--percent", "30"),
		waitFor("$a", "$"),
		save("split bottom 5 cells", "b", "split-pane", "--pane-id", "$a", "--bottom", "--cells", "5"),
		waitFor("$b", "$"),
		save("split left", "l", "split-pane", "--pane-id", "$b", "--left"),
		waitFor("$l", "$"),
		save("split top-level bottom 25%", "t", "split-pane", "--pane-id", "0", "--top-level", "--bottom", "--percent", "25"),
		waitFor("$t", "$"),
		save("spawn a tab", "tab", "spawn", "--pane-id", "0"),
		waitFor("$tab", "$"),
		list("list"),
		c("split too small", "split-pane", "--pane-id", "$l", "--right", "--cells", "200"),
	}},
	{name: "send-text-get-text", mode: "gui", steps: []step{
		waitFor("0", "$"),
		c("send-text --no-paste", "send-text", "--pane-id", "0", "--no-paste", "echo one-$((40+2))\r"),
		waitFor("0", "one-42"),
		c("get-text", "get-text", "--pane-id", "0"),
		c("send-text paste (no bracketed paste: newline runs it)", "send-text", "--pane-id", "0", "echo two\n"),
		waitFor("0", "\ntwo"),
		{name: "send-text --no-paste on stdin", args: []string{"send-text", "--pane-id", "0", "--no-paste"}, stdin: "echo three\r"},
		waitFor("0", "\nthree"),
		c("get-text lines 0..2", "get-text", "--pane-id", "0", "--start-line", "0", "--end-line", "2"),
		c("get-text from scrollback", "get-text", "--pane-id", "0", "--start-line=-3", "--end-line", "1"),
	}},
	{name: "paste-bracketed", mode: "gui", steps: []step{
		save("spawn a bracketed-paste reader", "p", "spawn", "--new-window", "--", "sh", "-c", pasteProbe),
		waitFor("$p", "READY"),
		c("send-text paste", "send-text", "--pane-id", "$p", "hello\nworld"),
		waitFor("$p", "PASTE-DONE"),
		c("get-text", "get-text", "--pane-id", "$p"),
	}},
	{name: "agent-screen", mode: "gui", steps: []step{
		save("spawn the screen", "p", "spawn", "--new-window", "--", "sh", "-c", agentScreen),
		waitFor("$p", "DONE"),
		c("get-text", "get-text", "--pane-id", "$p"),
		c("get-text --escapes", "get-text", "--pane-id", "$p", "--escapes"),
		list("list (title)"),
		save("spawn an alt-screen program", "q", "spawn", "--new-window", "--", "sh", "-c", altScreen),
		waitFor("$q", "ALT-DONE"),
		c("alt screen get-text", "get-text", "--pane-id", "$q"),
		c("alt screen scrollback", "get-text", "--pane-id", "$q", "--start-line=-2", "--end-line", "0"),
	}},
	{name: "activate-zoom-kill", mode: "gui", steps: []step{
		waitFor("0", "$"),
		save("split right", "a", "split-pane", "--pane-id", "0", "--right"),
		waitFor("$a", "$"),
		c("activate-pane", "activate-pane", "--pane-id", "0"),
		list("list after activate"),
		c("list-clients after CLI activate", "list-clients", "--format", "json"),
		c("zoom", "zoom-pane", "--pane-id", "0"),
		list("list zoomed"),
		c("unzoom a pane that is not zoomed", "zoom-pane", "--pane-id", "$a", "--unzoom"),
		list("list still zoomed"),
		c("toggle", "zoom-pane", "--pane-id", "0", "--toggle"),
		c("activate-pane-direction Right", "activate-pane-direction", "--pane-id", "0", "Right"),
		c("get-pane-direction Left (none)", "get-pane-direction", "--pane-id", "0", "Left"),
		c("get-pane-direction Right", "get-pane-direction", "--pane-id", "0", "Right"),
		c("adjust-pane-size", "adjust-pane-size", "--pane-id", "0", "--amount", "5", "Left"),
		c("set-tab-title", "set-tab-title", "--pane-id", "0", "my tab"),
		c("set-window-title", "set-window-title", "--pane-id", "0", "my window"),
		c("rename-workspace", "rename-workspace", "--pane-id", "0", "renamed"),
		list("list after titles"),
		c("kill-pane", "kill-pane", "--pane-id", "$a"),
		list("list after kill"),
		c("list-clients after rename", "list-clients", "--format", "json"),
	}},
	{name: "gone-pane", mode: "gui", steps: []step{
		c("kill-pane", "kill-pane", "--pane-id", "999"),
		c("send-text", "send-text", "--pane-id", "999", "--no-paste", "x"),
		c("get-text", "get-text", "--pane-id", "999"),
		c("activate-pane", "activate-pane", "--pane-id", "999"),
		c("activate-pane-direction", "activate-pane-direction", "--pane-id", "999", "Left"),
		c("get-pane-direction", "get-pane-direction", "--pane-id", "999", "Left"),
		c("split-pane", "split-pane", "--pane-id", "999"),
		c("adjust-pane-size", "adjust-pane-size", "--pane-id", "999", "Left"),
		c("zoom-pane", "zoom-pane", "--pane-id", "999"),
		c("set-tab-title", "set-tab-title", "--pane-id", "999", "t"),
		c("set-window-title", "set-window-title", "--pane-id", "999", "t"),
		c("rename-workspace", "rename-workspace", "--pane-id", "999", "x"),
		c("activate-tab", "activate-tab", "--pane-id", "999", "--tab-index", "0"),
		c("move-pane-to-new-tab", "move-pane-to-new-tab", "--pane-id", "999"),
		save("spawn next to a gone pane (a new window)", "n", "spawn", "--pane-id", "999"),
	}},
	{name: "gone-tab-window", mode: "gui", steps: []step{
		c("activate-tab --tab-id", "activate-tab", "--tab-id", "999"),
		c("set-tab-title --tab-id", "set-tab-title", "--tab-id", "999", "x"),
		c("set-window-title --window-id", "set-window-title", "--window-id", "999", "x"),
		c("spawn --window-id", "spawn", "--window-id", "999"),
		c("move-pane-to-new-tab --window-id", "move-pane-to-new-tab", "--pane-id", "0", "--window-id", "999"),
		c("rename an unknown workspace", "rename-workspace", "--workspace", "nosuch", "y"),
	}},
	{name: "usage-errors", mode: "gui", steps: []step{
		c("unknown subcommand", "frobnicate"),
		c("flag after the subcommand", "list", "--no-auto-start"),
		c("--workspace without --new-window", "spawn", "--workspace", "w"),
		c("exclusive zoom flags", "zoom-pane", "--pane-id", "0", "--zoom", "--unzoom"),
		c("--no-wrap without --tab-relative", "activate-tab", "--pane-id", "0", "--no-wrap"),
		c("bad direction", "activate-pane-direction", "--pane-id", "0", "Sideways"),
		c("percent over 100", "split-pane", "--pane-id", "0", "--percent", "200"),
		c("negative value as a separate word", "get-text", "--pane-id", "0", "--start-line", "-3"),
	}},
	{name: "close-last-pane", mode: "gui", steps: []step{
		c("kill the last pane", "kill-pane", "--pane-id", "0"),
		{name: "a second later", sleep: time.Second},
		c("list after the GUI quit", "list", "--format", "json"),
	}},
	{name: "top-level-left", mode: "mux", steps: []step{
		waitFor("0", "$"),
		save("split right 30%", "a", "split-pane", "--pane-id", "0", "--right", "--percent", "30"),
		waitFor("$a", "$"),
		save("split bottom 5 cells", "b", "split-pane", "--pane-id", "$a", "--bottom", "--cells", "5"),
		waitFor("$b", "$"),
		save("top-level left 25%", "l", "split-pane", "--pane-id", "$b", "--left", "--top-level", "--percent", "25"),
		waitFor("$l", "$"),
		list("list"),
		c("kill the top-level pane", "kill-pane", "--pane-id", "$l"),
		list("list after kill"),
		c("zoom", "zoom-pane", "--pane-id", "$b"),
		list("list zoomed (the tab's stale size)"),
		c("unzoom", "zoom-pane", "--pane-id", "$b", "--unzoom"),
		save("spawn a tab", "t", "spawn", "--pane-id", "0"),
		waitFor("$t", "$"),
		list("list with the new tab"),
	}},
	{name: "adjust-next-crash", mode: "gui", steps: []step{
		waitFor("0", "$"),
		// The client refuses Next/Prev for adjust-pane-size: WezTerm
		// panics on them (unreachable!() in Tab::adjust_pane_size).
		c("adjust-pane-size Next", "adjust-pane-size", "--pane-id", "0", "Next"),
		{name: "a second later", sleep: time.Second},
		c("list after the crash", "list", "--format", "json"),
	}},
	{name: "headless", mode: "mux", steps: []step{
		waitFor("0", "$"),
		c("list-clients", "list-clients", "--format", "json"),
		list("list"),
		c("spawn without a pane (no focus to guess)", "spawn"),
		save("spawn a new window", "w", "spawn", "--new-window", "--workspace", "x"),
		waitFor("$w", "$"),
		list("list after spawn"),
		c("kill the last panes", "kill-pane", "--pane-id", "0"),
		c("kill", "kill-pane", "--pane-id", "$w"),
		{name: "a second later", sleep: time.Second},
		c("list (the mux server stays)", "list", "--format", "json"),
	}},
}
