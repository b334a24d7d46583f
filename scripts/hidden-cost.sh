#!/usr/bin/env bash
# Cost while hidden in the tray: CPU of wezterm-parallel started --hidden
# (1 Hz, 64 stand-in panes, a tray provided by scripts/sniwatcher) next to
# `htop -d 10` (also 1 Hz) running in a stand-in pane, measured over the
# same SECONDS in one run. Target: no more than htop.
# Usage: scripts/hidden-cost.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
command -v htop >/dev/null || scripts/deps.sh htop
go build -o bin/wezterm-parallel ./cmd/wezterm-parallel
go build -o bin/wezterm-sim ./cmd/wezterm-sim
go build -o bin/sniwatcher ./scripts/sniwatcher
tmp=$(mktemp -d)
export WEZTERM_UNIX_SOCKET=$tmp/sock LANG=${LANG:-C.UTF-8} TMP=$tmp SECS=$secs
hz=$(getconf CLK_TCK)
xvfb-run -a -s '-screen 0 1440x900x24' dbus-run-session -- bash -c '
  set -e
  bin/wezterm-sim start --empty --shell /bin/sh >/dev/null
  . scripts/standin-panes.sh
  spawn_64_panes
  bin/wezterm-sim cli --no-auto-start spawn --new-window --workspace top -- env TERM=xterm-256color htop -d 10 >/dev/null
  bin/sniwatcher --timeout 600s > "$TMP/watcher.out" 2>&1 &
  sleep 0.5
  bin/wezterm-parallel --hidden --config "$TMP/config.toml" --log-file "$TMP/log" --wezterm bin/wezterm-sim &
  app=$!
  sleep 10
  htop=$(pgrep -n htop)
  stat() { cut -d" " -f14-17 /proc/$1/stat; }
  read -r -a a0 < <(stat $app); read -r -a h0 < <(stat $htop); t0=$(date +%s.%N)
  sleep "$SECS"
  read -r -a a1 < <(stat $app); read -r -a h1 < <(stat $htop); t1=$(date +%s.%N)
  rss=$(awk "/VmRSS/ {print \$2}" /proc/$app/status)
  echo "$(( a1[0]+a1[1]-a0[0]-a0[1] )) $(( a1[2]+a1[3]-a0[2]-a0[3] )) $(( h1[0]+h1[1]-h0[0]-h0[1] )) $t0 $t1 $rss" > "$TMP/result"
  grep -q registered "$TMP/watcher.out" && echo tray > "$TMP/tray" || true
  kill $app; wait $app || true
  bin/wezterm-sim ctl stop
' 2>/dev/null
tray=$(cat "$tmp/tray" 2>/dev/null || echo "NO TRAY")
awk -v hz="$hz" -v secs="$secs" -v tray="$tray" '{ dt = $5 - $4
  printf "hidden in the tray (%s), 64 stand-in panes, 1 Hz, %ds:\n", tray, secs
  printf "  wezterm-parallel: CPU %.2f%% (with its wezterm CLI children %.2f%%), RSS %.1f MiB\n", 100*$1/hz/dt, 100*($1+$2)/hz/dt, $6/1024
  printf "  htop -d 10:       CPU %.2f%%\n", 100*$3/hz/dt }' "$tmp/result"
rm -rf "$tmp"
