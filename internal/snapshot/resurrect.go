package snapshot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
	"github.com/wezterm-parallel/wezterm-parallel/internal/metrics"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// The state files of resurrect.wezterm (github.com/MLFlexer/resurrect.wezterm),
// as its save_state writes them under its state folder:
// workspace/NAME.json {workspace, window_states[]}, window/TITLE.json
// {title, tabs[], size, workspace?}, tab/TITLE.json {title, pane_tree,
// is_active, is_zoomed}. A pane_tree node is a pane with its geometry in
// cells (left, top, width, height), cwd, domain, process ({name, argv,
// cwd, executable} while a full-screen program ran; a plain name in older
// versions), is_active, is_zoomed, alt_screen_active, the scrollback as
// text, and the panes to its right and below (right, bottom). The
// scrollback is not imported; nor are encrypted states (decrypt them
// first).

type rsWorkspace struct {
	Workspace    *string    `json:"workspace"`
	WindowStates []rsWindow `json:"window_states"`
}

type rsWindow struct {
	Title     string  `json:"title"`
	Workspace string  `json:"workspace"`
	Tabs      []rsTab `json:"tabs"`
	Size      *struct {
		Rows int `json:"rows"`
		Cols int `json:"cols"`
	} `json:"size"`
}

type rsTab struct {
	Title    string  `json:"title"`
	PaneTree *rsPane `json:"pane_tree"`
	IsActive bool    `json:"is_active"`
	IsZoomed bool    `json:"is_zoomed"`
}

type rsPane struct {
	Left     int             `json:"left"`
	Top      int             `json:"top"`
	Width    int             `json:"width"`
	Height   int             `json:"height"`
	Cwd      string          `json:"cwd"`
	Domain   string          `json:"domain"`
	Process  json.RawMessage `json:"process"`
	IsActive bool            `json:"is_active"`
	IsZoomed bool            `json:"is_zoomed"`
	Right    *rsPane         `json:"right"`
	Bottom   *rsPane         `json:"bottom"`
}

type rsProcess struct {
	Name       string   `json:"name"`
	Argv       []string `json:"argv"`
	Executable string   `json:"executable"`
}

// maxImport bounds a resurrect state file (its scrollback makes them
// large).
const maxImport = 64 << 20

// IsResurrect reports whether data looks like a resurrect.wezterm state
// (and not one of ours).
func IsResurrect(data []byte) bool {
	var probe map[string]json.RawMessage
	if json.Unmarshal(data, &probe) != nil {
		return false
	}
	_, ws := probe["window_states"]
	_, win := probe["tabs"]
	_, tab := probe["pane_tree"]
	_, ours := probe["version"]
	return !ours && (ws || win || tab)
}

// ImportResurrect reads resurrect.wezterm state: one of its files, or its
// state folder (every workspace/*.json; else every window/*.json; else
// every tab/*.json). now is the snapshot's time when the files say none
// (their modification time is used).
func ImportResurrect(path string) (*Snapshot, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("import resurrect state: %w", err)
	}
	files := []string{path}
	if st.IsDir() {
		files = nil
		for _, kind := range []string{"workspace", "window", "tab"} {
			m, _ := filepath.Glob(filepath.Join(path, kind, "*.json"))
			if len(m) > 0 {
				sort.Strings(m)
				files = m
				break
			}
		}
		if files == nil {
			return nil, fmt.Errorf("import resurrect state: no workspace/, window/ or tab/ *.json files in %s (its state folder is resurrect's save_state_dir)", path)
		}
	}
	s := &Snapshot{Version: Version, Source: "resurrect:" + path, Host: hostname(), Workspaces: []Workspace{}}
	var newest time.Time
	for _, f := range files {
		info, err := os.Stat(f)
		if err == nil && info.ModTime().After(newest) {
			newest = info.ModTime()
		}
		data, err := readLimited(f, maxImport)
		if err != nil {
			return nil, fmt.Errorf("import resurrect state: %w", err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		if err := importFile(s, f, name, data); err != nil {
			return nil, err
		}
	}
	if newest.IsZero() {
		newest = time.Now()
	}
	s.Taken, s.Confirmed = newest, newest
	if err := s.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// ParseResurrect reads one resurrect state file's data into a snapshot
// (for tests and fuzzing; ImportResurrect reads files).
func ParseResurrect(file string, data []byte) (*Snapshot, error) {
	s := &Snapshot{Version: Version, Source: "resurrect:" + file, Workspaces: []Workspace{}}
	if err := importFile(s, file, strings.TrimSuffix(filepath.Base(file), ".json"), data); err != nil {
		return nil, err
	}
	if err := s.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return s, nil
}

func importFile(s *Snapshot, file, name string, data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return fmt.Errorf("%s: not a JSON object: an encrypted resurrect state (age, gpg)? decrypt it first", file)
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return jsonError(file, data, err)
	}
	add := func(ws string, w Window) {
		for i := range s.Workspaces {
			if s.Workspaces[i].Name == ws {
				s.Workspaces[i].Windows = append(s.Workspaces[i].Windows, w)
				return
			}
		}
		s.Workspaces = append(s.Workspaces, Workspace{Name: ws, Windows: []Window{w}})
	}
	switch {
	case probe["window_states"] != nil:
		var st rsWorkspace
		if err := json.Unmarshal(data, &st); err != nil {
			return jsonError(file, data, err)
		}
		ws := name
		if st.Workspace != nil {
			ws = *st.Workspace
		}
		for i, w := range st.WindowStates {
			win, err := importWindow(w)
			if err != nil {
				return fmt.Errorf("%s: window %d: %w", file, i+1, err)
			}
			if win != nil {
				add(ws, *win)
			}
		}
	case probe["tabs"] != nil:
		var w rsWindow
		if err := json.Unmarshal(data, &w); err != nil {
			return jsonError(file, data, err)
		}
		win, err := importWindow(w)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		ws := w.Workspace
		if ws == "" {
			ws = name
		}
		if win != nil {
			add(ws, *win)
		}
	case probe["pane_tree"] != nil:
		var t rsTab
		if err := json.Unmarshal(data, &t); err != nil {
			return jsonError(file, data, err)
		}
		tab, err := importTab(t, 0, 0)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		if tab != nil {
			add(name, Window{Tabs: []Tab{*tab}})
		}
	default:
		return fmt.Errorf("%s: not a resurrect.wezterm state (no window_states, tabs or pane_tree)", file)
	}
	return nil
}

func importWindow(w rsWindow) (*Window, error) {
	win := &Window{Title: cut(w.Title, MaxTitle)}
	cols, rows := 0, 0
	if w.Size != nil {
		cols, rows = w.Size.Cols, w.Size.Rows
	}
	for i, t := range w.Tabs {
		tab, err := importTab(t, cols, rows)
		if err != nil {
			return nil, fmt.Errorf("tab %d: %w", i+1, err)
		}
		if tab != nil {
			win.Tabs = append(win.Tabs, *tab)
		}
	}
	if len(win.Tabs) == 0 {
		return nil, nil
	}
	return win, nil
}

// importTab flattens the pane tree to panes with rectangles, and infers the
// split tree from them as it is from WezTerm's own list.
func importTab(t rsTab, cols, rows int) (*Tab, error) {
	var panes []rsPane
	var walk func(p *rsPane, depth int) error
	walk = func(p *rsPane, depth int) error {
		if p == nil {
			return nil
		}
		if depth > maxPanes || len(panes) >= maxPanes {
			return fmt.Errorf("more than %d panes", maxPanes)
		}
		if p.Width < 1 || p.Height < 1 || p.Left < 0 || p.Top < 0 || p.Width > 10000 || p.Height > 10000 || p.Left > 10000 || p.Top > 10000 {
			return fmt.Errorf("a pane of %dx%d at %d,%d: out of range", p.Width, p.Height, p.Left, p.Top)
		}
		panes = append(panes, *p)
		if err := walk(p.Right, depth+1); err != nil {
			return err
		}
		return walk(p.Bottom, depth+1)
	}
	if err := walk(t.PaneTree, 0); err != nil {
		return nil, err
	}
	if len(panes) == 0 {
		return nil, nil
	}
	tt := topology.Tab{Cols: cols, Rows: rows, Title: t.Title, TitleSet: t.Title != ""}
	for i, p := range panes {
		tt.Panes = append(tt.Panes, topology.Pane{ID: wezterm.PaneID(i), Left: p.Left, Top: p.Top, Cols: p.Width, Rows: p.Height,
			Active: p.IsActive, Zoomed: p.IsZoomed})
		tt.Cols, tt.Rows = max(tt.Cols, p.Left+p.Width), max(tt.Rows, p.Top+p.Height)
	}
	tab := &Tab{Cols: tt.Cols, Rows: tt.Rows}
	if tt.TitleSet {
		tab.Title = cut(t.Title, MaxTitle)
	}
	byNode := map[*layout.Node]*Pane{}
	root, err := layout.TreeOf(tt, func(p topology.Pane) *layout.Node {
		n := &layout.Node{}
		byNode[n] = importPane(panes[p.ID])
		return n
	})
	if err != nil {
		tab.Approx = true
		tab.Root = &Node{Split: string(layout.Down)}
		for _, p := range panes {
			tab.Root.Children = append(tab.Root.Children, &Node{Pane: importPane(p)})
		}
		if len(tab.Root.Children) == 1 {
			tab.Root = tab.Root.Children[0]
		}
		return tab, nil
	}
	tab.Root = convert(root, byNode)
	return tab, nil
}

func importPane(p rsPane) *Pane {
	pn := &Pane{Left: p.Left, Top: p.Top, Cols: p.Width, Rows: p.Height, Active: p.IsActive, Zoomed: p.IsZoomed}
	dir := p.Cwd
	if len(dir) > MaxDir {
		dir = ""
	}
	switch {
	case dir == "":
		pn.Place = Unknown
	case p.Domain != "" && p.Domain != "local" && p.Domain != "unix":
		// SSH:host, SSHMUX:host, WSL:distro, a TLS or unix domain elsewhere.
		pn.Place, pn.Host, pn.RemoteDir = Remote, cut(p.Domain, MaxTitle), dir
	case filepath.IsAbs(dir) || isWindowsAbs(dir):
		pn.Place, pn.Dir = Local, filepath.Clean(dir)
	default:
		pn.Place, pn.RemoteDir = Unknown, dir
	}
	if len(p.Process) > 0 && !bytes.Equal(p.Process, []byte("null")) {
		var proc rsProcess
		var name string
		switch {
		case json.Unmarshal(p.Process, &proc) == nil:
			name = proc.Name
			if name == "" {
				name = proc.Executable
			}
		case json.Unmarshal(p.Process, &name) == nil:
		}
		base := filepath.Base(strings.ReplaceAll(name, `\`, "/"))
		switch {
		case name == "":
		case layout.IsShell(base) || layout.IsShell(strings.TrimSuffix(base, ".exe")):
			pn.Shell = strings.TrimSuffix(base, ".exe")
		default:
			cmd := base
			if len(proc.Argv) > 0 {
				cmd = metrics.JoinArgs(proc.Argv)
			}
			pn.Program = &Program{Name: cut(base, MaxTitle), Cmdline: cut(cmd, MaxCmdline), Cut: len(cmd) > MaxCmdline}
		}
	}
	return pn
}

// LoadFile reads a snapshot from a file: one of ours, or a
// resurrect.wezterm state file or folder (restore --from PATH).
func LoadFile(path string) (*Snapshot, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return ImportResurrect(path)
	}
	data, err := readLimited(path, maxImport)
	if err != nil {
		return nil, err
	}
	if IsResurrect(data) {
		return ImportResurrect(path)
	}
	if len(data) > maxRead {
		return nil, fmt.Errorf("%s: larger than %d KiB: not read", path, maxRead>>10)
	}
	s, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	if s.ID == "" {
		s.ID = strings.TrimSuffix(filepath.Base(path), ".json")
	}
	return s, nil
}
