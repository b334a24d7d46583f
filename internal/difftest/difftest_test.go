//go:build unix

package difftest

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "record the real WezTerm's transcript into testdata (needs "+EnvReal+")")

// Call is one recorded call, normalized.
type Call struct {
	Step string   `json:"step"`
	Argv []string `json:"argv"`
	Result
}

// Transcript is a run of every scenario on one WezTerm.
type Transcript struct {
	WezTerm   string            `json:"wezterm"`
	Scenarios map[string][]Call `json:"scenarios"`
}

func goldenPath() string { return filepath.Join("testdata", "real-"+RealVersion+".json") }

// run plays sc against b and returns the normalized calls.
func run(t *testing.T, b backend, sc scenario) []Call {
	t.Helper()
	vars := map[string]string{}
	subst := func(args []string) []string {
		out := make([]string, len(args))
		for i, a := range args {
			out[i] = a
			if strings.HasPrefix(a, "$") {
				if v, ok := vars[a[1:]]; ok {
					out[i] = v
				}
			}
		}
		return out
	}
	var calls []Call
	for _, st := range sc.steps {
		switch {
		case st.sleep > 0:
			time.Sleep(st.sleep)
			continue
		case st.wait != "":
			pane := subst([]string{st.waitPane})[0]
			deadline := time.Now().Add(15 * time.Second)
			for {
				r := b.cli(nil, []string{"get-text", "--pane-id", pane}, "")
				if strings.Contains(r.Stdout, st.wait) {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("%s: pane %s never showed %q; screen:\n%s%s", sc.name, pane, st.wait, r.Stdout, r.Stderr)
				}
				time.Sleep(50 * time.Millisecond)
			}
			time.Sleep(150 * time.Millisecond) // the rest of the output lands
			continue
		}
		args := subst(st.args)
		r := b.cli(st.global, args, st.stdin)
		if st.save != "" {
			vars[st.save] = strings.TrimSpace(r.Stdout)
		}
		calls = append(calls, Call{Step: st.name, Argv: append(append([]string{}, st.global...), args...), Result: normalize(r, b)})
	}
	return calls
}

var (
	timeRE   = regexp.MustCompile(`\b\d\d:\d\d:\d\d\.\d{3}\b`)
	socketRE = regexp.MustCompile(`Socket\("[^"]*"\): connecting to \S+;`)
	ptsRE    = regexp.MustCompile(`^/dev/pts/\d+$`)
)

// normalize removes what differs by nature between two runs: times, the
// private folders, tty numbers, pids, user and host names, durations, and
// the pixel size of cells (font metrics: the stand-in has no font).
func normalize(r Result, b backend) Result {
	repl := strings.NewReplacer(b.home(), "$HOME", b.runtime(), "$RUNTIME")
	r.Stderr = timeRE.ReplaceAllString(r.Stderr, "HH:MM:SS.mmm")
	r.Stderr = socketRE.ReplaceAllString(r.Stderr, `Socket("$SOCKET"): connecting to $SOCKET;`)
	r.Stderr = repl.Replace(r.Stderr)
	r.Stdout = repl.Replace(r.Stdout)
	// The panes run /bin/sh, whose executable names the pane (dash on
	// Debian, bash elsewhere): the same on both sides of one machine.
	if sh := shellName(); sh != "" {
		r.Stdout = regexp.MustCompile(`\b`+regexp.QuoteMeta(sh)+`\b`).ReplaceAllString(r.Stdout, "$$SH")
	}
	if strings.HasPrefix(r.Stdout, "[") {
		var items []map[string]any
		if err := json.Unmarshal([]byte(r.Stdout), &items); err == nil {
			for _, it := range items {
				if sz, ok := it["size"].(map[string]any); ok {
					for _, k := range []string{"pixel_width", "pixel_height", "dpi"} {
						if _, ok := sz[k]; ok {
							sz[k] = 0
						}
					}
				}
				if tty, ok := it["tty_name"].(string); ok && ptsRE.MatchString(tty) {
					it["tty_name"] = "/dev/pts/N"
				}
				for _, k := range []string{"username", "hostname"} {
					if _, ok := it[k]; ok {
						it[k] = "$" + strings.ToUpper(k)
					}
				}
				if _, ok := it["pid"]; ok {
					it["pid"] = 0
				}
				for _, k := range []string{"connection_elapsed", "idle_time"} {
					if _, ok := it[k]; ok {
						it[k] = "$DURATION"
					}
				}
			}
			sort.SliceStable(items, func(i, j int) bool {
				a, _ := items[i]["pane_id"].(float64)
				b, _ := items[j]["pane_id"].(float64)
				return a < b
			})
			out, _ := json.MarshalIndent(items, "", "  ")
			r.Stdout = string(out)
		}
	}
	return r
}

func shellName() string {
	p, err := filepath.EvalSymlinks("/bin/sh")
	if err != nil {
		return ""
	}
	return filepath.Base(p)
}

// verdict compares one call: "same", or why not.
func verdict(step string, a, b Result) (same bool, how string) {
	if a == b {
		return true, "same"
	}
	var parts []string
	if a.Code != b.Code {
		parts = append(parts, fmt.Sprintf("exit %d vs %d", a.Code, b.Code))
	}
	if a.Stderr != b.Stderr {
		parts = append(parts, "stderr")
	}
	if a.Stdout != b.Stdout {
		if trimBlanks(a.Stdout) == trimBlanks(b.Stdout) {
			parts = append(parts, "stdout (trailing blanks only)")
		} else {
			parts = append(parts, "stdout")
		}
	}
	return false, strings.Join(parts, ", ")
}

func trimBlanks(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// compare reports every call of got (the stand-in) against want (real),
// failing on differences not explained in known.
func compare(t *testing.T, sc string, want, got []Call, report *strings.Builder) {
	t.Helper()
	if len(want) != len(got) {
		t.Errorf("%s: %d calls recorded from real WezTerm, %d from the stand-in (re-record with -update)", sc, len(want), len(got))
		return
	}
	for i := range want {
		key := sc + "/" + want[i].Step
		same, how := verdict(key, want[i].Result, got[i].Result)
		why, explained := known[key]
		if !same && !explained && how == "stdout (trailing blanks only)" {
			why, explained = trailingBlanks, true
		}
		status := "same"
		switch {
		case same && explained && why != trailingBlanks:
			status = "same (known difference no longer seen: remove it from known.go)"
			t.Errorf("%s: listed in known.go but the stand-in now agrees", key)
		case same:
		case explained:
			status = "differs (" + how + "): " + why
		default:
			status = "DIFFERS (" + how + ")"
			t.Errorf("%s: %s\nreal:     exit %d\n%s\n%s\nstand-in: exit %d\n%s\n%s", key, how,
				want[i].Code, want[i].Stdout, want[i].Stderr, got[i].Code, got[i].Stdout, got[i].Stderr)
		}
		call := strings.ReplaceAll(strings.Join(want[i].Argv, " "), "\n", `\n`)
		if len(call) > 70 {
			call = call[:67] + "..."
		}
		fmt.Fprintf(report, "| %s | %s | `%s` | %s |\n", sc, want[i].Step, strings.ReplaceAll(call, "|", `\|`), status)
	}
}

// TestDifferential runs every scenario on the stand-in and compares it with
// real WezTerm: the recorded transcript, and a live run when
// WEZTERM_PARALLEL_REAL_WEZTERM names one (-update records it).
func TestDifferential(t *testing.T) {
	realBin := os.Getenv(EnvReal)
	var golden Transcript
	data, err := os.ReadFile(goldenPath())
	if err == nil {
		err = json.Unmarshal(data, &golden)
	}
	if err != nil && !*update {
		t.Fatalf("the real WezTerm's transcript: %v (record it with %s=… go test -run TestDifferential -update)", err, EnvReal)
	}
	if realBin == "" {
		t.Logf("%s is not set: comparing the stand-in with the transcript recorded from WezTerm %s", EnvReal, golden.WezTerm)
		if *update {
			t.Fatalf("-update needs %s", EnvReal)
		}
	} else {
		v := realVersion(realBin)
		t.Logf("real WezTerm: %s (%s)", realBin, v)
		if v != RealVersion {
			t.Logf("note: the transcript is of %s; comparing live with %s", RealVersion, v)
		}
	}
	live := Transcript{WezTerm: realVersion(realBin), Scenarios: map[string][]Call{}}
	standin := Transcript{WezTerm: "stand-in as " + RealVersion, Scenarios: map[string][]Call{}}
	var report strings.Builder
	report.WriteString("| scenario | step | call | stand-in vs real |\n|---|---|---|---|\n")
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			want := golden.Scenarios[sc.name]
			if realBin != "" {
				r := startReal(t, realBin, sc.mode)
				want = run(t, r, sc)
				r.close()
				live.Scenarios[sc.name] = want
			}
			s := startStandIn(t, sc.mode)
			got := run(t, s, sc)
			s.close()
			standin.Scenarios[sc.name] = got
			compare(t, sc.name, want, got, &report)
		})
	}
	if out := os.Getenv("DIFFTEST_REPORT"); out != "" {
		if err := os.WriteFile(out, []byte(report.String()), 0o644); err != nil {
			t.Error(err)
		}
	}
	if out := os.Getenv("DIFFTEST_STANDIN"); out != "" {
		data, _ := json.MarshalIndent(standin, "", "  ")
		if err := os.WriteFile(out, data, 0o644); err != nil {
			t.Error(err)
		}
	}
	if *update && realBin != "" {
		data, _ := json.MarshalIndent(live, "", "  ")
		if err := os.WriteFile(goldenPath(), append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
