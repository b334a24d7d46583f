package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/assets"
	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/launch"
	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
	"github.com/wezterm-parallel/wezterm-parallel/internal/trust"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"github.com/wezterm-parallel/wezterm-parallel/ui/widgets"
)

func (w *Window) prefs() config.Preferences {
	if w.d.Store == nil {
		return config.Defaults()
	}
	return w.d.Store.Prefs()
}

// layoutsDir is the user's layouts folder ("" without preferences).
func (w *Window) layoutsDir() string {
	if w.d.Store == nil {
		return ""
	}
	return config.LayoutsDir(w.d.Store.Prefs(), w.d.Store.Path())
}

func (w *Window) layoutsView() fyne.CanvasObject {
	w.gallery = container.NewGridWrap(fyne.NewSize(280, 250))
	w.invalid = widget.NewLabel("")
	w.invalid.Wrapping = fyne.TextWrapWord
	w.invalid.TextStyle = fyne.TextStyle{Monospace: true}
	bar := container.NewHBox(
		widget.NewButtonWithIcon("Save current workspace as layout…", theme.DocumentSaveIcon(), w.onSaveLayout),
		widget.NewButtonWithIcon("Open layouts folder", theme.FolderOpenIcon(), w.onOpenLayouts),
		widget.NewButtonWithIcon("Reload", theme.ViewRefreshIcon(), w.reloadLayouts),
	)
	return container.NewBorder(bar, nil, nil, nil, container.NewVScroll(container.NewVBox(w.gallery, w.invalid)))
}

// reloadLayouts lists the layouts with a to-scale thumbnail of their first
// tab; files that do not check are listed with their positioned problems.
func (w *Window) reloadLayouts() {
	entries, err := layout.List(w.layoutsDir())
	if err != nil {
		w.message.SetText("⚠ " + err.Error())
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
		l, err := layout.Parse(e.Path, data, e.Name, layout.CheckOptions{DefaultRoot: w.prefs().DefaultCWD})
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		cards = append(cards, w.layoutCard(e, l))
	}
	w.gallery.Objects = cards
	w.gallery.Refresh()
	w.tray.namesAt = time.Time{} // the tray re-reads the folder too
	if len(problems) > 0 {
		w.invalid.SetText("Layouts with problems:\n" + strings.Join(problems, "\n"))
	} else {
		w.invalid.SetText("")
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
	view := widgets.TabView{Cols: 160, Rows: 48}
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
			view.Panes = append(view.Panes, widgets.PaneView{ID: wezterm.PaneID(i), Title: label, Left: r.Left, Top: r.Top,
				Cols: r.Cols, Rows: r.Rows, Active: n.Focus, Zoomed: n.Zoom, Thumbnail: true})
		}
	}
	return widgets.NewPaneGrid(view)
}

func (w *Window) layoutCard(e layout.Entry, l *layout.Layout) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(e.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	desc := widget.NewLabel(l.Description)
	desc.Wrapping = fyne.TextWrapWord
	src := string(e.Source)
	if e.Source != layout.Bundled {
		src += ": " + e.Path
	}
	info := widget.NewLabel(fmt.Sprintf("%s · %d tab(s) · %s", workspaceOf(l), len(l.Tabs), src))
	info.Truncation = fyne.TextTruncateEllipsis
	thumb := container.NewGridWrap(fyne.NewSize(260, 110), thumbnail(l, w.prefs().AgentCommand))
	btn := widget.NewButtonWithIcon("Launch", theme.MediaPlayIcon(), func() { w.onLaunch(e, l) })
	btn.Importance = widget.HighImportance
	return container.NewVBox(title, thumb, desc, info, btn)
}

func workspaceOf(l *layout.Layout) string {
	if l.Workspace == "" {
		return "workspace default"
	}
	return "workspace " + l.Workspace
}

// onLaunch asks once for project layouts, then runs the plan with a
// progress bar; an error names the failing step.
func (w *Window) onLaunch(e layout.Entry, l *layout.Layout) {
	p, err := launch.Make(l, launch.Options{Vars: layout.Vars{"agent_command": w.prefs().AgentCommand}})
	if err != nil {
		w.message.SetText(fmt.Sprintf("⚠ layout %s: %v", e.Name, err))
		return
	}
	start := func() {
		if l.Worktree {
			w.runFanOut(e.Name, l)
		} else {
			w.runLaunch(e.Name, p)
		}
	}
	if e.Trusted() {
		start()
		return
	}
	data, err := readEntry(e)
	if err != nil {
		w.message.SetText("⚠ " + err.Error())
		return
	}
	if !trust.Needed(e, data, w.prefs()) {
		start()
		return
	}
	// What the file says, escaped, one program per line, in a fixed-width
	// font so quoting lines up (internal/trust, shared with the CLI).
	msg := widget.NewLabel(trust.Title(e) + "\n\n" + strings.Join(trust.Lines(p), "\n"))
	msg.Wrapping = fyne.TextWrapWord
	msg.TextStyle = fyne.TextStyle{Monospace: true}
	scroll := container.NewVScroll(msg)
	scroll.SetMinSize(fyne.NewSize(600, 260))
	dialog.ShowCustomConfirm("Run this project layout?", "Run", "Cancel", scroll, func(ok bool) {
		if !ok {
			return
		}
		if w.d.Store != nil {
			if err := trust.Remember(w.d.Store, e, data); err != nil {
				w.message.SetText("⚠ launching, but the consent is not remembered: " + err.Error())
			}
		}
		start()
	}, w.win)
}

// runFanOut makes a fan-out layout's worktrees and launches a copy in each.
func (w *Window) runFanOut(name string, l *layout.Layout) {
	w.message.SetText(fmt.Sprintf("Creating %d worktrees for %s…", l.Copies, name))
	vars := layout.Vars{"agent_command": w.prefs().AgentCommand}
	w.run(func(ctx context.Context) (string, error) {
		n, err := w.ctl.FanOut(ctx, l, launch.Options{Vars: vars}, nil)
		if err != nil {
			fyne.Do(func() { w.notify("layouts", "Layout "+name+" failed", err.Error()) })
			return "", fmt.Errorf("fan-out %s (%d copies launched): %w", name, n, err)
		}
		done := fmt.Sprintf("Launched %d copies of %s, each in its own git worktree", n, name)
		fyne.Do(func() { w.notify("layouts", "Layout "+name+" launched", done) })
		return done, nil
	})
}

func (w *Window) runLaunch(name string, p *launch.Plan) {
	bar := widget.NewProgressBar()
	bar.Max = float64(len(p.Steps))
	step := widget.NewLabel("Starting…")
	step.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomWithoutButtons("Launching "+name, container.NewVBox(bar, step), w.win)
	d.Resize(fyne.NewSize(520, 160))
	d.Show()
	w.run(func(ctx context.Context) (string, error) {
		err := w.ctl.Launch(ctx, p, func(ev launch.Event) {
			fyne.Do(func() {
				bar.SetValue(float64(ev.Index))
				step.SetText(fmt.Sprintf("%d/%d  %s", ev.Index, ev.Total, ev.Step.Desc()))
			})
		})
		fyne.Do(d.Hide)
		if err != nil {
			fyne.Do(func() { w.notify("layouts", "Layout "+name+" failed", err.Error()) })
			return "", fmt.Errorf("launch %s: %w", name, err)
		}
		done := fmt.Sprintf("Launched %s: %d panes", name, p.Panes)
		fyne.Do(func() { w.notify("layouts", "Layout "+name+" launched", done) })
		return done, nil
	})
}

func (w *Window) onSaveLayout() {
	dir := w.layoutsDir()
	if dir == "" {
		w.message.SetText("⚠ no preferences: nowhere to save layouts")
		return
	}
	ws := w.workspace
	name := widget.NewEntry()
	name.SetText(ws)
	dialog.ShowForm("Save workspace "+ws+" as a layout", "Save", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Name", name)}, func(ok bool) {
			if !ok {
				return
			}
			n := strings.TrimSpace(name.Text)
			if n == "" || strings.ContainsAny(n, `/\`) {
				w.message.SetText("⚠ a layout name cannot be empty or contain slashes")
				return
			}
			var src *layout.Layout
			var err error
			for _, x := range w.snap.Tree.Workspaces {
				if x.Name == ws {
					src, err = layout.FromWorkspace(x, n)
				}
			}
			if src == nil || err != nil {
				w.message.SetText(fmt.Sprintf("⚠ save layout: %v", errOr(err, "workspace gone")))
				return
			}
			path := filepath.Join(dir, n+".toml")
			text := layout.Format(src, fmt.Sprintf("Saved from workspace %q on %s by wezterm-parallel.", ws, time.Now().Format("2006-01-02 15:04")))
			write := func() {
				w.run(func(context.Context) (string, error) {
					if err := (config.AtomicWriter{}).WriteFile(path, []byte(text), 0o600); err != nil {
						return "", err
					}
					fyne.Do(w.reloadLayouts)
					return "Saved " + path, nil
				})
			}
			if _, err := os.Stat(path); err == nil {
				dialog.ShowConfirm("Replace "+n+"?", path+" exists. Replace it?", func(ok bool) {
					if ok {
						write()
					}
				}, w.win)
				return
			}
			write()
		}, w.win)
}

func errOr(err error, s string) error {
	if err != nil {
		return err
	}
	return errors.New(s)
}

func (w *Window) onOpenLayouts() {
	dir := w.layoutsDir()
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		w.message.SetText("⚠ " + err.Error())
		return
	}
	u := &url.URL{Scheme: "file", Path: dir}
	if err := w.app.OpenURL(u); err != nil {
		w.message.SetText("⚠ open " + dir + ": " + err.Error())
	}
}
