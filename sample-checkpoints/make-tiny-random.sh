#!/usr/bin/env bash
# Reproduces sample-checkpoints/tiny-random: an untrained LoopLM with seeded random weights and a
# character tokenizer, so `looplens inspect` has something to open on a fresh clone.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
"$here/../looplens" init --config "$here/specs/tiny-random.config.json" --out "$here/tiny-random" --seed 1 \
  --chars " abcdefghijklmnopqrstuvwxyz0123456789.,;:!?'-+=*"
