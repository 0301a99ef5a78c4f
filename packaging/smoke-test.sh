#!/usr/bin/env bash
# Runs the Linux app image headless, as a user or a server would, and fails with the reason:
#   1. bin/Vouch --version exits 0 and prints "Vouch VERSION";
#   2. bin/Vouch relay starts on a free loopback port and prints its invite;
#   3. a TLS 1.3 client reaches it: the key it presents matches the pin the relay printed
#      (so the trimmed runtime has what TLS needs), and GET /health answers "status":"ok";
#   4. SIGTERM stops it within 30 s, with its "stopped" event and the JVM's exit for SIGTERM (143).
#
#   bash packaging/smoke-test.sh [APP_IMAGE]     default: target/dist/Vouch
# Build the app image first: mvn -B -Papp-image -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/.."

app="${1:-target/dist/Vouch}"
launcher="$app/bin/Vouch"
work="$(mktemp -d)"
relay_pid=""

fail() {
  echo "smoke test FAILED: $*" >&2
  if [[ -s "$work/relay.log" ]]; then
    echo "--- relay output ---" >&2
    cat "$work/relay.log" >&2
  fi
  exit 1
}
cleanup() {
  if [[ -n "$relay_pid" ]] && kill -0 "$relay_pid" 2>/dev/null; then
    kill -KILL "$relay_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

[[ -x "$launcher" ]] || fail "no launcher at $launcher (build the app image: mvn -B -Papp-image -DskipTests package)"
for tool in curl openssl; do
  command -v "$tool" >/dev/null || fail "$tool is missing (Debian package $tool)"
done

# headless: no display, as on a server or in CI
unset DISPLAY WAYLAND_DISPLAY

echo "app image: $app, $(du -sb "$app" | cut -f1) bytes ($(du -sh "$app" | cut -f1))"

# 1. the version
start=$(date +%s%N)
version="$("$launcher" --version 2>&1)" || fail "bin/Vouch --version exited $?: $version"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[[ "$version" =~ ^Vouch\ [0-9]+\.[0-9]+ ]] || fail "bin/Vouch --version printed no version line: $version"
echo "bin/Vouch --version: $version (${elapsed_ms} ms)"

# 2. the relay, on a port the system picks
"$launcher" relay --data "$work/relay" --port 0 >"$work/relay.log" 2>&1 &
relay_pid=$!
for _ in $(seq 1 120); do
  grep -q "event=invite" "$work/relay.log" && break
  kill -0 "$relay_pid" 2>/dev/null || { wait "$relay_pid" && code=0 || code=$?; fail "the relay exited ($code) before printing its invite"; }
  sleep 0.5
done
grep -q "event=invite" "$work/relay.log" || fail "the relay printed no invite within 60 s"
port="$(sed -n 's/.*event=listening .*port=\([0-9]*\).*/\1/p' "$work/relay.log" | head -1)"
pin="$(sed -n 's/.*event=pin spki_sha256=\([A-Za-z0-9_-]*\).*/\1/p' "$work/relay.log" | head -1)"
[[ -n "$port" && -n "$pin" ]] || fail "no port or pin in the relay's listening and pin events"
echo "relay: listening on 127.0.0.1:$port, pin $pin"

# 3. TLS 1.3 on loopback: the presented key is the pinned one, and the relay answers
presented="$(openssl s_client -connect "127.0.0.1:$port" -tls1_3 </dev/null 2>/dev/null \
  | openssl x509 -noout -pubkey \
  | openssl pkey -pubin -outform der \
  | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=')" || true
[[ "$presented" == "$pin" ]] || fail "the TLS 1.3 handshake presented key '${presented}', not the pin '$pin'"
health="$(curl --silent --show-error --insecure --tlsv1.3 --max-time 10 "https://127.0.0.1:$port/health" 2>&1)" \
  || fail "GET /health failed: $health"
[[ "$health" == *'"status":"ok"'* ]] || fail "GET /health answered: $health"
echo "relay: TLS 1.3 key matches the pin; /health answered $health"

# 4. a clean stop on SIGTERM
kill -TERM "$relay_pid"
for _ in $(seq 1 60); do
  kill -0 "$relay_pid" 2>/dev/null || break
  sleep 0.5
done
kill -0 "$relay_pid" 2>/dev/null && fail "the relay was still running 30 s after SIGTERM"
wait "$relay_pid" && code=0 || code=$?
relay_pid=""
[[ $code -eq 143 || $code -eq 0 ]] || fail "the relay exited $code after SIGTERM (expected 143, the JVM's exit for SIGTERM)"
grep -q "event=stopped" "$work/relay.log" || fail "the relay exited without its stopped event"
echo "relay: stopped on SIGTERM (exit $code)"
echo "smoke test passed"
