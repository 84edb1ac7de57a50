#!/usr/bin/env bash
# Trains every sample checkpoint from its committed spec, one after another. Each line is also the
# one command that reproduces that sample on its own (delete its folder first: a finished run in
# the output folder is reused, not retrained).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
for name in multihop-loop4 multihop-flat multihop-cot modarith-loop4; do
  ./looplens train "sample-checkpoints/specs/$name.json" --out "sample-checkpoints/$name"
done
