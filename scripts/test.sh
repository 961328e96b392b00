#!/usr/bin/env bash
# Runs every test of the workspace on a machine with a local PostgreSQL (see README.md).
# 1. makes pgvector available on 127.0.0.1:5432 (idempotent; builds it once if missing) and
#    Debian's chromium + chromium-driver for the web page's browser tests (installed when missing),
# 2. points the database tests at that server (each test class creates its own database),
# 3. builds all modules and runs all tests,
# 4. runs each example with its README command and checks its output (recall, affinity, gift).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-pgvector.sh
bash scripts/setup-chromium.sh
export ENGINE_TEST_DATABASE_URL="${ENGINE_TEST_DATABASE_URL:-jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}"
echo "test.sh: database tests use ${ENGINE_TEST_DATABASE_URL}"

mvn -B -ntp verify

ENGINE_DATABASE_URL="jdbc:postgresql://127.0.0.1:5432/test?user=postgres" bash scripts/check-examples.sh
