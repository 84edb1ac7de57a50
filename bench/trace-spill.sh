#!/usr/bin/env bash
# `looplens trace` with its captures spilled to disk against the same trace kept in the heap:
# wall time, CPU time and peak resident memory, medians over alternating runs after a warm-up.
# Prints the markdown table of docs/benchmarks.md ("Spilled traces") on stdout.
#
# Usage: bench/trace-spill.sh [--reps R] [--positions P]
#
#   --reps R        counted runs of each variant, alternating spilled / in heap (default 5)
#   --positions P   prompt length (default 1536: 414 MiB of captures)
#
# The model is `looplens init` of the config below (hidden 64, 2 layers, 4 heads, vocab 4096,
# T = 4, seed 3); the prompt is the ids (i·37 + 11) mod 4096. The spilled variant runs under a
# 192 MiB heap, so its captures cannot stay in it; the in-heap one under 2 GiB.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
reps=5
positions=1536
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps="$2"; shift 2 ;;
    --positions) positions="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

JAVA_HOME="$("$root/bin/find-jdk25")"
"$root/looplens" --version >/dev/null # builds the jar if the sources changed
jar="$root/app/target/looplens-app.jar"
flags=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED
       --sun-misc-unsafe-memory-access=allow -XX:+UseParallelGC)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/config.json" <<'JSON'
{"vocab_size": 4096, "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
 "num_attention_heads": 4, "num_key_value_heads": 4, "total_ut_steps": 4, "max_position_embeddings": 2048}
JSON
"$root/looplens" init --config "$work/config.json" --out "$work/model" --seed 3 >/dev/null
ids="$(python3 -c "print(','.join(str((i * 37 + 11) % 4096) for i in range($positions)))")"
mkdir "$work/spill"

# One run under /usr/bin/time: prints "wall cpu peak_kib".
run() {
  local heap="$1"; shift
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$JAVA_HOME/bin/java" "-Xmx$heap" "${flags[@]}" -jar "$jar" \
    trace --checkpoint "$work/model" --tokens "$ids" "$@" >/dev/null 2>"$work/err"
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$work/time"
}
spilled() { run 192m --out "$work/spilled.safetensors" --spill-dir "$work/spill"; }
in_heap() { run 2g --out "$work/heap.safetensors"; }

echo "warm-up" >&2
spilled >/dev/null
in_heap >/dev/null
: > "$work/a"; : > "$work/b"
for i in $(seq "$reps"); do
  echo "run $i of $reps" >&2
  spilled >> "$work/a"
  in_heap >> "$work/b"
done
grep -q "spill to disk" "$work/err" && { echo "the in-heap run spilled; give it more heap" >&2; exit 1; }
cmp -s "$work/spilled.safetensors" "$work/heap.safetensors" && same="byte-identical" || same="DIFFERENT"

python3 - "$work/a" "$work/b" "$same" "$reps" "$positions" <<'PY'
import statistics, sys
def rows(path):
    return [tuple(float(v) for v in line.split()) for line in open(path) if line.strip()]
a, b = rows(sys.argv[1]), rows(sys.argv[2])
med = lambda xs, i: statistics.median(x[i] for x in xs)
ratios = [x[0] / y[0] for x, y in zip(a, b)]
print(f"{sys.argv[5]} positions, medians of {sys.argv[4]} alternating runs after a warm-up:\n")
print("| heap | captures | wall s | CPU s | peak resident MiB |")
print("| --- | --- | ---: | ---: | ---: |")
print(f"| `-Xmx192m` | spilled to disk | {med(a, 0):.2f} | {med(a, 1):.2f} | {med(a, 2) / 1024:.0f} |")
print(f"| `-Xmx2g` | in the heap | {med(b, 0):.2f} | {med(b, 1):.2f} | {med(b, 2) / 1024:.0f} |")
print(f"\nwall-time ratio spilled / in heap: median {statistics.median(ratios):.2f}, "
      f"range {min(ratios):.2f}–{max(ratios):.2f}; output files {sys.argv[3]}")
PY
