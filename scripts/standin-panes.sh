# Sourced by the cost scripts: spawn 64 stand-in panes (16 windows of 4,
# over 4 workspaces) running sleep, on the stand-in at $WEZTERM_UNIX_SOCKET.
spawn_64_panes() {
  local w p d
  for w in $(seq 1 16); do
    p=$(bin/wezterm-sim cli --no-auto-start spawn --new-window --workspace "ws$((w % 4))" -- sleep 3600)
    for d in --right --bottom --bottom; do
      bin/wezterm-sim cli --no-auto-start split-pane --pane-id "$p" $d -- sleep 3600 >/dev/null
    done
  done
}
