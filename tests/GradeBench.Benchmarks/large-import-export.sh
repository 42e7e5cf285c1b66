#!/usr/bin/env bash
# Issue 17's import and export figures for the large study, in one run: 10,000 cases x 10 models = 100,000 responses,
# 4 raters x 4 criteria each = 1,600,000 ratings (tests/GradeBench.Testing/SyntheticBundle.cs).
# - `gradebench import` of the bundle into a new database, against the sqlite3 shell's plain `.import` of the same
#   ratings.csv into an empty table; the import's CPU time and peak memory (/usr/bin/time).
# - The floor under any importer with this schema: the sqlite3 shell inserting the imported study's 1.6M ratings and
#   400,000 assignments again (INSERT … SELECT from copies made in id order, that is in file order, so nothing is
#   sorted; the plain indexes built after, as the import does).
# - `gradebench export --kind ratings.csv` of the study, against `sqlite3 -csv -header DB "SELECT * FROM ratings"`.
# Medians of RUNS runs each (default 3), whole processes, and their ratios. Needs Debian's sqlite3 and time packages.
# Usage: tests/GradeBench.Benchmarks/large-import-export.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
missing=()
command -v sqlite3 >/dev/null || missing+=(sqlite3)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq "${missing[@]}" >/dev/null; fi
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build src/GradeBench.Cli -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet build tests/GradeBench.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
gradebench() { dotnet src/GradeBench.Cli/bin/Release/net10.0/gradebench.dll "$@"; }
bench() { dotnet tests/GradeBench.Benchmarks/bin/Release/net10.0/GradeBench.Benchmarks.dll "$@"; }
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { awk "BEGIN {printf \"%.2f\", $1 / $2}"; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
bench write-bundle "$work/large" 100000 4 10
echo "bundle: $(du -sh "$work/large" | cut -f1), ratings.csv $(($(wc -l < "$work/large/ratings.csv") - 1)) rows"

ours=(); theirs=(); peaks=(); cpus=()
for _ in $(seq "$runs"); do
  rm -f "$work"/import.db*
  start=$(date +%s%N)
  /usr/bin/time -f "%M %U %S" -o "$work/peak" \
    dotnet src/GradeBench.Cli/bin/Release/net10.0/gradebench.dll import "$work/large" --db "$work/import.db" --max-file-bytes 1000000000 >/dev/null 2>"$work/import.log"
  ours+=($(ms "$start")); read -r kib user sys < <(tail -1 "$work/peak")
  peaks+=($((kib / 1024))); cpus+=($(awk "BEGIN {printf \"%.1f\", $user + $sys}"))
  rm -f "$work/plain.db"
  start=$(date +%s%N)
  sqlite3 "$work/plain.db" "CREATE TABLE ratings (response_id TEXT, rater TEXT, criterion TEXT, value TEXT);" ".mode csv" ".import --skip 1 $work/large/ratings.csv ratings"
  theirs+=($(ms "$start"))
done
m1=$(median "${ours[@]}"); m2=$(median "${theirs[@]}")
echo "import, gradebench (ms): ${ours[*]}; CPU user+system (s): ${cpus[*]}; peak memory (MB): ${peaks[*]}"
echo "import, sqlite3 .import of ratings.csv (ms): ${theirs[*]}"
echo "import median: gradebench $m1 ms, sqlite3 $m2 ms, ratio $(ratio "$m1" "$m2") (goal <= 5)"

# The rows to insert again, in copies; the plain indexes dropped, to be built after the rows as the import does.
sqlite3 "$work/import.db" ".backup '$work/floor-source.db'"
indexes=$(sqlite3 "$work/floor-source.db" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
  AND sql NOT LIKE 'CREATE UNIQUE %' AND tbl_name IN ('ratings', 'assignments')")
drops=$(sqlite3 "$work/floor-source.db" "SELECT 'DROP INDEX \"' || name || '\";' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
  AND sql NOT LIKE 'CREATE UNIQUE %' AND tbl_name IN ('ratings', 'assignments')")
sqlite3 "$work/floor-source.db" "PRAGMA journal_mode = DELETE; CREATE TABLE copied_ratings AS SELECT * FROM ratings;
  CREATE TABLE copied_assignments AS SELECT * FROM assignments; $drops DELETE FROM ratings; DELETE FROM assignments; VACUUM;" >/dev/null
floors=()
for _ in $(seq "$runs"); do
  cp "$work/floor-source.db" "$work/floor.db"
  start=$(date +%s%N)
  sqlite3 "$work/floor.db" "PRAGMA foreign_keys = OFF; PRAGMA cache_size = -65536; BEGIN;
    INSERT INTO assignments SELECT * FROM copied_assignments; INSERT INTO ratings SELECT * FROM copied_ratings;
    $indexes COMMIT;"
  floors+=($(ms "$start"))
done
m3=$(median "${floors[@]}")
echo "floor, sqlite3 inserting the same ratings and assignments into this schema (ms): ${floors[*]}"
echo "floor median: $m3 ms, $(ratio "$m3" "$m2") x the plain .import"

ours=(); theirs=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  gradebench export --db "$work/import.db" --study bench --kind ratings.csv --out "$work/ours.csv" >/dev/null 2>&1
  ours+=($(ms "$start"))
  start=$(date +%s%N)
  sqlite3 -csv -header "$work/import.db" "SELECT * FROM ratings" > "$work/theirs.csv"
  theirs+=($(ms "$start"))
done
m1=$(median "${ours[@]}"); m2=$(median "${theirs[@]}")
echo "export ratings.csv, gradebench (ms): ${ours[*]}; $(($(wc -l < "$work/ours.csv") - 1)) rows, $(du -h "$work/ours.csv" | cut -f1)"
echo "export, sqlite3 -csv SELECT * FROM ratings (ms): ${theirs[*]}; $(($(wc -l < "$work/theirs.csv") - 1)) rows, $(du -h "$work/theirs.csv" | cut -f1)"
echo "export median: gradebench $m1 ms, sqlite3 $m2 ms, ratio $(ratio "$m1" "$m2") (goal <= 2)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
