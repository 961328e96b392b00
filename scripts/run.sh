#!/usr/bin/env bash
# Starts the engine server. With no environment set it runs with zero configuration: in-memory
# store, offline models, example personas and a freshly generated local signing secret; it prints
# a ready token and a curl line. Builds the fat jar first when it is missing or older than the sources.
# Arguments are passed to the server (default: serve). See README.md for configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=engine-server/target/eros-engine-server.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml engine-*/pom.xml engine-*/src migrations personas -newer "$jar" -type f 2>/dev/null | head -n 1)" ]; then
  echo "run.sh: building the server jar (first run takes a minute)..." >&2
  mvn -B -ntp -q -DskipTests -pl engine-server -am package
fi
[ "${1:-serve}" = serve ] && echo "run.sh: once it is listening, open http://${BIND_ADDR:-127.0.0.1:8080}/ to chat in the browser" >&2
exec java -jar "$jar" "${@:-serve}"
