#!/usr/bin/env bash
# Builds Pushgate and starts it on this machine: the push-server and the web-api chat backend, sharing one
# generated admin secret, on the embedded MariaDB (files in ./data) with the demo accounts. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")"

mvn -B -q -ntp -DskipTests package

if [ -z "${PUSH_ADMIN_SECRET:-}" ]; then
  PUSH_ADMIN_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  echo "Generated PUSH_ADMIN_SECRET=$PUSH_ADMIN_SECRET (export it yourself to keep one across runs)"
fi
export PUSH_ADMIN_SECRET

API_PORT=${API_PORT:-8080}
export API_PORT
# web-api reaches the push-server's admin API on the port it was given (PUSH_ADMIN_PORT, default 8283)
if [ -z "${PUSH_ADMIN_URLS:-}" ] && [ -n "${PUSH_ADMIN_PORT:-}" ]; then
  export PUSH_ADMIN_URLS="http://127.0.0.1:$PUSH_ADMIN_PORT"
fi

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

# The launchers apply each server's JVM options (JAVA_OPTS adds to them; see README, "push-server configuration").
bin/push-server &
pids+=($!)
bin/web-api &
pids+=($!)

# Wait for web-api to answer (the first start installs the embedded database, which takes a little longer).
up=""
for _ in $(seq 1 240); do
  if curl -fsS "http://localhost:$API_PORT/api/config" >/dev/null 2>&1; then
    up=yes
    echo
    echo "Pushgate is up: open http://localhost:$API_PORT/ (users alice, bob, shop, agent1, agent2, support, admin;"
    echo "password 'demo'). Ctrl-C stops it."
    break
  fi
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "a server exited during start; see the log above" >&2; exit 1; }
  done
  sleep 0.5
done
if [ -z "$up" ]; then
  echo "web-api did not answer on port $API_PORT within 2 minutes; see the log above" >&2
  exit 1
fi
wait -n "${pids[@]}"
