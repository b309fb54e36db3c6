#!/usr/bin/env bash
# A/B of two checkouts' push-servers at the same moment: both servers run at once, pinned to the same core (0),
# and two load generators (core 1) drive them together, one each, so both see the same machine (a shared host's
# swings of 30-50 % between runs of the same jar hit both alike). Prints, per round, each server's CPU per unit
# of work (send_to_uid call, or fan-out delivery) from /proc and the ratio B/A; compare the rounds after the
# first two or three (the JITs settle over those).
#
# Usage: bench/push-ab.sh <checkout A> <checkout B> [admin|fanout] [rounds (8)] [threads per side (8)]
#        each checkout built (push-server/target/push-server.jar); the load generator is this checkout's bench.jar
set -euo pipefail
cd "$(dirname "$0")/.."
A=$(cd "$1" && pwd); B=$(cd "$2" && pwd); MODE=${3:-admin}; ROUNDS=${4:-8}; T=${5:-8}
BENCH=$PWD/bench/target/bench.jar
SECRET=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
HZ=$(getconf CLK_TCK)
# both servers get this checkout's launcher defaults (older checkouts have no bin/), so the JVM is alike on both sides
SERVER_JAVA_OPTS=$(sed -n 's/^DEFAULT_JAVA_OPTS="\(.*\)"$/\1/p' bin/push-server)
[ -n "$SERVER_JAVA_OPTS" ] || { echo "no DEFAULT_JAVA_OPTS in bin/push-server" >&2; exit 1; }
OUT=target/bench-ab
mkdir -p "$OUT"
for jar in "$A/push-server/target/push-server.jar" "$B/push-server/target/push-server.jar" "$BENCH"; do
  [ -f "$jar" ] || { echo "missing $jar: build it first (mvn -B -q -DskipTests package)" >&2; exit 1; }
done
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT
start() { # checkout ws-port admin-port
  PUSH_ADMIN_SECRET=$SECRET PUSH_WS_HOST=127.0.0.1 PUSH_WS_PORT=$2 PUSH_ADMIN_PORT=$3 \
    taskset -c 0 java $SERVER_JAVA_OPTS -jar "$1/push-server/target/push-server.jar" > "$OUT/server-$3.log" 2>&1 &
  PIDS+=($!)
}
start "$A" 18282 18283; start "$B" 18292 18293
for port in 18283 18293; do
  for i in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; [ "$i" = 100 ] && { echo "a push-server did not start; see $OUT" >&2; exit 1; }; sleep 0.1; done
done
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
load() { # ws-port admin-port output seconds
  if [ "$MODE" = admin ]; then set -- "$@" admin-rate --threads "$T" --seconds "$4"; else set -- "$@" fanout --connections 1000 --runs 1 --seconds "$4"; fi
  local ws=$1 admin=$2 out=$3; shift 4
  taskset -c 1 java -jar "$BENCH" "$@" --admin "http://127.0.0.1:$admin" --ws "ws://127.0.0.1:$ws/" --secret "$SECRET" > "$out" 2>&1
}
units() { if [ "$MODE" = admin ]; then grep -o 'of [0-9]* sent' "$1" | awk '{print $2}'; else grep -o '[0-9]* frames in' "$1" | awk '{s += $1} END {print s + 0}'; fi; }
echo "warming up both for 20 s"
both() { load 18282 18283 "$OUT/a.txt" "$1" & local la=$!; load 18292 18293 "$OUT/b.txt" "$1" & local lb=$!; wait "$la" "$lb"; }
both 20
for r in $(seq 1 "$ROUNDS"); do
  ta=$(ticks "${PIDS[0]}"); tb=$(ticks "${PIDS[1]}")
  both 10
  da=$(( $(ticks "${PIDS[0]}") - ta )); db=$(( $(ticks "${PIDS[1]}") - tb ))
  ua=$(units "$OUT/a.txt"); ub=$(units "$OUT/b.txt")
  awk -v r="$r" -v da="$da" -v db="$db" -v ua="$ua" -v ub="$ub" -v hz="$HZ" -v m="$MODE" 'BEGIN {
    ca = da / hz * 1e6 / ua; cb = db / hz * 1e6 / ub
    printf "round %d (%s): A %d units, %.2f us CPU each | B %d units, %.2f us CPU each | B/A CPU %.3f, units %.3f\n", r, m, ua, ca, ub, cb, cb / ca, ub / ua }'
done
