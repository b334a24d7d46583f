// Package snapshot records the running state of WezTerm as the app sees it
// — workspaces, windows, tabs and their titles, each tab's split tree with
// sizes, each pane's folder (local only), its program, its agent with the
// session and model — so that internal/restore can rebuild it after a
// reboot, a crash or WezTerm closed by mistake. Pure functions here and in
// writer.go (the debounced writer); the files are in store.go; the
// resurrect.wezterm importer in resurrect.go. No Fyne, no wezterm calls.
package snapshot

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
)

// Version is the format of the files this package writes; a file of a
// newer format is refused with a message, never guessed at.
const Version = 1

// Snapshot is the working set at one time. The JSON field names are the
// file format (and `restore --list --json` shows Info, a summary of it).
type Snapshot struct {
	Version int    `json:"version"`
	ID      string `json:"id"` // the file's name without snapshot- and .json
	// Taken is when this state was first recorded; Confirmed the last time
	// it was seen unchanged (the writer rewrites it at least every 5 min).
	Taken     time.Time `json:"taken"`
	Confirmed time.Time `json:"confirmed"`
	// Source says who took it: "resident", "window", "command", or
	// "resurrect:PATH" for an imported resurrect.wezterm state.
	Source string `json:"source"`
	Host   string `json:"host,omitempty"` // the machine it was taken on
	// Trimmed says what was left out to stay under MaxBytes ("" : nothing).
	Trimmed    string      `json:"trimmed,omitempty"`
	Workspaces []Workspace `json:"workspaces"`
}

// Workspace is one WezTerm workspace.
type Workspace struct {
	Name    string   `json:"name"`
	Visible bool     `json:"visible,omitempty"` // the one the GUI showed
	Windows []Window `json:"windows"`
}

// Window is a mux window.
type Window struct {
	Title string `json:"title,omitempty"`
	Tabs  []Tab  `json:"tabs"`
}

// Tab is a tab: its title (when it was set, not derived from a pane), its
// extent in cells and its split tree.
type Tab struct {
	Title string `json:"title,omitempty"`
	Cols  int    `json:"cols"`
	Rows  int    `json:"rows"`
	// Approx: the panes did not form a tree of splits; Root stacks them.
	Approx bool  `json:"approx,omitempty"`
	Root   *Node `json:"root"`
}

// Node is a split (Split and two or more Children) or a pane (Pane).
type Node struct {
	Split    string  `json:"split,omitempty"` // "right" (children left to right) or "down"
	Children []*Node `json:"children,omitempty"`
	// Size is this node's share of its parent split in percent (two
	// decimals); 0: the children share equally.
	Size float64 `json:"size,omitempty"`
	Pane *Pane   `json:"pane,omitempty"`
}

// Place is where a pane's folder is: on this machine, on another, or not
// known.
type Place string

// Places.
const (
	Local   Place = "local"
	Remote  Place = "remote"
	Unknown Place = "unknown"
)

// Pane is one pane: where it was, its folder and what ran in it.
type Pane struct {
	Title string `json:"title,omitempty"`
	Left  int    `json:"left"`
	Top   int    `json:"top"`
	Cols  int    `json:"cols"`
	Rows  int    `json:"rows"`
	// Place says whether Dir is a folder of this machine. Only a local
	// pane has a Dir; a remote one has the Host and the RemoteDir it
	// reported (never opened here).
	Place     Place  `json:"place"`
	Dir       string `json:"dir,omitempty"`
	Host      string `json:"host,omitempty"`
	RemoteDir string `json:"remote_dir,omitempty"`
	// Shell is the shell that was in the foreground ("" when a program
	// ran, or when the process was not known).
	Shell string `json:"shell,omitempty"`
	// Program is the foreground program when it was not a shell.
	Program *Program `json:"program,omitempty"`
	Agent   *Agent   `json:"agent,omitempty"`
	Active  bool     `json:"active,omitempty"` // the active pane of its tab
	Zoomed  bool     `json:"zoomed,omitempty"`
	Focused bool     `json:"focused,omitempty"` // the pane the GUI focused
}

// Program is a pane's foreground program.
type Program struct {
	Name string `json:"name"`
	// Cmdline is its command line as a shell would split it back
	// (arguments with spaces quoted), cut at MaxCmdline bytes.
	Cmdline string `json:"cmdline"`
	// Cut: the command line was longer than MaxCmdline; it is shown,
	// never typed.
	Cut bool `json:"cut,omitempty"`
}

// Agent is the AI agent in a pane, with what resumes its conversation.
type Agent struct {
	Name    string `json:"name"`
	Session string `json:"session,omitempty"` // its session id ("" : not known)
	Model   string `json:"model,omitempty"`   // the session's latest model
}

// Limits that keep a snapshot small whatever the panes hold.
const (
	MaxTitle   = 256
	MaxCmdline = 2048
	MaxDir     = 4096
)

// Take records tree (a monitor snapshot's, with usage, agents and spend
// attached) at now; source says who took it. The ID is given when it is
// stored.
func Take(tree topology.Tree, now time.Time, source string) *Snapshot {
	s := &Snapshot{Version: Version, Taken: now, Confirmed: now, Source: source, Host: hostname()}
	for _, ws := range tree.Workspaces {
		w := Workspace{Name: ws.Name, Visible: ws.Visible}
		for _, win := range ws.Windows {
			wn := Window{Title: cut(win.Title, MaxTitle)}
			for _, tab := range win.Tabs {
				wn.Tabs = append(wn.Tabs, takeTab(tab))
			}
			if len(wn.Tabs) > 0 {
				w.Windows = append(w.Windows, wn)
			}
		}
		if len(w.Windows) > 0 {
			s.Workspaces = append(s.Workspaces, w)
		}
	}
	if s.Workspaces == nil {
		s.Workspaces = []Workspace{}
	}
	return s
}

func takeTab(tab topology.Tab) Tab {
	t := Tab{Cols: tab.Cols, Rows: tab.Rows}
	if tab.TitleSet {
		t.Title = cut(tab.Title, MaxTitle)
	}
	byNode := map[*layout.Node]*Pane{}
	root, err := layout.TreeOf(tab, func(p topology.Pane) *layout.Node {
		n := &layout.Node{}
		byNode[n] = takePane(p)
		return n
	})
	if err != nil {
		// Not a tree of splits (never seen from WezTerm): stack the panes
		// so that none is lost.
		t.Approx = true
		t.Root = &Node{Split: string(layout.Down)}
		for _, p := range tab.Panes {
			t.Root.Children = append(t.Root.Children, &Node{Pane: takePane(p)})
		}
		if len(t.Root.Children) == 1 {
			t.Root = t.Root.Children[0]
		}
	} else {
		t.Root = convert(root, byNode)
	}
	return t
}

// convert turns layout's tree into ours.
func convert(n *layout.Node, panes map[*layout.Node]*Pane) *Node {
	out := &Node{Size: n.Size.Percent}
	if n.IsPane() {
		out.Pane = panes[n]
		return out
	}
	out.Split = string(n.Split)
	for _, c := range n.Children {
		out.Children = append(out.Children, convert(c, panes))
	}
	return out
}

func takePane(p topology.Pane) *Pane {
	pn := &Pane{Title: cut(p.Title, MaxTitle), Left: p.Left, Top: p.Top, Cols: p.Cols, Rows: p.Rows,
		Active: p.Active, Zoomed: p.Zoomed, Focused: p.Focused}
	loc := Classify(p)
	pn.Place = loc.Place
	switch loc.Place {
	case Local:
		if len(loc.Dir) <= MaxDir {
			pn.Dir = loc.Dir
		} else {
			pn.Place = Unknown
		}
	case Remote:
		pn.Host, pn.RemoteDir = cut(loc.Host, MaxTitle), cut(loc.Path, MaxDir)
	}
	if p.Usage != nil && p.Usage.Foreground != nil {
		fg := *p.Usage.Foreground
		if p.Agent != nil && p.Agent.PID != 0 && p.Agent.PID != fg.PID {
			// The agent a launcher (npx, a wrapper) runs.
			for _, g := range p.Usage.Group {
				if g.PID == p.Agent.PID {
					fg = g
				}
			}
		}
		if layout.IsShell(fg.Name) {
			pn.Shell = strings.TrimPrefix(fg.Name, "-")
		} else {
			pn.Program = &Program{Name: cut(fg.Name, MaxTitle), Cmdline: fg.Cmdline}
			if len(fg.Cmdline) > MaxCmdline {
				pn.Program.Cmdline, pn.Program.Cut = cut(fg.Cmdline, MaxCmdline), true
			}
		}
	}
	if a := p.Agent; a != nil && a.Status != agents.Exited {
		pn.Agent = &Agent{Name: a.Name, Session: a.Session}
		if p.Spend != nil {
			if pn.Agent.Session == "" {
				pn.Agent.Session = p.Spend.Session
			}
			pn.Agent.Model = p.Spend.Model
		}
		pn.Agent.Session = cut(pn.Agent.Session, MaxTitle)
	}
	return pn
}

func hostname() string {
	h, _ := os.Hostname()
	return h
}

// cut shortens s to at most n bytes on a rune boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// Location is a pane's folder and where it is.
type Location struct {
	Place Place
	Dir   string // the local folder (Local only)
	Host  string // the other machine (Remote), or what reached it ("ssh")
	Path  string // the folder as the pane reported it (Remote, Unknown)
}

// remoteLogins are programs whose pane works on another machine.
var remoteLogins = map[string]bool{"ssh": true, "autossh": true, "mosh": true, "mosh-client": true, "et": true,
	"telnet": true, "rlogin": true}

// Classify says where a pane's folder is: the one function the snapshot
// trusts for it (the rules are wezterm-fidelity-3.md §1's):
//   - no folder reported: unknown;
//   - an OSC 7 host that is not this machine: remote;
//   - a pane whose foreground is ssh, mosh… (it "ssh'ed away"): remote,
//     whatever folder it reports — today's topology clears the host of any
//     pane with a tty, so the ssh'ed pane's remote folder would otherwise
//     pass for a local one;
//   - no tty on Unix (a mux, ssh or tmux domain pane, or a release before
//     20230408): unknown — its hostless path may be another machine's;
//   - otherwise local.
//
// When topology learns the three states itself (the fidelity fix), this
// is where they plug in.
func Classify(p topology.Pane) Location {
	if p.Host != "" {
		return Location{Place: Remote, Host: p.Host, Path: p.CWD}
	}
	if login, host := remoteLogin(p); login {
		return Location{Place: Remote, Host: host, Path: p.CWD}
	}
	switch p.Where { // as the client decided it (topology.Pane.Where)
	case "remote":
		return Location{Place: Remote, Path: p.CWD}
	case "unknown":
		// A mux or ssh domain's pane: its hostless path may be anyone's.
		return Location{Place: Unknown, Path: p.CWD}
	}
	if p.CWD == "" {
		return Location{Place: Unknown}
	}
	if p.TTY == nil && runtime.GOOS != "windows" {
		return Location{Place: Unknown, Path: p.CWD}
	}
	return Location{Place: Local, Dir: p.CWD}
}

// remoteLogin reports whether the pane's foreground (or its group) is a
// remote login, and the host it names.
func remoteLogin(p topology.Pane) (bool, string) {
	if p.Usage == nil || p.Usage.Foreground == nil {
		return false, ""
	}
	procs := append([]topology.Foreground{*p.Usage.Foreground}, p.Usage.Group...)
	for _, f := range procs {
		name := strings.TrimPrefix(f.Name, "-")
		if remoteLogins[name] {
			return true, loginHost(name, f.Cmdline)
		}
	}
	return false, ""
}

// sshValueFlags are ssh's options that take a value.
const sshValueFlags = "BbcDEeFIiJLlmOoPpQRSWw"

// loginHost finds the destination in a remote login's command line (best
// effort: the first argument that is not an option), else the program.
func loginHost(name, cmdline string) string {
	f := strings.Fields(cmdline)
	for i := 1; i < len(f); i++ {
		a := f[i]
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			if name == "ssh" && len(a) == 2 && strings.ContainsRune(sshValueFlags, rune(a[1])) {
				i++
			}
			continue
		}
		if _, host, ok := strings.Cut(a, "@"); ok {
			return strings.Trim(host, "'")
		}
		return strings.Trim(a, "'")
	}
	return name
}

// Summary counts what a snapshot holds.
type Summary struct {
	Workspaces int `json:"workspaces"`
	Windows    int `json:"windows"`
	Tabs       int `json:"tabs"`
	Panes      int `json:"panes"`
	Agents     int `json:"agents"`
	Programs   int `json:"programs"` // panes running something that is not a shell or an agent
	Remote     int `json:"remote"`
}

// Summary counts s.
func (s *Snapshot) Summary() Summary {
	var m Summary
	m.Workspaces = len(s.Workspaces)
	for _, ws := range s.Workspaces {
		m.Windows += len(ws.Windows)
		for _, w := range ws.Windows {
			m.Tabs += len(w.Tabs)
			for _, t := range w.Tabs {
				for _, p := range t.Panes() {
					m.Panes++
					switch {
					case p.Agent != nil:
						m.Agents++
					case p.Program != nil:
						m.Programs++
					}
					if p.Place == Remote {
						m.Remote++
					}
				}
			}
		}
	}
	return m
}

// Blank reports whether s is what WezTerm shows when it has just started:
// one pane, a shell (or nothing known) in it. A blank state is never
// offered for restoring, and the writer does not record it.
func (s *Snapshot) Blank() bool {
	m := s.Summary()
	return m.Panes == 0 || m.Panes == 1 && m.Agents == 0 && m.Programs == 0
}

// Panes lists the tab's panes, left to right and top to bottom through the
// split tree.
func (t Tab) Panes() []*Pane {
	var out []*Pane
	var walk func(n *Node)
	walk = func(n *Node) {
		if n == nil {
			return
		}
		if n.Pane != nil {
			out = append(out, n.Pane)
			return
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	walk(t.Root)
	return out
}

// Describe is the one line people see for a snapshot: "4 workspaces, 23
// panes, 6 agents".
func (m Summary) Describe() string {
	parts := []string{Plural(m.Workspaces, "workspace"), Plural(m.Panes, "pane")}
	if m.Agents > 0 {
		parts = append(parts, Plural(m.Agents, "agent"))
	}
	return strings.Join(parts, ", ")
}

// Plural is "1 pane", "2 panes".
func Plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
