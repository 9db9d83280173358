#!/usr/bin/env bash
# Runs the walkthrough of docs/curation.md as written, from the root of a
# checkout, and prints its transcript: each command after "$ " and its
# output, in blocks marked "=== NAME" (BUILD, EXTRACT, CHECK1, CHECK2,
# STRICT, SERVE, SEED002, SEED002CHECK, KOREAN), which are the ```text
# blocks of docs/curation.md in that order.
#
#   bash testdata/curation/walkthrough.sh > walk.txt; rm -rf walk walk.txt
#   bash testdata/curation/walkthrough.sh --compare; rm -rf walk
#
# With --compare it runs the walkthrough and diffs its transcript against
# the ```text blocks of docs/curation.md: exit 0 when the doc shows exactly
# what a newcomer gets. The one count that varies from run to run, the
# failed watch reloads of a sed -i (see the doc), is compared as N.
#
# It builds ./figures_exporter (ignored by git) and writes everything else
# into walk/: the seeds, the report files and the logs and pids of the two
# servers it starts (on localhost:10599 and :10598), both stopped at the
# end. It never writes into the repository's seeds/, which embeds exactly
# the articles figures.yaml cites.
if [ -e walk ]; then
	# A second run would serve the first run's walk/reports/002.yaml and 006.yaml too.
	echo "walkthrough.sh: walk/ exists from an earlier run; remove it first (rm -rf walk)" >&2
	exit 2
fi
if [ "${1:-}" = --compare ]; then
	varying='s/^(figures_exporter_config_reloads_total\{result="failure",trigger="watch"\}) [0-9]+$/\1 N/'
	diff -u --label docs/curation.md --label walkthrough \
		<(awk '/^```text/{p=1; next} p && /^```/{p=0} p' docs/curation.md | sed -E "$varying") \
		<(bash "$0" | grep -v '^=== ' | sed -E "$varying")
	exit
fi
t() { echo "\$ $*"; eval "$@" 2>&1; }
echo "=== BUILD"
t go build -o figures_exporter ./cmd/figures_exporter
t "mkdir -p walk/seeds walk/reports && cp seeds/*.txt testdata/curation/005_exchange_heist_walkthrough.txt walk/seeds/"
echo "=== EXTRACT"
t "./figures_exporter extract --source-stub walk/seeds/005_exchange_heist_walkthrough.txt > walk/reports/005.yaml"
t "head -28 walk/reports/005.yaml"
t "grep -A1 'PROPOSAL.*40 percent' walk/reports/005.yaml"
echo "=== CHECK1"
t "./figures_exporter check --seeds.dir walk/seeds --coverage figures.yaml walk/reports/005.yaml | grep -v '^figures.yaml'"
# Step 4: the edited report, as docs/curation.md shows it.
awk '/The report of this walkthrough, edited:/{f=1} f && /^```yaml/{p=1; next} p && /^```/{exit} p' docs/curation.md > walk/reports/005.yaml
echo "=== CHECK2"
t "./figures_exporter check --seeds.dir walk/seeds --coverage --strict figures.yaml walk/reports/005.yaml"
echo "=== STRICT"
t "sed '/^    credibility: 4\$/d' walk/reports/005.yaml > walk/ungraded.yaml"
t "./figures_exporter check --seeds.dir walk/seeds --coverage figures.yaml walk/ungraded.yaml | grep -v '^figures.yaml'"
t "./figures_exporter check --seeds.dir walk/seeds --coverage --strict figures.yaml walk/ungraded.yaml | grep -v '^figures.yaml'"
t "rm walk/ungraded.yaml"
echo "=== SERVE"
echo '$ ./figures_exporter --web.listen-address=localhost:10599 --web.enable-lifecycle --figures.file figures.yaml --figures.file walk/reports/ --seeds.dir walk/seeds > walk/serve.log 2>&1 &'
./figures_exporter --web.listen-address=localhost:10599 --web.enable-lifecycle --figures.file figures.yaml --figures.file walk/reports/ --seeds.dir walk/seeds > walk/serve.log 2>&1 &
echo $! > walk/serve.pid
echo '$ echo $! > walk/serve.pid'
sleep 2
t "curl -s localhost:10599/metrics | grep '^figures_cybercrime_arrests{'"
t "curl -s localhost:10599/sources/examplenews-2026-03-10-exchange-heist | grep 'accounted for' | sed 's/<[^>]*>//g'"
t "sed -i 's/^    credibility: 3\$/    credibility: 2/' walk/reports/005.yaml   # a second read: the police's figures are confirmed elsewhere"
sleep 1
t "curl -s localhost:10599/metrics | grep '^figures_exporter_config_reloads_total{.*success'"
t 'kill -HUP $(cat walk/serve.pid); sleep 1; curl -s localhost:10599/metrics | grep "^figures_exporter_config_reloads_total{.*signal"'
t "sed -i 's/^    reliability: F\$/    reliability: G/' walk/reports/005.yaml   # a typo"
sleep 1
t "curl -s -X POST localhost:10599/-/reload"
t "curl -s localhost:10599/metrics | grep -E '^figures_exporter_config_last_reload_successful|^figures_exporter_dataset_figures'"
t "sed -i 's/^    reliability: G\$/    reliability: F/' walk/reports/005.yaml"
sleep 1
t "curl -s -X POST localhost:10599/-/reload"
t "curl -s localhost:10599/metrics | grep -E '^figures_exporter_config_last_reload_successful|^figures_exporter_config_reloads_total{result=\"(success|failure)\",trigger=\"(watch|http|signal)\"'"
t 'kill $(cat walk/serve.pid)'
echo '$ ./figures_exporter --web.listen-address=localhost:10598 --web.enable-lifecycle > walk/embedded.log 2>&1 &   # the embedded dataset'
./figures_exporter --web.listen-address=localhost:10598 --web.enable-lifecycle > walk/embedded.log 2>&1 &
echo $! > walk/embedded.pid
echo '$ echo $! > walk/embedded.pid'
sleep 2
t 'kill -HUP $(cat walk/embedded.pid); curl -s -X POST localhost:10598/-/reload'
t "curl -s localhost:10598/metrics | grep -E '^figures_exporter_dataset_figures|^figures_exporter_config_reloads_total{result=\"(success|unchanged)\",trigger=\"(signal|http|startup)\"'"
t 'kill $(cat walk/embedded.pid)'
echo "=== SEED002"
t "./figures_exporter extract --source-stub seeds/002_c937bc4babce255d.txt > walk/reports/002.yaml"
t "head -3 walk/reports/002.yaml; grep -c '^  - id: proposal' walk/reports/002.yaml; grep -A1 'PROPOSAL.*50%' walk/reports/002.yaml"
echo "=== SEED002CHECK"
t "./figures_exporter check --seeds.dir walk/seeds --coverage figures.yaml walk/reports/002.yaml | grep -v '^figures.yaml' | tail -4"
t "sed -i -e 's/{origin_country: \"\", programme: \"\", reporter: \"\"}/{origin_country: KP, programme: ballistic_missile, reporter: unnamed_us_source}/' -e 's/{origin_country: \"\", reading: \"\", reporter: \"\"}/{origin_country: KP, reading: reported, reporter: un_panel_of_experts}/' -e 's/period: {end: TODO}/period: {end: 2023-10-28}/' -e 's/credibility: TODO/credibility: 3 #/' walk/reports/002.yaml"
t "./figures_exporter check --seeds.dir walk/seeds --coverage figures.yaml walk/reports/002.yaml | grep -v '^figures.yaml' | grep -v 'label .* must not be empty'"
echo "=== KOREAN"
t "cp testdata/curation/006_korean_phishing_walkthrough.txt walk/seeds/"
t "./figures_exporter extract --source-stub walk/seeds/006_korean_phishing_walkthrough.txt > walk/reports/006.yaml"
t "grep -E '^    (title|language):|PROPOSAL|CLAIM|^    (family|value|qualifier):' walk/reports/006.yaml"
echo "=== END"
