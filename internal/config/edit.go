package config

import (
	"strings"
)

// applyChanges edits TOML text in place: a changed key's line is replaced,
// a commented-out "# key = …" line in the right table is uncommented, and
// other keys are added at the end of their table (created if missing).
// Comments and every other line stay as the user wrote them.
func applyChanges(text string, changes []change) string {
	lines := strings.SplitAfter(text, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for _, c := range changes {
		lines = applyOne(lines, c)
	}
	out := strings.Join(lines, "")
	if out != "" && !strings.HasSuffix(out, "\n") {
		out += "\n"
	}
	return out
}

// tableOf returns the table a header line opens, and whether it is one.
func tableOf(line string) (string, bool) {
	t := strings.TrimSpace(line)
	if !strings.HasPrefix(t, "[") {
		return "", false
	}
	t = strings.TrimLeft(t, "[")
	if i := strings.Index(t, "]"); i >= 0 {
		t = t[:i]
	}
	return strings.TrimSpace(t), true
}

// keyOf returns the key a "key = value" line sets (quoted keys keep their
// quotes, as change.key holds them), and whether the line is commented out.
func keyOf(line string) (key string, commented bool) {
	t := strings.TrimSpace(line)
	if strings.HasPrefix(t, "#") {
		commented = true
		t = strings.TrimSpace(strings.TrimPrefix(t, "#"))
	}
	eq := -1
	inQuote := byte(0)
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case inQuote != 0:
			if c == '\\' && inQuote == '"' {
				i++
			} else if c == inQuote {
				inQuote = 0
			}
		case c == '"' || c == '\'':
			inQuote = c
		case c == '=':
			eq = i
		}
		if eq >= 0 {
			break
		}
	}
	if eq <= 0 {
		return "", commented
	}
	return strings.TrimSpace(t[:eq]), commented
}

func applyOne(lines []string, c change) []string {
	table := ""
	start, end := -1, len(lines) // the target table's lines: [start, end)
	if c.table == "" {
		start = 0
	}
	for i, l := range lines {
		if t, ok := tableOf(l); ok {
			if table == c.table && start >= 0 {
				end = i
				break
			}
			table = t
			if t == c.table {
				start = i + 1
			}
		}
	}
	newLine := ""
	if c.value != nil {
		newLine = c.key + " = " + *c.value + "\n"
	}
	if start >= 0 {
		// An existing line for the key, else a commented-out one.
		for _, wantCommented := range []bool{false, true} {
			for i := start; i < end; i++ {
				k, commented := keyOf(lines[i])
				if k != c.key || commented != wantCommented {
					continue
				}
				if c.value == nil {
					if commented {
						return lines
					}
					return append(lines[:i], lines[i+1:]...)
				}
				indent := lines[i][:len(lines[i])-len(strings.TrimLeft(lines[i], " \t"))]
				lines[i] = indent + newLine
				return lines
			}
		}
		if c.value == nil {
			return lines
		}
		// Add after the table's last non-blank line.
		at := end
		for at > start && strings.TrimSpace(lines[at-1]) == "" {
			at--
		}
		return append(lines[:at], append([]string{newLine}, lines[at:]...)...)
	}
	if c.value == nil {
		return lines
	}
	if n := len(lines); n > 0 && !strings.HasSuffix(lines[n-1], "\n") {
		lines[n-1] += "\n"
	}
	return append(lines, "\n["+c.table+"]\n", newLine)
}
