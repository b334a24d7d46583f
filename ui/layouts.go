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
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/wezterm-parallel/wezterm-parallel/assets"
	"github.com/wezterm-parallel/wezterm-parallel/internal/backend"
	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/control"
	"github.com/wezterm-parallel/wezterm-parallel/internal/decide"
	"github.com/wezterm-parallel/wezterm-parallel/internal/launch"
	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/trust"
	"github.com/wezterm-parallel/wezterm-parallel/internal/viewmodel"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
	"github.com/wezterm-parallel/wezterm-parallel/ui/widgets"
)

// layoutsView is the gallery of layouts: each with a to-scale thumbnail
// and Launch; files with problems listed with their positions. Files are
// read, parsed, trusted and saved off the UI goroutine.
type layoutsView struct {
	b       *backend.Backend
	ctl     *control.Controller
	jobs    *jobs
	say     *statusView
	dlg     dialogs
	onKey   func(*fyne.KeyEvent)
	notify  func(k decide.Kind, title, body string)
	openURL func(*url.URL) error
	// shown is the live tree and the workspace the window shows (what
	// Save saves); launched shows a launched layout's panes.
	shown    func() (topology.Tree, string)
	launched func(workspace string, panes []wezterm.PaneID)

	root    fyne.CanvasObject
	gallery *fyne.Container
	invalid *widget.Label
}

func (v *layoutsView) build(tt *tips) {
	v.gallery = container.NewGridWrap(fyne.NewSize(280, 260))
	v.invalid = widget.NewLabel("")
	v.invalid.Wrapping = fyne.TextWrapWord
	v.invalid.TextStyle = fyne.TextStyle{Monospace: true}
	bar := container.NewHBox(
		newTipButton("Save current workspace…", theme.DocumentSaveIcon(), "Save the shown workspace as a layout (Ctrl+Shift+S)", tt, v.save),
		newTipButton("Open layouts folder", theme.FolderOpenIcon(), "Your layouts are TOML files in this folder", tt, v.openFolder),
		newTipButton("Reload", theme.ViewRefreshIcon(), "Read the layouts folder again", tt, v.reload),
	)
	v.root = container.NewBorder(bar, nil, nil, nil, container.NewVScroll(container.NewVBox(v.gallery, v.invalid)))
}

// dir is the user's layouts folder ("" without preferences).
func (v *layoutsView) dir() string {
	if v.b.Store == nil {
		return ""
	}
	return config.LayoutsDir(v.b.Store.Prefs(), v.b.Store.Path())
}

// reload reads the layouts folder (off the UI goroutine) and shows it:
// each layout prepared as any launch prepares it.
func (v *layoutsView) reload() {
	dir, prefs := v.dir(), v.b.Prefs()
	type listing struct {
		ok       []*control.Prepared
		problems []string
	}
	run(v.jobs, func(context.Context) (listing, error) {
		var out listing
		entries, err := layout.List(dir)
		if err != nil {
			return out, err
		}
		for _, e := range entries {
			data, err := readEntry(e)
			if err == nil {
				var p *control.Prepared
				if p, err = control.Prepare(e, data, prefs, control.PrepareOptions{}); err == nil {
					out.ok = append(out.ok, p)
					continue
				}
			}
			out.problems = append(out.problems, err.Error())
		}
		return out, nil
	}, func(out listing, err error) {
		if err != nil {
			v.say.fail(textsafe.Escape(err.Error()))
			return
		}
		cards := make([]fyne.CanvasObject, 0, len(out.ok))
		for _, p := range out.ok {
			cards = append(cards, v.card(p))
		}
		v.gallery.Objects = cards
		v.gallery.Refresh()
		if len(out.problems) > 0 {
			v.invalid.SetText("Layouts with problems:\n" + textsafe.EscapeKeepNewlines(strings.Join(out.problems, "\n")))
		} else {
			v.invalid.SetText("")
		}
	})
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

// thumbnail draws the layout's first tab to scale, its commands as the
// launch types them (${agent_command} as the preferences say).
func thumbnail(l *layout.Layout, vars layout.Vars) *widgets.PaneGrid {
	if vars["agent_command"] == "" {
		vars = layout.Vars{"agent_command": "agent (shell)"}
	}
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

func (v *layoutsView) card(p *control.Prepared) fyne.CanvasObject {
	e, l := p.Entry, p.Layout
	title := widget.NewLabelWithStyle(viewmodel.Ellipsize(e.Name, 40), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	desc := widget.NewLabel(viewmodel.Ellipsize(l.Description, 120))
	desc.Wrapping = fyne.TextWrapWord
	src := string(e.Source)
	if e.Source != layout.Bundled {
		src += ": " + textsafe.Escape(e.Path)
	}
	info := widget.NewLabel(fmt.Sprintf("%s · %s · %s", workspaceOf(l), viewmodel.Plural(len(l.Tabs), "tab"), src))
	info.Truncation = fyne.TextTruncateEllipsis
	thumb := container.NewGridWrap(fyne.NewSize(260, 110), thumbnail(l, p.Opts.Vars))
	btn := newKeyButton("Launch", func() { v.launch(p) }, v.onKey)
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
// same text as the command line's), then runs it with progress in the
// user's words, and shows the new panes.
func (v *layoutsView) launch(p *control.Prepared) {
	if p.Entry.Trusted() || !trust.Needed(p.Entry, p.Data, v.b.Prefs()) {
		v.run(p)
		return
	}
	msg := widget.NewLabel(trust.Title(p.Entry) + "\n\n" + strings.Join(trust.Lines(p.Plan), "\n"))
	msg.Wrapping = fyne.TextWrapWord
	msg.TextStyle = fyne.TextStyle{Monospace: true}
	scroll := container.NewVScroll(msg)
	scroll.SetMinSize(fyne.NewSize(620, 280))
	fd := v.dlg.form("Run this project layout?", "Run", false, scroll, nil, func() {
		// The consent is remembered off the UI goroutine, then it runs.
		store := v.b.Store
		run(v.jobs, func(context.Context) (struct{}, error) {
			if store == nil {
				return struct{}{}, nil
			}
			return struct{}{}, trust.Remember(store, p.Entry, p.Data)
		}, func(_ struct{}, err error) {
			if err != nil {
				v.say.fail(textsafe.Escape("launching, but the consent is not remembered: " + err.Error()))
			}
			v.run(p)
		})
	})
	fd.d.Resize(fyne.NewSize(700, 460))
}

// run launches p (a fan-out: its worktrees first) with its progress, then
// says how it went, in the status line and as the preferences allow a
// notification, and shows the new panes.
func (v *layoutsView) run(p *control.Prepared) {
	name := p.Entry.Name
	bar := widget.NewProgressBar()
	bar.Max = float64(len(p.Plan.Steps))
	step := widget.NewLabel("Starting…")
	if p.Layout.Worktree {
		bar.Max *= float64(p.Layout.Copies)
		step.SetText(fmt.Sprintf("Creating %d git worktrees…", p.Layout.Copies))
	}
	hide := v.dlg.progress("Launching "+name, bar, step, "the launch goes on")
	// Progress hops to the UI goroutine as it comes; the rest is done's.
	steps := 0
	progress := func(ev launch.Event) {
		onUI(func() {
			steps++
			bar.SetValue(min(float64(steps), bar.Max))
			step.SetText(ev.Step.Human(p.Plan.Panes))
		})
	}
	runWithin(v.jobs, longTimeout, func(ctx context.Context) (control.Launched, error) {
		return v.ctl.LaunchPrepared(ctx, p, launch.RunOptions{Progress: progress})
	}, func(done control.Launched, err error) {
		hide()
		if err != nil {
			v.notify(decide.Layout, "Layout "+name+" failed", err.Error())
			report(v.say, "", err)
			return
		}
		v.notify(decide.Layout, "Layout "+name+" launched", done.String())
		v.say.info(done.String())
		v.launched(done.Workspace, done.Result.Panes)
	})
}

// save saves the shown workspace as a layout, asking before it replaces
// a file.
func (v *layoutsView) save() {
	dir := v.dir()
	if dir == "" {
		v.say.fail("no preferences: nowhere to save layouts")
		return
	}
	tree, ws := v.shown()
	name := newKeyEntry(false)
	name.SetText(ws)
	var write func(force bool)
	write = func(force bool) {
		n := strings.TrimSpace(name.Text)
		run(v.jobs, func(context.Context) (string, error) {
			return layout.Save(tree, ws, n, dir, force, time.Now())
		}, func(path string, err error) {
			switch {
			case errors.Is(err, layout.ErrExists) && !force:
				msg := widget.NewLabel(textsafe.Escape(path) + " exists. Replace it?")
				msg.Wrapping = fyne.TextWrapWord
				v.dlg.form("Replace the layout?", "Replace", true, msg, nil, func() { write(true) })
			case err != nil:
				v.say.fail(textsafe.Escape(err.Error()))
			default:
				v.say.info("Saved " + textsafe.Escape(path))
				v.reload()
			}
		})
	}
	v.dlg.form("Save workspace "+textsafe.Quote(ws)+" as a layout", "Save", false, nil,
		[]field{{label: "Name", entry: name, hint: "Saved as NAME.toml in " + textsafe.Escape(dir)}}, func() { write(false) })
}

func (v *layoutsView) openFolder() {
	dir := v.dir()
	if dir == "" {
		return
	}
	run(v.jobs, func(context.Context) (struct{}, error) {
		return struct{}{}, os.MkdirAll(dir, 0o700)
	}, func(_ struct{}, err error) {
		if err == nil {
			err = v.openURL(&url.URL{Scheme: "file", Path: dir})
		}
		if err != nil {
			v.say.fail(textsafe.Escape("open " + dir + ": " + err.Error()))
		}
	})
}
