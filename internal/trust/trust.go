// Package trust is the consent a project layout needs before it runs: the
// file's hash kept in the preferences, and the description of what it will
// run that the command line and the window both show. Every piece of text
// from the file is shown so that control characters are visible: a
// carriage return or an escape sequence cannot hide a command behind a
// harmless-looking one.
package trust

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
	"github.com/wezterm-parallel/wezterm-parallel/internal/launch"
	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
)

// Hash is how a file's consent is recorded in [trust].
func Hash(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Needed reports whether running e (whose file holds data) needs the
// user's consent first: a project layout not approved as it is now.
func Needed(e layout.Entry, data []byte, p config.Preferences) bool {
	return !e.Trusted() && p.Trust[e.Path] != Hash(data)
}

// Remember records the consent for e as it is now.
func Remember(s *config.Store, e layout.Entry, data []byte) error {
	h := Hash(data)
	return s.Update(func(p *config.Preferences) { p.Trust[e.Path] = h })
}

// Title is the question, naming the file.
func Title(e layout.Entry) string {
	return fmt.Sprintf("%s is a project layout you have not run before (or it changed). It will run:", textsafe.Escape(e.Path))
}

// Lines describes what the plan runs, pane by pane: its folder, its
// environment, its program (argv items quoted) and what is typed into it,
// one program per line.
func Lines(p *launch.Plan) []string {
	type pane struct {
		cwd   string
		spec  launch.PaneSpec
		typed []string
	}
	panes := map[int]*pane{}
	var order []int
	get := func(id int) *pane {
		if panes[id] == nil {
			panes[id] = &pane{}
			order = append(order, id)
		}
		return panes[id]
	}
	ws := ""
	for _, s := range p.Steps {
		switch s.Kind {
		case launch.Spawn, launch.Split:
			pn := get(s.Pane)
			pn.cwd, pn.spec = s.CWD, s.Spec
			if s.NewWindow {
				ws = s.Workspace
			}
		case launch.Type:
			pn := get(s.Pane)
			pn.typed = append(pn.typed, strings.TrimSuffix(s.Text, "\r"))
		}
	}
	var out []string
	if ws != "" {
		out = append(out, "in workspace "+textsafe.Quote(ws))
	}
	sort.Ints(order)
	for _, id := range order {
		pn := panes[id]
		out = append(out, fmt.Sprintf("p%d  in %s", id, textsafe.Quote(pn.cwd)))
		if keys := pn.spec.EnvKeys(); len(keys) > 0 {
			env := make([]string, len(keys))
			for i, k := range keys {
				env[i] = textsafe.Quote(k + "=" + pn.spec.Env[k])
			}
			out = append(out, "    env   "+strings.Join(env, " "))
		}
		if pn.spec.Title != "" {
			out = append(out, "    title "+textsafe.Quote(pn.spec.Title))
		}
		if len(pn.spec.Args) > 0 {
			out = append(out, "    runs  "+textsafe.Join(pn.spec.Args))
		} else {
			out = append(out, "    runs  your login shell")
		}
		for _, t := range pn.typed {
			out = append(out, "    types "+textsafe.Quote(t)+" and Enter")
		}
	}
	return out
}
