#!/usr/bin/env python3
"""Prints the accuracy table of sample-checkpoints/README.md from each sample's metrics.json,
so the README never carries a number that no run produced."""
import json
import pathlib

here = pathlib.Path(__file__).resolve().parent
samples = ["multihop-loop4", "multihop-flat", "multihop-cot", "modarith-loop4"]
print("| sample | loop steps | parameters | held-out difficulty: accuracy at the last step (per loop step) | overall |")
print("|---|---|---|---|---|")
for name in samples:
    m = json.loads((here / name / "metrics.json").read_text())
    test = m["test"]
    cells = []
    for d, acc in test["byDifficulty"].items():
        per_step = "/".join(f"{a:.3f}" for a in acc)
        n = test["countByDifficulty"][d]
        cells.append(f"{d}: **{acc[-1]:.3f}** ({per_step}; n={n})")
    print(f"| {name} | {m['loopSteps']} | {m['parameters']:,} | {'<br>'.join(cells)} | {test['accuracy']:.3f} |")
