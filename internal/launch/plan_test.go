package launch

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wezterm-parallel/wezterm-parallel/assets"
	"github.com/wezterm-parallel/wezterm-parallel/internal/layout"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGoldenPlans pins the exact wezterm command lines each bundled layout
// runs in a 160x48 tab.
func TestGoldenPlans(t *testing.T) {
	entries, err := layout.List("")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Run(e.Name, func(t *testing.T) {
			data, _ := assets.Layouts.ReadFile("layouts/" + e.Name + ".toml")
			l, err := layout.Parse(e.Path, data, e.Name, layout.CheckOptions{CWD: "/work/project", SkipDirs: true})
			if err != nil {
				t.Fatal(err)
			}
			p, err := Make(l, Options{Vars: layout.Vars{"agent_command": "claude"}})
			if err != nil {
				t.Fatal(err)
			}
			lines, err := DryRun(context.Background(), p, "wezterm", "20240203-110809-5046fc22")
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(lines, "\n") + "\n"
			golden := filepath.Join("testdata", e.Name+".golden")
			if *update {
				os.WriteFile(golden, []byte(got), 0o644)
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got != string(want) {
				t.Errorf("plan differs from %s:\n%s", golden, got)
			}
		})
	}
}

func TestPlanGeometry(t *testing.T) {
	src := `[[tabs]]
split = "right"
panes = [ { size = "30%" }, { split = "down", panes = [ {}, { size = 10 } ] }, {} ]
`
	l, err := layout.Parse("x.toml", []byte(src), "x", layout.CheckOptions{CWD: "/w", SkipDirs: true})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Make(l, Options{Cols: 160, Rows: 48})
	if err != nil {
		t.Fatal(err)
	}
	var splits []string
	for _, s := range p.Steps {
		if s.Kind == Split {
			splits = append(splits, s.Desc())
		}
	}
	// 160 cols: 48 for the first (30%), the rest (159-48=111 less one
	// divider) shared by two: 56 and 55. The middle column's 48 rows: 10
	// for the bottom pane, 37 above it.
	want := []string{
		"split p0 right: p1 gets 111 cells (/w)",
		"split p1 right: p2 gets 55 cells (/w)",
		"split p1 down: p3 gets 10 cells (/w)",
	}
	if strings.Join(splits, "\n") != strings.Join(want, "\n") {
		t.Errorf("splits:\n%s\nwant:\n%s", strings.Join(splits, "\n"), strings.Join(want, "\n"))
	}
	if _, err := Make(l, Options{Cols: 4, Rows: 48}); err == nil {
		t.Error("a 4-column tab cannot hold three columns")
	}
}

func TestProgramWrappers(t *testing.T) {
	l := &layout.Layout{Env: map[string]string{"B": "2"}}
	tests := []struct {
		n    layout.Node
		want string
	}{
		{layout.Node{}, ""},
		{layout.Node{Args: []string{"htop"}}, "htop"},
		{layout.Node{Args: []string{"htop"}, Env: map[string]string{"A": "1"}}, "env -- A=1 B=2 htop"},
		{layout.Node{Args: []string{"X=y.sh", "a"}}, "env -- B=2 sh -c exec \"$@\" sh X=y.sh a"},
		{layout.Node{Title: "srv"}, `env -- B=2 sh -c printf '\033]0;%s\007' "$1"; exec "${SHELL:-/bin/sh}" -l sh srv`},
		{layout.Node{Title: "srv", Args: []string{"npm", "start"}}, `env -- B=2 sh -c printf '\033]0;%s\007' "$1"; shift; exec "$@" sh srv npm start`},
	}
	for i, tt := range tests {
		ll := l
		if i < 2 {
			ll = &layout.Layout{}
		}
		if got := strings.Join(program(ll, &tt.n, nil), " "); got != tt.want {
			t.Errorf("program(%+v) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
