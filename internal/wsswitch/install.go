package wsswitch

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
)

// ModuleName is the Lua module the snippet is installed as: its own file,
// so the user's wezterm.lua only gains one line.
const ModuleName = "wezterm_parallel"

// RequireLine loads the module; pcall keeps wezterm.lua working if the
// module file is ever removed.
const RequireLine = "pcall(require, '" + ModuleName + "') -- " + Marker

// ModulePath is where the module goes: ~/.config/wezterm is on WezTerm's
// Lua package.path whatever config file is in use (WezTerm's
// config/src/lua.rs; WEZTERM_CONFIG_FILE's folder is not, issue #5579).
func ModulePath(home string) string {
	return filepath.Join(home, ".config", "wezterm", ModuleName+".lua")
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

// ErrNoSafePlace means wezterm.lua has no single top-level return to put
// the require line before; the file is left alone.
var ErrNoSafePlace = errors.New("no safe place for the require line")

// ErrReadOnly means wezterm.lua is read-only: it is left alone.
var ErrReadOnly = errors.New("it is left as it is")

var topReturn = regexp.MustCompile(`^return\b`)

// insertPoint finds where the require line goes in a wezterm.lua: before
// its one top-level `return` (a line starting with "return" outside long
// strings and comments), or at the end when it returns nothing. More than
// one top-level return, or a return on a line shared with other code, is
// not safe to guess.
func insertPoint(src string) (int, error) {
	lines := strings.SplitAfter(src, "\n")
	inLong := "" // the closing bracket of an open long string/comment
	at, found := -1, 0
	off := 0
	for _, line := range lines {
		start := off
		off += len(line)
		if inLong != "" {
			if i := strings.Index(line, inLong); i >= 0 {
				inLong = ""
			}
			continue
		}
		if topReturn.MatchString(line) {
			found++
			at = start
		}
		// Long brackets: [[ ]], [=[ ]=], --[[ ]] opening on this line
		// and not closing on it.
		for _, m := range longOpen.FindAllStringSubmatchIndex(line, -1) {
			level := line[m[2]:m[3]]
			closeTok := "]" + level + "]"
			if !strings.Contains(line[m[1]:], closeTok) {
				inLong = closeTok
			}
		}
	}
	switch {
	case inLong != "":
		return 0, fmt.Errorf("%w: an unclosed long string or comment", ErrNoSafePlace)
	case found > 1:
		return 0, fmt.Errorf("%w: %d lines start with return at the top level", ErrNoSafePlace, found)
	case found == 0:
		if strings.Contains(src, "return") {
			return 0, fmt.Errorf("%w: its return is indented or shares a line", ErrNoSafePlace)
		}
		return len(src), nil
	}
	return at, nil
}

var longOpen = regexp.MustCompile(`\[(=*)\[`)

// Install writes the module file and adds RequireLine to wezterm.lua
// (configPath; created when missing) before its return, after keeping a
// backup beside it. A file where the place is not certain is refused and
// left as it was.
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
			return r, fmt.Errorf("%s is read-only (%v): %w; make it writable (chmod u+w) and run this again, or add this line before its return yourself:\n  %s",
				configPath, perm, ErrReadOnly, RequireLine)
		}
	}
	text := string(src)
	if strings.Contains(text, ModuleName) || strings.Contains(text, Marker) {
		r.Already = true
		if _, err := os.Stat(r.Module); err == nil || strings.Contains(text, "wezterm.on(") {
			return r, nil
		}
	}
	var out string
	if r.Created {
		out = "-- Created by wezterm-parallel to switch workspaces from outside WezTerm.\nlocal wezterm = require 'wezterm'\n" +
			RequireLine + "\nreturn {}\n"
	} else if !r.Already {
		at, err := insertPoint(text)
		if err != nil {
			return r, fmt.Errorf("%s: %w; add this line before its return yourself:\n  %s", configPath, err, RequireLine)
		}
		// The file's own line ending (a CRLF file stays CRLF).
		nl := "\n"
		if strings.Contains(text, "\r\n") {
			nl = "\r\n"
		}
		sep := ""
		if at == len(text) && text != "" && !strings.HasSuffix(text, "\n") {
			sep = nl
		}
		out = text[:at] + sep + RequireLine + nl + text[at:]
	}
	w := config.AtomicWriter{KeepOwner: true}
	if err := w.WriteFile(r.Module, []byte(Module(windows)), 0o644); err != nil {
		return r, fmt.Errorf("write the module: %w", err)
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

// ConfigPath is the wezterm.lua WezTerm loads (the first that exists of
// WEZTERM_CONFIG_FILE, ~/.config/wezterm/wezterm.lua, ~/.wezterm.lua), or
// where a new one would go.
func ConfigPath(getenv func(string) string, home string) string {
	if p := getenv("WEZTERM_CONFIG_FILE"); p != "" {
		return p
	}
	xdg := getenv("XDG_CONFIG_HOME")
	if xdg == "" {
		xdg = filepath.Join(home, ".config")
	}
	for _, p := range []string{filepath.Join(xdg, "wezterm", "wezterm.lua"), filepath.Join(home, ".wezterm.lua")} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return filepath.Join(home, ".config", "wezterm", "wezterm.lua")
}

// Summary says what Install did, for people.
func (r InstallResult) Summary() string {
	switch {
	case r.Already:
		return "The snippet is already in " + r.Config
	case r.Created:
		return fmt.Sprintf("Created %s with the snippet's require line (module %s); restart WezTerm or let it reload", r.Config, r.Module)
	}
	return fmt.Sprintf("Added one line to %s (backup %s) and the module %s; WezTerm reloads it by itself", r.Config, r.Backup, r.Module)
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
		return Status{Detail: fmt.Sprintf("not in %s: jumping to another workspace needs it; `wezterm-parallel lua --install` adds it (a module file and one require line before your config's return, with a backup)", strings.Join(looked, ", "))}
	}
	data, _ := os.ReadFile(found)
	if !strings.Contains(string(data), ModuleName) {
		return Status{OK: true, Detail: "inline in " + found}
	}
	mod := ModulePath(home)
	if _, err := os.Stat(mod); err != nil {
		return Status{Detail: fmt.Sprintf("%s requires %s, but %s is missing: run `wezterm-parallel lua --install`", found, ModuleName, mod)}
	}
	return Status{OK: true, Detail: fmt.Sprintf("%s requires %s (%s)", found, ModuleName, mod)}
}
