// Package agents recognises AI coding agents in panes and tells whether
// each is working, waiting for the user, idle or has exited. Rules are data
// (TOML): a process match, title patterns and prompt patterns; the status
// also uses CPU activity and whether the screen changed. No I/O here.
package agents

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/wezterm-parallel/wezterm-parallel/internal/config"
)

// Rule recognises one agent.
type Rule struct {
	Name         string
	Process      []*regexp.Regexp // over a process's name and command line
	WorkingTitle []*regexp.Regexp
	WaitingTitle []*regexp.Regexp
	IdleTitle    []*regexp.Regexp
	Waiting      []*regexp.Regexp // over the last screen lines
	// Usage names the token records the agent keeps, read by
	// internal/spend: "claude", "codex", "gemini" or "" (none).
	Usage string
	// State names the state the agent keeps of itself, read by
	// internal/agentstate ("claude": ~/.claude/sessions/<pid>.json; ""
	// none): when it can be read it decides the status, the screen rules
	// are the fallback.
	State string
	// Start and Resume are the command lines a restore types into the
	// agent's pane: Resume continues session {session} (its conversation),
	// Start begins afresh (no session recorded, or it is gone). {cmdline}
	// is the command line the agent ran with. "" : the restore leaves the
	// command at the pane's prompt like any other program's.
	Start, Resume string
}

// placeholders a Start or Resume command line may hold.
var placeholderRE = regexp.MustCompile(`\{[a-z_]*\}`)

// ParseRules reads `[[agents]]` tables. Problems are positioned.
func ParseRules(file string, data []byte) ([]Rule, error) {
	d, err := config.ParseDoc(file, data)
	if err != nil {
		return nil, err
	}
	root := d.Root()
	tables, ok := root.Array("agents")
	if !ok && root.Has("agents") {
		return nil, d.Sorted().Errors()
	}
	var rules []Rule
	for _, t := range tables {
		var r Rule
		if !t.String("name", &r.Name) || r.Name == "" {
			d.Errorf(t.Path(), "an agent needs a name")
		}
		compile := func(key string) []*regexp.Regexp {
			var pats []string
			t.Strings(key, &pats)
			var out []*regexp.Regexp
			for i, p := range pats {
				re, err := regexp.Compile(p)
				if err != nil {
					d.Errorf(fmt.Sprintf("%s.%d", t.KeyPath(key), i), "%s: %v", key, err)
					continue
				}
				out = append(out, re)
			}
			return out
		}
		r.Process = compile("process")
		r.WorkingTitle = compile("working_title")
		r.WaitingTitle = compile("waiting_title")
		r.IdleTitle = compile("idle_title")
		r.Waiting = compile("waiting")
		if t.String("usage", &r.Usage) {
			switch r.Usage {
			case "claude", "codex", "gemini", "":
			default:
				d.Errorf(t.KeyPath("usage"), "usage must be \"claude\", \"codex\", \"gemini\" or \"\" (the agent keeps no records we read), not %q", r.Usage)
				r.Usage = ""
			}
		}
		if t.String("state", &r.State) && r.State != "claude" && r.State != "" {
			d.Errorf(t.KeyPath("state"), "state must be \"claude\" or \"\" (the agent keeps no state of itself we read), not %q", r.State)
			r.State = ""
		}
		for _, k := range []struct {
			key string
			dst *string
		}{{"start", &r.Start}, {"resume", &r.Resume}} {
			if !t.String(k.key, k.dst) {
				continue
			}
			for _, ph := range placeholderRE.FindAllString(*k.dst, -1) {
				if ph != "{session}" && ph != "{cmdline}" || ph == "{session}" && k.key == "start" {
					d.Errorf(t.KeyPath(k.key), "%s: unknown placeholder %s (%s)", k.key, ph, map[string]string{
						"start": "known: {cmdline}", "resume": "known: {session}, {cmdline}"}[k.key])
				}
			}
			if k.key == "resume" && *k.dst != "" && !strings.Contains(*k.dst, "{session}") {
				d.Errorf(t.KeyPath(k.key), "resume must name the session: {session}")
			}
		}
		if len(r.Process) == 0 && t.Has("name") {
			d.Errorf(t.KeyPath("name"), "agent %q needs at least one process pattern", r.Name)
		}
		t.Unknown(false, "name", "process", "working_title", "waiting_title", "idle_title", "waiting", "usage", "state",
			"start", "resume")
		rules = append(rules, r)
	}
	root.Unknown(false, "agents")
	if errs := d.Sorted().Errors(); len(errs) > 0 {
		return nil, errs
	}
	return rules, nil
}

// Match returns the first rule whose process pattern matches the
// foreground program's name or command line.
func Match(rules []Rule, name, cmdline string) (*Rule, bool) {
	for i := range rules {
		for _, re := range rules[i].Process {
			if re.MatchString(name) || re.MatchString(cmdline) {
				return &rules[i], true
			}
		}
	}
	return nil, false
}

func anyMatch(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// LoadRules returns the rules in userFile (when it exists) followed by the
// bundled ones, so a user's rule for the same program wins.
func LoadRules(bundled []byte, userFile string, read func(string) ([]byte, error)) ([]Rule, error) {
	base, err := ParseRules("bundled:agents.toml", bundled)
	if err != nil {
		return nil, err
	}
	if userFile == "" {
		return base, nil
	}
	data, err := read(userFile)
	if err != nil {
		return base, nil // no user rules
	}
	user, err := ParseRules(userFile, data)
	if err != nil {
		return base, err
	}
	return append(user, base...), nil
}
