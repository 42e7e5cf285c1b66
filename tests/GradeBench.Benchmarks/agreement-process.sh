#!/usr/bin/env bash
# Times `gradebench agreement` as a whole process (start-up, CSV parsing, every coefficient of the level, no
# bootstrap) on 1,000,000 ratings: 100,000 units x 10 raters, 5-point scale. Prints each run and the median.
# Usage: tests/GradeBench.Benchmarks/agreement-process.sh [runs] [level]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-10}
level=${2:-interval}
csv=$(mktemp --suffix=.csv)
trap 'rm -f "$csv"' EXIT
dotnet build src/GradeBench.Cli -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet build tests/GradeBench.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet tests/GradeBench.Benchmarks/bin/Release/net10.0/GradeBench.Benchmarks.dll write-csv "$csv" 100000 10 0
echo "$(($(wc -l < "$csv") - 1)) ratings in $(du -h "$csv" | cut -f1)"
times=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  dotnet src/GradeBench.Cli/bin/Release/net10.0/gradebench.dll agreement "$csv" --level "$level" --bootstrap 0 >/dev/null
  times+=($(( ($(date +%s%N) - start) / 1000000 )))
done
echo "runs (ms): ${times[*]}"
echo "median: $(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}') ms"
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "peak resident memory: %M KB" dotnet src/GradeBench.Cli/bin/Release/net10.0/gradebench.dll agreement "$csv" --level "$level" --bootstrap 0 >/dev/null
fi
