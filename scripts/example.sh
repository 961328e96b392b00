#!/usr/bin/env bash
# Runs one example program: scripts/example.sh embedded | postgres
#   embedded  in-memory store + offline models (no setup needed)
#   postgres  Postgres + pgvector; JDBC URL from ENGINE_DATABASE_URL or DATABASE_URL, default
#             jdbc:postgresql://127.0.0.1:5432/test?user=postgres (creates database eros_engine_example)
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  embedded) main=io.erosengine.examples.EmbeddedExample ;;
  postgres) main=io.erosengine.examples.PostgresExample ;;
  *) echo "usage: scripts/example.sh embedded|postgres" >&2; exit 2 ;;
esac
cp="$PWD/examples/target/example-classpath.txt"
mvn -B -ntp -q -pl examples -am -DskipTests package dependency:build-classpath -Dmdep.outputFile="$cp" -Dmdep.includeScope=runtime >&2
exec java -cp "examples/target/classes:$(cat "$cp")" "$main"
