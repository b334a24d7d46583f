package wezterm

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/mattn/go-runewidth"
)

// ParseListTable decodes the default table output of `wezterm cli list`,
// the only format of releases before 20220624. Titles contain spaces, so
// columns are cut at the header's display-width offsets (WezTerm pads every
// cell to its column width by unicode display width); trailing padding may
// be missing. Only the table's fields are filled. Releases before 20220319
// print six columns, without WORKSPACE: every pane is in "default".
func ParseListTable(out string) ([]Pane, error) {
	lines := strings.Split(strings.ReplaceAll(out, "\r\n", "\n"), "\n")
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("parse list table: %w: empty output", ErrMalformed)
	}
	header := lines[0]
	names := []string{"WINID", "TABID", "PANEID", "WORKSPACE", "SIZE", "TITLE", "CWD"}
	fields := strings.Join(strings.Fields(header), " ")
	hasWorkspace := fields == strings.Join(names, " ")
	if !hasWorkspace {
		names = []string{"WINID", "TABID", "PANEID", "SIZE", "TITLE", "CWD"}
		if fields != strings.Join(names, " ") {
			return nil, fmt.Errorf("parse list table: %w: unexpected header %q", ErrMalformed, header)
		}
	}
	// Column end offsets (exclusive) in display cells. The numeric columns
	// are right-aligned, so each column ends where the next one's header
	// starts, less the one-space separator.
	starts := make([]int, len(names))
	pos := 0
	for i, n := range names {
		idx := strings.Index(header[pos:], n)
		starts[i] = runewidth.StringWidth(header[:pos+idx])
		pos += idx + len(n)
	}
	var panes []Pane
	for ln, line := range lines[1:] {
		if strings.TrimSpace(line) == "" {
			continue
		}
		cells := cutColumns(line, starts)
		p := Pane{}
		ids := make([]uint64, 3)
		for i := range ids {
			v, err := strconv.ParseUint(strings.TrimSpace(cells[i]), 10, 64)
			if err != nil {
				return nil, fmt.Errorf("parse list table: %w: line %d: %s %q is not a number", ErrMalformed, ln+2, names[i], cells[i])
			}
			ids[i] = v
		}
		p.WindowID, p.TabID, p.PaneID = WindowID(ids[0]), TabID(ids[1]), PaneID(ids[2])
		p.Workspace = DefaultWorkspace
		rest := cells[3:]
		if hasWorkspace {
			// An empty cell is a workspace named "" (the table cannot
			// tell it from a blank, and WezTerm prints names as they are).
			p.Workspace = strings.TrimSpace(cells[3])
			rest = cells[4:]
		}
		if c, r, ok := strings.Cut(strings.TrimSpace(rest[0]), "x"); ok {
			p.Size.Cols, _ = strconv.Atoi(c)
			p.Size.Rows, _ = strconv.Atoi(r)
		}
		p.Title = strings.TrimRight(rest[1], " ")
		p.CWD = strings.TrimSpace(rest[2])
		panes = append(panes, p)
	}
	return panes, nil
}

// cutColumns splits line into len(starts) cells at the given display
// offsets.
func cutColumns(line string, starts []int) []string {
	cells := make([]string, len(starts))
	col, cell := 0, 0
	var b strings.Builder
	for _, r := range line {
		for cell+1 < len(starts) && col >= starts[cell+1] {
			cells[cell] = b.String()
			b.Reset()
			cell++
		}
		b.WriteRune(r)
		col += runewidth.RuneWidth(r)
	}
	cells[cell] = b.String()
	return cells
}
