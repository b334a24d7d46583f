//go:build unix

package difftest

// known are the differences between the stand-in and real WezTerm that stay,
// each with the reason (scenario/step → why). A difference that is not here
// fails TestDifferential; one that is here and no longer seen fails too.
// Differences in trailing blanks alone are explained once, by trailingBlanks.
var known = map[string]string{
	"usage-errors/--workspace without --new-window": usageLine,
	"usage-errors/exclusive zoom flags":             usageLine,
	"usage-errors/--no-wrap without --tab-relative": usageLine + " (and names the missing one as `--tab-relative <TAB_RELATIVE>`)",
	"agent-screen/get-text --escapes": "WezTerm writes its own SGR form (ESC(B ESC[0m resets, one ESC[…m per attribute, a reset " +
		"before the last cell of a wrapped line); the stand-in writes its emulator's compact SGR. Same text and colours; " +
		"the product never asks for --escapes.",
	"adjust-next-crash/adjust-pane-size Next": "WezTerm logs the decode error twice (targets wezterm_client::client and " +
		"wezterm), the stand-in once; same exit 1 and words. The client refuses Next/Prev for adjust-pane-size.",
	"top-level-left/list": topLevelLeft,
}

const usageLine = "clap's Usage line names the arguments given and required (e.g. `spawn --new-window --workspace <WORKSPACE> [PROG]...`); " +
	"the stand-in prints the subcommand's generic `[OPTIONS]` line. Same first line and exit code 2; the client reads only the exit code."

const topLevelLeft = "WezTerm 20250223 gives the new pane of a --top-level --left (or --top) split of a tab with several panes " +
	"the pty size of the old tree's share (59 columns in a 20-column slot at 0; the old tree is placed right, at 21). The " +
	"stand-in gives it the slot's size. The product never makes top-level splits."

// trailingBlanks explains get-text and table outputs that differ only in
// blanks at the ends of lines.
const trailingBlanks = "WezTerm prints every cell a line holds, blanks a program wrote or erased included (`$ ` keeps its " +
	"space, a bash prompt after EL runs to the pane's width), and pads the last table column; the stand-in's emulator " +
	"cannot tell written blanks from empty cells and trims them. The client trims lines before matching (agents' prompts)."
