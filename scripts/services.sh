#!/usr/bin/env bash
# The servers the service and its tests need, started exactly as `npm start` starts them:
# Redis at REDIS_URL when nothing answers there (scripts/redis.sh), and the project's own
# Neo4j (scripts/neo4j.sh) when NEO4J_URI is not set. `npm test` runs this first (pretest),
# so a fresh clone needs nothing started by hand. Both keep running afterwards; stop Neo4j
# with `scripts/neo4j.sh stop`.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$HERE/redis.sh"
if [[ -z "${NEO4J_URI:-}" ]]; then
  bash "$HERE/neo4j.sh" start
fi
