package restore

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/wezterm-parallel/wezterm-parallel/internal/spend"
)

// sessionRE is what a session id may look like to be typed into a shell:
// the agents' own ids are UUIDs; a file that says otherwise is not obeyed.
var sessionRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$`)

// ValidSession reports whether id can be typed as a session id.
func ValidSession(id string) bool { return sessionRE.MatchString(id) }

// Sessions says whether an agent's session is still on disk, where the
// agent keeps its records (the rule's usage: spend's roots).
type Sessions struct {
	Roots spend.Roots
}

// Exists reports whether session id of records kind ("claude", "codex",
// "gemini") can be resumed in folder dir; why says what was found when it
// cannot. A kind it does not know is taken as there (the agent itself
// says when it is not).
func (s Sessions) Exists(kind, id, dir string) (ok bool, why string) {
	if !ValidSession(id) {
		return false, "its session id is not one an agent writes"
	}
	switch kind {
	case "claude":
		// Claude Code resumes a session from any folder (it finds the
		// project it was in): any projects/*/ID.jsonl.
		for _, root := range s.Roots.Claude {
			if m, _ := filepath.Glob(filepath.Join(root, "projects", "*", id+".jsonl")); len(m) > 0 {
				return true, ""
			}
		}
		return false, "its transcript is gone"
	case "codex":
		if codexRollout(s.Roots.Codex, id) {
			return true, ""
		}
		return false, "its rollout file is gone"
	case "gemini":
		return geminiSession(s.Roots.Gemini, id, dir)
	}
	return true, ""
}

// codexRollout finds sessions/YYYY/MM/DD/rollout-…-ID.jsonl.
func codexRollout(root, id string) bool {
	if root == "" {
		return false
	}
	found := errors.New("found")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if !d.IsDir() && strings.HasPrefix(d.Name(), "rollout-") && strings.HasSuffix(d.Name(), "-"+id+".jsonl") {
			return found
		}
		return nil
	})
	return errors.Is(err, found)
}

// geminiSession finds tmp/<project>/chats/session-…-<first 8 of ID>.json[l]
// whose header names the session, and checks that it belongs to dir:
// Gemini CLI resumes only the sessions of the folder it runs in (the
// header's projectHash is the folder's SHA-256).
func geminiSession(root, id, dir string) (bool, string) {
	if root == "" || len(id) < 8 {
		return false, "its chat recording is gone"
	}
	want := sha256.Sum256([]byte(dir))
	var files []string
	for _, ext := range []string{".jsonl", ".json"} {
		m, _ := filepath.Glob(filepath.Join(root, "*", "chats", "session-*-"+id[:8]+ext))
		files = append(files, m...)
	}
	other := false
	for _, f := range files {
		sid, hash, ok := geminiHeader(f)
		if !ok || sid != id {
			continue
		}
		if hash == "" || hash == hex.EncodeToString(want[:]) {
			return true, ""
		}
		other = true
	}
	if other {
		return false, "Gemini CLI resumes a session only in the folder it was started in, and the pane opens elsewhere"
	}
	return false, "its chat recording is gone"
}

// geminiHeader reads a recording's session id and project hash: the first
// line of a JSONL recording, or an older whole-document JSON one (read up
// to 16 MiB).
func geminiHeader(path string) (session, hash string, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", false
	}
	defer f.Close()
	var data []byte
	if strings.HasSuffix(path, ".jsonl") {
		data, err = bufio.NewReaderSize(f, 64<<10).ReadSlice('\n')
		if err != nil && len(data) == 0 {
			return "", "", false
		}
	} else if data, err = io.ReadAll(io.LimitReader(f, 16<<20)); err != nil {
		return "", "", false
	}
	var h struct {
		SessionID   string `json:"sessionId"`
		ProjectHash string `json:"projectHash"`
	}
	if json.Unmarshal(data, &h) != nil {
		return "", "", false
	}
	return h.SessionID, h.ProjectHash, h.SessionID != ""
}
