#!/usr/bin/env bash
# Scrape and reload cost at scale, in one run on one machine (see
# BENCHMARKS.md). For each dataset size it generates a synthetic dataset
# split into files as a curator splits one (bench/gen -dir: families.yaml
# and one file per report, each far under the 4 MiB cap), serves the same
# series several ways and scrapes each with the same load generator
# (bench/load: Prometheus 3's Accept and Accept-Encoding headers,
# keep-alive), at each concurrency:
#
#   figures_exporter  built from the working tree ("after");
#   figures_exporter  built from BENCH_REF ("before"), on the same files;
#   node_exporter     v1.12.1 (tools/node_exporter), textfile collector only,
#                     on a .prom file of the same series (bench/render);
#   nginx             (apt) serving the exporter's own exposition bytes,
#                     pre-compressed, with gzip_static: the floor.
#
# Then it times reloads of each exporter after one value changes (one
# report file swapped between two variants) and scrapes during
# back-to-back reloads, counts the production Go lines under exporter/ of
# both, and times the README's test command on empty Go caches and warm.
# The tables go to stdout and to $BENCH_OUT.
#
# Usage: bench/run.sh
# Environment:
#   BENCH_SIZES        dataset sizes (default "1000 10000 100000")
#   BENCH_CONCURRENCY  concurrent scrapers (default "1 8")
#   BENCH_DURATION     length of each scrape run (default 10s)
#   BENCH_REF          the commit to measure beside the working tree
#                      (default 813e084; empty: the working tree only)
#   BENCH_TESTS        time `go test -race -timeout 60m ./...` on empty Go
#                      caches and then warm (default 1; 0 skips it)
#   BENCH_OUT          results file (default bench/results/latest.md)
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
sizes=${BENCH_SIZES:-"1000 10000 100000"}
concurrency=${BENCH_CONCURRENCY:-"1 8"}
duration=${BENCH_DURATION:-10s}
ref=${BENCH_REF-813e084}
run_tests=${BENCH_TESTS:-1}
out=${BENCH_OUT:-bench/results/latest.md}

loadavg_start=$(cut -d" " -f1-3 /proc/loadavg)
work=$(mktemp -d "${TMPDIR:-/tmp}/figures-bench.XXXXXX")
pids=()

# stop kills every process this script started (servers are started as
# their own commands, so their PIDs are the servers', not subshells').
stop() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	pids=()
}
cleanup() {
	stop
	# The module cache of the cold test run is read-only.
	chmod -R u+w "$work" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "bench: $*" >&2; }

# since T0: the seconds since T0 (a date +%s.%N).
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN {printf "%.2f", b - a}'; }

# children PID: the PIDs of PID's child processes, comma-separated (read
# from /proc, so that procps need not be installed).
children() {
	local f stat fields out=""
	for f in /proc/[0-9]*/stat; do
		stat=$(cat "$f" 2>/dev/null) || continue
		# After the command name: state, parent PID, ...
		read -r -a fields <<<"${stat##*) }"
		if [[ ${fields[1]} == "$1" ]]; then
			f=${f#/proc/}
			out+="${out:+,}${f%/stat}"
		fi
	done
	echo "$out"
}

# wait_http URL: wait (bounded: 10 minutes) until URL answers 200.
wait_http() {
	local i
	for ((i = 0; i < 6000; i++)); do
		if curl -fsS -o /dev/null "$1" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	log "timed out waiting for $1"
	return 1
}

# --- What the benchmark needs -------------------------------------------
if ! command -v nginx >/dev/null || ! command -v curl >/dev/null; then
	log "installing nginx and curl from apt"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx curl >/dev/null
fi

bin=$work/bin
mkdir -p "$bin"
log "building the benchmark tools"
go build -o "$bin/" ./bench/gen ./bench/load ./bench/render ./bench/report
log "building figures_exporter from the working tree"
go build -o "$bin/figures_exporter" ./cmd/figures_exporter
exporter_version="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- exporter cmd go.mod || echo +changes)"
exporters=(figures_exporter)
if [[ -n $ref ]]; then
	log "building figures_exporter at $ref"
	mkdir -p "$work/src"
	git archive "$ref" | tar -x -C "$work/src"
	(cd "$work/src" && go build -o "$bin/figures_exporter_before" ./cmd/figures_exporter)
	before_version="$(git rev-parse --short "$ref")"
	exporters+=(figures_exporter_before)
fi
log "building node_exporter (tools/node_exporter)"
node_exporter=$(GOFLAGS=-mod=mod go -C tools/node_exporter tool -n node_exporter)
node_version="$(awk '$1 == "github.com/prometheus/node_exporter" {print $2}' tools/node_exporter/go.mod) (built from tools/node_exporter/go.mod)"
nginx_version=$(nginx -v 2>&1)

# Ports: a block chosen from this shell's PID, away from the usual ones.
base=$((20000 + ($$ % 3000) * 4))
port_node=$((base + 1)) port_nginx=$((base + 2))
declare -A port=([figures_exporter]=$base [figures_exporter_before]=$((base + 3)))

results=$work/results.jsonl
: >"$results"

load() { "$bin/load" "$@" | tee -a "$results" >&2; }

# record NAME FIELD=VALUE...: one JSON line of results, for what bench/load
# does not measure.
record() {
	local name=$1 json="" kv
	shift
	for kv in "$@"; do
		json+=", \"${kv%%=*}\": ${kv#*=}"
	done
	echo "{\"name\": \"$name\"$json}" | tee -a "$results" >&2
}

# production_lines DIR: the lines of the non-test Go files under DIR/exporter.
production_lines() {
	find "$1/exporter" -name '*.go' ! -name '*_test.go' -exec cat {} + | wc -l
}
record "lines/figures_exporter" "lines=$(production_lines .)"
if [[ -n $ref ]]; then
	record "lines/figures_exporter_before" "lines=$(production_lines "$work/src")"
fi

for n in $sizes; do
	d=$work/$n
	mkdir -p "$d/textfile" "$d/www"
	log "$n figures: generating the dataset, one file per report"
	"$bin/gen" -n "$n" -variant 0 -dir "$d/figures"
	"$bin/gen" -n "$n" -variant 1 -dir "$d/v1"
	# The variants differ in one value, in the first report's file.
	changed=$d/figures/report-000000.yaml
	cp "$changed" "$d/v0.yaml"
	cp "$d/v1/report-000000.yaml" "$d/v1.yaml"
	"$bin/render" -o "$d/textfile/figures.prom" "$d/figures"

	declare -A pid=()
	for e in "${exporters[@]}"; do
		log "$n figures: starting $e"
		t0=$(date +%s.%N)
		"$bin/$e" --figures.file="$d/figures" --no-figures.watch --web.enable-lifecycle \
			--web.listen-address="127.0.0.1:${port[$e]}" --log.level=warn 2>"$d/$e.log" &
		pid[$e]=$!
		pids+=("${pid[$e]}")
		wait_http "http://127.0.0.1:${port[$e]}/-/ready"
		record "$n/$e/startup" "seconds=$(since "$t0")" \
			"peak_rss_mb=$(awk '/VmHWM/ {print $2 / 1024}' "/proc/${pid[$e]}/status")"
	done
	port_exporter=${port[figures_exporter]}

	# The exporter's exposition as Prometheus negotiates it, pre-compressed
	# for nginx's gzip_static.
	curl -fsS -D "$d/headers" -o "$d/www/metrics" \
		-H 'Accept: application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.7,application/openmetrics-text;version=0.0.1;q=0.6,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.3' \
		"http://127.0.0.1:$port_exporter/metrics"
	gzip -6 -k "$d/www/metrics"
	content_type=$(tr -d '\r' <"$d/headers" | sed -n 's/^Content-Type: //Ip')
	chmod -R a+rX "$work"
	cat >"$d/nginx.conf" <<EOF
worker_processes auto;
error_log $d/nginx.error.log warn;
pid $d/nginx.pid;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	keepalive_timeout 120s;
	client_body_temp_path $d/nginx-tmp;
	proxy_temp_path $d/nginx-tmp;
	fastcgi_temp_path $d/nginx-tmp;
	uwsgi_temp_path $d/nginx-tmp;
	scgi_temp_path $d/nginx-tmp;
	server {
		listen 127.0.0.1:$port_nginx;
		root $d/www;
		gzip off;
		gzip_static on;
		gzip_vary on;
		location = /metrics {
			types { }
			default_type "$content_type";
		}
	}
}
EOF
	log "$n figures: starting node_exporter and nginx"
	"$node_exporter" --collector.disable-defaults --collector.textfile --collector.textfile.directory="$d/textfile" \
		--web.listen-address="127.0.0.1:$port_node" --log.level=warn 2>"$d/node_exporter.log" &
	pid_node=$!
	pids+=("$pid_node")
	nginx -c "$d/nginx.conf" -p "$d" -g 'daemon off;' 2>"$d/nginx.stderr" &
	pid_nginx=$!
	pids+=("$pid_nginx")
	wait_http "http://127.0.0.1:$port_node/metrics"
	wait_http "http://127.0.0.1:$port_nginx/metrics"
	nginx_pids="$pid_nginx,$(children "$pid_nginx")"

	for c in $concurrency; do
		for e in "${exporters[@]}"; do
			log "$n figures: scraping $e at concurrency $c"
			load -name "$n/$e/c$c" -c "$c" -d "$duration" -url "http://127.0.0.1:${port[$e]}/metrics" -pids "${pid[$e]}"
		done
		log "$n figures: scraping node_exporter and nginx at concurrency $c"
		load -name "$n/node_exporter/c$c" -c "$c" -d "$duration" -url "http://127.0.0.1:$port_node/metrics" -pids "$pid_node"
		load -name "$n/nginx/c$c" -c "$c" -d "$duration" -url "http://127.0.0.1:$port_nginx/metrics" -pids "$nginx_pids"
	done

	for e in "${exporters[@]}"; do
		log "$n figures: reloads of $e"
		cp "$d/v0.yaml" "$changed"
		reload_flags=(-reload-url "http://127.0.0.1:${port[$e]}/-/reload" -reload-file "$changed" -reload-variants "$d/v1.yaml,$d/v0.yaml" -pids "${pid[$e]}")
		load -name "$n/$e/reload" -reloads 4 "${reload_flags[@]}"
		load -name "$n/$e/reload-under-load" -c 1 -d "$duration" -url "http://127.0.0.1:${port[$e]}/metrics" "${reload_flags[@]}"
	done
	stop
done

# What is measured so far survives an interrupted test timing.
mkdir -p "$(dirname "$out")"
cp "$results" "${out%.md}.jsonl"

if [[ $run_tests == 1 ]]; then
	# The README's test command, on 2 cores: first with empty build and
	# module caches, then again with the caches it filled.
	for cache in cold warm; do
		log "timing the test command ($cache caches)"
		t0=$(date +%s.%N)
		status=0
		GOCACHE=$work/gocache GOMODCACHE=$work/gomodcache go test -race -timeout 60m ./... >"$work/test-$cache.log" 2>&1 || status=$?
		if [[ $status != 0 ]]; then
			grep -E '^(--- FAIL|FAIL|panic:)' "$work/test-$cache.log" | head -20 >&2 || true
		fi
		record "tests/$cache" "seconds=$(since "$t0")" "exit_code=$status"
	done
fi

mkdir -p "$(dirname "$out")"
{
	echo "## Results"
	echo
	echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "- machine: $(nproc) CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), load average at the start: $loadavg_start"
	echo "- figures_exporter (after): $exporter_version, $(go version | cut -d' ' -f3)"
	if [[ -n $ref ]]; then
		echo "- figures_exporter (before): $before_version, built from that commit in the same run"
	fi
	echo "- node_exporter: $node_version"
	echo "- nginx: ${nginx_version#nginx version: }"
	echo "- datasets: bench/gen -dir, families.yaml and one file per report ($(ls "$work/$n/figures" 2>/dev/null | wc -l) files at $n figures, the largest $(du -k "$work/$n/figures"/* 2>/dev/null | sort -n | tail -1 | cut -f1) kB)"
	echo "- each scrape run: $duration; load generator bench/load (Go, keep-alive, Prometheus 3 headers, body read and discarded); CPU from /proc/PID/stat (utime+stime, all nginx processes), peak RSS = VmHWM"
	echo
	"$bin/report" <"$results"
} | tee "$out"
cp "$results" "${out%.md}.jsonl"
