#!/usr/bin/env bash
# Issue 7's figures, measured in one run: `gradebench import` of a bundle with 1,000,000 ratings (50,000 responses x 5
# raters x 4 criteria) and of one with 100,000 responses; `gradebench export --kind ratings.csv` of the 1,000,000
# ratings against the sqlite3 shell's own CSV export of the same SELECT (Debian's `sqlite3`). Prints each time.
# Usage: tests/GradeBench.Benchmarks/export-vs-sqlite.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build src/GradeBench.Cli -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet build tests/GradeBench.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
gradebench() { dotnet src/GradeBench.Cli/bin/Release/net10.0/gradebench.dll "$@"; }
bench() { dotnet tests/GradeBench.Benchmarks/bin/Release/net10.0/GradeBench.Benchmarks.dll "$@"; }
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
bench write-bundle "$work/ratings-1m" 50000 5
bench write-bundle "$work/responses-100k" 100000 0
echo "bundle with 1,000,000 ratings: $(du -sh "$work/ratings-1m" | cut -f1); with 100,000 responses: $(du -sh "$work/responses-100k" | cut -f1)"

start=$(date +%s%N)
gradebench import "$work/ratings-1m" --db "$work/ratings.db" --max-file-bytes 1000000000 >/dev/null 2>"$work/import.log"
echo "import, 50,000 responses and 1,000,000 ratings: $(ms "$start") ms"
start=$(date +%s%N)
gradebench import "$work/responses-100k" --db "$work/responses.db" --max-file-bytes 1000000000 >/dev/null 2>>"$work/import.log"
echo "import, 100,000 responses: $(ms "$start") ms"

# The rows of TextExport.WriteRatingsAsync as one SELECT (the export itself selects ids and looks names up: RatingRowsReader).
select="SELECT s.slug AS study, c.slug AS case_id, r.slug AS response_id, r.model, u.username AS rater, k.slug AS criterion,
       g.value, g.comment, g.submitted_at AS first_submitted, g.updated_at AS last_changed
FROM responses r
JOIN studies s ON s.id = r.study_id
JOIN cases c ON c.id = r.case_id
JOIN ratings g ON g.response_id = r.id
JOIN users u ON u.id = g.rater_id
JOIN criteria k ON k.id = g.criterion_id
WHERE r.study_id = 1 AND g.status = 'submitted'
ORDER BY r.slug, g.rater_id, g.criterion_id"
echo "query plan:"; sqlite3 "$work/ratings.db" "EXPLAIN QUERY PLAN $select" | sed 's/^/  /'

ours=(); theirs=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  gradebench export --db "$work/ratings.db" --study bench --kind ratings.csv --out "$work/ours.csv" >/dev/null 2>&1
  ours+=($(ms "$start"))
  start=$(date +%s%N)
  sqlite3 -csv -header "$work/ratings.db" "$select" > "$work/theirs.csv"
  theirs+=($(ms "$start"))
done
echo "export ratings.csv, gradebench (ms): ${ours[*]}; $(($(wc -l < "$work/ours.csv") - 1)) rows, $(du -h "$work/ours.csv" | cut -f1)"
echo "export ratings.csv, sqlite3 -csv (ms): ${theirs[*]}; $(($(wc -l < "$work/theirs.csv") - 1)) rows, $(du -h "$work/theirs.csv" | cut -f1)"
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
m1=$(median "${ours[@]}"); m2=$(median "${theirs[@]}")
echo "median: gradebench $m1 ms, sqlite3 $m2 ms, ratio $(awk "BEGIN {printf \"%.2f\", $m1 / $m2}")"
# Same rows, same bytes apart from line ends (ours CRLF as RFC 4180, the shell's LF... or CRLF, depending on version).
if cmp -s <(tr -d '\r' < "$work/ours.csv") <(tr -d '\r' < "$work/theirs.csv"); then echo "the two files hold the same text"; else echo "the two files differ"; fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
