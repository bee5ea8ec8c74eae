#!/usr/bin/env bash
# The project's own Neo4j 5.26 Community server, for development and CI.
#   scripts/neo4j.sh fetch | start | stop | status | restart | reset | dump DIR | load DIR
# Maven resolves org.neo4j:neo4j into .local/neo4j/lib once; the server keeps its data
# in .local/neo4j/home/data. Both folders are git-ignored.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NEO4J_VERSION="${NEO4J_VERSION:-5.26.30}"
BASE="${NEO4J_LOCAL_DIR:-$ROOT/.local/neo4j}"
LIB="$BASE/lib"
HOME_DIR="$BASE/home"
CONF_DIR="$HOME_DIR/conf"
PID_FILE="$BASE/neo4j.pid"
BOLT_PORT="${NEO4J_BOLT_PORT:-7687}"
HEAP="${NEO4J_HEAP:-1g}"
PAGECACHE="${NEO4J_PAGECACHE:-512m}"
START_TIMEOUT="${NEO4J_START_TIMEOUT:-120}"

log() { echo "neo4j: $*" >&2; }

bolt_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$BOLT_PORT") 2>/dev/null; }

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid; pid="$(cat "$PID_FILE")"
  kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

fetch() {
  if [[ -f "$LIB/.complete-$NEO4J_VERSION" ]]; then return 0; fi
  command -v mvn >/dev/null || { log "Maven (mvn) is needed to fetch Neo4j"; exit 1; }
  log "resolving org.neo4j:neo4j:$NEO4J_VERSION from Maven Central into $LIB (first time only)"
  local work="$BASE/fetch"
  rm -rf "$work" "$LIB"; mkdir -p "$work" "$LIB"
  cat > "$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.plr</groupId><artifactId>neo4j-server</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.neo4j</groupId><artifactId>neo4j</artifactId><version>$NEO4J_VERSION</version></dependency>
  </dependencies>
</project>
POM
  local started=$SECONDS
  mvn -B -q -Dstyle.color=never -f "$work/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$LIB"
  touch "$LIB/.complete-$NEO4J_VERSION"
  rm -rf "$work"
  log "fetched $(ls "$LIB"/*.jar | wc -l) jars ($(du -sh "$LIB" | cut -f1)) in $((SECONDS - started)) s"
}

write_config() {
  mkdir -p "$CONF_DIR" "$HOME_DIR/data" "$HOME_DIR/logs" "$HOME_DIR/plugins" "$HOME_DIR/import"
  cat > "$CONF_DIR/neo4j.conf" <<CONF
# Written by scripts/neo4j.sh on every start; edit the script, not this file.
server.default_listen_address=127.0.0.1
server.bolt.listen_address=127.0.0.1:$BOLT_PORT
server.bolt.advertised_address=127.0.0.1:$BOLT_PORT
server.http.enabled=false
server.https.enabled=false
dbms.security.auth_enabled=false
dbms.usage_report.enabled=false
server.memory.heap.initial_size=$HEAP
server.memory.heap.max_size=$HEAP
server.memory.pagecache.size=$PAGECACHE
server.directories.data=$HOME_DIR/data
server.directories.logs=$HOME_DIR/logs
server.directories.plugins=$HOME_DIR/plugins
server.directories.import=$HOME_DIR/import
db.transaction.timeout=120s
CONF
}

start() {
  if pid="$(running_pid)"; then log "already running (pid $pid)"; return 0; fi
  if bolt_answers; then log "a server already answers on 127.0.0.1:$BOLT_PORT (not started by this script); using it"; return 0; fi
  command -v java >/dev/null || { log "Java 17 is needed to run Neo4j"; exit 1; }
  fetch
  write_config
  local started=$SECONDS
  nohup java -Xms"$HEAP" -Xmx"$HEAP" \
    --add-opens=java.base/java.nio=ALL-UNNAMED \
    --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    --add-opens=java.base/java.lang=ALL-UNNAMED \
    --enable-native-access=ALL-UNNAMED \
    -cp "$LIB/*" org.neo4j.server.CommunityEntryPoint \
    --home-dir="$HOME_DIR" --config-dir="$CONF_DIR" \
    > "$HOME_DIR/logs/console.log" 2>&1 < /dev/null &
  echo $! > "$PID_FILE"
  for ((i = 0; i < START_TIMEOUT * 4; i++)); do
    if bolt_answers; then
      log "started (pid $(cat "$PID_FILE")), Bolt on 127.0.0.1:$BOLT_PORT after $((SECONDS - started)) s"
      return 0
    fi
    if ! running_pid >/dev/null; then
      log "exited during start; last lines of its logs:"
      tail -n 20 "$HOME_DIR/logs/console.log" "$HOME_DIR/logs/neo4j.log" >&2 || true
      exit 1
    fi
    sleep 0.25
  done
  log "Bolt did not answer within ${START_TIMEOUT}s; see $HOME_DIR/logs"
  exit 1
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then log "not running"; rm -f "$PID_FILE"; return 0; fi
  kill -TERM "$pid"
  for ((i = 0; i < 240; i++)); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$PID_FILE"; log "stopped"; return 0; }
    sleep 0.25
  done
  log "did not stop within 60 s; killing pid $pid"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$PID_FILE"
}

status() {
  if pid="$(running_pid)"; then
    if bolt_answers; then echo "running (pid $pid), Bolt on 127.0.0.1:$BOLT_PORT"; return 0; fi
    echo "starting (pid $pid), Bolt not answering yet"; return 1
  fi
  echo "stopped"; return 3
}

# neo4j-admin on the stopped store: Community has no online backup, and a stopped store is
# consistent by construction. The server is started again afterwards if it was running.
admin() {
  local was_running=0
  if running_pid >/dev/null; then was_running=1; stop; fi
  fetch
  local status=0
  NEO4J_HOME="$HOME_DIR" NEO4J_CONF="$CONF_DIR" java -cp "$LIB/*" org.neo4j.cli.AdminTool "$@" || status=$?
  if [[ $was_running -eq 1 ]]; then start; fi
  return $status
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  reset) stop; rm -rf "$HOME_DIR/data"; log "data removed" ;;
  dump) [[ -n "${2:-}" ]] || { echo "usage: $0 dump DIR" >&2; exit 2; }
    mkdir -p "$2"; admin database dump neo4j --to-path="$2" --overwrite-destination=true ;;
  load) [[ -f "${2:-}/neo4j.dump" ]] || { echo "usage: $0 load DIR (a folder holding neo4j.dump)" >&2; exit 2; }
    admin database load neo4j --from-path="$2" --overwrite-destination=true ;;
  *) echo "usage: $0 fetch|start|stop|restart|status|reset|dump DIR|load DIR" >&2; exit 2 ;;
esac
