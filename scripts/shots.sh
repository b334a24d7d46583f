#!/usr/bin/env bash
# Screenshots of the real window in the states that matter, under Xvfb:
# dark and light, 4 panes, 24 panes in one tab (map and table), 44 panes,
# the detail panel open, a 300-character title and cwd, CJK and emoji
# titles, a dialog (and after Tab), a small window, a filter that matches
# nothing, WezTerm unreachable, the restore offer and dialog after WezTerm
# came back with only its start-up pane, and a fresh window with WezTerm
# not running and not installed.
# Usage: scripts/shots.sh BIN OUTDIR   (run inside xvfb-run + dbus-run-session)
set -euo pipefail
# Any failing command says where, rather than ending the script silently.
trap 'echo "$(basename "$0"): line $LINENO: \"$BASH_COMMAND\" failed with exit code $?" >&2' ERR
# A runtime folder of our own: never the user's tray process or window.
export WEZTERM_PARALLEL_RUNTIME_DIR=${WEZTERM_PARALLEL_RUNTIME_DIR:-$(mktemp -d)}
bin=${1:-bin/wezterm-parallel}
out=${2:-docs/screens}
sim=$(cd "$(dirname "$bin")" && pwd)/wezterm-sim
mkdir -p "$out"
tmp=$(mktemp -d)
# The imitation agents record token use where Claude Code would (a config
# folder of this run's own): their tiles show spend.
# Snapshots go to this run's own state folder.
export WEZTERM_UNIX_SOCKET=$tmp/sock LANG=en_US.UTF-8 CLAUDE_CONFIG_DIR=$tmp/claude XDG_STATE_HOME=$tmp/state
trap '"$sim" ctl stop >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
"$sim" start --demo --lua-snippet --shell /bin/sh --usage-dir "$CLAUDE_CONFIG_DIR" >/dev/null
cli() { "$sim" cli --no-auto-start "$@"; }

# Workspace "big": 24 panes in one tab; "huge": 40 in one tab, 44 in all.
mkdir -p "$tmp/layouts"
grid_ws() { # NAME COLS ROWS
  printf 'workspace = "%s"\n[[tabs]]\ntitle = "%s"\ngrid = "%sx%s"\n[tabs.pane]\nargs = ["sleep", "3600"]\n' "$1" "$1" "$2" "$3" > "$tmp/layouts/$1.toml"
  "$bin" --config "$tmp/config.toml" --log-file "$tmp/cli.log" --wezterm "$sim" launch --yes "$1" >/dev/null
}
grid_ws big 6 4
grid_ws huge 8 5
# …and a second tab of 4: 44 panes in the workspace (a grid has at most 8
# columns or rows).
printf 'workspace = "huge"\n[[tabs]]\ntitle = "more"\ngrid = "2x2"\n[tabs.pane]\nargs = ["sleep", "3600"]\n' > "$tmp/layouts/huge2.toml"
"$bin" --config "$tmp/config.toml" --log-file "$tmp/cli.log" --wezterm "$sim" launch --yes huge2 >/dev/null
# Workspace "intl": a 300-character title in a deep folder, CJK and emoji.
deep=$tmp/$(printf 'a-folder-with-a-long-name/%.0s' $(seq 1 11))end
mkdir -p "$deep"
long=$(printf 'A very long title from a program that sets its own title without restraint %.0s' $(seq 1 4) | cut -c1-300)
p=$(cli spawn --new-window --workspace intl --cwd "$deep" -- sh -c "printf '\033]0;%s\007' \"\$1\"; exec sleep 3600" sh "$long")
q=$(cli split-pane --pane-id "$p" --right -- sh -c "printf '\033]0;日本語のタイトル 🚀 デプロイ\007'; exec sleep 3600")
cli split-pane --pane-id "$q" --bottom -- sh -c "printf '\033]0;中文标题 ✅ 한국어 제목\007'; exec sleep 3600" >/dev/null

# Workspace "crew": two imitation agents; alpha soon waits for you.
a=$(cli spawn --new-window --workspace crew -- "$sim" fake-agent --work 1s --name alpha --usage-dir "$CLAUDE_CONFIG_DIR")
cli split-pane --pane-id "$a" --right -- "$sim" fake-agent --work 600s --name beta --usage-dir "$CLAUDE_CONFIG_DIR" --model my-local-model >/dev/null

cfg=$tmp/app.toml
printf 'theme = "dark"\n[budget]\npane_usd = 0.25\n' > "$cfg"
"$bin" --config "$cfg" --log-file "$out/shots.log" --wezterm "$sim" > "$tmp/app.out" 2>&1 &
app=$!
wid=""
for _ in $(seq 1 60); do
  wid=$(xdotool search --name '^wezterm-parallel$' 2>/dev/null | head -1 || true)
  [ -n "$wid" ] && break
  sleep 0.25
done
[ -n "$wid" ] || { echo "shots: no window"; cat "$tmp/app.out"; exit 1; }
xdotool mousemove 1430 890   # keep the pointer (and tooltips) out of the way
sleep 4
shot() { sleep "${2:-1.5}"; import -window root "$out/$1.png"; echo "shots: $1"; }
key() { xdotool key --window "$wid" "$@"; sleep 0.6; }
ws() { key "ctrl+$1"; }      # workspaces in name order: agents big crew default huge intl servers

ws 1; shot dark-4-panes 2
sleep 8; shot dark-spend 1                  # agent 3 works on: its spend rises, past the pane budget
key ctrl+m; shot dark-spend-table 1.5; key ctrl+m
key Right; key Down; shot dark-detail 2.5   # arrows select; the detail panel opens
key ctrl+d; shot dark-dialog 1
key Tab; key Tab; shot dark-dialog-after-tab 1; key Escape   # Tab left the field: Esc still closes
ws 3; key ctrl+j; shot dark-needs-you 2.5   # the agent waiting longest: selected
ws 2; shot dark-24-table 2
key ctrl+m; shot dark-24-map 2
key ctrl+m
ws 5; shot dark-44-table 2
key ctrl+m; shot dark-44-map 2
ws 6; shot dark-long-and-cjk 2
key ctrl+f; xdotool type --window "$wid" --delay 40 zzz; shot dark-filter-matches-nothing 1.5; key Escape
xdotool windowsize "$wid" 800 560; sleep 1
ws 1; shot dark-small-window 2
xdotool windowsize "$wid" 1280 800; sleep 1
printf 'theme = "light"\n[budget]\npane_usd = 0.25\n' > "$cfg"; sleep 3
ws 1; shot light-4-panes 2
key ctrl+m; shot light-spend-table 1.5; key ctrl+m
ws 3; key ctrl+j; shot light-needs-you 2.5
ws 6; shot light-long-and-cjk 2
ws 2; shot light-24-table 2
ws 1
"$sim" ctl stop >/dev/null 2>&1 || true
shot light-unreachable 4
printf 'theme = "dark"\n' > "$cfg"
shot dark-unreachable 4
# WezTerm starts again with nothing but its start-up pane (after a reboot):
# the window offers the snapshot it kept while the working set ran.
"$sim" start --lua-snippet --shell /bin/sh >/dev/null
shot dark-restore-banner 10
key ctrl+k; xdotool type --window "$wid" --delay 40 "restore a"; key Return
shot dark-restore-dialog 2
key Escape
printf 'theme = "light"\n' > "$cfg"; sleep 3
shot light-restore-banner 1
key ctrl+k; xdotool type --window "$wid" --delay 40 "restore a"; key Return
shot light-restore-dialog 2
key Escape
"$sim" ctl stop >/dev/null 2>&1 || true
kill "$app"; wait "$app" 2>/dev/null || true
if grep -q "Error in Fyne call thread" "$tmp/app.out"; then
  echo "shots: Fyne reported a call off its thread:"; grep -A3 "Error in Fyne call thread" "$tmp/app.out"; exit 1
fi

# A fresh window while WezTerm is not running, then not installed: the
# middle says why and offers the fix.
fresh() { # NAME THEME [ARGS...]
  local name=$1 theme=$2; shift 2
  printf 'theme = "%s"\n' "$theme" > "$tmp/fresh.toml"
  WEZTERM_PARALLEL_RUNTIME_DIR=$(mktemp -d) "$bin" --config "$tmp/fresh.toml" --log-file "$tmp/fresh.log" "$@" > "$tmp/fresh.out" 2>&1 &
  local pid=$! w=""
  for _ in $(seq 1 60); do
    w=$(xdotool search --name '^wezterm-parallel' 2>/dev/null | head -1 || true)
    [ -n "$w" ] && break
    sleep 0.25
  done
  [ -n "$w" ] || { echo "shots: no window for $name"; cat "$tmp/fresh.out"; exit 1; }
  shot "$name" 3
  kill "$pid"; wait "$pid" 2>/dev/null || true
}
fresh dark-not-running dark --wezterm "$sim"
fresh light-not-running light --wezterm "$sim"
fresh dark-not-installed dark --wezterm "$tmp/no-such-wezterm"
