package env

import (
	"os"
	"testing"
)

func TestIsC(t *testing.T) {
	for v, want := range map[string]bool{"C": true, "C.UTF-8": true, "C.utf8": true, "POSIX": true, "en_US.UTF-8": false, "": false, "de_DE@euro": false} {
		if IsC(v) != want {
			t.Errorf("IsC(%q) = %v", v, !want)
		}
	}
}

func TestRestore(t *testing.T) {
	t.Setenv("LANG", "en_US.UTF-8")
	saved["LANG"] = "C.UTF-8"
	Restore()
	if os.Getenv("LANG") != "C.UTF-8" || len(saved) != 0 {
		t.Errorf("LANG %q, saved %v", os.Getenv("LANG"), saved)
	}
}
