#!/usr/bin/env bash
# Regenerates the screenshots of docs/user-guide.md and the README with looplens snapshot/figure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
s=sample-checkpoints/multihop-loop4
p="<bos> e3 r1 r0 r2 ="
./looplens snapshot --view window --checkpoint "$s" --text "$p" --exit q=0.5 --width 1200 --height 700 \
  --out docs/images/workbench-inspector.png
./looplens snapshot --view inspector --checkpoint "$s" --text "$p" --quantity kl-to-final --steps 6 \
  --width 1100 --height 560 --out docs/images/inspector-kl-extrapolated.png
./looplens snapshot --view training --run "$s" --width 1200 --height 700 --out docs/images/workbench-training.png
./looplens figure exit-heatmap --checkpoint "$s" --text "$p" --quantity exit-pdf --exit q=0.5 --dpi 200 \
  --out docs/images/figure-exit-pdf.png
