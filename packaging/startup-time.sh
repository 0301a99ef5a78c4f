#!/usr/bin/env bash
# Measures the installed app's start: how long after its JVM starts the app image shows the unlock
# screen of an existing profile (and, first, the first-run screen of an empty one). Each run is a
# new process, as when a user starts Vouch; the app closes itself once the screen is shown
# (vouch app --report-startup).
#
#   bash packaging/startup-time.sh [RUNS] [APP_IMAGE]     defaults: 5, target/dist/Vouch
# Needs a display: without one it runs under xvfb-run (Debian packages xvfb and libgtk-3-0).
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-5}"
app="${2:-target/dist/Vouch}"
launcher="$app/bin/Vouch"
work="$(mktemp -d)"
relay_pid=""
cleanup() {
  [[ -n "$relay_pid" ]] && kill -TERM "$relay_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

[[ -x "$launcher" ]] || { echo "no launcher at $launcher (mvn -B -Papp-image -DskipTests package)" >&2; exit 1; }
display=()
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  command -v xvfb-run >/dev/null || { echo "no display and no xvfb-run (apt-get install xvfb libgtk-3-0)" >&2; exit 1; }
  display=(xvfb-run -a)
fi

# The empty profile first: the first-run screen.
"${display[@]}" "$launcher" --profile "$work/empty" app --report-startup

# An existing profile, registered at a relay of its own, which then stops: the unlock screen needs none.
"$launcher" relay --data "$work/relay" --port 0 >"$work/relay.log" 2>&1 &
relay_pid=$!
for _ in $(seq 1 120); do
  grep -q "event=invite" "$work/relay.log" && break
  sleep 0.5
done
invite="$(sed -n 's/.*event=invite link="\([^"]*\)".*/\1/p' "$work/relay.log" | head -1)"
[[ -n "$invite" ]] || { echo "the relay printed no invite:" >&2; cat "$work/relay.log" >&2; exit 1; }
VOUCH_PASSPHRASE="startup measurement passphrase" "$launcher" --profile "$work/profile" \
  init --handle startup --relay "$invite" >/dev/null
kill -TERM "$relay_pid"; wait "$relay_pid" || true; relay_pid=""

for _ in $(seq 1 "$runs"); do
  "${display[@]}" "$launcher" --profile "$work/profile" app --report-startup
done
