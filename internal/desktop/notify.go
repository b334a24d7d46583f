package desktop

import (
	"context"
	"errors"
	"runtime"
	"time"

	"github.com/wezterm-parallel/wezterm-parallel/internal/command"
	"github.com/wezterm-parallel/wezterm-parallel/internal/textsafe"
)

// Notifier shows desktop notifications without a GUI toolkit: the
// resident process has none. Linux and the BSDs: the freedesktop
// Notifications service on the session bus; macOS: osascript (title and
// body as arguments, never in the script text); Windows: not yet (the
// window, when open, shows its own).
type Notifier struct {
	Run command.Runner
	// App is the sending application's name.
	App string
}

// ErrNoNotifications: this system has no way for the resident to notify.
var ErrNoNotifications = errors.New("desktop notifications are not available from the tray process on this system")

// Notify shows one notification. Text is escaped first: it may come from
// pane titles.
func (n Notifier) Notify(title, body string) error {
	title, body = textsafe.EscapeKeepNewlines(title), textsafe.EscapeKeepNewlines(body)
	switch runtime.GOOS {
	case "windows":
		return ErrNoNotifications
	case "darwin":
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err := n.Run.Run(ctx, command.Cmd{Args: []string{"osascript",
			"-e", "on run argv", "-e", "display notification (item 2 of argv) with title (item 1 of argv)", "-e", "end run",
			title, body}, Timeout: 5 * time.Second})
		return err
	}
	return busNotify(n.App, title, body)
}
