package widgets

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/internal/viewmodel"
)

// Tile is one pane: CPU and memory at every size, then (as room allows) the
// title, the agent's status, the program, the cwd, a CPU bar coloured by
// heat and a sparkline. Long text is cut to the tile's width; the whole
// text is in the tooltip and the detail panel.
type Tile struct {
	widget.BaseWidget
	Model viewmodel.Tile
	// OnTap is called with the modifiers held (Ctrl/Shift: multi-select).
	OnTap func(m viewmodel.Tile, mods fyne.KeyModifier)
	// OnMenu is called on a secondary tap at an absolute position.
	OnMenu func(m viewmodel.Tile, at fyne.Position)
	// OnHover is called when the pointer enters (in) or leaves the tile;
	// OnMove as it moves over it (absolute positions).
	OnHover func(m viewmodel.Tile, at fyne.Position, in bool)
	OnMove  func(at fyne.Position)

	mods fyne.KeyModifier
}

// NewTile returns a tile for m.
func NewTile(m viewmodel.Tile) *Tile {
	t := &Tile{Model: m}
	t.ExtendBaseWidget(t)
	return t
}

// Update shows m; it draws only when something changed.
func (t *Tile) Update(m viewmodel.Tile) {
	if m.Equal(t.Model) {
		return
	}
	t.Model = m
	t.Refresh()
}

// MouseDown records modifiers for the tap that follows.
func (t *Tile) MouseDown(e *desktop.MouseEvent) { t.mods = e.Modifier }

// MouseUp implements desktop.Mouseable.
func (t *Tile) MouseUp(*desktop.MouseEvent) {}

// MouseIn implements desktop.Hoverable.
func (t *Tile) MouseIn(e *desktop.MouseEvent) {
	if t.OnHover != nil {
		t.OnHover(t.Model, e.AbsolutePosition, true)
	}
}

// MouseMoved implements desktop.Hoverable.
func (t *Tile) MouseMoved(e *desktop.MouseEvent) {
	if t.OnMove != nil {
		t.OnMove(e.AbsolutePosition)
	}
}

// MouseOut implements desktop.Hoverable.
func (t *Tile) MouseOut() {
	if t.OnHover != nil {
		t.OnHover(t.Model, fyne.Position{}, false)
	}
}

// Tapped implements fyne.Tappable.
func (t *Tile) Tapped(*fyne.PointEvent) {
	mods := t.mods
	t.mods = 0
	if t.OnTap != nil {
		t.OnTap(t.Model, mods)
	}
}

// TappedSecondary implements fyne.SecondaryTappable.
func (t *Tile) TappedSecondary(e *fyne.PointEvent) {
	if t.OnMenu != nil {
		t.OnMenu(t.Model, e.AbsolutePosition)
	}
}

// CreateRenderer implements fyne.Widget.
func (t *Tile) CreateRenderer() fyne.WidgetRenderer {
	text := func(mono bool) *canvas.Text {
		c := canvas.NewText("", color.Black)
		c.TextStyle = fyne.TextStyle{Monospace: mono}
		return c
	}
	r := &tileRenderer{t: t,
		bg:    canvas.NewRectangle(color.Transparent),
		title: text(false), badge: text(false), prog: text(false), cwd: text(false), usage: text(true), tag: text(false),
		spend: text(true),
		barBg: canvas.NewRectangle(color.Transparent), bar: canvas.NewRectangle(color.Transparent),
		warn:  canvas.NewImageFromResource(theme.NewColoredResource(theme.WarningIcon(), roleName(viewmodel.RoleWaiting))),
		spark: NewSparkline(100),
	}
	r.tag.Text = "WezTerm focus"
	// One rectangle draws both the fill and the border: every layer is a
	// pass over the tile's pixels, and software GL pays for each.
	r.objects = []fyne.CanvasObject{r.bg, r.title, r.warn, r.badge, r.prog, r.cwd, r.usage, r.spend, r.barBg, r.bar, r.spark, r.tag}
	r.applyColors()
	return r
}

type tileRenderer struct {
	t                                   *Tile
	bg, border, barBg, bar              *canvas.Rectangle
	title, badge, prog, cwd, usage, tag *canvas.Text
	spend                               *canvas.Text
	warn                                *canvas.Image
	spark                               *Sparkline
	objects                             []fyne.CanvasObject
	lastSize                            fyne.Size
}

func (r *tileRenderer) applyColors() {
	m := r.t.Model
	text, muted := RoleColor(viewmodel.RoleText), RoleColor(viewmodel.RoleMuted)
	if m.Stale {
		text, muted = RoleColor(viewmodel.RoleStale), RoleColor(viewmodel.RoleStale)
	}
	r.bg.FillColor = RoleColor(viewmodel.RoleTileBg)
	// A plain tile is a plain rectangle (the gaps between tiles separate
	// them): rounded, stroked rectangles cost a shader pass per pixel, and
	// a window of 40 tiles repaints them all on every change. Only the
	// tiles that mean something get a border.
	r.bg.CornerRadius, r.bg.StrokeWidth = 0, 0
	if m.Selected {
		// The selection tints the tile: the border stays free for what
		// is more urgent (a waiting agent keeps its amber when selected).
		r.bg.FillColor = blend(r.bg.FillColor, RoleColor(viewmodel.RoleSelected), 0.22)
	}
	switch {
	case m.Badge != nil && m.Badge.Role == viewmodel.RoleWaiting && !m.Stale:
		r.bg.StrokeColor, r.bg.StrokeWidth = RoleColor(viewmodel.RoleWaiting), 3
	case m.Selected:
		r.bg.StrokeColor, r.bg.StrokeWidth = RoleColor(viewmodel.RoleSelected), 3
	case m.Focused:
		r.bg.StrokeColor, r.bg.StrokeWidth = RoleColor(viewmodel.RoleFocused), 1.5
	}
	r.title.Color, r.prog.Color, r.usage.Color = text, text, text
	r.cwd.Color, r.tag.Color = muted, RoleColor(viewmodel.RoleFocused)
	r.badge.Color = muted
	r.spend.Color = text
	if !m.Stale {
		r.spend.Color = RoleColor(m.Spend.Role)
	}
	// Over its budget: the tile says so with its border too (unless
	// something more urgent already draws one).
	if m.Spend.Level == 100 && !m.Stale && r.bg.StrokeWidth == 0 {
		r.bg.StrokeColor, r.bg.StrokeWidth = RoleColor(viewmodel.RoleError), 2
	}
	if m.Badge != nil && !m.Stale {
		r.badge.Color = RoleColor(m.Badge.Role)
	}
	r.barBg.FillColor = withAlpha(muted, 0x40)
	r.bar.FillColor = RoleColor(m.Heat)
	if m.Stale {
		r.spark.SetColor(RoleColor(viewmodel.RoleStale))
	} else {
		r.spark.SetColor(RoleColor(m.Heat))
	}
}

// blend mixes f of over into base.
func blend(base, over color.Color, f float32) color.Color {
	b, o := toNRGBA(base), toNRGBA(over)
	mix := func(x, y uint8) uint8 { return uint8(float32(x)*(1-f) + float32(y)*f) }
	return color.NRGBA{R: mix(b.R, o.R), G: mix(b.G, o.G), B: mix(b.B, o.B), A: max(b.A, o.A)}
}

func withAlpha(c color.Color, a uint8) color.Color {
	n := toNRGBA(c)
	n.A = a
	return n
}

func (r *tileRenderer) Refresh() {
	r.applyColors()
	r.Layout(r.t.Size())
	r.spark.SetValues(r.t.Model.History)
	canvas.Refresh(r.t)
}

func badgeText(b *viewmodel.Badge) string {
	if b == nil {
		return ""
	}
	switch b.Role {
	case viewmodel.RoleWaiting:
		return b.Text
	case viewmodel.RoleWorking:
		return "● " + b.Text
	case viewmodel.RoleIdle:
		return "○ " + b.Text
	case viewmodel.RoleExited:
		return "■ " + b.Text
	}
	return b.Text
}

func (r *tileRenderer) Layout(size fyne.Size) {
	m := r.t.Model
	r.bg.Resize(size)
	pad := theme.Size(theme.SizeNamePadding)
	ts := theme.TextSize()
	line := fyne.MeasureText("Mg", ts, fyne.TextStyle{}).Height
	f := viewmodel.FieldsFor(size.Width, size.Height-2*pad, line)
	for _, o := range r.objects[1:] {
		o.Hide()
	}
	inner := size.Width - 2*pad
	y := pad
	put := func(c *canvas.Text, s string, x, w float32) {
		c.Text = Fit(s, w, ts, c.TextStyle)
		c.TextSize = ts
		c.Move(fyne.NewPos(x, y))
		c.Resize(fyne.NewSize(w, line))
		c.Show()
	}
	putFit := func(c *canvas.Text, cands []string, x, w float32) {
		c.Text, c.TextSize = FitFirst(cands, w, ts, ts*0.7, c.TextStyle)
		c.Move(fyne.NewPos(x, y+(ts-c.TextSize)/2))
		c.Resize(fyne.NewSize(w, line))
		c.Show()
	}
	if f.Compact && !m.Thumbnail {
		// One line: the numbers, never cut — with the spend and the
		// waiting mark when they fit, in a smaller size when they must.
		nums := m.CPUShort + " " + m.MemShort
		cands := []string{}
		if m.Spend.Short != "" {
			cands = append(cands, nums+" "+m.Spend.Short)
		}
		cands = append(cands, nums)
		if m.Badge != nil && m.Badge.Role == viewmodel.RoleWaiting {
			for i := range cands {
				cands[i] = "! " + cands[i]
			}
		}
		y = max(pad/2, (size.Height-line)/2)
		width := size.Width - pad
		if _, sz := FitFirst(cands, width, ts, ts*0.7, r.usage.TextStyle); fyne.MeasureText(cands[len(cands)-1], sz, r.usage.TextStyle).Width <= width {
			putFit(r.usage, cands, pad/2, width)
			return
		}
		// Too narrow for one line: CPU above memory, as large as the
		// height allows.
		small := min(ts, size.Height/2/1.25)
		y = max(0, (size.Height-2*small*1.25)/2)
		for _, p := range []struct {
			c *canvas.Text
			s string
		}{{r.usage, m.CPUShort}, {r.spend, m.MemShort}} {
			p.c.Text, p.c.TextSize = FitFirst([]string{p.s}, width, small, small*0.6, p.c.TextStyle)
			p.c.Move(fyne.NewPos(pad/2, y))
			p.c.Resize(fyne.NewSize(width, small*1.25))
			p.c.Show()
			y += small * 1.25
		}
		return
	}
	// Title line: the title, and the agent's badge on the right.
	badge := badgeText(m.Badge)
	bw := float32(0) // room the badge takes on the title line
	if badge != "" {
		textW := min(fyne.MeasureText(badge, ts, fyne.TextStyle{}).Width, inner*0.55)
		put(r.badge, badge, size.Width-pad-textW, textW)
		bw = textW
		if m.Badge.Role == viewmodel.RoleWaiting && !m.Stale {
			r.warn.Resize(fyne.NewSquareSize(line * 0.8))
			r.warn.Move(fyne.NewPos(size.Width-pad-textW-line*0.9, y+line*0.1))
			r.warn.Show()
			bw += line * 0.9
		}
	}
	put(r.title, m.Title, pad, inner-bw-pad)
	y += line
	if f.Program && m.Program != "" {
		put(r.prog, m.Program, pad, inner)
		y += line
	}
	if f.CWD && m.CWD != "" {
		put(r.cwd, m.CWD, pad, inner)
		y += line
	}
	if m.Thumbnail {
		return
	}
	// The numbers: labelled when they fit, else bare, else compact, else
	// smaller — never cut (the labels go first, then the digits' padding).
	// Fixed width first (digits that do not jitter), trimmed when tight.
	cpu, mem := strings.TrimSpace(m.CPU), strings.TrimSpace(m.Mem)
	cands := []string{"CPU " + m.CPU + "   MEM " + m.Mem, m.CPU + " " + m.Mem, cpu + " " + mem, m.CPUShort + " " + m.MemShort}
	if !f.Labels {
		cands = cands[1:]
	}
	spendLine := m.Spend.Short != "" && size.Height-pad-y >= 2*line
	if m.Spend.Short != "" && !spendLine {
		// No room for its own line: after the numbers, when it fits.
		withSpend := make([]string, 0, 2*len(cands))
		for _, c := range cands {
			withSpend = append(withSpend, c+"  "+m.Spend.Short)
		}
		cands = append(withSpend, cands...)
	}
	putFit(r.usage, cands, pad, inner)
	y += line
	if spendLine {
		s := m.Spend.Short
		if inner > 150 {
			s = m.Spend.Text
		}
		put(r.spend, s, pad, inner)
		y += line
	}
	if f.Bar && !m.NoUsage && m.CPUValue >= 0.5 {
		// The CPU bar, only when there is CPU to show: an idle pane costs
		// no drawing beyond its numbers.
		bh := float32(4)
		r.barBg.Move(fyne.NewPos(pad, y+1))
		r.barBg.Resize(fyne.NewSize(inner, bh))
		frac := float32(min(m.CPUValue/100, 1))
		r.bar.Move(fyne.NewPos(pad, y+1))
		r.bar.Resize(fyne.NewSize(inner*frac, bh))
		r.barBg.Show()
		if !m.Stale {
			r.bar.Show()
		}
		y += bh + 3
	}
	if m.Focused {
		tw := fyne.MeasureText(r.tag.Text, ts*0.85, fyne.TextStyle{}).Width
		if size.Height-y-pad >= line && inner > tw+20 {
			r.tag.TextSize = ts * 0.85
			r.tag.Move(fyne.NewPos(size.Width-pad-tw, size.Height-pad-line))
			r.tag.Resize(fyne.NewSize(tw, line))
			r.tag.Show()
		}
	}
	if f.Spark && !m.NoUsage && busy(m.History) {
		rest := size.Height - pad - y
		if m.Focused && r.tag.Visible() {
			rest -= line
		}
		if rest >= 14 {
			r.spark.Move(fyne.NewPos(pad, y))
			r.spark.Resize(fyne.NewSize(inner, rest))
			r.spark.Show()
		}
	}
}

func (r *tileRenderer) MinSize() fyne.Size { return fyne.NewSize(40, 24) }

func (r *tileRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *tileRenderer) Destroy() {}

// busy reports whether a history holds any CPU use: an idle pane's flat
// chart says nothing the numbers do not, and is not drawn.
func busy(h []float64) bool {
	for _, v := range h {
		if v >= 0.5 {
			return true
		}
	}
	return false
}
