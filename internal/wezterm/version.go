package wezterm

import (
	"regexp"
	"strings"
)

// Feature is a CLI capability that appeared in a given WezTerm release.
type Feature string

// Features, with the release that introduced each (../shared/wezterm-cli.md §5).
const (
	FeatListJSON           Feature = "list --format json"
	FeatListClients        Feature = "list-clients"
	FeatSpawnNewWindow     Feature = "spawn --new-window"
	FeatSpawnWorkspace     Feature = "spawn --workspace"
	FeatSendText           Feature = "send-text"
	FeatSendTextNoPaste    Feature = "send-text --no-paste"
	FeatSplitDirections    Feature = "split-pane --left/--right/--top/--bottom/--top-level/--cells/--percent/--move-pane-id"
	FeatMovePaneToNewTab   Feature = "move-pane-to-new-tab"
	FeatActivatePaneDir    Feature = "activate-pane-direction"
	FeatGetText            Feature = "get-text"
	FeatActivatePane       Feature = "activate-pane"
	FeatActivateTab        Feature = "activate-tab"
	FeatKillPane           Feature = "kill-pane"
	FeatGetPaneDirection   Feature = "get-pane-direction"
	FeatRenameWorkspace    Feature = "rename-workspace"
	FeatSetTabTitle        Feature = "set-tab-title"
	FeatSetWindowTitle     Feature = "set-window-title"
	FeatListState          Feature = "list fields tab_title/window_title/is_active/is_zoomed/tty_name"
	FeatListGeometry       Feature = "list fields left_col/top_row/cursor"
	FeatAdjustPaneSize     Feature = "adjust-pane-size"
	FeatZoomPane           Feature = "zoom-pane"
	FeatClientsSSHAuthSock Feature = "list-clients ssh_auth_sock"
)

// since maps each feature to the first release date (YYYYMMDD) that has it.
var since = map[Feature]string{
	FeatSpawnNewWindow:     "20210814",
	FeatListClients:        "20220319",
	FeatSendText:           "20220319",
	FeatSpawnWorkspace:     "20220319",
	FeatListJSON:           "20220624",
	FeatSendTextNoPaste:    "20220624",
	FeatSplitDirections:    "20220624",
	FeatMovePaneToNewTab:   "20220624",
	FeatListGeometry:       "20220807",
	FeatActivatePaneDir:    "20221119",
	FeatGetText:            "20230320",
	FeatActivatePane:       "20230326",
	FeatActivateTab:        "20230326",
	FeatKillPane:           "20230326",
	FeatGetPaneDirection:   "20230408",
	FeatRenameWorkspace:    "20230408",
	FeatSetTabTitle:        "20230408",
	FeatSetWindowTitle:     "20230408",
	FeatListState:          "20230408",
	FeatAdjustPaneSize:     "20230712",
	FeatZoomPane:           "20240127",
	FeatClientsSSHAuthSock: "20240510", // nightly only (commit ca27f921e)
}

// AllFeatures lists every known feature, oldest first.
func AllFeatures() []Feature {
	out := make([]Feature, 0, len(since))
	for f := range since {
		out = append(out, f)
	}
	// Sort by date, then name, for stable output.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && less(out[j], out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func less(a, b Feature) bool {
	if since[a] != since[b] {
		return since[a] < since[b]
	}
	return a < b
}

// Version is a parsed `wezterm --version`.
type Version struct {
	Raw  string // e.g. "20240203-110809-5046fc22"
	Date string // YYYYMMDD, "" when the version string has no date (dev builds)
}

var versionRE = regexp.MustCompile(`(\d{8})-\d{6}-[0-9a-f]+`)

// ParseVersion reads the output of `wezterm --version`
// ("wezterm 20240203-110809-5046fc22").
func ParseVersion(out string) Version {
	s := strings.TrimSpace(out)
	s = strings.TrimPrefix(s, "wezterm ")
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	v := Version{Raw: strings.TrimSpace(s)}
	if m := versionRE.FindStringSubmatch(v.Raw); m != nil {
		v.Date = m[1]
	}
	return v
}

// Known reports whether the release date could be read. Builds without a
// date (from source) are assumed to have every feature.
func (v Version) Known() bool { return v.Date != "" }

// Has reports whether this release supports f.
func (v Version) Has(f Feature) bool {
	s, ok := since[f]
	if !ok || !v.Known() {
		return true
	}
	return v.Date >= s
}

// Since returns the release that introduced f.
func Since(f Feature) string { return since[f] }

// Missing lists the features this release lacks.
func (v Version) Missing() []Feature {
	var out []Feature
	for _, f := range AllFeatures() {
		if !v.Has(f) {
			out = append(out, f)
		}
	}
	return out
}

func (v Version) String() string {
	if v.Raw == "" {
		return "unknown"
	}
	return v.Raw
}
