package metrics

import "strings"

// JoinArgs joins argv into one line a shell would split back the same way
// (what a pane's foreground Cmdline holds).
func JoinArgs(args []string) string { return joinArgs(args) }

// joinArgs joins argv into one line a shell would split back the same way:
// arguments with spaces or shell metacharacters are single-quoted.
func joinArgs(args []string) string {
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		if a != "" && !strings.ContainsAny(a, " \t\n'\"\\$`|&;<>()*?[]{}~!#") {
			b.WriteString(a)
			continue
		}
		b.WriteByte('\'')
		b.WriteString(strings.ReplaceAll(a, "'", `'\''`))
		b.WriteByte('\'')
	}
	return b.String()
}
