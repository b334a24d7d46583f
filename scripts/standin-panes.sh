# Sourced by the cost scripts: spawn 64 stand-in panes (16 windows of 4,
# over 4 workspaces) running sleep, on the stand-in at $WEZTERM_UNIX_SOCKET.
# With AGENTS=N the first N panes run the stand-in's imitation agent instead,
# which works for a second and then waits at its approval prompt (an idle
# agent: what a user leaves running while away).
spawn_64_panes() {
  local w p d n=0
  local -a prog
  next_prog() { # sets prog (no subshell: n must count)
    n=$((n + 1))
    if [ "$n" -le "${AGENTS:-0}" ]; then
      prog=("$PWD/bin/wezterm-sim" fake-agent --work 1s --name "agent-$n")
    else
      prog=(sleep 3600)
    fi
  }
  for w in $(seq 1 16); do
    next_prog
    p=$(bin/wezterm-sim cli --no-auto-start spawn --new-window --workspace "ws$((w % 4))" -- "${prog[@]}")
    for d in --right --bottom --bottom; do
      next_prog
      bin/wezterm-sim cli --no-auto-start split-pane --pane-id "$p" $d -- "${prog[@]}" >/dev/null
    done
  done
}
