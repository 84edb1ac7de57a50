#!/usr/bin/env bash
# LoopLens vs PyTorch on the CPU training presets, plus LoopLens's capture-overhead and decode
# numbers against their targets. Prints one markdown report on stdout (progress goes to stderr),
# ready to paste into docs/benchmarks.md.
#
# Usage: bench/side-by-side.sh [--seconds N] [--reps R] [--layers N] [--threads K]
#                              [--presets "S M L"] [--sections "train capture gemm decode"] [--keep DIR]
#
#   --seconds N   timed seconds of each training run (default 20)
#   --reps R      runs of each benchmark, LoopLens and PyTorch alternating A-B-A-B (default 2)
#   --layers N    layers of the ouro-1.4b layout for the decode benchmark (default 24, the real model)
#   --threads K   threads for both engines (default 2)
#   --presets     training/forward presets to run (default "S M L")
#   --sections    which parts to run (default "train capture gemm decode")
#   --keep DIR    keep every run's raw output in DIR (otherwise kept only after a failure)
#
# Environment:
#   LOOPLENS_CMD  the looplens command (default: ./looplens at the repository root); may hold
#                 extra words, e.g. "java -jar app/target/looplens-app.jar"
#   TORCH_PYTHON  the interpreter that has torch (default: Debian's /usr/bin/python3, which
#                 python3-torch installs into; a pyenv python3 on PATH would not find it)
#
# PyTorch's BLAS: Debian's torch calls whatever libblas.so.3 the alternatives system points at,
# which is the slow reference BLAS unless an optimised one is installed. Rather than changing
# the system, each PyTorch run gets LD_PRELOAD=<libopenblas.so.0>, whose sgemm_ and friends then
# win symbol resolution over libblas.so.3's; the report shows the BLAS torch actually used and
# its sgemm speed. LoopLens runs never get the preload. OPENBLAS_* variables already set in the
# environment are passed through untouched and shown in the report.
#
# Run it on an otherwise idle machine: PyTorch's OpenMP threads spin-wait, and with other busy
# processes on the same cores its multi-threaded steps slow down many times over.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
command_line="$(printf '%q ' "$0" "$@")"

seconds=20
reps=2
layers=24
threads=2
presets="S M L"
sections="train capture gemm decode"
keep=""

usage() { sed -n '2,/^$/p' "$0" | sed -n '/^# PyTorch/q; s/^# \{0,1\}//p'; }
die() { echo "side-by-side: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="${2:?--seconds needs a value}"; shift 2 ;;
    --reps) reps="${2:?--reps needs a value}"; shift 2 ;;
    --layers) layers="${2:?--layers needs a value}"; shift 2 ;;
    --threads) threads="${2:?--threads needs a value}"; shift 2 ;;
    --presets) presets="${2:?--presets needs a value}"; shift 2 ;;
    --sections) sections="${2:?--sections needs a value}"; shift 2 ;;
    --keep) keep="${2:?--keep needs a directory}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done
for n in "$seconds" "$reps" "$layers" "$threads"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "expected a positive whole number, got '$n'"
done
for p in $presets; do
  [[ "$p" =~ ^(S|M|L)$ ]] || die "unknown preset '$p' (S, M or L)"
done
has_section() { [[ " $sections " == *" $1 "* ]]; }

read -r -a looplens <<< "${LOOPLENS_CMD:-$root/looplens}"
py="${TORCH_PYTHON:-/usr/bin/python3}"

if [ -n "$keep" ]; then
  mkdir -p "$keep"
  out="$(cd "$keep" && pwd)"
else
  out="$(mktemp -d "${TMPDIR:-/tmp}/side-by-side.XXXXXX")"
  # Raw outputs go away after a good run but stay for inspection after a failure.
  trap 'rc=$?; if [ "$rc" -eq 0 ]; then rm -rf "$out"; else echo "raw outputs kept in $out" >&2; fi' EXIT
fi

# --- PyTorch and OpenBLAS ------------------------------------------------------------------------

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    die "$1 is missing; install it as root with: apt-get update && apt-get install -y $2"
  fi
  command -v apt-get > /dev/null || die "$1 is missing and there is no apt-get to install $2 with"
  echo "installing $2 ..." >&2
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $2; } > "$out/apt.log" 2>&1 \
    || { tail -20 "$out/apt.log" >&2; die "apt-get install $2 failed"; }
}

[ -x "$py" ] || die "no Python at $py (set TORCH_PYTHON); Debian's python3-torch installs into /usr/bin/python3"
if ! "$py" -c 'import torch' 2> /dev/null; then
  apt_install "torch for $py" "python3-torch libopenblas0-pthread"
  "$py" -c 'import torch' || die "torch still does not import in $py"
fi

find_openblas() {
  # The pthread build first (the one whose thread count pytorch_baseline.py sets), then any
  # libopenblas.so.0 the dynamic linker knows.
  local f
  for f in /usr/lib/*/openblas-pthread/libopenblas.so.0 /usr/lib64/openblas-pthread/libopenblas.so.0; do
    [ -e "$f" ] && { echo "$f"; return; }
  done
  ldconfig -p 2> /dev/null | awk '/libopenblas\.so\.0 / { print $NF; exit }'
}
openblas="$(find_openblas)"
if [ -z "$openblas" ]; then
  apt_install "OpenBLAS" "libopenblas0-pthread"
  openblas="$(find_openblas)"
  [ -n "$openblas" ] || die "libopenblas.so.0 not found even after installing libopenblas0-pthread"
fi
# No __pycache__ left in the source tree by the import of pytorch_baseline below.
torch_env=(env PYTHONDONTWRITEBYTECODE=1 "LD_PRELOAD=$openblas${LD_PRELOAD:+:$LD_PRELOAD}")

# --- running and checking one benchmark ----------------------------------------------------------

# run NAME CMD...: runs CMD with stdout in $out/NAME.out and checks that its last line is a JSON object.
run() {
  local name="$1"; shift
  echo "[$(date +%H:%M:%S)] $name: $*" >&2
  local rc=0
  "$@" > "$out/$name.out" 2> "$out/$name.err" || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "side-by-side: '$*' failed with exit code $rc; its last output:" >&2
    tail -n 15 "$out/$name.err" "$out/$name.out" >&2
    exit 1
  fi
  "$py" - "$out/$name.out" <<'EOF' || die "'$*' did not end with a JSON object (see $out/$name.out)"
import json, sys
lines = [l for l in open(sys.argv[1]).read().splitlines() if l.strip()]
try:
    ok = bool(lines) and isinstance(json.loads(lines[-1]), dict)
except ValueError:
    ok = False
sys.exit(0 if ok else 1)
EOF
}

echo "checking the looplens command (${looplens[*]}) ..." >&2
"${looplens[@]}" --version > "$out/looplens-version.out" 2> "$out/looplens-version.err" \
  || { tail -n 15 "$out/looplens-version.err" >&2; die "'${looplens[*]} --version' failed; set LOOPLENS_CMD?"; }

"${torch_env[@]}" "$py" - "$here" "$threads" > "$out/torch-info.json" 2> "$out/torch-info.err" <<'EOF' \
  || { cat "$out/torch-info.err" >&2; die "could not start torch with LD_PRELOAD=$openblas"; }
# torch's version, the BLAS it really uses and its 1024x1024 sgemm speed (the baseline's ceiling).
import json, sys, time
sys.path.insert(0, sys.argv[1])
import torch
import pytorch_baseline

pytorch_baseline.configure_threads(int(sys.argv[2]))
a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
a @ b
start = time.perf_counter()
for _ in range(5):
    a @ b
gflops = 5 * 2 * 1024 ** 3 / (time.perf_counter() - start) / 1e9
print(json.dumps({"torch": torch.__version__, "blas": pytorch_baseline.describe_blas(),
                  "sgemm_gflops": round(gflops, 1)}))
EOF
"$py" -c 'import json, sys; sys.exit("OpenBLAS" not in json.load(open(sys.argv[1]))["blas"])' "$out/torch-info.json" \
  || die "torch does not use OpenBLAS even with LD_PRELOAD=$openblas: $(cat "$out/torch-info.json")"

load="$(cut -d' ' -f1 /proc/loadavg 2> /dev/null || echo '?')"

# --- the runs, alternating so drift hits both sides alike ----------------------------------------

if has_section train; then
  for p in $presets; do
    for r in $(seq 1 "$reps"); do
      run "train-$p-looplens-$r" "${looplens[@]}" bench train --preset "$p" --seconds "$seconds" --threads "$threads" --json
      run "train-$p-pytorch-$r" "${torch_env[@]}" "$py" "$here/pytorch_baseline.py" \
        --preset "$p" --seconds "$seconds" --threads "$threads" --json
    done
  done
fi
if has_section capture; then
  for p in $presets; do
    for r in $(seq 1 "$reps"); do
      for c in none steps all; do
        run "forward-$p-$c-$r" "${looplens[@]}" bench forward --preset "$p" --capture "$c" --json
      done
    done
  done
fi
if has_section gemm || has_section decode; then
  run roofline "${looplens[@]}" bench roofline --json
fi
if has_section gemm; then
  run gemm-L "${looplens[@]}" bench gemm --preset L --json
fi
if has_section decode; then
  for r in $(seq 1 "$reps"); do
    # The host's bandwidth moves with its other tenants: probe it right before each decode run.
    run "bandwidth-$r" "${looplens[@]}" bench roofline --json
    run "decode-$r" "${looplens[@]}" bench decode --layout ouro-1.4b --layers "$layers" --dtype bf16 \
      --prompt 32 --tokens 32 --json
  done
fi

# --- the report ----------------------------------------------------------------------------------

cpu="$(lscpu 2> /dev/null | sed -n 's/^Model name: *//p' | head -n 1)"
[ -n "$cpu" ] || cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2> /dev/null | head -n 1)"

# Everything the report needs goes through the environment, so no value can break the Python.
REPORT_DIR="$out" REPORT_PRESETS="$presets" REPORT_SECTIONS="$sections" REPORT_REPS="$reps" \
REPORT_THREADS="$threads" REPORT_LAYERS="$layers" REPORT_LOAD="$load" REPORT_COMMAND="$command_line" \
REPORT_DATE="$(date -u '+%Y-%m-%d %H:%M UTC')" REPORT_MACHINE="$(uname -m), ${cpu:-unknown CPU}, $(nproc) CPUs" \
REPORT_OPENBLAS_VARS="$(env | grep '^OPENBLAS_' | sort | tr '\n' ' ' || true)" \
  "$py" - <<'EOF' || die "could not build the report from the outputs in $out"
import json, os, statistics

env = os.environ
out = env["REPORT_DIR"]
presets = env["REPORT_PRESETS"].split()
sections = env["REPORT_SECTIONS"].split()
reps = int(env["REPORT_REPS"])


def result(name):
    lines = [l for l in open(os.path.join(out, name + ".out")).read().splitlines() if l.strip()]
    return json.loads(lines[-1])


def rate(obj):
    """tokens_per_s as a number: the median when it is a {median, min, max} object."""
    value = obj["tokens_per_s"]
    return float(value["median"] if isinstance(value, dict) else value)


def median_rate(prefix):
    return statistics.median(rate(result("%s-%d" % (prefix, r))) for r in range(1, reps + 1))


def met(ok):
    return "yes" if ok else "**no**"


def looplens_version():
    lines = [l.strip() for l in open(os.path.join(out, "looplens-version.out")) if l.strip()]
    return lines[-1] if lines else "unknown"


torch_info = json.load(open(os.path.join(out, "torch-info.json")))
blas = torch_info["blas"]

print("## LoopLens vs PyTorch, CPU")
print()
print("- date: %s" % env["REPORT_DATE"])
print("- machine: %s; load average at start: %s" % (env["REPORT_MACHINE"], env["REPORT_LOAD"]))
print("- command: `%s`" % env["REPORT_COMMAND"].strip())
print("- LoopLens: %s" % looplens_version())
print("- PyTorch %s, float32 eager, %s threads; BLAS: %s; torch 1024×1024 sgemm %.1f GFLOP/s"
      % (torch_info["torch"], env["REPORT_THREADS"], blas, torch_info["sgemm_gflops"]))
print("- OPENBLAS_* environment: %s" % (env["REPORT_OPENBLAS_VARS"].strip() or "none set"))
print("- each tokens/s figure is the median over %d alternating runs of each run's median" % reps)
try:
    busy = float(env["REPORT_LOAD"]) > 0.5
except ValueError:
    busy = False
if busy:
    print()
    print("> Note: the machine was busy at the start (load average %s), so these numbers are unreliable;"
          " PyTorch's spin-waiting OpenMP threads suffer most." % env["REPORT_LOAD"])

if "train" in sections:
    print()
    print("### Training step (Stage I, T = 4, AdamW)")
    print()
    print("| preset | LoopLens tok/s (median) | PyTorch tok/s (median) | ratio (LoopLens/PyTorch) | target | met? |")
    print("| --- | ---: | ---: | ---: | --- | --- |")
    for p in presets:
        ours, theirs = median_rate("train-%s-looplens" % p), median_rate("train-%s-pytorch" % p)
        ratio = ours / theirs
        print("| %s | %.1f | %.1f | %.2f | ≥ 1.5 | %s |" % (p, ours, theirs, ratio, met(ratio >= 1.5)))

if "capture" in sections:
    print()
    print("### Capture overhead (forward pass; time ratio = tok/s without capture / tok/s with)")
    print()
    print("| preset | none tok/s | steps tok/s | all tok/s | steps/none | target ≤ 1.05 | all/none | target ≤ 1.25 | head floor | steps/none ÷ floor |")
    print("| --- | ---: | ---: | ---: | ---: | --- | ---: | --- | ---: | ---: |")
    for p in presets:
        none, steps, every = (median_rate("forward-%s-%s" % (p, c)) for c in ("none", "steps", "all"))
        rs, ra = none / steps, none / every
        # Capturing step logits runs the LM head at every step, which the uncaptured forward skips
        # at all steps but the last: the ratio of multiply-adds is the slowdown that work alone costs.
        floor = (float(result("forward-%s-steps-1" % p)["multiply_adds_per_token"])
                 / float(result("forward-%s-none-1" % p)["multiply_adds_per_token"]))
        print("| %s | %.1f | %.1f | %.1f | %.3f | %s | %.3f | %s | %.3f | %.3f |"
              % (p, none, steps, every, rs, met(rs <= 1.05), ra, met(ra <= 1.25), floor, rs / floor))

if "gemm" in sections:
    roof = result("roofline")
    gemm = float(result("gemm-L")["gflops"]["median"])
    share = gemm / roof["sgemm_gflops"]
    print()
    print("### Training GEMMs at L against the machine's best SGEMM")
    print()
    print("| training GEMMs at L (GFLOP/s, median) | best SGEMM (GFLOP/s) | share | target ≥ 0.70 | met? |")
    print("| ---: | ---: | ---: | --- | --- |")
    print("| %.1f | %.1f | %.2f | ≥ 0.70 | %s |" % (gemm, roof["sgemm_gflops"], share, met(share >= 0.70)))

if "decode" in sections:
    runs = [result("decode-%d" % r) for r in range(1, reps + 1)]
    probes = [result("bandwidth-%d" % r) for r in range(1, reps + 1)]
    tps = statistics.median(rate(d) for d in runs)
    bytes_per_token = statistics.median(float(d["bytes_per_token"]) for d in runs)
    rss = max(float(d["rss_bytes"]) for d in runs)
    weights = float(runs[0]["weight_file_bytes"])
    bandwidth = statistics.median(float(p["bandwidth_gb_s"]) for p in probes)
    best = max(float(p.get("bandwidth_best_gb_s", p["bandwidth_gb_s"])) for p in probes)
    # Each decode run against the bandwidth probed just before it, then the median of those ratios.
    ratio = statistics.median(rate(d) * float(d["bytes_per_token"]) / (float(p["bandwidth_gb_s"]) * 1e9)
                              for d, p in zip(runs, probes))
    roof_tps = bandwidth * 1e9 / bytes_per_token
    print()
    print("### Decode (ouro-1.4b layout, %s layers, bf16, prompt 32, 32 new tokens)" % env["REPORT_LAYERS"])
    print()
    print("Roofline: streamed read bandwidth %.1f GB/s (median of the 8-pass probes run just before each decode "
          "run; the best single pass reached %.1f GB/s)." % (bandwidth, best))
    print()
    print("| tok/s | bytes/token | roofline tok/s (bandwidth / bytes per token) | ratio | target ≥ 0.8 | met? | ratio to the best pass | RSS / weight file | target ≤ 1.3 | met? |")
    print("| ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | --- | --- |")
    mem = rss / weights
    print("| %.2f | %.0f | %.2f | %.2f | ≥ 0.8 | %s | %.2f | %.2f (%.0f MiB / %.0f MiB) | ≤ 1.3 | %s |"
          % (tps, bytes_per_token, roof_tps, ratio, met(ratio >= 0.8), tps * bytes_per_token / (best * 1e9), mem,
             rss / 2**20, weights / 2**20, met(mem <= 1.3)))
EOF
