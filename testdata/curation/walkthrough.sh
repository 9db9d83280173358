#!/usr/bin/env bash
# Runs the walkthrough of docs/curation.md as written, from the root of a
# fresh clone with ../shared beside it, and prints its transcript: each
# command after "$ " and its output, in blocks marked "=== NAME" (BUILD,
# EXTRACT, CHECK1, CHECK2, SERVE, SEED002, SEED002CHECK), which are the
# ```text blocks of docs/curation.md that start with the same command.
#
#   git clone . ../walk && cd ../walk && bash testdata/curation/walkthrough.sh > ../walk.txt
#
# It writes seeds/, reports/ and the logs of the two servers it starts (on
# localhost:10599 and :10598) into the clone, and stops both servers.
t() { echo "\$ $*"; eval "$@" 2>&1; }
echo "=== BUILD"
t go build -o figures_exporter ./cmd/figures_exporter
t "mkdir -p seeds reports && cp ../shared/seeds/*.txt testdata/curation/005_exchange_heist_walkthrough.txt seeds/"
echo "=== EXTRACT"
t "./figures_exporter extract --source-stub seeds/005_exchange_heist_walkthrough.txt > reports/005.yaml"
t "head -28 reports/005.yaml"
t "grep -A1 'PROPOSAL.*40 percent' reports/005.yaml"
echo "=== CHECK1"
t "./figures_exporter check --seeds.dir seeds --coverage figures.yaml reports/005.yaml | grep -v '^figures.yaml'"
# Step 4: the edited report, as docs/curation.md shows it.
awk '/The report of this walkthrough, edited:/{f=1} f && /^```yaml/{p=1; next} p && /^```/{exit} p' docs/curation.md > reports/005.yaml
echo "=== CHECK2"
t "./figures_exporter check --seeds.dir seeds --coverage --strict figures.yaml reports/005.yaml"
echo "=== SERVE"
echo '$ ./figures_exporter --web.listen-address=localhost:10599 --web.enable-lifecycle --figures.file figures.yaml --figures.file reports/ > serve.log 2>&1 &'
./figures_exporter --web.listen-address=localhost:10599 --web.enable-lifecycle --figures.file figures.yaml --figures.file reports/ > serve.log 2>&1 &
echo $! > serve.pid
echo '$ echo $! > serve.pid'
sleep 2
t "curl -s localhost:10599/metrics | grep '^figures_cybercrime_arrests{'"
t "sed -i 's/^    credibility: 3\$/    credibility: 2/' reports/005.yaml   # a second read: the police's figures are confirmed elsewhere"
sleep 1
t "curl -s localhost:10599/metrics | grep '^figures_exporter_config_reloads_total{.*success'"
t 'kill -HUP $(cat serve.pid); sleep 1; curl -s localhost:10599/metrics | grep "^figures_exporter_config_reloads_total{.*signal"'
t "sed -i 's/^    reliability: F\$/    reliability: G/' reports/005.yaml   # a typo"
sleep 1
t "curl -s -X POST localhost:10599/-/reload"
t "curl -s localhost:10599/metrics | grep -E '^figures_exporter_config_last_reload_successful|^figures_exporter_dataset_figures'"
t "sed -i 's/^    reliability: G\$/    reliability: F/' reports/005.yaml"
sleep 1
t "curl -s -X POST localhost:10599/-/reload"
t "curl -s localhost:10599/metrics | grep -E '^figures_exporter_config_last_reload_successful|^figures_exporter_config_reloads_total{result=\"(success|failure)\",trigger=\"(watch|http|signal)\"'"
t 'kill $(cat serve.pid)'
echo '$ ./figures_exporter --web.listen-address=localhost:10598 --web.enable-lifecycle > embedded.log 2>&1 &   # the embedded dataset'
./figures_exporter --web.listen-address=localhost:10598 --web.enable-lifecycle > embedded.log 2>&1 &
echo $! > embedded.pid
echo '$ echo $! > embedded.pid'
sleep 2
t 'kill -HUP $(cat embedded.pid); curl -s -X POST localhost:10598/-/reload'
t "curl -s localhost:10598/metrics | grep -E '^figures_exporter_dataset_figures|^figures_exporter_config_reloads_total{result=\"(success|unchanged)\",trigger=\"(signal|http|startup)\"'"
t 'kill $(cat embedded.pid)'
echo "=== SEED002"
t "./figures_exporter extract --source-stub ../shared/seeds/002_c937bc4babce255d.txt > reports/002.yaml"
t "head -3 reports/002.yaml; grep -c '^  - id: proposal' reports/002.yaml; grep -A1 'PROPOSAL.*50%' reports/002.yaml"
echo "=== SEED002CHECK"
t "./figures_exporter check --seeds.dir seeds --coverage figures.yaml reports/002.yaml | grep -v '^figures.yaml' | tail -4"
t "sed -i -e 's/{origin_country: \"\", programme: \"\", reporter: \"\"}/{origin_country: KP, programme: ballistic_missile, reporter: unnamed_us_source}/' -e 's/{origin_country: \"\", reading: \"\", reporter: \"\"}/{origin_country: KP, reading: reported, reporter: un_panel_of_experts}/' -e 's/period: {end: TODO}/period: {end: 2023-10-28}/' -e 's/credibility: TODO/credibility: 3 #/' reports/002.yaml"
t "./figures_exporter check --seeds.dir seeds --coverage figures.yaml reports/002.yaml | grep -v '^figures.yaml' | grep -v 'label .* must not be empty'"
echo "=== KOREAN"
t "cp testdata/curation/006_korean_phishing_walkthrough.txt seeds/"
t "./figures_exporter extract --source-stub seeds/006_korean_phishing_walkthrough.txt > reports/006.yaml"
t "grep -E '^    (title|language):|PROPOSAL|CLAIM|^    (family|value|qualifier):' reports/006.yaml"
echo "=== END"
