// Command sniwatcher is a minimal StatusNotifierWatcher for the end-to-end
// test: it owns org.kde.StatusNotifierWatcher on the session bus, accepts
// the app's tray item, and can click a menu entry through the item's
// com.canonical.dbusmenu interface, the way a desktop's tray would.
//
//	sniwatcher [--click "Layouts/dev"]... [--timeout 30s] [--stay]
//
// Each --click is made in turn, once its entry shows in the menu.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/prop"
)

const (
	watcherName = "org.kde.StatusNotifierWatcher"
	watcherPath = "/StatusNotifierWatcher"
)

type watcher struct {
	items chan string // "sender/path" of each registered item
}

func (w *watcher) RegisterStatusNotifierItem(sender dbus.Sender, service string) *dbus.Error {
	w.items <- string(sender) + "|" + service
	return nil
}

func (w *watcher) RegisterStatusNotifierHost(string) *dbus.Error { return nil }

// menuLayout is dbusmenu's (ia{sv}av).
type menuLayout struct {
	ID       int32
	Props    map[string]dbus.Variant
	Children []dbus.Variant
}

func (m menuLayout) label() string {
	if v, ok := m.Props["label"]; ok {
		if s, ok := v.Value().(string); ok {
			return s
		}
	}
	return ""
}

func (m menuLayout) children() []menuLayout {
	var out []menuLayout
	for _, c := range m.Children {
		var l menuLayout
		if err := dbus.Store([]interface{}{c.Value()}, &l); err == nil {
			out = append(out, l)
		}
	}
	return out
}

// find walks labels along path ("Layouts/dev").
func find(root menuLayout, path []string) (menuLayout, bool) {
	cur := root
	for _, want := range path {
		found := false
		for _, c := range cur.children() {
			if c.label() == want {
				cur, found = c, true
				break
			}
		}
		if !found {
			return cur, false
		}
	}
	return cur, true
}

func main() {
	var clicks []string
	flag.Func("click", "menu entry to click, as labels joined by / (repeatable: clicked in order)", func(v string) error {
		clicks = append(clicks, v)
		return nil
	})
	timeout := flag.Duration("timeout", 30*time.Second, "give up after")
	stay := flag.Bool("stay", false, "keep running (owning the watcher's name) after registering and clicking, until killed")
	flag.Parse()
	fail := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "sniwatcher: "+format+"\n", args...)
		os.Exit(1)
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		fail("session bus: %v", err)
	}
	w := &watcher{items: make(chan string, 4)}
	if err := conn.Export(w, watcherPath, watcherName); err != nil {
		fail("export: %v", err)
	}
	props := map[string]map[string]*prop.Prop{watcherName: {
		"IsStatusNotifierHostRegistered": {Value: true, Emit: prop.EmitFalse},
		"ProtocolVersion":                {Value: int32(0), Emit: prop.EmitFalse},
		"RegisteredStatusNotifierItems":  {Value: []string{}, Emit: prop.EmitFalse},
	}}
	if _, err := prop.Export(conn, watcherPath, props); err != nil {
		fail("export properties: %v", err)
	}
	reply, err := conn.RequestName(watcherName, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		fail("own %s: %v (%v)", watcherName, err, reply)
	}
	fmt.Println("watcher ready")
	var item string
	select {
	case item = <-w.items:
	case <-time.After(*timeout):
		fail("no tray item registered within %v", *timeout)
	}
	sender, path, _ := strings.Cut(item, "|")
	if !strings.HasPrefix(path, "/") {
		sender, path = path, "/StatusNotifierItem"
	}
	fmt.Printf("registered %s %s\n", sender, path)
	if len(clicks) == 0 {
		if *stay {
			select {}
		}
		return
	}
	var menuPath dbus.ObjectPath
	if err := conn.Object(sender, dbus.ObjectPath(path)).Call("org.freedesktop.DBus.Properties.Get", 0,
		"org.kde.StatusNotifierItem", "Menu").Store(&menuPath); err != nil {
		fail("item menu: %v", err)
	}
	menu := conn.Object(sender, menuPath)
	deadline := time.Now().Add(*timeout)
	for _, click := range clicks {
		want := strings.Split(click, "/")
		for {
			var rev uint32
			var root menuLayout
			if err := menu.Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{}).Store(&rev, &root); err != nil {
				fail("menu layout: %v", err)
			}
			if entry, ok := find(root, want); ok {
				call := menu.Call("com.canonical.dbusmenu.Event", 0, entry.ID, "clicked", dbus.MakeVariant(""), uint32(time.Now().Unix()))
				if call.Err != nil {
					fail("click %s: %v", click, call.Err)
				}
				fmt.Printf("clicked %s (id %d)\n", click, entry.ID)
				break
			}
			if time.Now().After(deadline) {
				var labels []string
				for _, c := range root.children() {
					labels = append(labels, c.label())
				}
				fail("no menu entry %s (top level: %s)", click, strings.Join(labels, ", "))
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	if *stay {
		select {}
	}
}
