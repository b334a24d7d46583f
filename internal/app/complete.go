package app

import (
	"fmt"
	"io"
	"strings"

	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
)

// helpCmd is `help [COMMAND [SUBCOMMAND]]`: to stdout, exit 0.
func helpCmd(stdout, stderr io.Writer, args []string) int {
	if len(args) == 0 {
		printUsage(stdout)
		return 0
	}
	name := strings.Join(args, " ")
	s, ok := findSpec(name)
	if !ok || s.hidden {
		return unknownCommand(stderr, name)
	}
	printHelp(stdout, s)
	return 0
}

// completionCmd prints a completion script. The scripts ask the program
// itself (`wezterm-parallel __complete WORDS... CURRENT`), so commands,
// flags and layout names stay current.
func completionCmd(stdout, stderr io.Writer, args []string) int {
	s, _ := findSpec("completion")
	fs, pos, err := parseArgs(s, args, stdout, stderr)
	_ = fs
	switch {
	case err == errHelp:
		return 0
	case err != nil:
		return 2
	}
	script, ok := completionScripts[pos[0]]
	if !ok {
		usageErr(stderr, s, "no completion for "+pos[0]+" (bash, zsh or fish)")
		return 2
	}
	fmt.Fprint(stdout, script)
	return 0
}

// The scripts insert candidates quoted: a layout file named
// x$(touch y).toml, * or "my layout" completes to that one name, never to
// code, a glob or two words. bash quotes each with printf %q (readline
// inserts COMPREPLY as it is); zsh's compadd and fish quote what they
// insert themselves. Candidates come one a line, so none holds a control
// character (complete leaves those out).
var completionScripts = map[string]string{
	"bash": `# wezterm-parallel completion for bash: source <(wezterm-parallel completion bash)
_wezterm_parallel() {
  local line quoted
  COMPREPLY=()
  while IFS= read -r line; do
    printf -v quoted '%q' "$line"
    COMPREPLY+=("$quoted")
  done < <(wezterm-parallel __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
}
complete -o default -F _wezterm_parallel wezterm-parallel
`,
	"zsh": `#compdef wezterm-parallel
# wezterm-parallel completion for zsh: source <(wezterm-parallel completion zsh)
_wezterm_parallel() {
  local -a items
  items=("${(@f)$(wezterm-parallel __complete "${words[@]:1:$((CURRENT-1))}" 2>/dev/null)}")
  if (( ${#items} )) && [[ -n "${items[1]}" ]]; then
    compadd -a items
  else
    _files
  fi
}
compdef _wezterm_parallel wezterm-parallel
`,
	"fish": `# wezterm-parallel completion for fish: wezterm-parallel completion fish | source
complete -c wezterm-parallel -f -a '(wezterm-parallel __complete (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'
`,
}

// complete prints the candidates for the last word given the words before
// it (the hidden __complete command the scripts call).
func (r *runner) complete(args []string) int {
	if len(args) == 0 {
		args = []string{""}
	}
	// The word being completed comes as typed (my\ la, 'my la): compared
	// unquoted.
	words, cur := args[:len(args)-1], shellUnquote(args[len(args)-1])
	for _, c := range r.candidates(words, cur) {
		if strings.HasPrefix(c, cur) && textsafe.IsClean(c) {
			fmt.Fprintln(r.o.Stdout, c)
		}
	}
	return 0
}

// shellUnquote reads a word as a POSIX shell (or zsh, fish) would, without
// expanding anything: backslashes, '…', "…" and $'…' (\n, \t, \e, \xHH,
// \\, \'). An unfinished quote is read to the end (the user is typing).
func shellUnquote(w string) string {
	var b strings.Builder
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c == '\\' && i+1 < len(w):
			i++
			b.WriteByte(w[i])
		case c == '\'':
			j := strings.IndexByte(w[i+1:], '\'')
			if j < 0 {
				b.WriteString(w[i+1:])
				return b.String()
			}
			b.WriteString(w[i+1 : i+1+j])
			i += j + 1
		case c == '"':
			for i++; i < len(w) && w[i] != '"'; i++ {
				if w[i] == '\\' && i+1 < len(w) && strings.IndexByte("\\\"$`", w[i+1]) >= 0 {
					i++
				}
				b.WriteByte(w[i])
			}
		case c == '$' && i+1 < len(w) && w[i+1] == '\'':
			for i += 2; i < len(w) && w[i] != '\''; i++ {
				if w[i] != '\\' || i+1 >= len(w) {
					b.WriteByte(w[i])
					continue
				}
				i++
				switch e := w[i]; e {
				case 'n':
					b.WriteByte('\n')
				case 't':
					b.WriteByte('\t')
				case 'r':
					b.WriteByte('\r')
				case 'e', 'E':
					b.WriteByte(0x1b)
				case 'a':
					b.WriteByte(7)
				case 'x':
					n, k := 0, 0
					for ; k < 2 && i+1 < len(w) && strings.IndexByte("0123456789abcdefABCDEF", w[i+1]) >= 0; k++ {
						i++
						n = n*16 + strings.IndexByte("0123456789abcdef", strings.ToLower(w[i : i+1])[0])
					}
					b.WriteByte(byte(n))
				default:
					b.WriteByte(e)
				}
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func (r *runner) candidates(words []string, cur string) []string {
	// The command is the first word that is not a global flag or its value.
	var cmd []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		if g, ok := globalFlag(w); ok {
			if g.value != "" && !strings.Contains(w, "=") {
				i++
			}
			continue
		}
		if !strings.HasPrefix(w, "-") {
			cmd = append(cmd, w)
		}
	}
	if n := len(words); n > 0 {
		// A flag's value: files for paths (left to the shell), the
		// choices where there are some.
		if g, ok := globalFlag(words[n-1]); ok && g.value != "" && !strings.Contains(words[n-1], "=") {
			if g.name == "log-level" {
				return []string{"debug", "info", "warn", "error"}
			}
			return nil
		}
		switch words[n-1] {
		case "--sort":
			return []string{"cpu", "mem", "pane"}
		case "--by":
			return []string{"day", "model", "pane", "workspace"}
		case "--existing":
			return []string{"merge", "copy", "skip"}
		case "--from":
			var ids []string
			if st, err := r.snapshots(); err == nil {
				infos, _ := st.List()
				for _, in := range infos {
					ids = append(ids, in.ID)
				}
			}
			return ids
		case "--import":
			return nil
		case "--cwd", "--workspace", "--interval", "--iterations", "--since":
			return nil
		}
	}
	var globals []string
	for _, g := range globalFlags {
		globals = append(globals, "--"+g.name)
	}
	if len(cmd) == 0 {
		if strings.HasPrefix(cur, "-") {
			return append(globals, "--help")
		}
		return commandNames()
	}
	name := cmd[0]
	if name == "layout" && len(cmd) > 1 {
		name = "layout " + cmd[1]
	}
	s, ok := findSpec(name)
	if !ok {
		return nil
	}
	if strings.HasPrefix(cur, "-") {
		return append(append(sortedFlags(s), "--help"), globals...)
	}
	npos := len(cmd) - 1
	if strings.HasPrefix(s.name, "layout ") {
		npos--
	}
	if s.max >= 0 && npos >= s.max {
		return nil
	}
	switch s.complete {
	case "layout":
		return r.layoutNames()
	case "layout-command":
		return []string{"list", "check", "save", "cleanup"}
	case "command":
		if npos == 1 && cmd[1] == "layout" {
			return []string{"list", "check", "save", "cleanup"}
		}
		return commandNames()
	case "shell":
		return []string{"bash", "zsh", "fish"}
	}
	return nil
}

func globalFlag(w string) (struct{ name, value, usage string }, bool) {
	if !strings.HasPrefix(w, "-") {
		return struct{ name, value, usage string }{}, false
	}
	name, _, _ := strings.Cut(strings.TrimLeft(w, "-"), "=")
	for _, g := range globalFlags {
		if g.name == name {
			return g, true
		}
	}
	return struct{ name, value, usage string }{}, false
}

// layoutNames are the layouts `launch` takes by name.
func (r *runner) layoutNames() []string {
	st := r.store()
	entries, err := layout.List(config.LayoutsDir(st.Prefs(), st.Path()))
	if err != nil {
		return nil
	}
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Name
	}
	return out
}
