#!/usr/bin/env bash
# Starts the engine server. With no environment set it runs with zero configuration: in-memory
# store, offline models, example personas and a freshly generated local signing secret; once it
# listens it prints a ready token, curl lines and where to go next (the web page, /docs).
# Builds the fat jar first when it is missing or older than the sources, showing each module as it
# builds. Arguments are passed to the server (default: serve). See README.md for configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=engine-server/target/eros-engine-server.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml engine-*/pom.xml engine-*/src migrations personas -newer "$jar" -type f 2>/dev/null | head -n 1)" ]; then
  echo "run.sh: building the server jar (the first run takes a minute)..." >&2
  mvn -B -ntp -DskipTests -pl engine-server -am package 2>&1 \
    | grep --line-buffered -E '^\[INFO\] (Building .*\[|BUILD|Total time)|^\[ERROR\]' \
    | sed -u 's/^\[INFO\] /run.sh:   /' >&2
fi
if [ "${1:-serve}" = serve ]; then
  bind=${BIND_ADDR:-127.0.0.1:8080}
  echo "run.sh: starting on http://$bind/ (web page), http://$bind/docs (API docs)..." >&2
fi
[ "${1:-serve}" = serve ] && echo "run.sh: once it is listening, open http://${BIND_ADDR:-127.0.0.1:8080}/ to chat in the browser" >&2
exec java -jar "$jar" "${@:-serve}"
