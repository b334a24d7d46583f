#!/usr/bin/env bash
# Time to first frame: from start to a window showing real data (the pane
# map drawn: many colours in a screenshot), next to a bare Fyne window's
# first frame (its label drawn), in one run under Xvfb; and the demo's first
# frame with data after its window appears.
# Usage: scripts/first-frame.sh [ROUNDS]
set -euo pipefail
# Any failing command says where, rather than ending the script silently.
trap 'echo "$(basename "$0"): line $LINENO: \"$BASH_COMMAND\" failed with exit code $?" >&2' ERR
# A runtime folder of our own: never the user's tray process or window.
export WEZTERM_PARALLEL_RUNTIME_DIR=${WEZTERM_PARALLEL_RUNTIME_DIR:-$(mktemp -d)}
cd "$(dirname "$0")/.."
rounds=${1:-3}
go build -o bin/wezterm-parallel ./cmd/wezterm-parallel
go build -o bin/wezterm-sim ./cmd/wezterm-sim
go build -o bin/barewindow ./scripts/barewindow
tmp=$(mktemp -d)
trap 'WEZTERM_UNIX_SOCKET=$tmp/sock bin/wezterm-sim ctl stop >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
export WEZTERM_UNIX_SOCKET=$tmp/sock LANG=en_US.UTF-8
bin/wezterm-sim start --empty --shell /bin/sh >/dev/null
. scripts/standin-panes.sh
. scripts/cost-lib.sh
spawn_64_panes

# frame NAME COLOURS CMD...: seconds from start until the window exists and
# until a screenshot of it has at least COLOURS colours.
frame() {
  local name=$1 want=$2; shift 2
  xvfb-run -a -s '-screen 0 1440x900x24' dbus-run-session -- bash -c '
    want=$1; shift
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 &
    pid=$!
    win=""; tw=""
    for _ in $(seq 1 400); do
      win=$(xdotool search --name "$0" 2>/dev/null | head -1 || true)
      if [ -n "$win" ]; then tw=$(date +%s.%N); break; fi
      sleep 0.02
    done
    td=""
    for _ in $(seq 1 200); do
      c=$(import -window "$win" png:- 2>/dev/null | /usr/bin/identify -format "%k" - 2>/dev/null || echo 0)
      if [ "${c:-0}" -ge "$want" ]; then td=$(date +%s.%N); break; fi
      sleep 0.05
    done
    kill $pid; wait $pid 2>/dev/null || true
    awk -v a="$t0" -v b="$tw" -v c="$td" "BEGIN { printf \"%.2f %.2f\n\", b-a, (c==\"\" ? -1 : c-a) }"
  ' "$name" "$want" "$@" 2>/dev/null
}

printf 'first frame, %d rounds (seconds from start: window appears, real data drawn):\n' "$rounds"
: > "$tmp/app"; : > "$tmp/bare"; : > "$tmp/demo"
for r in $(seq 1 "$rounds"); do
  a=$(frame '^wezterm-parallel$' 400 bin/wezterm-parallel --config "$tmp/config.toml" --wezterm bin/wezterm-sim --log-file "$tmp/log")
  b=$(frame '^bare fyne window$' 3 bin/barewindow)
  d=$(WEZTERM_UNIX_SOCKET= frame '^wezterm-parallel$' 400 bin/wezterm-parallel --config "$tmp/config.toml" --log-file "$tmp/log" demo)
  echo "$a" >> "$tmp/app"; echo "$b" >> "$tmp/bare"; echo "$d" >> "$tmp/demo"
  printf '  round %d: wezterm-parallel %s | bare window %s | demo %s\n' "$r" "$a" "$b" "$d"
done
app=$(cut -d' ' -f2 "$tmp/app" | median); bare=$(cut -d' ' -f2 "$tmp/bare" | median)
demo_gap=$(awk '{ print $2 - $1 }' "$tmp/demo" | median)
printf '  median: wezterm-parallel %ss with data, bare window %ss: %.2fx (target <= 1.5); demo data %ss after its window (target <= 2)\n' \
  "$app" "$bare" "$(awk -v a="$app" -v b="$bare" 'BEGIN { print a/b }')" "$demo_gap"
