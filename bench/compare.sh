#!/usr/bin/env bash
# Compare two wxads binaries under the same load, alternated A B A B so that
# a shared machine's drift hits both alike (docs/performance.md).
#
#   go build -o /tmp/wxads-a ./cmd/wxads     # e.g. a worktree with one change reverted
#   go build -o /tmp/wxads-b ./cmd/wxads
#   bench/compare.sh /tmp/wxads-a /tmp/wxads-b "-c 64 -b 1 -d 8s" 2
#
# Each run starts a fresh server (SQLite in a temporary directory), drives it
# with the B binary's `wxads bench` and prints its throughput line.
set -euo pipefail
a=${1:?binary A}; b=${2:?binary B}; load=${3:-"-c 16 -b 50 -d 8s"}; rounds=${4:-2}
for _ in $(seq "$rounds"); do
	for bin in "$a" "$b"; do
		dir=$(mktemp -d); tok=admin-$RANDOM$RANDOM$RANDOM; port=$((20000 + RANDOM % 20000))
		"$bin" serve --data "$dir" --addr "127.0.0.1:$port" --admin-token "$tok" 2>/dev/null &
		pid=$!
		for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
		# shellcheck disable=SC2086 # $load is a list of flags
		line=$("$b" bench --server "http://127.0.0.1:$port" --admin-token "$tok" --call-log off $load | grep '^wxads  ' || true)
		echo "$(basename "$bin") (load $(cut -d' ' -f1 /proc/loadavg)): $line"
		kill "$pid"; wait "$pid" 2>/dev/null || true
		rm -rf "$dir"
	done
done
