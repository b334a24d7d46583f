package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/assets"
	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/decide"
	"github.com/wezterm-parallel/wezterm-parallel/internal/launch"
	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
	"github.com/wezterm-parallel/wezterm-parallel/internal/trust"
	"github.com/wezterm-parallel/wezterm-parallel/internal/viewmodel"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"github.com/wezterm-parallel/wezterm-parallel/ui/widgets"
)

// layoutsView is the gallery of layouts: each with a to-scale thumbnail
// and Launch; files with problems listed with their positions.
type layoutsView struct {
	w       *Window
	root    fyne.CanvasObject
	gallery *fyne.Container
	invalid *widget.Label
}

func newLayoutsView(w *Window) *layoutsView {
	v := &layoutsView{w: w}
	v.gallery = container.NewGridWrap(fyne.NewSize(280, 260))
	v.invalid = widget.NewLabel("")
	v.invalid.Wrapping = fyne.TextWrapWord
	v.invalid.TextStyle = fyne.TextStyle{Monospace: true}
	bar := container.NewHBox(
		newTipButton("Save current workspace…", theme.DocumentSaveIcon(), "Save the shown workspace as a layout (Ctrl+Shift+S)", w.tips, v.onSave),
		newTipButton("Open layouts folder", theme.FolderOpenIcon(), "Your layouts are TOML files in this folder", w.tips, v.onOpenFolder),
		newTipButton("Reload", theme.ViewRefreshIcon(), "Read the layouts folder again", w.tips, v.reload),
	)
	v.root = container.NewBorder(bar, nil, nil, nil, container.NewVScroll(container.NewVBox(v.gallery, v.invalid)))
	return v
}

// dir is the user's layouts folder ("" without preferences).
func (v *layoutsView) dir() string {
	if v.w.d.Store == nil {
		return ""
	}
	return config.LayoutsDir(v.w.d.Store.Prefs(), v.w.d.Store.Path())
}

func (v *layoutsView) reload() {
	entries, err := layout.List(v.dir())
	if err != nil {
		v.w.status.fail(err.Error())
		return
	}
	var cards []fyne.CanvasObject
	var problems []string
	for _, e := range entries {
		data, err := readEntry(e)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		l, err := layout.Parse(e.Path, data, e.Name, layout.CheckOptions{DefaultRoot: v.w.prefs().DefaultCWD})
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		cards = append(cards, v.card(e, l))
	}
	v.gallery.Objects = cards
	v.gallery.Refresh()
	if len(problems) > 0 {
		v.invalid.SetText("Layouts with problems:\n" + textsafe.EscapeKeepNewlines(strings.Join(problems, "\n")))
	} else {
		v.invalid.SetText("")
	}
}

func readEntry(e layout.Entry) ([]byte, error) {
	if e.Source == layout.Bundled {
		return assets.Layouts.ReadFile("layouts/" + e.Name + ".toml")
	}
	data, err := config.ReadFile(e.Path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", e.Path, err)
	}
	return data, nil
}

// thumbnail draws the layout's first tab to scale; agent is what
// ${agent_command} stands for.
func thumbnail(l *layout.Layout, agent string) *widgets.PaneGrid {
	if agent == "" {
		agent = "agent (shell)"
	}
	vars := layout.Vars{"agent_command": agent}
	tab := viewmodel.Tab{Cols: 160, Rows: 48}
	if len(l.Tabs) > 0 {
		rects, _ := layout.Geometry(l.Tabs[0], 160, 48)
		for i, r := range rects {
			n := r.Node
			label := n.Title
			switch {
			case label != "":
			case n.Command != "":
				label = vars.Expand(n.Command)
			case len(n.Args) > 0:
				label = strings.Join(n.Args, " ")
			default:
				label = "shell"
			}
			tab.Tiles = append(tab.Tiles, viewmodel.Tile{ID: wezterm.PaneID(i), Title: viewmodel.Ellipsize(label, 60), Left: r.Left, Top: r.Top,
				Cols: r.Cols, Rows: r.Rows, Focused: n.Focus, Zoomed: n.Zoom, NoUsage: true, Thumbnail: true})
		}
	}
	return widgets.NewPaneGrid(tab)
}

func (v *layoutsView) card(e layout.Entry, l *layout.Layout) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(viewmodel.Ellipsize(e.Name, 40), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	desc := widget.NewLabel(viewmodel.Ellipsize(l.Description, 120))
	desc.Wrapping = fyne.TextWrapWord
	src := string(e.Source)
	if e.Source != layout.Bundled {
		src += ": " + textsafe.Escape(e.Path)
	}
	info := widget.NewLabel(fmt.Sprintf("%s · %s · %s", workspaceOf(l), viewmodel.Plural(len(l.Tabs), "tab"), src))
	info.Truncation = fyne.TextTruncateEllipsis
	thumb := container.NewGridWrap(fyne.NewSize(260, 110), thumbnail(l, v.w.prefs().AgentCommand))
	btn := newKeyButton("Launch", func() { v.launch(e, l) }, v.w.typedKey)
	btn.Icon = theme.MediaPlayIcon()
	btn.Importance = widget.HighImportance
	return container.NewVBox(title, thumb, desc, info, btn)
}

func workspaceOf(l *layout.Layout) string {
	if l.Workspace == "" {
		return "workspace default"
	}
	return "workspace " + viewmodel.Ellipsize(l.Workspace, 30)
}

// launch asks once for project layouts (what the file runs, escaped: the
// same text as the command line's), then runs the plan with progress in
// the user's words, and shows the new panes.
func (v *layoutsView) launch(e layout.Entry, l *layout.Layout) {
	w := v.w
	p, err := launch.Make(l, launch.Options{Vars: layout.Vars{"agent_command": w.prefs().AgentCommand}})
	if err != nil {
		w.status.fail(fmt.Sprintf("layout %s: %v", e.Name, err))
		return
	}
	start := func() {
		if l.Worktree {
			v.runFanOut(e.Name, l)
		} else {
			v.run(e.Name, p)
		}
	}
	if e.Trusted() {
		start()
		return
	}
	data, err := readEntry(e)
	if err != nil {
		w.status.fail(err.Error())
		return
	}
	if !trust.Needed(e, data, w.prefs()) {
		start()
		return
	}
	msg := widget.NewLabel(trust.Title(e) + "\n\n" + strings.Join(trust.Lines(p), "\n"))
	msg.Wrapping = fyne.TextWrapWord
	msg.TextStyle = fyne.TextStyle{Monospace: true}
	scroll := container.NewVScroll(msg)
	scroll.SetMinSize(fyne.NewSize(620, 280))
	fd := showForm(w.win, &w.keys, "Run this project layout?", "Run", false, scroll, nil, func() {
		if w.d.Store != nil {
			if err := trust.Remember(w.d.Store, e, data); err != nil {
				w.status.fail("launching, but the consent is not remembered: " + err.Error())
			}
		}
		start()
	})
	fd.d.Resize(fyne.NewSize(700, 460))
}

func (v *layoutsView) runFanOut(name string, l *layout.Layout) {
	w := v.w
	w.status.info(fmt.Sprintf("Creating %d worktrees for %s…", l.Copies, name))
	vars := layout.Vars{"agent_command": w.prefs().AgentCommand}
	w.run(func(ctx context.Context) (string, error) {
		n, err := w.ctl.FanOut(ctx, l, launch.Options{Vars: vars}, nil)
		if err != nil {
			w.notify(decide.Layout, "Layout "+name+" failed", err.Error())
			return "", fmt.Errorf("fan-out %s (%d copies launched): %w", name, n, err)
		}
		done := fmt.Sprintf("Launched %d copies of %s, each in its own git worktree", n, name)
		w.notify(decide.Layout, "Layout "+name+" launched", done)
		return done, nil
	})
}

func (v *layoutsView) run(name string, p *launch.Plan) {
	w := v.w
	bar := widget.NewProgressBar()
	bar.Max = float64(len(p.Steps))
	step := widget.NewLabel("Starting…")
	step.Truncation = fyne.TextTruncateEllipsis
	hint := widget.NewLabel("Esc hides this; the launch goes on")
	hint.Importance = widget.LowImportance
	d := dialog.NewCustomWithoutButtons("Launching "+name, container.New(&minWidthLayout{w: dialogWidth}, container.NewVBox(bar, step, hint)), w.win)
	w.keys.push(d, func(k fyne.KeyName) bool {
		if k == fyne.KeyEscape {
			w.keys.pop(d)
			d.Hide()
			return true
		}
		return false
	})
	d.SetOnClosed(func() { w.keys.pop(d) })
	d.Show()
	ws := p.Layout.Workspace
	if ws == "" {
		ws = "default"
	}
	w.run(func(ctx context.Context) (string, error) {
		res, err := w.ctl.Launch(ctx, p, func(ev launch.Event) {
			onUI(func() {
				bar.SetValue(float64(ev.Index))
				step.SetText(ev.Step.Human(p.Panes))
			})
		})
		onUI(func() { w.keys.pop(d); d.Hide() })
		if err != nil {
			w.notify(decide.Layout, "Layout "+name+" failed", err.Error())
			return "", fmt.Errorf("launch %s: %w", name, err)
		}
		done := fmt.Sprintf("Launched %s: %s in workspace %s", name, viewmodel.Plural(p.Panes, "pane"), textsafe.Quote(ws))
		w.notify(decide.Layout, "Layout "+name+" launched", done)
		// Show the new panes: their workspace, the first one selected.
		onUI(func() {
			w.tabs.SelectIndex(0)
			w.sel.Workspace, w.sel.UserChose = ws, true
			if len(res.Panes) > 0 {
				w.sel.Detail, w.sel.HasDetail, w.sel.DetailTTY = res.Panes[0], true, ""
			}
			w.render()
		})
		return done, nil
	})
}

func (v *layoutsView) onSave() {
	w := v.w
	dir := v.dir()
	if dir == "" {
		w.status.fail("no preferences: nowhere to save layouts")
		return
	}
	ws := w.sel.Workspace
	name := newKeyEntry(false)
	name.SetText(ws)
	save := func(force bool) (string, error) {
		return layout.Save(w.good.Tree, ws, strings.TrimSpace(name.Text), dir, force, time.Now())
	}
	showForm(w.win, &w.keys, "Save workspace "+textsafe.Quote(ws)+" as a layout", "Save", false, nil,
		[]field{{label: "Name", entry: name, hint: "Saved as NAME.toml in " + dir}}, func() {
			path, err := save(false)
			if errors.Is(err, layout.ErrExists) {
				msg := widget.NewLabel(textsafe.Escape(path) + " exists. Replace it?")
				msg.Wrapping = fyne.TextWrapWord
				showForm(w.win, &w.keys, "Replace the layout?", "Replace", true, msg, nil, func() {
					if path, err := save(true); err != nil {
						w.status.fail(err.Error())
					} else {
						w.status.info("Saved " + path)
						v.reload()
					}
				})
				return
			}
			if err != nil {
				w.status.fail(err.Error())
				return
			}
			w.status.info("Saved " + path)
			v.reload()
		})
}

func (v *layoutsView) onOpenFolder() {
	dir := v.dir()
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		v.w.status.fail(err.Error())
		return
	}
	if err := v.w.app.OpenURL(&url.URL{Scheme: "file", Path: dir}); err != nil {
		v.w.status.fail("open " + dir + ": " + err.Error())
	}
}

// notify sends a desktop notification the preferences allow.
func (w *Window) notify(k decide.Kind, title, body string) {
	if !decide.Allowed(w.prefs(), k) {
		return
	}
	if w.d.Notify != nil {
		w.d.Notify(title, body)
		return
	}
	w.app.SendNotification(fyne.NewNotification(title, body))
}
