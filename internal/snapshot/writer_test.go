package snapshot

import (
	"fmt"
	"testing"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/topology"
)

func TestWriter(t *testing.T) {
	st := Open(t.TempDir())
	w := NewWriter(st, "resident")
	base := tree(workspace("dev", threePanes()))
	moved := tree(workspace("dev", threePanes()))
	moved.Workspaces[0].Windows[0].Tabs[0].Panes[0].CWD = "/home/u/elsewhere"
	more := tree(workspace("dev", threePanes()), workspace("two", tab(80, 24, pane(7, 0, 0, 80, 24, "/x", "bash", "bash"))))
	blank := tree(workspace("default", tab(80, 24, pane(0, 0, 0, 80, 24, "/home/u", "bash", "bash"))))
	unsampled := tree(workspace("dev", threePanes()))
	unsampled.EachPane(func(p *topology.Pane) { p.Usage = nil })

	steps := []struct {
		at   time.Duration
		tree topology.Tree
		want Did
	}{
		{0, base, Nothing}, // changed: waits for the debounce
		{5 * time.Second, base, Nothing},
		{10 * time.Second, base, Created}, // stable for 10 s: the first file
		{11 * time.Second, base, Nothing},
		{12 * time.Second, moved, Nothing}, // a folder changed…
		{22 * time.Second, moved, Updated}, // …the newest is rewritten
		{23 * time.Second, blank, Skipped}, // WezTerm restarted: blank is never written
		{24 * time.Second, unsampled, Skipped},
		{25 * time.Second, more, Nothing}, // a new workspace…
		{30 * time.Second, base, Nothing}, // …gone again before the debounce: nothing
		{31 * time.Second, more, Nothing},
		{41 * time.Second, more, Created}, // a new shape: a new file
		{4 * time.Minute, more, Nothing},
		{41*time.Second + Every, more, Updated}, // confirmed every 5 min
	}
	for i, s := range steps {
		got, err := w.Observe(t0.Add(s.at), s.tree)
		if err != nil {
			t.Fatal(err)
		}
		if got != s.want {
			t.Fatalf("step %d (%s): %s, want %s", i, s.at, got, s.want)
		}
	}
	list, _ := st.List()
	if len(list) != 2 {
		t.Fatalf("%d files, want 2", len(list))
	}
	if list[0].Summary.Workspaces != 2 || !list[0].Confirmed.Equal(t0.Add(41*time.Second+Every)) || !list[0].Taken.Equal(t0.Add(31*time.Second)) {
		t.Errorf("newest: %+v", list[0])
	}
	old, _ := st.Load(list[1].ID)
	if d := old.Workspaces[0].Windows[0].Tabs[0].Panes()[0].Dir; d != "/home/u/elsewhere" {
		t.Errorf("the update did not reach the file: %s", d)
	}

	// A restarted resident confirms the newest file instead of adding one.
	w2 := NewWriter(st, "resident")
	for _, at := range []time.Duration{Every + time.Minute, Every + 2*time.Minute} {
		if got, err := w2.Observe(t0.Add(at), more); err != nil || got == Created {
			t.Fatalf("restarted: %s %v", got, err)
		}
	}
	if list, _ := st.List(); len(list) != 2 {
		t.Errorf("restarted writer added a file: %d", len(list))
	}
}

func TestWriterKeepsWritingAChangingState(t *testing.T) {
	st := Open(t.TempDir())
	w := NewWriter(st, "resident")
	wrote := false
	for i := 0; i <= 70; i++ {
		tr := tree(workspace("dev", threePanes()), workspace(fmt.Sprintf("w%d", i%2), tab(80, 24, pane(7, 0, 0, 80, 24, "/x", "bash", "bash"))))
		did, err := w.Observe(t0.Add(time.Duration(i)*time.Second), tr)
		if err != nil {
			t.Fatal(err)
		}
		if did == Created {
			wrote = true
			if i < 60 {
				t.Fatalf("written after %d s of change, before MaxDelay", i)
			}
		}
	}
	if !wrote {
		t.Error("a state that changes every second is never written")
	}
}
