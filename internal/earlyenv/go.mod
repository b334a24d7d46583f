module early.wezterm-parallel.local/env

go 1.26.0
