#!/usr/bin/env bash
# Runs both examples and fails unless their output shows recall across sessions and affinity movement.
set -euo pipefail
cd "$(dirname "$0")/.."
check() {
  local name=$1 out
  out=$(scripts/example.sh "$name" 2>/dev/null)
  echo "$out" | grep -Eq '^  recalled: .*Miso' || { echo "check-examples: $name: no recall of Miso" >&2; exit 1; }
  echo "$out" | grep -Eq '^  recalled: .*Lisbon' || { echo "check-examples: $name: no recall of Lisbon" >&2; exit 1; }
  echo "$out" | grep -Eq '^Nora \[reply.*Miso' || { echo "check-examples: $name: the reply does not use the memory" >&2; exit 1; }
  echo "$out" | grep -Eq '^gift landed: pushes [a-z]+ \+' || { echo "check-examples: $name: the gift did not land" >&2; exit 1; }
  echo "$out" | grep -Eq '^affinity moved: .*warmth 0\.300 -> 0\.3[0-9][0-9]' || { echo "check-examples: $name: affinity did not move" >&2; exit 1; }
  echo "check-examples: $name ok"
}
check embedded
check postgres
