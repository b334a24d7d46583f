package wsswitch

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
)

// ModuleName is the Lua module the snippet is installed as: its own file,
// so the user's wezterm.lua only gains one line.
const ModuleName = "wezterm_parallel"

// RequireLine loads the module, at the top of wezterm.lua; pcall keeps
// wezterm.lua working if the module file is ever removed, and a failure
// goes to WezTerm's log instead of vanishing (doctor's ping tells whether
// the module runs).
const RequireLine = "do local ok, err = pcall(require, '" + ModuleName + "') if not ok then require('wezterm').log_error('wezterm-parallel: ' .. tostring(err)) end end -- " + Marker

// ModulePath is where the module goes: ~/.wezterm is on WezTerm's Lua
// package.path whatever the environment (config/src/lua.rs); the
// $XDG_CONFIG_HOME/wezterm folder is only where XDG_CONFIG_HOME points,
// and WEZTERM_CONFIG_FILE's folder is not on it at all (issue #5579).
func ModulePath(home string) string {
	return filepath.Join(home, ".wezterm", ModuleName+".lua")
}

// Module is the module file's content.
func Module(windows bool) string {
	return Snippet(windows) + "\nreturn {}\n"
}

// InstallResult says what Install did.
type InstallResult struct {
	Config  string // wezterm.lua that now requires the module
	Module  string // the module file
	Backup  string // copy of wezterm.lua before the edit ("" when none was made)
	Already bool   // it was installed before: nothing changed
	Created bool   // wezterm.lua did not exist and was created
}

// ErrReadOnly means wezterm.lua is read-only: it is left alone.
var ErrReadOnly = errors.New("it is left as it is")

// Install writes the module file and puts RequireLine at the top of
// wezterm.lua (configPath; created when missing), moving one an older
// install put before the return, after keeping a backup beside it.
func Install(configPath, home string, windows bool, now time.Time) (InstallResult, error) {
	r := InstallResult{Config: configPath, Module: ModulePath(home)}
	src, err := os.ReadFile(configPath)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		r.Created = true
	case err != nil:
		return r, fmt.Errorf("read %s: %w", configPath, err)
	}
	perm := fs.FileMode(0o644)
	if !r.Created {
		// The file WezTerm reads (a link is followed): its mode is kept,
		// and a read-only one is the user's say-so that it is not edited.
		fi, err := os.Stat(configPath)
		if err != nil {
			return r, fmt.Errorf("check %s: %w", configPath, err)
		}
		if perm = fi.Mode().Perm(); perm&0o200 == 0 {
			return r, fmt.Errorf("%s is read-only (%v): %w; make it writable (chmod u+w) and run this again, or add this line at its top yourself:\n  %s",
				configPath, perm, ErrReadOnly, RequireLine)
		}
	}
	text := string(src)
	if requireAtTop(text) || strings.Contains(text, Marker) && !strings.Contains(text, ModuleName) {
		r.Already = true
		if _, err := os.Stat(r.Module); err == nil || strings.Contains(text, "wezterm.on(") {
			return r, nil
		}
	}
	var out string
	if r.Created {
		out = "-- Created by wezterm-parallel to switch workspaces from outside WezTerm.\n" +
			RequireLine + "\nreturn {}\n"
	} else if !r.Already {
		out = withRequire(text)
	}
	w := config.AtomicWriter{KeepOwner: true}
	if err := w.WriteFile(r.Module, []byte(Module(windows)), 0o644); err != nil {
		return r, fmt.Errorf("write the module: %w", err)
	}
	if err := removeOldModule(home); err != nil {
		return r, err
	}
	if r.Already {
		return r, nil
	}
	if !r.Created {
		r.Backup = fmt.Sprintf("%s.bak-%s", configPath, now.Format("20060102-150405"))
		if err := os.WriteFile(r.Backup, src, 0o600); err != nil {
			return r, fmt.Errorf("back up %s: %w (nothing changed in it)", configPath, err)
		}
		if bytes.Equal(src, []byte(out)) {
			return r, nil
		}
	}
	if err := w.WriteFile(configPath, []byte(out), perm); err != nil {
		return r, fmt.Errorf("edit %s: %w", configPath, err)
	}
	return r, nil
}

// ConfigPath is the wezterm.lua WezTerm loads by its search order (the
// first of ConfigCandidates that exists), or where a new one would go.
// When a pane can tell (LoadedConfig), its answer is better.
func ConfigPath(getenv func(string) string, home string) string {
	cands := ConfigCandidates(getenv, home)
	if getenv("WEZTERM_CONFIG_FILE") != "" {
		return cands[0]
	}
	for _, p := range cands {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return cands[len(cands)-1]
}

// Summary says what Install did, for people.
func (r InstallResult) Summary() string {
	switch {
	case r.Already:
		return "The snippet is already in " + r.Config
	case r.Created:
		return fmt.Sprintf("Created %s with the snippet's require line (module %s); restart WezTerm or let it reload", r.Config, r.Module)
	}
	return fmt.Sprintf("Put one line at the top of %s (backup %s) and the module %s; WezTerm reloads it by itself", r.Config, r.Backup, r.Module)
}

// Status is what doctor says about the snippet.
type Status struct {
	OK     bool
	Detail string
}

// CheckInstalled looks for the snippet where WezTerm reads its config: the
// require line and its module file (or the snippet inline, from before the
// module existed).
func CheckInstalled(getenv func(string) string, home string) Status {
	found, looked := FindSnippet(getenv)
	if found == "" {
		return Status{Detail: fmt.Sprintf("not in %s: jumping to another workspace needs it; `wezterm-parallel lua --install` adds it (a module file and one require line at the top of your config, with a backup)", strings.Join(looked, ", "))}
	}
	data, _ := os.ReadFile(found)
	if !strings.Contains(string(data), ModuleName) {
		return Status{OK: true, Detail: "inline in " + found}
	}
	mod := ModulePath(home)
	if _, err := os.Stat(mod); err != nil {
		if _, err := os.Stat(oldModulePath(home)); err == nil {
			mod = oldModulePath(home)
		} else {
			return Status{Detail: fmt.Sprintf("%s requires %s, but %s is missing: run `wezterm-parallel lua --install`", found, ModuleName, mod)}
		}
	}
	switch {
	case LegacyInstalled(home) || !requireAtTop(string(data)):
		return Status{OK: true, Detail: fmt.Sprintf("%s requires %s (%s), installed by an older wezterm-parallel: `wezterm-parallel lua --install` updates it", found, ModuleName, mod)}
	}
	return Status{OK: true, Detail: fmt.Sprintf("%s requires %s (%s)", found, ModuleName, mod)}
}
