#!/usr/bin/env bash
# Idle cost of the shown window: CPU and RSS of wezterm-parallel refreshing
# at 1 Hz over 64 stand-in panes under Xvfb, next to a bare Fyne window that
# updates one label at 1 Hz, measured in alternating rounds of one run (a
# shared machine drifts; medians of the rounds are compared).
# Usage: scripts/idle-cost.sh [SECONDS] [ROUNDS] [PROFILE_DIR]
# With PROFILE_DIR the app writes cpu.pprof and allocs.pprof there
# (go tool pprof -top bin/wezterm-parallel PROFILE_DIR/cpu.pprof).
set -euo pipefail
# Any failing command says where, rather than ending the script silently.
trap 'echo "$(basename "$0"): line $LINENO: \"$BASH_COMMAND\" failed with exit code $?" >&2' ERR
# A runtime folder of our own: never the user's tray process or window.
export WEZTERM_PARALLEL_RUNTIME_DIR=${WEZTERM_PARALLEL_RUNTIME_DIR:-$(mktemp -d)}
cd "$(dirname "$0")/.."
secs=${1:-60}
rounds=${2:-3}
profile=${3:-}
[ -n "$profile" ] && mkdir -p "$profile" && profile=$(cd "$profile" && pwd)
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
panes=$(bin/wezterm-sim cli --no-auto-start list --format json | grep -c '"pane_id"')

printf 'idle window, %d stand-in panes, 1 Hz, %d rounds of %ds under Xvfb (self CPU %%, with wezterm CLI children %%, RSS MiB):\n' "$panes" "$rounds" "$secs"
: > "$tmp/app" ; : > "$tmp/bare"
for r in $(seq 1 "$rounds"); do
  p=""
  [ -n "$profile" ] && [ "$r" = 1 ] && p=$profile
  a=$(WEZTERM_PARALLEL_PROFILE=$p measure bin/wezterm-parallel --config "$tmp/config.toml" --wezterm bin/wezterm-sim --log-file "$tmp/log")
  b=$(measure bin/barewindow)
  echo "$a" >> "$tmp/app"; echo "$b" >> "$tmp/bare"
  printf '  round %d: wezterm-parallel %s | bare window %s\n' "$r" "$a" "$b"
done
app_cpu=$(cut -d' ' -f1 "$tmp/app" | median); app_all=$(cut -d' ' -f2 "$tmp/app" | median); app_rss=$(cut -d' ' -f3 "$tmp/app" | median)
bare_cpu=$(cut -d' ' -f1 "$tmp/bare" | median); bare_rss=$(cut -d' ' -f3 "$tmp/bare" | median)
printf '  wezterm-parallel: CPU %s%% (with its wezterm CLI children %s%%), RSS %s MiB\n' "$app_cpu" "$app_all" "$app_rss"
printf '  bare Fyne window: CPU %s%%, RSS %s MiB\n' "$bare_cpu" "$bare_rss"
awk -v a="$app_cpu" -v b="$bare_cpu" -v ar="$app_rss" -v br="$bare_rss" 'BEGIN { printf "  ratio: CPU %.2fx (target <= 1.5), RSS %.2fx (target <= 1.2)\n", a/b, ar/br }'
