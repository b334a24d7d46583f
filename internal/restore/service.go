package restore

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/agents"
	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/snapshot"
	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
)

// Service is restoring as the window and the tray use it, Fyne-free: the
// snapshots folder, the agents' rules and sessions, the preferences. Its
// methods read the disk: call them off the UI goroutine (Offer and
// TrayLabel are cheap after the first call: the list is read again only
// when the folder changed).
type Service struct {
	Store    *snapshot.Store
	Rules    []agents.Rule
	Sessions Sessions
	// Prefs gives [restore] run (nil: none); Config saves to it
	// (Remember; nil: not remembered).
	Prefs  func() config.Preferences
	Config *config.Store
	Home   string

	mu     sync.Mutex
	infos  []snapshot.Info
	listed time.Time // the folder's modification time when it was listed
}

// Choices are what the user chose in the restore dialog (or on the
// command line).
type Choices struct {
	// Workspaces restores only these (none: every one).
	Workspaces []string
	// Existing: per workspace that is there already, merge, copy or skip
	// ("" key: the default for the others; unset: merge).
	Existing map[string]Action
	// RunAll starts every program, not only those in [restore] run.
	RunAll bool
	// Allowed are programs ticked in the dialog, on top of [restore] run.
	Allowed []string
	// KeepStartup keeps the pane WezTerm opened at its start.
	KeepStartup bool
}

// Infos lists the stored snapshots, newest first. The list is read again
// only when the folder changed (every write renames a file into it), so
// the resident asking every tick reads nothing most of the time.
func (s *Service) Infos() ([]snapshot.Info, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var mod time.Time
	if st, err := os.Stat(s.Store.Dir); err == nil {
		mod = st.ModTime()
	}
	if s.infos != nil && !mod.IsZero() && mod.Equal(s.listed) {
		return s.infos, nil
	}
	infos, err := s.Store.List()
	if err != nil {
		return nil, err
	}
	if infos == nil {
		infos = []snapshot.Info{}
	}
	s.infos, s.listed = infos, mod
	return infos, nil
}

// Forget makes the next Infos read the folder again (after a snapshot was
// taken or imported).
func (s *Service) Forget() {
	s.mu.Lock()
	s.infos = nil
	s.mu.Unlock()
}

// Offer is the window's banner for tree: see the package function. It
// lists the folder only when tree is WezTerm's start-up state.
func (s *Service) Offer(tree topology.Tree, now time.Time) (Banner, bool) {
	if id, _ := blankPane(tree); id == nil {
		return Banner{}, false
	}
	infos, err := s.Infos()
	if err != nil {
		return Banner{}, false
	}
	return Offer(tree, infos, now)
}

// TrayLabel is the tray's restore item for tree ("" : none).
func (s *Service) TrayLabel(tree topology.Tree, now time.Time) string {
	infos, err := s.Infos()
	if err != nil {
		return ""
	}
	return TrayLabel(tree, infos, now)
}

// Load reads snapshot id ("" : the newest worth restoring), or a file or
// a resurrect.wezterm state folder when id is a path.
func (s *Service) Load(id string) (*snapshot.Snapshot, snapshot.Info, error) {
	var snap *snapshot.Snapshot
	var err error
	path := ""
	switch {
	case id == "":
		snap, err = s.Store.Latest()
	case snapshot.ValidID(id):
		snap, err = s.Store.Load(id)
		path = s.Store.Path(id)
	default:
		snap, err = snapshot.LoadFile(id)
		path = id
	}
	if err != nil {
		return nil, snapshot.Info{}, err
	}
	if path == "" {
		path = s.Store.Path(snap.ID)
	}
	var size int64
	if st, err := os.Stat(path); err == nil && !st.IsDir() {
		size = st.Size()
	}
	return snap, snapshot.InfoOf(snap, path, size), nil
}

// Options are the plan's options for choices ch.
func (s *Service) Options(ch Choices) Options {
	o := Options{Workspaces: ch.Workspaces, Existing: ch.Existing, RunAll: ch.RunAll, Rules: s.Rules, Sessions: s.Sessions,
		Home: s.Home, KeepBlank: ch.KeepStartup}
	if s.Prefs != nil {
		o.Allowed = append(o.Allowed, s.Prefs().RestoreRun...)
	}
	o.Allowed = append(o.Allowed, ch.Allowed...)
	return o
}

// Plan loads snapshot id (see Load) and plans it against tree, what
// WezTerm shows now.
func (s *Service) Plan(id string, tree topology.Tree, ch Choices) (*Plan, snapshot.Info, error) {
	snap, info, err := s.Load(id)
	if err != nil {
		return nil, info, err
	}
	p, err := NewPlan(snap, tree, s.Options(ch))
	return p, info, err
}

// Run carries out p (see the package function).
func (s *Service) Run(ctx context.Context, c Client, p *Plan, progress func(Event)) (Report, error) {
	return Run(ctx, c, p, RunOptions{Progress: progress})
}

// Remember adds command lines to [restore] run, so they start without
// the user's Enter next time (the dialog's "always run these").
func (s *Service) Remember(cmds []string) error {
	if s.Config == nil {
		return fmt.Errorf("no preferences file to remember them in")
	}
	return s.Config.Update(func(p *config.Preferences) {
		for _, c := range cmds {
			c = strings.TrimSpace(c)
			if c == "" || !typeable(c) {
				continue
			}
			if !allowed(p.RestoreRun, c) {
				p.RestoreRun = append(p.RestoreRun, c)
			}
		}
	})
}
