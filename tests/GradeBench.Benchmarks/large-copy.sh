#!/usr/bin/env bash
# `gradebench copy` of the large study (10,000 cases x 10 models = 100,000 responses, 4 raters x 4 criteria each =
# 1,600,000 ratings; tests/GradeBench.Testing/SyntheticBundle.cs): imported into an SQLite file, copied to the empty
# PostgreSQL database POSTGRES (a connection string or URL), and back into a new SQLite file. Whole processes, start-up
# included, with each one's CPU time and peak memory (/usr/bin/time).
# Usage: tests/GradeBench.Benchmarks/large-copy.sh POSTGRES
set -euo pipefail
cd "$(dirname "$0")/../.."
postgres=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build src/GradeBench.Cli -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet build tests/GradeBench.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
gradebench() { dotnet src/GradeBench.Cli/bin/Release/net10.0/gradebench.dll "$@"; }
timed() {
  local name=$1; shift
  local start; start=$(date +%s%N)
  /usr/bin/time -f "%M %U %S" -o "$work/time" dotnet src/GradeBench.Cli/bin/Release/net10.0/gradebench.dll "$@" >"$work/out" 2>"$work/err" ||
    { cat "$work/err" >&2; exit 1; }
  read -r kib user sys < <(tail -1 "$work/time")
  echo "$name: $(( ($(date +%s%N) - start) / 1000000 )) ms, CPU user+system $(awk "BEGIN {printf \"%.1f\", $user + $sys}") s, peak $((kib / 1024)) MB"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet tests/GradeBench.Benchmarks/bin/Release/net10.0/GradeBench.Benchmarks.dll write-bundle "$work/large" 100000 4 10
timed "import into SQLite" import "$work/large" --db "$work/large.db" --max-file-bytes 1000000000
timed "copy SQLite -> PostgreSQL" copy --from "$work/large.db" --to "$postgres"
tail -1 "$work/out"
timed "copy PostgreSQL -> SQLite" copy --from "$postgres" --to "$work/back.db"
grep -E '^(ratings|assignments|rating_history) ' "$work/out"
tail -1 "$work/out"
for kind in ratings.csv history.csv; do
  gradebench export --db "$work/large.db" --study bench --kind "$kind" --out "$work/a-$kind" >/dev/null 2>&1
  gradebench export --db "$work/back.db" --study bench --kind "$kind" --out "$work/b-$kind" >/dev/null 2>&1
  cmp "$work/a-$kind" "$work/b-$kind" && echo "$kind: identical after the round trip ($(wc -c < "$work/a-$kind") bytes)"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
