#!/usr/bin/env bash
# The push-server benchmark. Builds, starts bin/push-server pinned to core 0 and runs the load generator pinned
# to core 1, then prints: (a) fan-out deliveries/s for send_to_all and send_to_group to 1,000 and 10,000
# connections with 100-byte frames; (b) send_to_uid admin calls/s over HTTP keep-alive from 1, 4 and 16
# threads; (c) RSS and heap per idle connection at 10,000 and 19,000 connections.
#
# Usage: bench/push-bench.sh [runs]        (runs per figure, default 3; about 6 minutes in all)
# Env:   BENCH_SECONDS                     seconds per measured run (default 10)
#        SERVER_JAVA_OPTS                  JVM options added after bin/push-server's defaults (default none)
#        BENCH_PARTS                       which parts to run, any of a, b, c (default abc)
# After each fan-out and admin-rate run it prints the server's CPU time per delivery / per call (from /proc), a
# figure that a busy machine disturbs far less than throughput.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-3}
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:-}
WS_PORT=18282
ADMIN_PORT=18283
SECRET=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
PARTS=${BENCH_PARTS:-abc}
OUT=target/bench
mkdir -p "$OUT"
PIN_SERVER=""; PIN_LOAD=""
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then PIN_SERVER="taskset -c 0"; PIN_LOAD="taskset -c 1"; fi

echo "building..."
mvn -B -q -ntp -DskipTests package -pl push-server,bench -am

SERVER_PID=""
start_server() {
  # started the way operators start it: bin/push-server, its default JVM options, JAVA_OPTS added after them
  JAVA_OPTS=$SERVER_JAVA_OPTS PUSH_ADMIN_SECRET=$SECRET PUSH_WS_HOST=127.0.0.1 PUSH_WS_PORT=$WS_PORT \
    PUSH_ADMIN_PORT=$ADMIN_PORT $PIN_SERVER bin/push-server > "$OUT/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$ADMIN_PORT/health" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "push-server did not start; see $OUT/server.log" >&2; exit 1
}
stop_server() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; fi
}
trap stop_server EXIT
load() {
  $PIN_LOAD java -jar bench/target/bench.jar "$@" --admin "http://127.0.0.1:$ADMIN_PORT" \
    --ws "ws://127.0.0.1:$WS_PORT/" --secret "$SECRET"
}
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }
# the server's CPU time so far, in clock ticks (user + system)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }
# the server's CPU per unit of work since ticks $1: "$2" units of "$3"
cpu_per() {
  local ticks=$(( $(cpu_ticks) - $1 )) hz; hz=$(getconf CLK_TCK)
  [ "$2" -gt 0 ] && echo "  server CPU: $(( ticks * 1000 / hz )) ms, $(( ticks * 1000000000 / hz / $2 )) ns per $3"
}
live_heap() { jmap -histo:live "$SERVER_PID" | tail -1 | awk '{print $3}'; }

if [[ $PARTS == *a* ]]; then
  echo "== (a) fan-out, 100-byte frames, $RUNS runs of $SECONDS_PER_RUN s each"
  start_server
  for n in 1000 10000; do
    t0=$(cpu_ticks)
    load fanout --connections "$n" --runs "$RUNS" --seconds "$SECONDS_PER_RUN" | tee "$OUT/fanout-last.txt"
    cat "$OUT/fanout-last.txt" >> "$OUT/fanout.txt"
    # counts the warm-up runs' CPU but not their frames: compare like with like
    cpu_per "$t0" "$(grep -o '[0-9]* frames in' "$OUT/fanout-last.txt" | awk '{s += $1} END {print s + 0}')" "delivery (warm-ups included)"
  done
  stop_server
fi
if [[ $PARTS == *b* ]]; then
  echo "== (b) send_to_uid admin calls over HTTP keep-alive, $RUNS runs of $SECONDS_PER_RUN s each"
  start_server
  for t in 1 4 16; do
    for _ in $(seq 1 "$RUNS"); do
      t0=$(cpu_ticks)
      load admin-rate --threads "$t" --seconds "$SECONDS_PER_RUN" | tee "$OUT/admin-last.txt"
      cat "$OUT/admin-last.txt" >> "$OUT/admin-rate.txt"
      cpu_per "$t0" "$(grep -o 'of [0-9]* sent' "$OUT/admin-last.txt" | awk '{print $2}')" "send_to_uid call"
    done
  done
  stop_server
fi

[[ $PARTS == *c* ]] || exit 0
echo "== (c) idle connections: memory per connection"
for n in 10000 19000; do
  start_server
  jcmd "$SERVER_PID" GC.run >/dev/null; sleep 0.5
  rss0=$(rss_kb); heap0=$(live_heap)
  load idle --connections "$n" --hold 600 > "$OUT/idle-$n.txt" 2>&1 &
  IDLE_PID=$!
  for _ in $(seq 1 300); do grep -q ready "$OUT/idle-$n.txt" && break; sleep 0.5; done
  jcmd "$SERVER_PID" GC.run >/dev/null; sleep 0.5
  rss1=$(rss_kb); heap1=$(live_heap)
  echo "idle connections=$n: $(grep ready "$OUT/idle-$n.txt"); RSS ${rss0} kB -> ${rss1} kB = $(( (rss1 - rss0) * 1024 / n )) B per connection; live heap $(( (heap1 - heap0) / n )) B per connection" | tee -a "$OUT/idle.txt"
  kill "$IDLE_PID" 2>/dev/null || true; wait "$IDLE_PID" 2>/dev/null || true
  stop_server
done
