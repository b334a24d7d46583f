#!/usr/bin/env bash
# Cost while hidden in the tray, as users run it: `wezterm-parallel --hidden`
# (the resident: monitor and tray, no window) with a tray host
# (scripts/sniwatcher), 64 stand-in panes of which 4 run an idle agent, 1 Hz,
# next to `htop -d 10` (also 1 Hz) in a stand-in pane, over the same SECONDS
# in one run. Targets: the resident's CPU with its wezterm children ≤ htop's,
# RSS ≤ 40 MiB, ≤ 20 wezterm processes a minute.
# Usage: scripts/hidden-cost.sh [SECONDS]   (60 or more: the per-minute count
# is the resident's own over its last minute)
# HISTORY_MB=100 gives the resident that much Claude Code history of the last
# two days to follow (scripts/spendhistory; default 0: none).
set -euo pipefail
# Any failing command says where, rather than ending the script silently.
trap 'echo "$(basename "$0"): line $LINENO: \"$BASH_COMMAND\" failed with exit code $?" >&2' ERR
cd "$(dirname "$0")/.."
secs=${1:-60}
command -v htop >/dev/null || scripts/deps.sh htop
go build -o bin/wezterm-parallel ./cmd/wezterm-parallel
go build -o bin/wezterm-sim ./cmd/wezterm-sim
go build -o bin/sniwatcher ./scripts/sniwatcher
tmp=$(mktemp -d)
hist=${HISTORY_MB:-0}
export CLAUDE_CONFIG_DIR=$tmp/claude CODEX_HOME=$tmp/codex
if [ "$hist" -gt 0 ]; then go run ./scripts/spendhistory "$CLAUDE_CONFIG_DIR" "$hist" 40 >/dev/null; fi
export WEZTERM_UNIX_SOCKET=$tmp/sock WEZTERM_PARALLEL_RUNTIME_DIR=$tmp/run LANG=${LANG:-C.UTF-8} TMP=$tmp SECS=$secs AGENTS=4
hz=$(getconf CLK_TCK)
xvfb-run -a -s '-screen 0 1440x900x24' dbus-run-session -- bash -c '
  set -e
  bin/wezterm-sim start --empty --shell /bin/sh >/dev/null
  . scripts/standin-panes.sh
  spawn_64_panes
  bin/wezterm-sim cli --no-auto-start spawn --new-window --workspace top -- env TERM=xterm-256color htop -d 10 >/dev/null
  bin/sniwatcher --stay --timeout 600s > "$TMP/watcher.out" 2>&1 &
  watcher=$!
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
  bin/wezterm-parallel --config "$TMP/config.toml" --wezterm bin/wezterm-sim doctor --verbose | grep "tray process" > "$TMP/doctor" || true
  bin/wezterm-parallel --config "$TMP/config.toml" --wezterm bin/wezterm-sim list --json | grep -c "\"status\": \"waiting\"" > "$TMP/waiting" || true
  grep -q registered "$TMP/watcher.out" && echo tray > "$TMP/tray" || true
  kill $app; wait $app || true
  kill $watcher || true
  bin/wezterm-sim ctl stop
' 2>/dev/null
tray=$(cat "$tmp/tray" 2>/dev/null || echo "NO TRAY")
perminute=$(sed -n 's/.* \([0-9]*\) wezterm processes in the last minute.*/\1/p' "$tmp/doctor")
awk -v hz="$hz" -v hist="$hist" -v secs="$secs" -v tray="$tray" -v pm="${perminute:-?}" -v waiting="$(cat "$tmp/waiting" 2>/dev/null || echo 0)" '{ dt = $5 - $4
  self = 100*$1/hz/dt; all = 100*($1+$2)/hz/dt; htop = 100*$3/hz/dt; rss = $6/1024
  printf "hidden in the tray (%s), 64 stand-in panes (4 idle agents, %d waiting), %d MB of agent history, 1 Hz, %ds:\n", tray, waiting, hist, secs
  printf "  wezterm-parallel --hidden: CPU %.2f%% (with its wezterm CLI children %.2f%%), RSS %.1f MiB, %s wezterm processes/min\n", self, all, rss, pm
  printf "  htop -d 10:                CPU %.2f%%\n", htop
  printf "  targets: CPU with children <= htop: %s; RSS <= 40 MiB: %s; <= 20 wezterm processes/min: %s\n",
    (all <= htop ? "yes" : "NO"), (rss <= 40 ? "yes" : "NO"), (pm != "?" && pm+0 <= 20 ? "yes" : "NO") }' "$tmp/result"
cat "$tmp/doctor"
rm -rf "$tmp"
