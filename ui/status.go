package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/internal/viewmodel"
	"github.com/wezterm-parallel/wezterm-parallel/ui/widgets"
)

// statusView is the bottom line: the outcome of the last action (an error
// in red with WezTerm's reason, anything else plain), and the version.
type statusView struct {
	root    fyne.CanvasObject
	icon    *widget.Icon
	text    *widget.RichText
	version *widget.Label
	current string
}

func newStatusView() *statusView {
	s := &statusView{icon: widget.NewIcon(nil), text: widget.NewRichText(), version: widget.NewLabel("")}
	s.text.Truncation = fyne.TextTruncateEllipsis

	s.icon.Hide()
	s.root = container.NewBorder(nil, nil, s.icon, s.version, s.text)
	return s
}

// info shows a neutral message.
func (s *statusView) info(msg string) { s.set(msg, false) }

// fail shows a failure, in the error colour.
func (s *statusView) fail(msg string) { s.set(msg, true) }

func (s *statusView) set(msg string, isErr bool) {
	s.current = msg
	style := widget.RichTextStyleInline
	if isErr {
		style.ColorName = widgets.RoleName(viewmodel.RoleError)
		s.icon.SetResource(theme.NewColoredResource(theme.ErrorIcon(), widgets.RoleName(viewmodel.RoleError)))
		s.icon.Show()
	} else {
		s.icon.Hide()
	}
	s.text.Segments = []widget.RichTextSegment{&widget.TextSegment{Text: msg, Style: style}}
	s.text.Refresh()
}

// message is the message shown (tests).
func (s *statusView) message() string { return s.current }

func (s *statusView) setVersion(v string) {
	if v != "" && s.version.Text != "WezTerm "+v {
		s.version.SetText("WezTerm " + v)
	}
}

// bannerView is a dismissable notice above the panes: what a missing piece
// is for, and a button that fixes it.
type bannerView struct {
	root *fyne.Container
	text *widget.Label
	act  *keyButton
	// shown is told when the banner comes or goes (its stack lays out
	// again).
	shown func()
}

// newBannerView: onKey gets the keys its buttons do not use.
func newBannerView(onDismiss func(), onKey func(*fyne.KeyEvent)) *bannerView {
	b := &bannerView{text: widget.NewLabel(""), act: newKeyButton("", nil, onKey)}
	b.text.Wrapping = fyne.TextWrapWord
	b.act.Importance = widget.HighImportance
	dismiss := newKeyButton("", func() { b.hide(); onDismiss() }, onKey)
	dismiss.Icon = theme.CancelIcon()
	dismiss.Importance = widget.LowImportance
	b.root = container.NewBorder(nil, widget.NewSeparator(), widget.NewIcon(theme.InfoIcon()), container.NewHBox(b.act, dismiss), b.text)
	b.root.Hide()
	return b
}

func (b *bannerView) show(text, action string, do func()) {
	b.text.SetText(text)
	b.act.SetText(action)
	b.act.OnTapped = do
	b.root.Show()
	if b.shown != nil {
		b.shown()
	}
}

func (b *bannerView) hide() {
	b.root.Hide()
	if b.shown != nil {
		b.shown()
	}
}

// bannerStack holds the banners above the panes. It stays visible (a
// container hidden when the window was first drawn does not draw its
// children once shown); with every banner hidden it takes no room:
// bannersAbove gives it its minimum height, nothing when that is 0.
type bannerStack struct {
	*fyne.Container
	parent fyne.CanvasObject // laid out again when a banner comes or goes
}

func newBannerStack(banners ...*bannerView) *bannerStack {
	s := &bannerStack{Container: container.NewVBox()}
	for _, b := range banners {
		s.Add(b.root)
		b.shown = s.changed
	}
	return s
}

func (s *bannerStack) changed() {
	s.Refresh()
	if s.parent != nil {
		s.parent.Refresh()
	}
}

// bannersAbove lays out the banners (objects[0]) above the body
// (objects[1]), with padding between only when a banner shows.
type bannersAbove struct{}

func (bannersAbove) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	// Twice: a wrapped label knows its height only for a width (a narrow
	// window wraps the banner's text onto more lines).
	objs[0].Resize(fyne.NewSize(size.Width, objs[0].MinSize().Height))
	h := objs[0].MinSize().Height
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, h))
	if h > 0 {
		h += theme.Padding()
	}
	objs[1].Move(fyne.NewPos(0, h))
	objs[1].Resize(fyne.NewSize(size.Width, size.Height-h))
}

func (bannersAbove) MinSize(objs []fyne.CanvasObject) fyne.Size {
	b, m := objs[0].MinSize(), objs[1].MinSize()
	if b.Height > 0 {
		b.Height += theme.Padding()
	}
	return fyne.NewSize(max(b.Width, m.Width), b.Height+m.Height)
}

// muted is secondary text in a readable colour (a low-importance label is
// too faint to read on either theme), wrapped.
func muted(text string) *widget.RichText {
	r := widget.NewRichText(&widget.TextSegment{Text: text, Style: widget.RichTextStyle{ColorName: widgets.RoleName(viewmodel.RoleMuted)}})
	r.Wrapping = fyne.TextWrapWord
	return r
}
