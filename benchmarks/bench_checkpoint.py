"""Checkpointing: memory and time of gradients with and without recomputation (issue 10).

    python benchmarks/bench_checkpoint.py

Input: the problems below. Output: a markdown table (tracemalloc peak of one gradient call, its
time, the ratios checkpointed / plain) and benchmarks/results/checkpoint.json. Targets: peak at
least 5x lower, time at most 2x.

- `loop_rows`: a 2,000-step recurrence whose body makes 1e4-element temporaries, as a plain
  ``for`` loop and with ``srcad.checkpoint_loop`` (``every=None``: about sqrt(T) steps a segment;
  and ``every=100``).

- `block_rows`: 20-block residual networks with ``srcad.checkpoint`` per block, against the same
  networks unmarked. Checkpointing keeps each block's input and, at the peak, one block's
  recomputed tape and reverse-sweep temporaries, so the ratio is about
  ``blocks * stored per block / (blocks * input + one block's recompute and reverse)``.

  * ``tanh, hidden 4x`` (the first shape: ``h + 0.1 W2 tanh(W1 h)``, 64 x 1000, hidden 256):
    3.3x (84 -> 26 MB), short of the 5x target. Not the checkpointing: at the peak (line-level
    tracemalloc) the tape of the 20 block inputs is 10 MB, as it must be, and the rest is one
    block's reverse sweep, whose generated code keeps every temporary (`1 - a*a`, `g * (...)`,
    products) and residuals kept only for their shape alive until it returns: about 16 MB.
    A hand-written checkpointed gradient peaks at 19 MB in all when it deletes dead values
    (4.4x) and at 15 MB when it also updates its temporaries in place (5.6x). With one hidden
    layer a block stores only ~3.4 MB in the plain tape, so one block's reverse temporaries
    cap the ratio near 4x at 20 blocks.
  * ``deep residual MLP`` (the case checkpointing is for: a large batch, modest width, several
    layers per block: ``h + W3 relu(W2 relu(W1 h))``, 32 x 4000, hidden 128): the plain tape
    holds every layer's activations of every block, the checkpointed one the 20 block inputs
    and one block's recomputation: 5.2x (410 -> 79 MB), time 1.2x. Its reverse sweep wastes
    memory the same way (the tie masks of `np.maximum`'s rule, pre- and post-activation
    residuals), which is why it is not far above 5x.

Each row's function sets go in a function of their own returning rows (`measure`), listed in
`ROWS`. The peak is measured on a second call (the transform is cached by then); times are the
best of interleaved rounds (`harness.best_times`), without tracemalloc running. The gradients of
both versions are checked equal.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from typing import Any

import harness  # first: pins BLAS threads before numpy is imported
import numpy as np

import srcad

T_STEPS, N = 2000, 10_000


def rnn_plain(x, w, T):
    h = x
    for _t in range(T):
        a = np.tanh(h * w)
        h = h + 0.01 * a * a
    return np.sum(h * h)


def rnn_sqrt(x, w, T):
    h = x
    for _t in srcad.checkpoint_loop(range(T)):
        a = np.tanh(h * w)
        h = h + 0.01 * a * a
    return np.sum(h * h)


def rnn_every100(x, w, T):
    h = x
    for _t in srcad.checkpoint_loop(range(T), every=100):
        a = np.tanh(h * w)
        h = h + 0.01 * a * a
    return np.sum(h * h)


D, HIDDEN, BATCH, BLOCKS = 64, 256, 1000, 20


def res_block(h, W1, W2):
    return h + 0.1 * (W2 @ np.tanh(W1 @ h))


ckpt_block = srcad.checkpoint(res_block)


def net_plain(h, W1, W2):
    for _k in range(BLOCKS):
        h = res_block(h, W1, W2)
    return np.sum(h * h)


def net_checkpointed(h, W1, W2):
    for _k in range(BLOCKS):
        h = ckpt_block(h, W1, W2)
    return np.sum(h * h)


DEEP_D, DEEP_HIDDEN, DEEP_BATCH = 32, 128, 4000


def mlp_block(h, W1, W2, W3):
    a = np.maximum(W1 @ h, 0.0)
    b = np.maximum(W2 @ a, 0.0)
    return h + W3 @ b


ckpt_mlp_block = srcad.checkpoint(mlp_block)


def deep_plain(h, W1, W2, W3):
    for _k in range(BLOCKS):
        h = mlp_block(h, W1, W2, W3)
    return np.sum(h * h)


def deep_checkpointed(h, W1, W2, W3):
    for _k in range(BLOCKS):
        h = ckpt_mlp_block(h, W1, W2, W3)
    return np.sum(h * h)


def peak_bytes(fn: Callable[[], Any]) -> tuple[int, Any]:
    """tracemalloc's peak during one call of `fn` (already warmed up), and its result."""
    tracemalloc.start()
    try:
        out = fn()
        return tracemalloc.get_traced_memory()[1], out
    finally:
        tracemalloc.stop()


def measure(problem: str, plain: Callable[[], Any], checkpointed: Callable[[], Any]) -> dict:
    """One row: peak memory and time of the two gradient calls (no arguments), checked equal."""
    plain(), checkpointed()  # transform and cache
    peak_p, g_p = peak_bytes(plain)
    peak_c, g_c = peak_bytes(checkpointed)
    harness.assert_close(g_c, g_p, f"{problem}: checkpointed gradient")
    times = harness.best_times({"plain": plain, "checkpointed": checkpointed}, repeat=5)
    return {
        "problem": problem,
        "plain_peak_mb": peak_p / 1e6,
        "checkpointed_peak_mb": peak_c / 1e6,
        "memory_ratio": peak_p / peak_c,
        "plain_s": times["plain"],
        "checkpointed_s": times["checkpointed"],
        "time_ratio": times["checkpointed"] / times["plain"],
    }


def loop_rows() -> list[dict]:
    """`srcad.checkpoint_loop` on a 2,000-step loop with 1e4-element temporaries."""
    x = np.linspace(-1.0, 1.0, N)
    w = np.cos(np.arange(N, dtype=float))
    plain = srcad.grad(rnn_plain, wrt=(0, 1))
    rows = []
    for name, f in (("every=None (sqrt)", rnn_sqrt), ("every=100", rnn_every100)):
        g = srcad.grad(f, wrt=(0, 1))
        problem = f"checkpoint_loop {name}, T={T_STEPS}, n={N}"
        rows.append(measure(problem, lambda: plain(x, w, T_STEPS), lambda g=g: g(x, w, T_STEPS)))
    return rows


def block_rows() -> list[dict]:
    """`srcad.checkpoint` per block of two 20-block networks (see the module docstring)."""
    rng = np.random.default_rng(0)
    h = rng.normal(size=(D, BATCH))
    W1 = rng.normal(size=(HIDDEN, D)) / np.sqrt(D)
    W2 = rng.normal(size=(D, HIDDEN)) / np.sqrt(HIDDEN)
    plain = srcad.grad(net_plain, wrt=(1, 2))
    ckpt = srcad.grad(net_checkpointed, wrt=(1, 2))
    problem = f"checkpoint per block, {BLOCKS} tanh blocks, {D}x{BATCH}, hidden {HIDDEN}"
    rows = [measure(problem, lambda: plain(h, W1, W2), lambda: ckpt(h, W1, W2))]
    x = rng.normal(size=(DEEP_D, DEEP_BATCH))
    V1 = rng.normal(size=(DEEP_HIDDEN, DEEP_D)) * np.sqrt(2.0 / DEEP_D)
    V2 = rng.normal(size=(DEEP_HIDDEN, DEEP_HIDDEN)) * np.sqrt(2.0 / DEEP_HIDDEN)
    V3 = rng.normal(size=(DEEP_D, DEEP_HIDDEN)) * (0.1 / np.sqrt(DEEP_HIDDEN))
    wrt = (1, 2, 3)
    dplain, dckpt = srcad.grad(deep_plain, wrt=wrt), srcad.grad(deep_checkpointed, wrt=wrt)
    problem = (
        f"checkpoint per block, {BLOCKS} blocks of 2 relu layers, "
        f"{DEEP_D}x{DEEP_BATCH}, hidden {DEEP_HIDDEN}"
    )
    rows.append(measure(problem, lambda: dplain(x, V1, V2, V3), lambda: dckpt(x, V1, V2, V3)))
    return rows


ROWS: list[Callable[[], list[dict]]] = [loop_rows, block_rows]


def main() -> None:
    rows = [r for make in ROWS for r in make()]
    head = ["problem", "plain peak MB", "checkpointed peak MB", "memory plain/ckpt"]
    head += ["plain ms", "checkpointed ms", "time ckpt/plain"]
    print("\nGradient with and without checkpointing (tracemalloc peak of one call; time)\n")
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for r in rows:
        cells = [r["problem"], f"{r['plain_peak_mb']:.1f}", f"{r['checkpointed_peak_mb']:.1f}"]
        cells += [f"{r['memory_ratio']:.1f}x", harness.fmt_ms(r["plain_s"])]
        cells += [harness.fmt_ms(r["checkpointed_s"]), f"{r['time_ratio']:.2f}x"]
        print("| " + " | ".join(cells) + " |")
    harness.write_json("checkpoint", rows)


if __name__ == "__main__":
    main()
