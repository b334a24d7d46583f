#!/usr/bin/env bash
# The resident's memory and CPU under ordinary and hostile input:
# `wezterm-parallel --hidden` with a tray host (scripts/sniwatcher) on the
# stand-in, after a warm-up of 20 s, over SECONDS (default 60), sampling its
# RSS every second. Prints the RSS at the end, the highest sample, the
# kernel's high-water mark (VmHWM, start-up included), its CPU and the
# wezterm processes it started in the last minute (doctor --verbose).
# Goal: <= 40 MiB at 500 panes with a year of history, bounded under any
# input.
#
# Usage: scripts/resident-rss.sh SCENARIO [SECONDS]
#   panes64          64 panes, 4 idle agents (hidden-cost.sh's setting)
#   panes500         500 panes over 10 workspaces, the first 40 imitation
#                    agents recording Claude Code usage (reliability-3 §5)
#   panes500-year    the same with a year of history: 20 000 transcripts
#                    spread over the last 365 days
#   sessions20k      64 panes and 20 000 transcripts of today (200 projects
#                    x 100, 60 000 messages)
#   sessions20k-old  the same 20 000 transcripts, 30 days old
#   gemini60         64 panes and a 60 MB Gemini CLI recording rewritten
#                    every 10 s
#   ipcjunk          64 panes; 6 same-user connections each sending a
#                    31 MiB unterminated line (scripts/ipcflood), held open
#   fifo             64 panes; a FIFO and a link to /dev/zero named *.jsonl
#                    among the Claude Code records
# WEZTERM_PARALLEL_PROFILE=DIR leaves the resident's CPU and allocation
# (in-use heap included) profiles there; SMAPS=1 lists the mappings that
# hold the most of its RSS.
# BIN, SIM and SNI name prebuilt binaries (to measure another commit's
# build: same scenario, same machine); by default they are built here.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:?usage: scripts/resident-rss.sh SCENARIO [SECONDS] (see the top of this file)}
secs=${2:-60}
case $scenario in
  panes64|panes500|panes500-year|sessions20k|sessions20k-old|gemini60|ipcjunk|fifo) ;;
  *) echo "resident-rss: unknown scenario $scenario (see the top of $0)" >&2; exit 2 ;;
esac
for tool in xvfb-run dbus-run-session; do
  command -v $tool >/dev/null || { echo "resident-rss: $tool is missing: make e2e-deps installs it" >&2; exit 1; }
done
mkdir -p bin
if [ -z "${BIN:-}" ]; then go build -o bin/wezterm-parallel ./cmd/wezterm-parallel; BIN=$PWD/bin/wezterm-parallel; fi
if [ -z "${SIM:-}" ]; then go build -o bin/wezterm-sim ./cmd/wezterm-sim; SIM=$PWD/bin/wezterm-sim; fi
if [ -z "${SNI:-}" ]; then go build -o bin/sniwatcher ./scripts/sniwatcher; SNI=$PWD/bin/sniwatcher; fi
go build -o bin/spendhistory ./scripts/spendhistory
go build -o bin/ipcflood ./scripts/ipcflood
# Both builds start with their binary wholly in the page cache: the pages
# the kernel maps around each fault count in RSS, so a binary just built
# (cached) otherwise shows MiBs more than one that is not.
cat "$BIN" "$SIM" > /dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/home"
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/.config XDG_STATE_HOME=$tmp/home/.state XDG_CACHE_HOME=$tmp/home/.cache
export CLAUDE_CONFIG_DIR=$tmp/claude CODEX_HOME=$tmp/codex
export WEZTERM_UNIX_SOCKET=$tmp/sock WEZTERM_PARALLEL_RUNTIME_DIR=$tmp/run LANG=${LANG:-C.UTF-8}
export TMP=$tmp SECS=$secs SCENARIO=$scenario BIN SIM SNI
mkdir -p "$CLAUDE_CONFIG_DIR/projects"
case $scenario in
  panes500-year) bin/spendhistory -sessions 20000 -entries 3 -from 8760h -to 1h "$CLAUDE_CONFIG_DIR" >/dev/null ;;
  sessions20k) bin/spendhistory -sessions 20000 -entries 3 -from 20h -to 0s "$CLAUDE_CONFIG_DIR" >/dev/null ;;
  sessions20k-old) bin/spendhistory -sessions 20000 -entries 3 -from 750h -to 720h "$CLAUDE_CONFIG_DIR" >/dev/null ;;
  fifo)
    mkdir -p "$CLAUDE_CONFIG_DIR/projects/-x"
    mkfifo "$CLAUDE_CONFIG_DIR/projects/-x/evil.jsonl"
    ln -s /dev/zero "$CLAUDE_CONFIG_DIR/projects/-x/z.jsonl" ;;
esac
xvfb-run -a -s '-screen 0 1440x900x24' dbus-run-session -- bash -c '
  set -e
  "$SIM" start --empty --shell /bin/sh --size 200x60 >/dev/null
  cli() { "$SIM" cli --no-auto-start "$@"; }
  n=0
  next_prog() { # sets prog, the next pane program (no subshell: n must count): the first $agents are imitation agents
    n=$((n + 1))
    if [ "$n" -le "$agents" ]; then
      prog=("$SIM" fake-agent --work 1s --name "agent-$n" --usage-dir "$CLAUDE_CONFIG_DIR")
    else
      prog=(sleep 3600)
    fi
  }
  case $SCENARIO in panes500*) windows=125 agents=40 ws=10 ;; *) windows=16 agents=4 ws=4 ;; esac
  for w in $(seq 1 $windows); do
    next_prog
    p=$(cli spawn --new-window --workspace "ws$((w % ws))" -- "${prog[@]}")
    for d in --right --bottom --bottom; do
      next_prog
      cli split-pane --pane-id "$p" $d -- "${prog[@]}" >/dev/null
    done
  done
  pgrep -c -f -- "--usage-dir $CLAUDE_CONFIG_DIR" > "$TMP/agents" || true
  "$SNI" --stay --timeout 900s > "$TMP/watcher.out" 2>&1 &
  watcher=$!
  sleep 0.5
  if [ $SCENARIO = gemini60 ]; then
    "$PWD/bin/spendhistory" -gemini 60 -every 10s "$HOME/.gemini/tmp/$(printf %064d 0)/chats/session-1.json" >/dev/null &
    gem=$!
    sleep 3
  fi
  "$BIN" --hidden --config "$TMP/config.toml" --log-file "$TMP/log" --wezterm "$SIM" &
  app=$!
  sleep 20
  if [ $SCENARIO = ipcjunk ]; then
    "$PWD/bin/ipcflood" "$WEZTERM_PARALLEL_RUNTIME_DIR/resident.sock" 6 31 "$((SECS - 5))s" > "$TMP/flood" 2>&1 &
  fi
  kill -0 $app 2>/dev/null || { echo "the resident exited during the warm-up" > "$TMP/error"; exit 0; }
  cpu() { cut -d" " -f14-15 /proc/$1/stat | tr " " +; }
  c0=$(( $(cpu $app) )); t0=$(date +%s.%N); peak=0
  for i in $(seq 1 "$SECS"); do
    r=$(awk "/VmRSS/ {print \$2}" /proc/$app/status 2>/dev/null || echo 0)
    [ "$r" -gt "$peak" ] && peak=$r
    sleep 1
  done
  c1=$(( $(cpu $app) )); t1=$(date +%s.%N)
  rss=$(awk "/VmRSS/ {print \$2}" /proc/$app/status)
  hwm=$(awk "/VmHWM/ {print \$2}" /proc/$app/status)
  anon=$(awk "/RssAnon/ {print \$2}" /proc/$app/status)
  file=$(awk "/RssFile/ {print \$2}" /proc/$app/status)
  echo "$((c1 - c0)) $t0 $t1 $rss $peak $hwm $anon $file" > "$TMP/result"
  [ -n "${SMAPS:-}" ] && cp /proc/$app/smaps "$TMP/smaps" && cp "$TMP/smaps" /tmp/last-smaps || true
  t=$(date +%s%N)
  timeout 20 "$BIN" --config "$TMP/config.toml" --wezterm "$SIM" doctor --verbose 2>&1 | grep "tray process" > "$TMP/doctor" || echo "doctor: no answer in 20 s" > "$TMP/doctor"
  echo "doctor took $(( ($(date +%s%N) - t) / 1000000 )) ms" >> "$TMP/doctor"
  grep -q registered "$TMP/watcher.out" && echo tray > "$TMP/tray" || true
  kill $app; wait $app || true
  [ -n "${gem:-}" ] && kill $gem || true
  kill $watcher || true
  "$SIM" ctl stop
' 2>"$tmp/stderr" || true
if [ -s "$tmp/error" ] || [ ! -s "$tmp/result" ]; then
  echo "resident-rss $scenario: no measurement: $(cat "$tmp/error" 2>/dev/null)" >&2
  tail -5 "$tmp/stderr" "$tmp/log" >&2 2>/dev/null || true
  exit 1
fi
hz=$(getconf CLK_TCK)
awk -v hz="$hz" -v sc="$scenario" -v secs="$secs" -v tray="$(cat "$tmp/tray" 2>/dev/null || echo 'NO TRAY')" '{ dt = $3 - $2
  printf "%s (%s), %ds: RSS %.1f MiB at the end (anon %.1f, file %.1f), %.1f MiB highest sample, VmHWM %.1f MiB, CPU %.2f%%\n", sc, tray, secs, $4/1024, $7/1024, $8/1024, $5/1024, $6/1024, 100*$1/hz/dt }' "$tmp/result"
sed 's/^/  /' "$tmp/doctor"
echo "  $(cat "$tmp/agents" 2>/dev/null || echo '?') imitation agents running"
[ -s "$tmp/flood" ] && sed 's/^/  /' "$tmp/flood" || true
if [ -s "$tmp/smaps" ]; then # SMAPS=1: the mappings holding the most RSS
  awk '/^[0-9a-f]+-[0-9a-f]+ / { name = ($6 == "" ? "[anon]" : $6) } /^Rss:/ { rss[name] += $2 }
    END { for (n in rss) printf "  %8.1f MiB  %s\n", rss[n]/1024, n }' "$tmp/smaps" | sort -rn | head -12
fi
