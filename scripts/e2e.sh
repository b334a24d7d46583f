#!/usr/bin/env bash
# End-to-end: the real app (demo: the stand-in with three workspaces) in a
# real window under Xvfb and a DBus session; a screenshot must not be blank
# and the log must hold no "Error in Fyne call thread".
set -euo pipefail
bin=${1:-bin/wezterm-parallel}
out=${2:-dist/e2e}
mkdir -p "$out"
export LANG=${LANG:-C.UTF-8}
shot="$out/demo.png"
log="$out/app.log"
rm -f "$shot" "$log"

xvfb-run -a -s '-screen 0 1440x900x24' dbus-run-session -- bash -c "
  '$bin' --log-level debug --log-file '$out/debug.log' --config '$out/config.toml' demo > '$log' 2>&1 &
  app=\$!
  for i in \$(seq 1 60); do
    # wait for the window, then for a few ticks of live numbers
    if xwininfo -root -tree 2>/dev/null | grep -q wezterm-parallel; then break; fi
    sleep 0.5
  done
  sleep 5
  import -window root '$shot'
  kill \$app
  wait \$app || true
" 2>>"$log"

fail=0
if [ ! -s "$shot" ]; then
  echo "e2e: no screenshot"; fail=1
else
  colours=$(/usr/bin/identify -format '%k' "$shot")
  echo "e2e: screenshot $shot has $colours colours"
  if [ "$colours" -lt 50 ]; then echo "e2e: the screenshot is blank"; fail=1; fi
fi
if grep -q "Error in Fyne call thread" "$log"; then
  echo "e2e: Fyne reported a call off its thread:"; grep -A3 "Error in Fyne call thread" "$log"; fail=1
fi
if grep -qi "panic" "$log"; then echo "e2e: the app panicked:"; cat "$log"; fail=1; fi
[ $fail -eq 0 ] && echo "e2e: 1 passed, 0 failed" || echo "e2e: 0 passed, 1 failed"
exit $fail
