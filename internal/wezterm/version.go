package wezterm

import (
	"regexp"
	"strings"
)

// Feature is a CLI capability that appeared in a given WezTerm release.
type Feature string

// Features, with the release that introduced each (../shared/wezterm-cli.md §5).
const (
	FeatListJSON        Feature = "list --format json"
	FeatListClients     Feature = "list-clients"
	FeatSpawnNewWindow  Feature = "spawn --new-window"
	FeatSpawnWorkspace  Feature = "spawn --workspace"
	FeatSendText        Feature = "send-text"
	FeatSendTextNoPaste Feature = "send-text --no-paste"
	FeatSplitDirections Feature = "split-pane --left/--right/--top/--bottom/--top-level/--cells/--percent"
	// FeatMovePaneID: split-pane --move-pane-id exists from 20220624 but
	// can kill panes when moving within a tab until commit 1d72e79e6
	// (2024-08-24, changelog #6028), which no stable release has yet.
	FeatMovePaneID Feature = "split-pane --move-pane-id (fixed)"
	// FeatUserVarChanged: the Lua event the workspace-switch snippet uses.
	FeatUserVarChanged     Feature = "user-var-changed event"
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
	FeatUserVarChanged:     "20220903",
	FeatMovePaneID:         noRelease,
}

// noRelease marks a feature no stable release has: only nightlies (by
// nightlySince) do.
const noRelease = "99999999"

// nightlySince is when a feature reached the nightly builds, where that is
// earlier than its release (wezterm-cli.md §9; `{{since('nightly')}}` in
// WezTerm's docs at the time): a nightly is judged by its own date.
var nightlySince = map[Feature]string{
	FeatAdjustPaneSize:     "20230418",
	FeatZoomPane:           "20230827",
	FeatMovePaneID:         "20240825", // built after 1d72e79e6 (2024-08-24)
	FeatClientsSSHAuthSock: "20240510",
}

// releaseTags are WezTerm's stable releases from 2021 on (git tags); any
// other dated version is a nightly.
var releaseTags = map[string]bool{
	"20210203-095643-70a364eb": true, "20210314-114017-04b7cedd": true, "20210404-111518-fe48951e": true,
	"20210404-112810-b63a949d": true, "20210405-110924-a5bb5be8": true, "20210502-130208-bff6815d": true,
	"20210502-154244-3f7122cb": true, "20210814-124438-54e29167": true, "20211204-082213-a66c61ee9": true,
	"20211205-192649-672c1cc1": true, "20220101-124905-f2c04077": true, "20220101-131008-e11b9460": true,
	"20220101-133340-7edc5b5a": true, "20220319-142410-0fcdea07": true, "20220405-091515-8a0072ad": true,
	"20220408-101518-b908e2dd": true, "20220624-141144-bd1b7c5d": true, "20220807-081338-e2bf4683": true,
	"20220807-093823-56aa7133": true, "20220807-105216-608750d5": true, "20220807-113146-c2fee766": true,
	"20220903-194523-3bb1ed61": true, "20220904-064125-9a6cee2b": true, "20220905-102802-7d4b8249": true,
	"20221119-145034-49b9839f": true, "20230320-124340-559cb7b0": true, "20230326-111934-3666303c": true,
	"20230408-112425-69ae8472": true, "20230712-072601-f4abf8fd": true, "20240127-113634-bbcac864": true,
	"20240128-202157-1e552d76": true, "20240203-110809-5046fc22": true,
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

// Nightly reports whether this is a dated build that is not a stable
// release.
func (v Version) Nightly() bool { return v.Known() && !releaseTags[v.Raw] }

// Has reports whether this release supports f: a stable release by the
// release that introduced it, a nightly by its own date.
func (v Version) Has(f Feature) bool {
	s, ok := since[f]
	if !ok || !v.Known() {
		return true
	}
	if n, ok := nightlySince[f]; ok && v.Nightly() {
		s = n
	}
	return v.Date >= s
}

// Since says which release introduced f ("a nightly from YYYYMMDD" when no
// stable release has it).
func Since(f Feature) string {
	if since[f] == noRelease {
		return "a nightly from " + nightlySince[f]
	}
	return since[f]
}

// ClapTwo reports whether this release parses its command line with
// structopt/clap 2 (up to 20220408), which exits 1, not 2, on usage errors.
func (v Version) ClapTwo() bool { return v.Known() && v.Date < "20220624" }

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
