#!/usr/bin/env bash
# Idle cost of the window: CPU and RSS of wezterm-parallel refreshing at
# 1 Hz over 64 stand-in panes under Xvfb, next to a bare Fyne window, in the
# same run. CPU includes the wezterm-sim CLI children each tick runs.
# Usage: scripts/idle-cost.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
go build -o bin/wezterm-parallel ./cmd/wezterm-parallel
go build -o bin/wezterm-sim ./cmd/wezterm-sim
go build -o bin/barewindow ./scripts/barewindow
tmp=$(mktemp -d)
trap 'WEZTERM_UNIX_SOCKET=$tmp/sock bin/wezterm-sim ctl stop >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
export WEZTERM_UNIX_SOCKET=$tmp/sock LANG=${LANG:-C.UTF-8}
bin/wezterm-sim start --empty --shell /bin/sh >/dev/null
. scripts/standin-panes.sh
spawn_64_panes
panes=$(bin/wezterm-sim cli --no-auto-start list --format json | grep -c '"pane_id"')
hz=$(getconf CLK_TCK)

# measure CMD...: prints "cpu% rss_mib" for the process over $secs seconds.
measure() {
  xvfb-run -a -s '-screen 0 1440x900x24' dbus-run-session -- bash -c '
    "$@" >/dev/null 2>&1 &
    pid=$!
    sleep 10
    read -r -a a < <(cut -d" " -f14-17 /proc/$pid/stat)
    t0=$(date +%s.%N)
    sleep '"$secs"'
    read -r -a b < <(cut -d" " -f14-17 /proc/$pid/stat)
    t1=$(date +%s.%N)
    rss=$(awk "/VmRSS/ {print \$2}" /proc/$pid/status)
    kill $pid; wait $pid 2>/dev/null || true
    self=$(( b[0] + b[1] - a[0] - a[1] ))
    kids=$(( b[2] + b[3] - a[2] - a[3] ))
    echo "$self $kids $t0 $t1 $rss"
  ' measure "$@" | awk -v hz="$hz" '{ dt = $4 - $3; printf "%.2f %.2f %.1f\n", 100*$1/hz/dt, 100*($1+$2)/hz/dt, $5/1024 }'
}

read -r app_cpu app_all app_rss < <(measure bin/wezterm-parallel --config "$tmp/config.toml" --wezterm bin/wezterm-sim --log-file "$tmp/log")
read -r bare_cpu bare_all bare_rss < <(measure bin/barewindow)
printf 'idle window, %d stand-in panes, 1 Hz, %ds under Xvfb:\n' "$panes" "$secs"
printf '  wezterm-parallel: CPU %s%% (with its wezterm CLI children %s%%), RSS %s MiB\n' "$app_cpu" "$app_all" "$app_rss"
printf '  bare Fyne window: CPU %s%%, RSS %s MiB\n' "$bare_cpu" "$bare_rss"
