package ipc

import (
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/broadcast"
	"github.com/wezterm-parallel/wezterm-parallel/internal/execx"
	"github.com/wezterm-parallel/wezterm-parallel/internal/wezterm"
)

// Operations. "→R" goes to the resident, "→W" to the window.
const (
	OpHello    = "hello"    // →R: a window (PID) subscribes to snapshots
	OpDetail   = "detail"   // →R: the pane whose process tree snapshots carry
	OpKick     = "kick"     // →R: poll now (after an action)
	OpPlan     = "plan"     // →R: split a broadcast; reply OpPlanned
	OpCancel   = "cancel"   // →R: drop queued prompt ID
	OpQuit     = "quit"     // →R: quit (the window closes with close_to_tray off); →W: the resident quits
	OpStats    = "stats"    // →R: reply OpStats with Stats
	OpSnapshot = "snapshot" // →W: a tick (Snap) and the queued prompts
	OpPlanned  = "planned"  // →W: Panes to send to now, Queued held
	OpFocus    = "focus"    // →W: come to the front (a second start, the tray)
	OpPrefs    = "prefs"    // →W: open the preferences
	OpSelect   = "select"   // →W: select pane Pane (the tray's attention menu)
	OpClose    = "close"    // →W: close (the tray's "Hide panel")
	OpRestore  = "restore"  // →W: open the restore dialog (Text: the snapshot id, "" the newest)
	OpError    = "error"    // either way: Error says what went wrong
	OpBeat     = "beat"     // →W: the resident is alive and its monitor ticks (at once after hello, then every BeatEvery)
)

// BeatEvery is how often the resident tells a window it is alive; a
// window that misses two beats polls on its own.
const BeatEvery = 2 * time.Second

// Msg is one message. Seq pairs a reply with its request.
type Msg struct {
	Op     string           `json:"op"`
	Seq    int              `json:"seq,omitempty"`
	PID    int              `json:"pid,omitempty"`
	Pane   wezterm.PaneID   `json:"pane,omitempty"`
	Panes  []wezterm.PaneID `json:"panes,omitempty"`
	Text   string           `json:"text,omitempty"`
	ID     int              `json:"id,omitempty"`
	Snap   *Snapshot        `json:"snap,omitempty"`
	Queued []broadcast.Item `json:"queued,omitempty"`
	Stats  *Stats           `json:"stats,omitempty"`
	Error  string           `json:"error,omitempty"`
}

// Stats is what the resident tells doctor --verbose.
type Stats struct {
	PID     int          `json:"pid"`
	Uptime  string       `json:"uptime"`
	Window  bool         `json:"window"` // a window is open (and fed)
	Tray    bool         `json:"tray"`
	Wezterm execx.Minute `json:"wezterm_processes_last_minute"`
	RSS     uint64       `json:"rss_bytes"`
	// Go is what the Go runtime holds of it (heap, stacks, its own
	// books; not what it gave back), Heap its live heap objects.
	Go   uint64 `json:"go_bytes,omitempty"`
	Heap uint64 `json:"heap_bytes,omitempty"`
}
