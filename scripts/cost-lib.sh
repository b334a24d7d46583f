# Sourced by the cost scripts: measure CMD... under Xvfb and a DBus session;
# prints "self_cpu% cpu_with_children% rss_mib" over $secs seconds after a
# 10 s warm-up.
measure() {
  local hz out try
  hz=$(getconf CLK_TCK)
  out=$(mktemp)
  # A round whose program is gone before it was measured (Xvfb lost a race
  # for its display, or the program failed) is tried once more, then fails
  # the script with the program's output: never a silent 0.
  for try in 1 2; do
    if measure_once "$hz" "$out" "$@"; then rm -f "$out"; return 0; fi
    echo "measure: $1 was not running when measured (try $try); its output:" >&2
    tail -5 "$out" >&2
  done
  rm -f "$out"
  return 1
}

measure_once() {
  local hz=$1 out=$2 line
  shift 2
  line=$(xvfb-run -a -s '-screen 0 1440x900x24' dbus-run-session -- bash -c '
    out=$1; shift
    "$@" >"$out" 2>&1 &
    pid=$!
    sleep 10
    [ -e /proc/$pid/stat ] || { echo dead; exit 0; }
    read -r -a a < <(cut -d" " -f14-17 /proc/$pid/stat)
    t0=$(date +%s.%N)
    sleep '"$secs"'
    [ -e /proc/$pid/stat ] || { echo dead; exit 0; }
    read -r -a b < <(cut -d" " -f14-17 /proc/$pid/stat)
    t1=$(date +%s.%N)
    rss=$(awk "/VmRSS/ {print \$2}" /proc/$pid/status)
    kill $pid; wait $pid 2>/dev/null || true
    sleep 0.5
    self=$(( b[0] + b[1] - a[0] - a[1] ))
    kids=$(( b[2] + b[3] - a[2] - a[3] ))
    echo "$self $kids $t0 $t1 $rss"
  ' measure "$out" "$@" 2>/dev/null)
  case $line in
  "" | dead) return 1 ;;
  esac
  echo "$line" | awk -v hz="$hz" '{ dt = $4 - $3; printf "%.2f %.2f %.1f\n", 100*$1/hz/dt, 100*($1+$2)/hz/dt, $5/1024 }'
}

# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR+1)/2]; else printf "%.2f\n", (v[NR/2] + v[NR/2+1]) / 2 }'; }
