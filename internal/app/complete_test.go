//go:build unix

package app_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wezterm-parallel/wezterm-parallel/internal/app"
)

// hostileLayouts are layout file names a shell must take as names only.
var hostileLayouts = []string{"x$(touch PWN1)", "`touch PWN2`", "a;touch PWN3", "*", "my layout", "it's", "-rf", "café"}

// completionRig: a layouts folder with hostileLayouts, a folder to run
// the shell in (with files a glob would find), and PATH reaching the test
// binary as wezterm-parallel.
func completionRig(t *testing.T) (env []string, cwd string) {
	t.Helper()
	cfgHome := t.TempDir()
	layouts := filepath.Join(cfgHome, "wezterm-parallel", "layouts")
	os.MkdirAll(layouts, 0o700)
	for _, n := range append(hostileLayouts, "nl\nname") {
		if err := os.WriteFile(filepath.Join(layouts, n+".toml"), []byte("[[tabs]]\n[[tabs.panes]]\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	bin := t.TempDir()
	self, _ := os.Executable()
	os.Symlink(self, filepath.Join(bin, "wezterm-parallel"))
	cwd = t.TempDir()
	os.WriteFile(filepath.Join(cwd, "fileA"), nil, 0o600)
	os.WriteFile(filepath.Join(cwd, "fileB"), nil, 0o600)
	env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "XDG_CONFIG_HOME="+cfgHome, "HOME="+t.TempDir())
	return env, cwd
}

func script(t *testing.T, shell string) string {
	out, errOut, code := runApp(t, app.Options{}, "completion", shell)
	if code != 0 {
		t.Fatalf("completion %s: %s", shell, errOut)
	}
	return out
}

// checkNames: the candidates are the layout names, each whole, and
// nothing ran.
func checkNames(t *testing.T, got []string, cwd string) {
	t.Helper()
	for _, want := range hostileLayouts {
		if !slices.Contains(got, want) {
			t.Errorf("no candidate %q in %q", want, got)
		}
	}
	for _, bad := range []string{"fileA", "fileB", "my", "layout", "nl", "name"} {
		if slices.Contains(got, bad) {
			t.Errorf("candidate %q (a glob or a split name) in %q", bad, got)
		}
	}
	for _, f := range []string{"PWN1", "PWN2", "PWN3"} {
		if _, err := os.Stat(filepath.Join(cwd, f)); err == nil {
			t.Errorf("completing ran code: %s was made", f)
		}
	}
}

// TestBashCompletionInsertsQuotedNames: readline inserts COMPREPLY as it
// is; a layout named x$(touch PWN1) was inserted unquoted and Enter ran
// the touch, * offered the folder's files, "my layout" came as two words.
// Each candidate, read back by bash as the word it inserts, is now the
// name, and reading it runs nothing.
func TestBashCompletionInsertsQuotedNames(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	env, cwd := completionRig(t)
	// What Enter would run after TAB inserted each candidate: its words.
	prog := script(t, "bash") + `
COMP_WORDS=(wezterm-parallel launch "")
COMP_CWORD=2
_wezterm_parallel
for c in "${COMPREPLY[@]}"; do
  eval "set -- $c"
  printf '%s\0' "$#:$1"
done
`
	cmd := exec.Command("bash", "-c", prog)
	cmd.Env, cmd.Dir = env, cwd
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("bash: %v", err)
	}
	var got []string
	for _, w := range strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00") {
		n, name, _ := strings.Cut(w, ":")
		if n != "1" {
			t.Errorf("candidate %q reads as %s words", name, n)
		}
		got = append(got, name)
	}
	checkNames(t, got, cwd)
	// A partly typed, quoted word still finds its names.
	cmd = exec.Command("bash", "-c", script(t, "bash")+`COMP_WORDS=(wezterm-parallel launch "my\ la"); COMP_CWORD=2; _wezterm_parallel; printf '%s\n' "${COMPREPLY[@]}"`)
	cmd.Env, cmd.Dir = env, cwd
	if out, _ := cmd.Output(); strings.TrimSpace(string(out)) != `my\ layout` {
		t.Errorf(`"my\ la" completes to %q`, out)
	}
}

// TestZshAndFishCompletionKeepNamesWhole: zsh's compadd and fish quote
// what they insert; the scripts must hand them each name whole.
func TestZshAndFishCompletionKeepNamesWhole(t *testing.T) {
	t.Run("zsh", func(t *testing.T) {
		if _, err := exec.LookPath("zsh"); err != nil {
			t.Skip("no zsh")
		}
		env, cwd := completionRig(t)
		// compadd works only inside a completion widget: a stand-in prints
		// what it is given.
		prog := "compdef() { :; }\n" + script(t, "zsh") + `
compadd() { shift; printf '%s\0' "${(@P)1}"; }
words=(wezterm-parallel launch "")
CURRENT=3
_wezterm_parallel
`
		cmd := exec.Command("zsh", "-f", "-c", prog)
		cmd.Env, cmd.Dir = env, cwd
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("zsh: %v", err)
		}
		checkNames(t, strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00"), cwd)
	})
	t.Run("fish", func(t *testing.T) {
		if _, err := exec.LookPath("fish"); err != nil {
			t.Skip("no fish")
		}
		env, cwd := completionRig(t)
		prog := script(t, "fish") + "complete -C 'wezterm-parallel launch '\n"
		cmd := exec.Command("fish", "--no-config", "-c", prog)
		cmd.Env, cmd.Dir = env, cwd
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("fish: %v", err)
		}
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			name, _, _ := strings.Cut(l, "\t")
			got = append(got, name)
		}
		checkNames(t, got, cwd)
	})
}

// TestLayoutSaveRefusesShellCharacters: a name a shell would read as
// more than a name is refused before anything is asked of WezTerm.
func TestLayoutSaveRefusesShellCharacters(t *testing.T) {
	for _, name := range []string{"x$(touch PWN1)", "*", "my layout", "nl\nname"} {
		_, errOut, code := runApp(t, app.Options{}, "layout", "save", "--workspace", "w", name)
		if code != 2 || !strings.Contains(errOut, "layout save: layout name") {
			t.Errorf("%q: exit %d, %q", name, code, errOut)
		}
	}
}
