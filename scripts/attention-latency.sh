#!/usr/bin/env bash
# Time from an agent starting to wait to its pane in the attention queue,
# hidden (the resident's cadence) and shown, against the stand-in's
# imitation agent (BenchmarkAttentionLatency). Target: at most 3 s.
# Usage: scripts/attention-latency.sh [RUNS]
set -euo pipefail
# Any failing command says where, rather than ending the script silently.
trap 'echo "$(basename "$0"): line $LINENO: \"$BASH_COMMAND\" failed with exit code $?" >&2' ERR
cd "$(dirname "$0")/.."
runs=${1:-5}
if ! out=$(go test -count=1 -run '^$' -bench 'AttentionLatency' -benchtime "${runs}x" ./internal/monitor 2>&1); then
  echo "attention latency: the benchmark failed:" >&2
  echo "$out" >&2
  exit 1
fi
echo "$out" | grep Benchmark
echo "$out" | awk '/ms-max/ { for (i = 1; i <= NF; i++) if ($(i+1) == "ms-max" && $i > 3000) bad = 1 }
  END { if (bad) { print "attention latency: over 3 s"; exit 1 } else print "attention latency: within 3 s" }'
