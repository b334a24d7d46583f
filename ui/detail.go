package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/internal/viewmodel"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"github.com/wezterm-parallel/wezterm-parallel/ui/widgets"
)

// detailView shows everything about the selected pane, in full (wrapped,
// never widening its panel): title, program, folder, agent and why, its
// processes and its last screen lines; and the actions on it.
type detailView struct {
	root                               fyne.CanvasObject
	placeholder                        *widget.RichText
	body                               *fyne.Container
	heading, program, cwd, where, nums *widget.Label
	agent                              *widget.RichText
	procs, screen                      *widget.Label
	last                               viewmodel.Detail
	shown                              bool
	screenOf                           wezterm.PaneID
}

// newDetailView: buttons are the actions on the pane, shown under its
// facts.
func newDetailView(buttons ...fyne.CanvasObject) *detailView {
	d := &detailView{}
	wrap := func(style fyne.TextStyle) *widget.Label {
		l := widget.NewLabelWithStyle("", fyne.TextAlignLeading, style)
		l.Wrapping = fyne.TextWrapBreak
		return l
	}
	d.heading = wrap(fyne.TextStyle{Bold: true})
	d.program, d.cwd, d.where, d.nums = wrap(fyne.TextStyle{}), wrap(fyne.TextStyle{}), wrap(fyne.TextStyle{}), wrap(fyne.TextStyle{Monospace: true})
	d.agent = widget.NewRichText()
	d.agent.Wrapping = fyne.TextWrapWord
	d.nums.Wrapping = fyne.TextWrapWord
	d.procs = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	d.procs.Truncation = fyne.TextTruncateEllipsis
	d.screen = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	d.screen.Truncation = fyne.TextTruncateEllipsis
	section := func(s string) fyne.CanvasObject {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	d.body = container.NewVBox(d.heading, d.agent, d.program, d.cwd, d.where, d.nums, container.New(&flowLayout{}, buttons...),
		widget.NewSeparator(), section("Processes"), d.procs, section("Screen (last lines)"), d.screen)
	d.placeholder = muted("Select a pane: click a tile, a row of the table, or use the arrow keys. Ctrl/Shift-click adds panes to the selection for Broadcast (Ctrl+B). Every action: Ctrl+K.")
	d.root = container.NewVScroll(container.NewVBox(d.placeholder, d.body))
	d.body.Hide()
	return d
}

// render shows a pane (ok) or the placeholder.
func (d *detailView) render(m viewmodel.Detail, ok bool) {
	if !ok {
		if d.shown {
			d.shown = false
			d.body.Hide()
			d.placeholder.Show()
			d.root.Refresh()
			d.screen.SetText("")
			d.screenOf = 0
		}
		return
	}
	if d.shown && m.Pane == d.last.Pane && m.Heading == d.last.Heading && m.Program == d.last.Program && m.CWD == d.last.CWD &&
		m.Where == d.last.Where && m.Numbers == d.last.Numbers && m.Why == d.last.Why && sameBadge(m.Badge, d.last.Badge) &&
		strings.Join(m.Procs, "\n") == strings.Join(d.last.Procs, "\n") {
		return
	}
	if m.Pane != d.screenOf {
		d.screen.SetText("")
		d.screenOf = m.Pane
	}
	if !d.shown {
		d.placeholder.Hide()
		d.body.Show()
		defer d.root.Refresh() // lay the panel out again with the body in it
	}
	d.last, d.shown = m, true
	d.heading.SetText(m.Heading)
	d.program.SetText(orDash("Program: ", m.Program))
	d.cwd.SetText(orDash("Folder: ", m.CWD))
	tty := ""
	if m.TTY != "" {
		tty = " · " + m.TTY
	}
	d.where.SetText(m.Where + tty)
	d.nums.SetText(m.Numbers)
	if m.Badge != nil {
		d.agent.Segments = []widget.RichTextSegment{
			&widget.TextSegment{Text: m.Badge.Name + ": " + m.Badge.Text, Style: widget.RichTextStyle{Inline: true,
				ColorName: widgets.RoleName(m.Badge.Role), TextStyle: fyne.TextStyle{Bold: true}}},
			&widget.TextSegment{Text: "  — " + m.Why, Style: widget.RichTextStyleInline},
		}
		d.agent.Refresh()
		d.agent.Show()
	} else {
		d.agent.Hide()
	}
	if len(m.Procs) > 0 {
		d.procs.SetText(strings.Join(m.Procs, "\n"))
	}
}

func sameBadge(a, b *viewmodel.Badge) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func orDash(prefix, s string) string {
	if s == "" {
		return prefix + "–"
	}
	return prefix + s
}

// setScreen shows a pane's last screen lines (escaped).
func (d *detailView) setScreen(id wezterm.PaneID, text string) {
	if d.shown && d.last.Pane == id {
		d.screen.SetText(text)
	}
}
