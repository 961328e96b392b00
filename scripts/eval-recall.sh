#!/usr/bin/env bash
# Recall evaluation (BENCHMARKS.md, "Recall quality"): writes every turn of eval/recall-v1.json as a memory
# with the offline MiniLM embedder and prints R@1/R@5/R@10 per category for each retrieval path.
# Usage: scripts/eval-recall.sh [--users N] [--questions-per-user N] [--postgres JDBC_URL] [--data FILE]
#   default: the in-memory store; --postgres uses (and migrates) that database, replacing the eval users' memories.
# Regenerate the data set: scripts/eval-recall.sh --generate
set -euo pipefail
cd "$(dirname "$0")/.."
cp="$PWD/engine-eval/target/eval-classpath.txt"
mvn -B -ntp -q -pl engine-eval -am -DskipTests package dependency:build-classpath -Dmdep.outputFile="$cp" -Dmdep.includeScope=runtime >&2
main=io.erosengine.eval.EvalRecall
if [ "${1:-}" = "--generate" ]; then main=io.erosengine.eval.DatasetGenerator; shift; fi
exec java -cp "engine-eval/target/classes:$(cat "$cp")" "$main" "$@"
