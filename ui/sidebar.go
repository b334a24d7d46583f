package ui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/internal/viewmodel"
	"github.com/wezterm-parallel/wezterm-parallel/ui/widgets"
)

// sidebarView lists the workspaces (WezTerm's shown one marked ●, agents
// waiting in amber, numbers in fixed width) under a filter.
type sidebarView struct {
	root   fyne.CanvasObject
	filter *keyEntry
	list   *keyList
	items  []viewmodel.WorkspaceItem
	chosen string
}

// newSidebarView: onFilter gets the filter as typed, onChoose a workspace
// the user picked, onKey the keys the list does not use.
func newSidebarView(onFilter func(string), onChoose func(string), onKey func(*fyne.KeyEvent), unfocus func()) *sidebarView {
	s := &sidebarView{}
	s.filter = newKeyEntry(false)
	s.filter.SetPlaceHolder("Filter (Ctrl+F)")
	s.filter.OnChanged = func(text string) { onFilter(strings.ToLower(strings.TrimSpace(text))) }
	s.filter.onEscape = func() { s.filter.SetText(""); unfocus() }
	// Up and Down move through the list; Esc, Enter and the rest go to
	// the window.
	s.list = &keyList{fallback: onKey}
	s.list.Length = func() int { return len(s.items) }
	s.list.CreateItem = func() fyne.CanvasObject {
		// Two lines: the name (cut to the panel's width), then the
		// numbers and who waits: nothing squeezes the name away.
		mark := canvas.NewText("●", widgets.RoleColor(viewmodel.RoleFocused))
		name := widget.NewLabel("workspace")
		name.Truncation = fyne.TextTruncateEllipsis
		nums := canvas.NewText("", widgets.RoleColor(viewmodel.RoleMuted))
		nums.TextStyle = fyne.TextStyle{Monospace: true}
		needs := canvas.NewText("", widgets.RoleColor(viewmodel.RoleWaiting))
		needs.TextStyle = fyne.TextStyle{Bold: true}
		second := container.NewHBox(nums, needs)
		return container.NewBorder(nil, container.NewPadded(second), container.NewCenter(mark), nil, name)
	}
	s.list.UpdateItem = func(i widget.ListItemID, o fyne.CanvasObject) {
		if i >= len(s.items) {
			return
		}
		it := s.items[i]
		c := o.(*fyne.Container)
		name := c.Objects[0].(*widget.Label)
		second := c.Objects[1].(*fyne.Container).Objects[0].(*fyne.Container)
		mark := c.Objects[2].(*fyne.Container).Objects[0].(*canvas.Text)
		nums, needs := second.Objects[0].(*canvas.Text), second.Objects[1].(*canvas.Text)
		if text := fmt.Sprintf("%s (%d)", it.Label, it.Panes); name.Text != text {
			name.SetText(text) // a label's layout is costly: only when it changed
		}
		mark.Text = " "
		if it.Visible {
			mark.Text = "●"
		}
		mark.Color = widgets.RoleColor(viewmodel.RoleFocused)
		needs.Text = ""
		if it.NeedsYou > 0 {
			needs.Text = fmt.Sprintf(" %d waiting", it.NeedsYou)
		}
		needs.Color = widgets.RoleColor(viewmodel.RoleWaiting)
		nums.Text = it.Numbers
		if it.Spend != "" {
			nums.Text += " · " + it.Spend
		}
		nums.Color = widgets.RoleColor(viewmodel.RoleMuted)
		canvas.Refresh(mark)
		canvas.Refresh(needs)
		canvas.Refresh(nums)
	}
	s.list.ExtendBaseWidget(s.list)
	s.list.OnSelected = func(i widget.ListItemID) {
		if i < len(s.items) && s.items[i].Name != s.chosen {
			onChoose(s.items[i].Name)
		}
	}
	hint := muted("● shown in WezTerm")
	s.root = container.NewBorder(s.filter, hint, nil, nil, s.list)
	return s
}

// render shows items with chosen selected; nothing is redrawn when the
// items and the choice are unchanged.
func (s *sidebarView) render(items []viewmodel.WorkspaceItem, chosen string) {
	if chosen == s.chosen && slices.Equal(items, s.items) {
		return
	}
	s.items, s.chosen = items, chosen
	s.list.Refresh()
	for i, it := range items {
		if it.Name == chosen {
			s.list.Select(i)
			return
		}
	}
	s.list.UnselectAll()
}
