#!/usr/bin/env bash
# What the Dockerfile's final stage relies on, checked without a Docker
# engine: the CGO_ENABLED=0 build is one static binary that starts as a
# non-root user in an empty directory (nothing else on disk: no libc, no
# shell, no HOME), serves /healthz and /metrics, and reports the version
# set at link time. Run as root (it switches to uid/gid 65534 with setpriv).
#   bench/static-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
pid=
cleanup() {
	status=$?
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
	exit $status
}
trap cleanup EXIT
chmod 0755 "$tmp"

echo "== build (as the Dockerfile does)"
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=static-check" -o "$tmp/wxads" ./cmd/wxads
file "$tmp/wxads"
file "$tmp/wxads" | grep -q 'statically linked' || { echo "FAIL: not statically linked"; exit 1; }
if ldd "$tmp/wxads" >/dev/null 2>&1; then
	echo "FAIL: ldd lists shared libraries:"; ldd "$tmp/wxads"; exit 1
fi
echo "ldd: not a dynamic executable"

echo "== run as uid 65534 in an empty directory"
mkdir "$tmp/run"
chown 65534:65534 "$tmp/run"
as_nobody() { exec setpriv --reuid=65534 --regid=65534 --clear-groups env -i "$@"; }
got=$(cd "$tmp/run" && as_nobody "$tmp/wxads" version)
[ "$got" = "wxads static-check" ] || { echo "FAIL: version printed $got"; exit 1; }
echo "$got"
# exec all the way down, so $pid is wxads itself (stopped by its pid at exit).
(cd "$tmp/run" && as_nobody WXADS_DATA="$tmp/run/data" WXADS_ADDR=127.0.0.1:0 "$tmp/wxads" serve) 2>"$tmp/log" &
pid=$!
base=
for _ in $(seq 100); do
	base=$(grep -o '"healthz":"[^"]*' "$tmp/log" 2>/dev/null | head -1 | sed 's/"healthz":"//; s|/healthz$||') || true
	[ -n "$base" ] && break
	kill -0 "$pid" 2>/dev/null || { echo "FAIL: wxads exited:"; cat "$tmp/log"; exit 1; }
	sleep 0.1
done
[ -n "$base" ] || { echo "FAIL: wxads did not report its address:"; cat "$tmp/log"; exit 1; }
curl -fsS "$base/healthz"; echo
curl -fsS "$base/metrics" | grep -q '^wxads_http_requests_total{errcode="0",route="/healthz"} 1' ||
	{ echo "FAIL: /metrics does not count the /healthz call"; exit 1; }
echo "metrics: /healthz counted"
stat -c '%U %a %n' "$tmp/run/data" "$tmp/run/data"/*
[ "$(stat -c %u "$tmp/run/data/wxads.db")" = 65534 ] || { echo "FAIL: database not owned by the non-root user"; exit 1; }
kill "$pid"
wait "$pid" || { echo "FAIL: wxads exited with status $? on SIGTERM"; exit 1; }
pid=
echo "stopped cleanly on SIGTERM"
echo "OK: static binary, runs as uid 65534 in an empty directory"
