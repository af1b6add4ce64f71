#!/usr/bin/env bash
# Reports of a 10 M-action data source while uploads run (issue 14), with a
# given wxads binary:
#
#   WXADS_BENCH_DIR=/var/tmp/wxads-bench go test ./sqlite/ -run '^$' -bench 'Report/10M'   # builds the 3 GB database once
#   go build -o /tmp/wxads ./cmd/wxads
#   bench/report10m.sh /tmp/wxads "-c 8 -b 50 -d 20s --report-clients 1" [--report-aggregation DOMAIN …]
#
# It copies the database into a fresh data directory (and syncs it, so the
# copy's write-back does not land in the run), serves it, opens the bench
# app's whitelist to loopback, resets its secret for a token, and runs
# `wxads bench --mode report` reading set 1's reports for the 30 days
# ending 2026-11-23 (the days the benchmark database holds) while the
# bench's own clients upload into a set of their own.
set -euo pipefail
bin=${1:?wxads binary}; load=${2:-"-c 8 -b 50 -d 20s --report-clients 1"}; shift $(($# < 2 ? $# : 2))
src=${WXADS_BENCH_DIR:-/var/tmp/wxads-bench}/report-10M.db
[ -s "$src" ] || { echo "no $src: build it with the go test command above" >&2; exit 1; }
dir=$(mktemp -d); adm=admin-$RANDOM$RANDOM$RANDOM; port=$((20000 + RANDOM % 20000)); base=http://127.0.0.1:$port
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
cp "$src" "$dir/wxads.db" && sync
# shellcheck disable=SC2086 # extra serve flags, e.g. WXADS_SERVE_FLAGS="--pprof-addr 127.0.0.1:6060"
"$bin" serve --data "$dir" --addr "127.0.0.1:$port" --admin-token "$adm" ${WXADS_SERVE_FLAGS:-} 2>"$dir/serve.log" &
pid=$!
for _ in $(seq 600); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
appid=wx0000000000000001 # the benchmark database's app (set 1)
curl -sf -H "Authorization: Bearer $adm" -X PUT "$base/admin/v1/apps/$appid/ip_whitelist" -d '{"ip_whitelist":["127.0.0.1"]}' >/dev/null
secret=$(curl -sf -H "Authorization: Bearer $adm" -X POST "$base/admin/v1/apps/$appid/reset_secret" | jq -r .data.secret)
token=$(curl -sf "$base/cgi-bin/token?grant_type=client_credential&appid=$appid&secret=$secret" | jq -r .access_token)
# shellcheck disable=SC2086 # $load is a list of flags
# WXADS_BENCH_CLIENT: another binary's `wxads bench` as the client, so two servers
# can be compared with the same client.
"${WXADS_BENCH_CLIENT:-$bin}" bench --server "$base" --admin-token "$adm" --call-log off --mode report $load \
	--report-set 1 --report-token "$token" --report-end 2026-11-23 "$@"
