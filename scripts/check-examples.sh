#!/usr/bin/env bash
# Runs both examples and fails unless their output shows clean offline memories (the user's own
# statements in the third person, no transcript, no persona text), recall across sessions told back
# in a sentence, a gift reaction in the persona's gift style, the offline marker once per session,
# and affinity movement.
set -euo pipefail
cd "$(dirname "$0")/.."
check() {
  local name=$1 out
  out=$(scripts/example.sh "$name" 2>/dev/null)
  fail() { echo "check-examples: $name: $1" >&2; exit 1; }
  echo "$out" | grep -Eq '^  stored profile/fact: The user lives in Lisbon\.$' || fail "no third-person memory of Lisbon"
  echo "$out" | grep -Eq "^  stored profile/fact: The user's cat is called Miso" || fail "no third-person memory of Miso"
  echo "$out" | grep -Eq '^  stored profile/preference: The user loves jazz' || fail "no preference memory of jazz"
  if echo "$out" | grep -E '^  stored ' | grep -Eq 'Nora:|offline|You said|shared_experience|^  stored [a-z/_]+: (Hi|I|My) '; then
    fail "a stored memory is a transcript, persona text or the raw message"
  fi
  echo "$out" | grep -Eq '^  recalled: .*Miso' || fail "no recall of Miso"
  echo "$out" | grep -Eq '^  recalled: .*Lisbon' || fail "no recall of Lisbon"
  echo "$out" | grep -Eq '^Nora \[reply.*You told me your cat is called Miso' || fail "the reply does not tell the memory back"
  echo "$out" | grep -Eq '^Nora \[reply.*You told me you live in Lisbon' || fail "the reply does not answer the city"
  if echo "$out" | grep -E '^Nora ' | grep -Eq 'You said|You asked|I hear you'; then fail "a reply parrots the message"; fi
  [ "$(echo "$out" | grep -c 'no language model is configured')" -eq 2 ] || fail "the offline marker is not shown once per session"
  echo "$out" | grep -Eq '^Nora \[warm\]: .*red rose' || fail "the gift reaction is not warm or does not name the gift"
  echo "$out" | grep -Eq '^gift landed: pushes [a-z]+ \+' || fail "the gift did not land"
  echo "$out" | grep -Eq '^affinity moved: .*warmth 0\.300 -> 0\.3[0-9][0-9]' || fail "affinity did not move"
  echo "check-examples: $name ok"
}
check embedded
check postgres
