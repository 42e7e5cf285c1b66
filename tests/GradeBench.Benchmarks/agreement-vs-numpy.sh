#!/usr/bin/env bash
# Issue 17's agreement figures, in one run: `gradebench agreement --level ratio` (every coefficient of the level,
# Krippendorff's alpha at all four levels among them) against the numpy peer peer/alpha_numpy.py (alpha at the four
# levels), on 1,000,000 ratings (100,000 units x 10 raters, complete, 5-point scale), with the default 1,000-resample
# intervals and with --bootstrap 0. Checks first that both give the same four alphas (to 1e-9). Prints every run,
# the medians and the ratios. numpy comes from Debian (python3-numpy, installed with apt-get when missing) and runs
# under /usr/bin/python3, not a pyenv python on PATH.
# Usage: tests/GradeBench.Benchmarks/agreement-vs-numpy.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
python=/usr/bin/python3
if ! "$python" -c 'import numpy' 2>/dev/null; then
  sudo=$([ "$(id -u)" = 0 ] || echo sudo)
  $sudo apt-get update -qq && $sudo apt-get install -y -qq python3-numpy >/dev/null
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
csv=$work/ratings.csv
dotnet build src/GradeBench.Cli -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet build tests/GradeBench.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet tests/GradeBench.Benchmarks/bin/Release/net10.0/GradeBench.Benchmarks.dll write-csv "$csv" 100000 10 0
echo "$(($(wc -l < "$csv") - 1)) ratings in $(du -h "$csv" | cut -f1); numpy $("$python" -c 'import numpy; print(numpy.__version__)')"
ours() { dotnet src/GradeBench.Cli/bin/Release/net10.0/gradebench.dll agreement "$csv" --level ratio "$@"; }
peer() { "$python" tests/GradeBench.Benchmarks/peer/alpha_numpy.py "$csv" "$@"; }

ours --bootstrap 0 --format json > "$work/ours.json"
peer --bootstrap 0 > "$work/peer.txt"
"$python" - "$work/ours.json" "$work/peer.txt" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1]))["metrics"]
for line in open(sys.argv[2]):
    name, value = line.split()[:2]
    difference = abs(ours[name]["value"] - float(value))
    print(f"{name}: gradebench {ours[name]['value']:.12f}, numpy {float(value):.12f}, difference {difference:.1e}")
    assert difference <= 1e-9, name
PY

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
declare -a ours_default peer_default ours_none peer_none
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# Interleaved, so that a change in the machine's load falls on both sides alike.
for _ in $(seq "$runs"); do
  start=$(date +%s%N); ours >/dev/null; ours_default+=("$(ms "$start")")
  start=$(date +%s%N); peer >/dev/null; peer_default+=("$(ms "$start")")
  start=$(date +%s%N); ours --bootstrap 0 >/dev/null; ours_none+=("$(ms "$start")")
  start=$(date +%s%N); peer --bootstrap 0 >/dev/null; peer_none+=("$(ms "$start")")
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "1,000 resamples  gradebench (ms): ${ours_default[*]}  numpy (ms): ${peer_default[*]}"
echo "--bootstrap 0    gradebench (ms): ${ours_none[*]}  numpy (ms): ${peer_none[*]}"
od=$(median "${ours_default[@]}"); pd=$(median "${peer_default[@]}")
on=$(median "${ours_none[@]}"); pn=$(median "${peer_none[@]}")
echo "medians: 1,000 resamples gradebench $od ms, numpy $pd ms; --bootstrap 0 gradebench $on ms, numpy $pn ms"
awk -v od="$od" -v pd="$pd" -v on="$on" -v pn="$pn" 'BEGIN {
  printf "1,000 resamples: gradebench takes %.2fx the time of numpy (goal <= 1.5x)\n", od / pd
  printf "--bootstrap 0: gradebench is %.2fx faster than numpy (goal >= 3x)\n", pn / on }'
