#!/usr/bin/env python3
"""PyTorch baseline for LoopLens's CPU training benchmark.

An independent eager-mode implementation of one Ouro LoopLM Stage I training step, with the
same math as LoopLens (see docs/architecture.md and docs/training.md):

* embedding, then one shared stack of decoder layers applied T times; each layer is
  ``mid = x + N2(o_proj(attn(N1 x)))`` and ``x = mid + N4(down(silu(gate(N3 mid)) * up(N3 mid)))``
  with the four "sandwich" RMSNorms, rotate-half RoPE, grouped-query causal attention, no biases;
* after every step ``h_t = norm(x)`` feeds the next step, the untied LM head and the exit gate;
* loss per next-token position: ``sum_t p(t) * CE_t - beta * H(p)`` with the exit distribution
  of the gate, averaged over positions 0..L-2 of every sequence;
* AdamW (decay on matrices only, as LoopLens does) after clipping the gradient norm to 1.

Run with Debian's interpreter (``/usr/bin/python3``, package ``python3-torch``). Which BLAS
torch uses matters a lot; see bench/side-by-side.sh for how OpenBLAS is wired in.

Usage: bench/pytorch_baseline.py --preset S|M|L [--seconds N] [--threads K] [--json]
       bench/pytorch_baseline.py --check
"""

import argparse
import ctypes
import json
import math
import re
import statistics
import sys
import time
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

BETA = 0.1
RMS_EPS = 1e-6
ROPE_THETA = 10000.0
INIT_STD = 0.02  # LoopLens's RandomInit default (initializer_range)
LR = 3e-4
WEIGHT_DECAY = 0.1
BETAS = (0.9, 0.95)
CLIP = 1.0


@dataclass(frozen=True)
class Config:
    vocab: int
    hidden: int
    intermediate: int
    layers: int
    heads: int
    kv_heads: int
    head_dim: int
    steps: int  # T, the number of recurrent applications of the layer stack
    seq: int
    batch: int


PRESETS = {
    "S": Config(vocab=64, hidden=128, intermediate=256, layers=2, heads=4, kv_heads=2, head_dim=32,
                steps=4, seq=64, batch=32),
    "M": Config(vocab=512, hidden=256, intermediate=704, layers=4, heads=8, kv_heads=4, head_dim=32,
                steps=4, seq=128, batch=16),
    "L": Config(vocab=2048, hidden=512, intermediate=1408, layers=4, heads=8, kv_heads=8, head_dim=64,
                steps=4, seq=256, batch=8),
}

# Small enough for a smoke test in a second or two, yet exercising GQA and several steps.
CHECK_CONFIG = Config(vocab=16, hidden=32, intermediate=64, layers=2, heads=4, kv_heads=2, head_dim=8,
                      steps=3, seq=16, batch=4)


# ---------------------------------------------------------------------------------------------
# Model


class RMSNorm(nn.Module):
    def __init__(self, size):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + RMS_EPS) * self.weight


def rope_tables(seq, head_dim):
    """cos/sin tables [seq, head_dim] in the rotate-half layout; angles in double, rounded once."""
    inv_freq = 1.0 / ROPE_THETA ** (torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim)
    angles = torch.outer(torch.arange(seq, dtype=torch.float64), inv_freq)
    angles = torch.cat([angles, angles], dim=-1)
    return angles.cos().float(), angles.sin().float()


def apply_rope(x, cos, sin):
    half = x.shape[-1] // 2
    rotated = torch.cat([-x[..., half:], x[..., :half]], dim=-1)
    return x * cos + rotated * sin


def repeat_kv(x, heads):
    """[B, kv, L, D] -> [B, heads, L, D]: query head h reads kv head h // (heads / kv).

    expand + reshape (as Hugging Face's repeat_kv) rather than repeat_interleave, whose
    index_select / index_add pair is slower in both directions.
    """
    b, kv, n, d = x.shape
    return x[:, :, None].expand(b, kv, heads // kv, n, d).reshape(b, heads, n, d)


class Attention(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.c = c
        self.q_proj = nn.Linear(c.hidden, c.heads * c.head_dim, bias=False)
        self.k_proj = nn.Linear(c.hidden, c.kv_heads * c.head_dim, bias=False)
        self.v_proj = nn.Linear(c.hidden, c.kv_heads * c.head_dim, bias=False)
        self.o_proj = nn.Linear(c.heads * c.head_dim, c.hidden, bias=False)

    def forward(self, x, cos, sin, mask):
        c = self.c
        b, n, _ = x.shape
        q = self.q_proj(x).view(b, n, c.heads, c.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, n, c.kv_heads, c.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(b, n, c.kv_heads, c.head_dim).transpose(1, 2)
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        if c.kv_heads != c.heads:
            k, v = repeat_kv(k, c.heads), repeat_kv(v, c.heads)
        scores = torch.matmul(q, k.transpose(-1, -2)) * c.head_dim ** -0.5 + mask
        context = torch.matmul(torch.softmax(scores, dim=-1), v)
        return self.o_proj(context.transpose(1, 2).reshape(b, n, c.heads * c.head_dim))


class Mlp(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.gate_proj = nn.Linear(c.hidden, c.intermediate, bias=False)
        self.up_proj = nn.Linear(c.hidden, c.intermediate, bias=False)
        self.down_proj = nn.Linear(c.intermediate, c.hidden, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class DecoderLayer(nn.Module):
    """Ouro's sandwich-norm layer: each branch is normalised before and after."""

    def __init__(self, c: Config):
        super().__init__()
        self.input_layernorm = RMSNorm(c.hidden)
        self.self_attn = Attention(c)
        self.input_layernorm_2 = RMSNorm(c.hidden)
        self.post_attention_layernorm = RMSNorm(c.hidden)
        self.mlp = Mlp(c)
        self.post_attention_layernorm_2 = RMSNorm(c.hidden)

    def forward(self, x, cos, sin, mask):
        mid = x + self.input_layernorm_2(self.self_attn(self.input_layernorm(x), cos, sin, mask))
        return mid + self.post_attention_layernorm_2(self.mlp(self.post_attention_layernorm(mid)))


class LoopLM(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.c = c
        self.embed_tokens = nn.Embedding(c.vocab, c.hidden)
        self.layers = nn.ModuleList(DecoderLayer(c) for _ in range(c.layers))
        self.norm = RMSNorm(c.hidden)
        self.lm_head = nn.Linear(c.hidden, c.vocab, bias=False)
        self.early_exit_gate = nn.Linear(c.hidden, 1)
        cos, sin = rope_tables(c.seq, c.head_dim)
        self.register_buffer("cos", cos, persistent=False)
        self.register_buffer("sin", sin, persistent=False)
        causal = torch.full((c.seq, c.seq), float("-inf")).triu(1)
        self.register_buffer("mask", causal, persistent=False)
        self._init_weights()

    def _init_weights(self):
        # As LoopLens's RandomInit: N(0, 0.02) matrices, norms at one, exit gate at zero (λ = ½).
        for module in self.modules():
            if isinstance(module, (nn.Linear, nn.Embedding)):
                nn.init.normal_(module.weight, std=INIT_STD)
        nn.init.zeros_(self.early_exit_gate.weight)
        nn.init.zeros_(self.early_exit_gate.bias)

    def forward(self, tokens):
        """Returns per-step logits [T, B, L, V] and gate logits [T, B, L]."""
        n = tokens.shape[1]
        cos, sin, mask = self.cos[:n], self.sin[:n], self.mask[:n, :n]
        x = self.embed_tokens(tokens)
        states = []
        for _ in range(self.c.steps):
            for layer in self.layers:
                x = layer(x, cos, sin, mask)
            x = self.norm(x)  # h_t: the input of the next step as well as of the readouts
            states.append(x)
        # One matmul for all steps' readouts instead of T small ones; the math is the same.
        h = torch.stack(states)
        return self.lm_head(h), self.early_exit_gate(h).squeeze(-1)


# ---------------------------------------------------------------------------------------------
# Objective and step


def exit_distribution(gate_logits):
    """p(t) = λ_t Π_{j<t}(1−λ_j) for t < T−1 and p(T−1) = Π_{j<T−1}(1−λ_j); steps on dim 0."""
    lam = torch.sigmoid(gate_logits)
    survival = torch.cumprod(1 - lam, dim=0)  # S_t = Π_{j≤t}(1−λ_j)
    before = torch.cat([torch.ones_like(survival[:1]), survival[:-1]])  # S_{t−1}, S_{−1} = 1
    return torch.cat([lam[:-1] * before[:-1], before[-1:]])


def stage_one_loss(logits, gate_logits, tokens):
    """Σ_t p(t)·CE_t − β·H(p), averaged over the next-token positions 0..L−2."""
    steps, batch, n, vocab = logits.shape
    targets = tokens[:, 1:].reshape(1, -1).expand(steps, -1)
    ce = F.cross_entropy(logits[:, :, :-1].reshape(-1, vocab), targets.reshape(-1), reduction="none")
    ce = ce.view(steps, -1)
    p = exit_distribution(gate_logits[:, :, :-1].reshape(steps, -1))
    # LoopLens clamps p away from 0 inside the log; a sigmoid gate never reaches 0 in practice.
    neg_entropy = (p * torch.log(p.clamp_min(1e-30))).sum(0)
    return ((p * ce).sum(0) + BETA * neg_entropy).mean()


def make_optimizer(model):
    # LoopLens decays matrices only (embedding, projections, heads, the [1, H] gate weight).
    decay = [p for p in model.parameters() if p.dim() == 2]
    no_decay = [p for p in model.parameters() if p.dim() != 2]
    return torch.optim.AdamW([{"params": decay, "weight_decay": WEIGHT_DECAY},
                              {"params": no_decay, "weight_decay": 0.0}], lr=LR, betas=BETAS)


def train_step(model, optimizer, tokens):
    optimizer.zero_grad(set_to_none=True)
    logits, gates = model(tokens)
    loss = stage_one_loss(logits, gates, tokens)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP)
    optimizer.step()
    return loss.item()


def random_batch(c: Config, seed):
    generator = torch.Generator().manual_seed(seed)
    return torch.randint(0, c.vocab, (c.batch, c.seq), generator=generator)


# ---------------------------------------------------------------------------------------------
# BLAS and threads


def loaded_libraries(pattern):
    with open("/proc/self/maps") as maps:
        return sorted(set(p for p in re.findall(r"(/\S+\.so[\w.]*)", maps.read()) if re.search(pattern, p)))


def openblas_handle():
    """The OpenBLAS library torch actually loaded (through libblas.so.3 or LD_PRELOAD), or None."""
    for path in loaded_libraries(r"libopenblas"):
        try:
            return ctypes.CDLL(path)  # already mapped: dlopen returns the same instance
        except OSError:
            continue
    return None


def configure_threads(threads):
    torch.set_num_threads(threads)
    # torch does not forward its thread count to OpenBLAS; set it so both use the same cores.
    lib = openblas_handle()
    if lib is not None and hasattr(lib, "openblas_set_num_threads"):
        lib.openblas_set_num_threads(threads)


def describe_blas():
    lib = openblas_handle()
    if lib is not None:
        lib.openblas_get_config.restype = ctypes.c_char_p
        lib.openblas_get_corename.restype = ctypes.c_char_p
        return "%s; core %s; %d threads" % (lib.openblas_get_config().decode(),
                                            lib.openblas_get_corename().decode(),
                                            lib.openblas_get_num_threads())
    info = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    libs = loaded_libraries(r"libblas|mkl|blis|atlas")
    return "BLAS_INFO=%s; %s" % (info.group(1) if info else "?", ", ".join(libs) or "no BLAS library mapped")


def warn_if_reference_blas(blas):
    if "OpenBLAS" not in blas and "mkl" not in blas.lower():
        print("warning: torch is not using OpenBLAS (%s); matmuls run on the slow reference BLAS. "
              "Run through bench/side-by-side.sh or LD_PRELOAD libopenblas.so.0." % blas, file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# Modes


def benchmark(preset, seconds, warmup, min_steps):
    """Per-step tokens/s of timed steps after `warmup` untimed ones."""
    c = PRESETS[preset]
    torch.manual_seed(0)
    model = LoopLM(c)
    optimizer = make_optimizer(model)
    tokens = random_batch(c, seed=1234)
    for _ in range(warmup):
        train_step(model, optimizer, tokens)
    rates = []
    start = time.perf_counter()
    while len(rates) < min_steps or time.perf_counter() - start < seconds:
        t0 = time.perf_counter()
        loss = train_step(model, optimizer, tokens)
        rates.append(c.batch * c.seq / (time.perf_counter() - t0))
        if not math.isfinite(loss):
            raise SystemExit("loss became %r during the benchmark" % loss)
    return rates


def check():
    """Smoke test: a finite loss, a valid exit distribution, and learning on a fixed batch."""
    c = CHECK_CONFIG
    torch.manual_seed(0)
    model = LoopLM(c)
    optimizer = make_optimizer(model)
    tokens = random_batch(c, seed=7)

    with torch.no_grad():
        logits, gates = model(tokens)
        assert logits.shape == (c.steps, c.batch, c.seq, c.vocab), logits.shape
        p = exit_distribution(gates)
        assert torch.allclose(p.sum(0), torch.ones_like(p[0]), atol=1e-6), "p does not sum to 1"
        # Zero gate at init: λ = ½ everywhere, so p = (½, ¼, …, ½^(T−1), ½^(T−1)).
        expected = [0.5 ** (t + 1) for t in range(c.steps - 1)] + [0.5 ** (c.steps - 1)]
        assert torch.allclose(p[:, 0, 0], torch.tensor(expected)), p[:, 0, 0]

    losses = [train_step(model, optimizer, tokens) for _ in range(20)]
    assert all(math.isfinite(x) for x in losses), losses
    assert losses[-1] < losses[0] - 0.05, "loss did not decrease: %s" % losses
    print("check passed: loss %.4f -> %.4f over %d steps" % (losses[0], losses[-1], len(losses)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), default="S")
    parser.add_argument("--seconds", type=float, default=20.0, help="timed seconds (default 20)")
    parser.add_argument("--threads", type=int, default=2, help="torch and OpenBLAS threads (default 2)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed steps first (default 2)")
    parser.add_argument("--min-steps", type=int, default=3, help="timed steps at least (default 3)")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    parser.add_argument("--check", action="store_true", help="run the smoke test and exit")
    args = parser.parse_args()

    configure_threads(args.threads)
    if args.check:
        check()
        return

    blas = describe_blas()
    warn_if_reference_blas(blas)
    rates = benchmark(args.preset, args.seconds, args.warmup, args.min_steps)
    summary = {"median": round(statistics.median(rates), 1), "min": round(min(rates), 1),
               "max": round(max(rates), 1)}
    print("pytorch train preset %s: %d timed steps, tokens/s median %.1f, min %.1f, max %.1f "
          "(threads %d, torch %s, %s)" % (args.preset, len(rates), summary["median"], summary["min"],
                                           summary["max"], args.threads, torch.__version__, blas))
    if args.json:
        print(json.dumps({"bench": "train", "impl": "pytorch", "preset": args.preset,
                          "tokens_per_s": summary, "threads": args.threads,
                          "torch": torch.__version__, "blas": blas}))


if __name__ == "__main__":
    main()
