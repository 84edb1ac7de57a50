#!/usr/bin/env bash
# Reproduces the numbers and figures of docs/findings.md on the bundled samples (a few minutes).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
mh=sample-checkpoints/multihop-loop4
ma=sample-checkpoints/modarith-loop4
out=docs/findings
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
L=./looplens

# Accuracy at every depth, and beyond the trained T
$L analyze depth --checkpoint $mh --out $out/multihop-loop4-depth.json
$L analyze depth --checkpoint $mh --out $out/multihop-loop4-depth.png
$L analyze depth --checkpoint $ma --out $out/modarith-loop4-depth.json

# Q-exit sweep
$L analyze prompts --spec sample-checkpoints/specs/multihop-loop4.json --split test --count 512 --out "$tmp/mh.jsonl"
$L analyze exit-sweep --checkpoint $mh --prompts "$tmp/mh.jsonl" --out $out/multihop-loop4-exit-sweep.json
$L analyze exit-sweep --checkpoint $mh --prompts "$tmp/mh.jsonl" --out $out/multihop-loop4-exit-sweep.png
$L analyze exit-sweep --checkpoint $ma --questions 512 --out $out/modarith-loop4-exit-sweep.json

# Per-step accuracy, decision (oracle) step and exit depth per hop count
$L analyze exit-depth --checkpoint $mh --questions 1024 --q 0.5 --out $out/multihop-loop4-exit-depth.json
$L analyze exit-depth --checkpoint $mh --questions 1024 --q 0.5 --out $out/multihop-loop4-exit-depth.png

# The gate against the oracle and the gate-free rules
$L analyze exit-rules --checkpoint $mh --q 0.5 --out $out/multihop-loop4-exit-rules.json
$L analyze exit-rules --checkpoint $mh --q 0.5 --latent-change 0.65 --step-kl 0.1 \
  --out $out/multihop-loop4-exit-rules-loosened.json

# Latent trajectories past the trained T
$L analyze trajectories --checkpoint $mh --questions 512 --steps 8 --out $out/multihop-loop4-trajectories.json
$L analyze trajectories --checkpoint $mh --questions 512 --steps 8 --figure change \
  --out $out/multihop-loop4-step-change.png
$L analyze trajectories --checkpoint $mh --questions 96 --steps 8 --out $out/multihop-loop4-trajectories.png

# Logit lens inside the loop
$L analyze layer-lens --checkpoint $mh --text "<bos> e3 r1 r0 r2 =" --out $out/multihop-loop4-layer-lens.json

# Activation patching: one pair, by position and by layer at one position
pair=(--clean "<bos> e3 r1 r0 r2 =" --corrupt "<bos> e5 r1 r0 r2 =" --target e11 --distractor e12)
$L analyze patching --checkpoint $mh "${pair[@]}" --patch-positions 5 --out $out/multihop-loop4-patching-answer.json
$L analyze patching --checkpoint $mh "${pair[@]}" --patch-positions 5 --out $out/multihop-loop4-patching-answer.png
$L analyze patching --checkpoint $mh "${pair[@]}" --patch-positions 1 --out $out/multihop-loop4-patching-entity.json
$L analyze patching --checkpoint $mh "${pair[@]}" --map step-position --site step_hidden \
  --out $out/multihop-loop4-patching-positions.json
$L analyze patching --checkpoint $mh "${pair[@]}" --map step-position --site step_hidden \
  --out $out/multihop-loop4-patching-positions.png

# Step × layer maps over 50 counterfactual pairs, with 95% bootstrap intervals
$L analyze prompts --spec sample-checkpoints/specs/multihop-loop4.json --count 50 --counterfactual --out "$tmp/pairs.jsonl"
for site in attn_out mlp_out; do
  $L analyze patching --checkpoint $mh --prompts "$tmp/pairs.jsonl" --site $site \
    --out $out/multihop-loop4-patching-$site-50pairs.json
done
$L analyze patching --checkpoint $mh --prompts "$tmp/pairs.jsonl" --site attn_out \
  --out $out/multihop-loop4-patching-attn_out-50pairs.png

# Ablations and step edits
$L analyze prompts --spec sample-checkpoints/specs/multihop-loop4.json --count 400 --out "$tmp/pool.jsonl"
$L analyze ablation --checkpoint $mh --text "<bos> e3 r1 r0 r2 =" --target e11 --distractor e12 --ablate mean \
  --prompts "$tmp/pool.jsonl" --site attn_out --out $out/multihop-loop4-ablation-mean.json
$L analyze ablation --checkpoint $mh --text "<bos> e3 r1 r0 r2 =" --target e11 --distractor e12 --ablate steps \
  --exit mixture --out $out/multihop-loop4-step-edits.json
$L analyze ablation --checkpoint $mh --text "<bos> e3 r1 r0 r2 =" --target e11 --distractor e12 --ablate steps \
  --out $out/multihop-loop4-step-edits-last-step.json

# Linear probes per step: each hop's entity, the answer, the control task, agreement, steering
$L analyze probes --checkpoint $mh --split train --questions 4000 --target hop --steer-step 3 \
  --out $out/multihop-loop4-probes.json
$L analyze probes --checkpoint $mh --split train --questions 4000 --target hop \
  --out $out/multihop-loop4-probes.png
$L analyze probes --checkpoint $mh --split train --questions 4000 --target answer --figure agreement \
  --out $out/multihop-loop4-probe-agreement.png
$L analyze probes --checkpoint $mh --split train --questions 4000 --target answer --steer-step 2 \
  --out $out/multihop-loop4-probe-steering-step3.json
