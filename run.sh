#!/usr/bin/env bash
# Builds Pushgate and starts it on this machine: the push-server with a shared admin secret.
# Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"

mvn -B -q -ntp -DskipTests package

if [ -z "${PUSH_ADMIN_SECRET:-}" ]; then
  PUSH_ADMIN_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  echo "Generated PUSH_ADMIN_SECRET=$PUSH_ADMIN_SECRET (export it yourself to keep one across runs)"
fi
export PUSH_ADMIN_SECRET

exec java -jar push-server/target/push-server.jar
