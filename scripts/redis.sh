#!/usr/bin/env bash
# Make sure Redis answers at REDIS_URL (default redis://127.0.0.1:6379). When nothing answers
# on a local address and redis-server is installed, start one with the settings BullMQ
# needs (noeviction, nothing kept on disk).
set -euo pipefail

URL="${REDIS_URL:-redis://127.0.0.1:6379}"
HOSTPORT="${URL#*://}"; HOSTPORT="${HOSTPORT#*@}"; HOSTPORT="${HOSTPORT%%/*}"
HOST="${HOSTPORT%%:*}"; PORT="${HOSTPORT##*:}"
[[ "$PORT" == "$HOST" ]] && PORT=6379

answers() { (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; }

if answers; then echo "redis: answering at $HOST:$PORT" >&2; exit 0; fi
case "$HOST" in 127.0.0.1|localhost|::1) ;; *) echo "redis: nothing answers at $HOST:$PORT and it is not local" >&2; exit 1 ;; esac
command -v redis-server >/dev/null || { echo "redis: nothing answers at $HOST:$PORT and redis-server is not installed" >&2; exit 1; }
mkdir -p "${TMPDIR:-/tmp}/plr-redis"
redis-server --daemonize yes --bind 127.0.0.1 --port "$PORT" --save "" --appendonly no \
  --maxmemory-policy noeviction --dir "${TMPDIR:-/tmp}/plr-redis" --logfile "${TMPDIR:-/tmp}/plr-redis/redis.log"
for _ in $(seq 1 40); do answers && { echo "redis: started at $HOST:$PORT" >&2; exit 0; }; sleep 0.25; done
echo "redis: started but does not answer at $HOST:$PORT" >&2; exit 1
