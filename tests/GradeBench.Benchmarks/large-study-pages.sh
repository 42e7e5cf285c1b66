#!/usr/bin/env bash
# Issue 17's page figures, measured in one run: the coordinator dashboard and results page of a large study (100,000
# responses x 4 raters x 4 criteria = 1,600,000 ratings) against the demo study's, on one server holding both, timed in
# Debian's headless Chromium until nothing is aria-busy (first and second visit), and the server's VmRSS after.
# With --with-judge (issue 19), an LLM judge first rates every response of the large study (its 400,000 values imported
# with `gradebench judges import`, timed), the judge statistics are profiled, and the results page has its LLM judges
# section.
# Usage: tests/GradeBench.Benchmarks/large-study-pages.sh [--with-judge]
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x /usr/bin/chromium ] && [ -z "${GRADEBENCH_CHROMIUM:-}" ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for project in src/GradeBench.Cli src/GradeBench.Web tests/GradeBench.Benchmarks; do
  dotnet build "$project" -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
done
gradebench() { dotnet src/GradeBench.Cli/bin/Release/net10.0/gradebench.dll "$@"; }
bench() { dotnet tests/GradeBench.Benchmarks/bin/Release/net10.0/GradeBench.Benchmarks.dll "$@"; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
bench write-bundle "$work/large" 100000 4 10
gradebench import data/demo-stroke --db "$work/pages.db" >/dev/null
gradebench import "$work/large" --db "$work/pages.db" --max-file-bytes 2000000000 >/dev/null 2>&1
if [ "${1:-}" = "--with-judge" ]; then
  # The judge agrees with the first physician (timing only: the synthetic ratings are random).
  awk -F, 'NR == 1 { print "response_id,criterion,value"; next } $2 == "rater-001" { print $1 "," $3 "," $4 }' "$work/large/ratings.csv" > "$work/judge.csv"
  gradebench judges add --db "$work/pages.db" --study bench --name gpt-judge --model gpt-4o >/dev/null
  start=$(date +%s%N)
  gradebench judges import --db "$work/pages.db" --study bench --judge gpt-judge "$work/judge.csv"
  echo "judges import of $(($(wc -l < "$work/judge.csv") - 1)) rows: $((($(date +%s%N) - start) / 1000000)) ms"
  bench profile-judges "$work/pages.db" bench
fi
bench pages src/GradeBench.Web/bin/Release/net10.0/GradeBench.Web.dll "$work/pages.db" bench stroke-llm-synthetic-demo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
