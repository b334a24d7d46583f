package fanout

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
)

// Manifest is what a fan-out created, kept beside its worktrees as
// <repo>-wp/.wezterm-parallel-<layout>.json. Clean-up touches only what it
// lists: a worktree made by hand on a similar branch name is not the app's.
type Manifest struct {
	Version int       `json:"version"`
	Repo    string    `json:"repo"`
	Layout  string    `json:"layout"`
	Created time.Time `json:"created"`
	Copies  []Entry   `json:"copies"`
}

// Entry is one copy the fan-out made.
type Entry struct {
	N      int    `json:"n"`
	Path   string `json:"path"`   // the worktree
	Branch string `json:"branch"` // made with it
	Base   string `json:"base"`   // the commit it was made from
}

// ManifestPath is where the manifest of layout name's fan-out lives.
func ManifestPath(repo, name string) string {
	return filepath.Join(repo+"-wp", ".wezterm-parallel-"+name+".json")
}

func (m *Manifest) write(path string) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := (config.AtomicWriter{}).WriteFile(path, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("record the fan-out: %w", err)
	}
	return nil
}

func readManifest(path string) (*Manifest, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w at %s: worktrees made by hand or by an older version are not touched; remove them with git worktree remove", ErrNoManifest, path)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s is not a fan-out manifest (%v): nothing removed", path, err)
	}
	return &m, nil
}
