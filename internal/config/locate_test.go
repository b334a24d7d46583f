package config

import "testing"

func TestLocate(t *testing.T) {
	src := `# comment
name = "x" # trailing
a.b = 1
"quoted key" = 'v'
[[tabs]]
title = "one"
panes = [
  { command = "htop", size = "30%" },  # first
  { split = "down", panes = [ { args = ["a", "b]"] }, {} ] },
]
[tabs.env]
FOO = """multi
line = "not a key"
"""
[[tabs]]
[[tabs.panes]]
cwd = "x"
[[tabs.panes]]
command = "é"
zoom = true
`
	loc := Locate(src)
	want := map[string]Pos{
		"name":                        {2, 1},
		"a.b":                         {3, 3},
		"quoted key":                  {4, 1},
		"tabs.0":                      {5, 1},
		"tabs.0.title":                {6, 1},
		"tabs.0.panes.0.command":      {8, 5},
		"tabs.0.panes.0.size":         {8, 23},
		"tabs.0.panes.1.split":        {9, 5},
		"tabs.0.panes.1.panes.0.args": {9, 33},
		"tabs.0.panes.1.panes.1":      {9, 55},
		"tabs.0.env.FOO":              {12, 1},
		"tabs.1":                      {15, 1},
		"tabs.1.panes.0.cwd":          {17, 1},
		"tabs.1.panes.1.command":      {19, 1},
		"tabs.1.panes.1.zoom":         {20, 1},
	}
	for k, w := range want {
		if got, ok := loc[k]; !ok || got != w {
			t.Errorf("%s at %v (found %v), want %v", k, got, ok, w)
		}
	}
	if _, ok := loc["line"]; ok {
		t.Error("text inside a multi-line string was taken for a key")
	}
	if p := loc.At("tabs.1.panes.1.zoom.deeper"); p != (Pos{20, 1}) {
		t.Errorf("At falls back to %v", p)
	}
}
