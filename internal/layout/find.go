package layout

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wezterm-parallel/wezterm-parallel/assets"
	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
)

// readErr keeps positioned problems (too large, not a regular file) as
// they are and names the operation otherwise.
func readErr(err error) error {
	var ps config.Problems
	if errors.As(err, &ps) {
		return ps
	}
	return fmt.Errorf("read layout: %w", err)
}

// ProjectFile is the name of a layout kept in a project folder.
const ProjectFile = ".wezterm-parallel.toml"

// Source says where a layout file lives, which decides whether it may run
// commands without asking.
type Source string

// Sources.
const (
	Bundled Source = "bundled"
	User    Source = "user"    // the user's layouts folder
	Project Source = "project" // anywhere else: a file the user did not necessarily write
)

// Entry is a layout file found by name or path.
type Entry struct {
	Name   string
	Source Source
	Path   string // file path, or "bundled:NAME.toml"
}

// Trusted reports whether the layout may run without asking.
func (e Entry) Trusted() bool { return e.Source != Project }

// List returns the bundled layouts and those in userDir, one per name (the
// user's file wins), sorted by name.
func List(userDir string) ([]Entry, error) {
	byName := map[string]Entry{}
	bundled, err := fs.Glob(assets.Layouts, "layouts/*.toml")
	if err != nil {
		return nil, err
	}
	for _, p := range bundled {
		name := strings.TrimSuffix(filepath.Base(p), ".toml")
		byName[name] = Entry{Name: name, Source: Bundled, Path: "bundled:" + filepath.Base(p)}
	}
	if userDir != "" {
		files, _ := filepath.Glob(filepath.Join(userDir, "*.toml"))
		for _, p := range files {
			name := strings.TrimSuffix(filepath.Base(p), ".toml")
			byName[name] = Entry{Name: name, Source: User, Path: p}
		}
	}
	out := make([]Entry, 0, len(byName))
	for _, e := range byName {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Find resolves a layout name (user folder first, then bundled), a file, or
// a project folder holding .wezterm-parallel.toml, and reads it.
func Find(arg, userDir string) (Entry, []byte, error) {
	if st, err := os.Stat(arg); err == nil {
		path := arg
		if st.IsDir() {
			path = filepath.Join(arg, ProjectFile)
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return Entry{}, nil, err
		}
		data, err := config.ReadFile(abs)
		if err != nil {
			return Entry{}, nil, readErr(err)
		}
		e := Entry{Name: strings.TrimSuffix(filepath.Base(abs), ".toml"), Source: Project, Path: abs}
		if e.Name == strings.TrimSuffix(ProjectFile, ".toml") {
			e.Name = filepath.Base(filepath.Dir(abs))
		}
		if userDir != "" {
			if ud, err := filepath.Abs(userDir); err == nil && filepath.Dir(abs) == ud {
				e.Source = User
			}
		}
		return e, data, nil
	}
	if strings.ContainsAny(arg, `/\`) || strings.HasSuffix(arg, ".toml") {
		return Entry{}, nil, fmt.Errorf("layout file %s: %w", arg, fs.ErrNotExist)
	}
	if userDir != "" {
		p := filepath.Join(userDir, arg+".toml")
		if data, err := config.ReadFile(p); err == nil {
			return Entry{Name: arg, Source: User, Path: p}, data, nil
		} else if !errors.Is(err, fs.ErrNotExist) {
			return Entry{}, nil, readErr(err)
		}
	}
	if data, err := assets.Layouts.ReadFile("layouts/" + arg + ".toml"); err == nil {
		return Entry{Name: arg, Source: Bundled, Path: "bundled:" + arg + ".toml"}, data, nil
	}
	all, _ := List(userDir)
	names := make([]string, len(all))
	for i, e := range all {
		names[i] = textsafe.Quote(e.Name) // a name's newline would break the line
	}
	return Entry{}, nil, fmt.Errorf("no layout named %q (have: %s)", arg, strings.Join(names, ", "))
}
