"""Element loops (issue 11, item 2): gradients of loops over array elements and Python floats.

    python benchmarks/bench_loops.py [--quick]

Input: the problems below at n = 1e3, 1e4, 1e5 (``--quick``: 1e3, 1e4). Output: a markdown
table (the objective's time, srcad's gradient and the hand-written gradient, their ratios to the
objective, the tracemalloc peak of one srcad gradient call) and benchmarks/results/loops.json.
Targets (read, not asserted): the fill loop <= 3x the objective; the recurrence's peak <= 10 MB
at n = 1e4, growing ~10x per 10x n; the scalar loop <= 1.15x the hand-written gradient.

- fill: ``out[i] = math.sin(x[i]) * x[i]``, then ``np.sum(out)``;
- recurrence: ``out[i] = out[i - 1] * a + x[i]`` (reads what it updates), in `x` and `a`;
- scalar loop: `problems.scalar_loop` (1000 steps on a Python float).

Peers (when importable): autograd and ``jax.jit(jax.grad)`` are tried on the same source (the
scalar loop under JAX as ``lax.fori_loop``); neither runs ``out[i] = ...`` (JAX arrays are
immutable, autograd has no item assignment), and the row's ``jax_note`` / ``autograd_note``
says so. Each gradient (srcad's, a peer's) is checked against the hand-written one before it is
timed; times are the best of interleaved rounds (`harness.best_times`), without tracemalloc
running.
"""

from __future__ import annotations

import math
import sys
import tracemalloc
from collections.abc import Callable
from typing import Any

import harness  # first: pins BLAS threads before numpy is imported
import numpy as np
import problems

import srcad


def fill(x):
    out = np.zeros(len(x))
    for i in range(len(x)):
        out[i] = math.sin(x[i]) * x[i]
    return np.sum(out)


def fill_grad(x):
    n = len(x)
    out = np.zeros(n)
    for i in range(n):
        out[i] = math.sin(x[i]) * x[i]
    bx = np.zeros(n)
    for i in range(n):
        bx[i] = math.cos(x[i]) * x[i] + math.sin(x[i])
    return np.sum(out), (bx,)


def recurrence(x, a):
    out = np.zeros(len(x))
    out[0] = x[0]
    for i in range(1, len(x)):
        out[i] = out[i - 1] * a + x[i]
    return np.sum(out)


def recurrence_grad(x, a):
    n = len(x)
    out = np.zeros(n)
    out[0] = x[0]
    for i in range(1, n):
        out[i] = out[i - 1] * a + x[i]
    bout = np.ones(n)
    bx = np.zeros(n)
    ba = 0.0
    for i in range(n - 1, 0, -1):
        g = bout[i]
        bx[i] += g
        ba += g * out[i - 1]
        bout[i - 1] += g * a
    bx[0] += bout[0]
    return np.sum(out), (bx, ba)


A = 0.999  # the recurrence's factor


def peak_bytes(fn: Callable[[], Any]) -> int:
    """tracemalloc's peak during one call of `fn` (already warmed up)."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def row(problem: str, obj: Callable, grad: Callable, hand: Callable, peer_fns: dict) -> dict:
    """One problem's times; `peer_fns`: peer name -> a zero-argument call of its gradient."""
    want = hand()[1]
    harness.assert_close(grad()[1], want, f"{problem}: srcad gradient")
    peak = peak_bytes(grad)
    fns = {"obj": obj, "srcad": grad, "hand": hand}
    extra: dict[str, Any] = {}
    for name, fn in peer_fns.items():
        harness.add_peer(fns, extra, name, fn, want, f"{problem}: {name} gradient")
    t = harness.best_times(fns, repeat=5)
    out = {
        "problem": problem,
        "objective_s": t["obj"],
        "srcad_s": t["srcad"],
        "hand_s": t["hand"],
        "srcad_ratio": t["srcad"] / t["obj"],
        "hand_ratio": t["hand"] / t["obj"],
        "srcad_hand": t["srcad"] / t["hand"],
        "peak_mb": peak / 1e6,
    }
    for name in peer_fns:
        if name in t:
            out[f"{name}_s"], out[f"{name}_ratio"] = t[name], t[name] / t["obj"]
    return {**out, **extra}


def peer_grads(peers: dict, f: Callable, wrt: tuple[int, ...], jax_f=None) -> dict:
    """Peer name -> its gradient of `f` (the same source, `np`/`math` rebound)."""
    return {
        name: harness.peer_grad(name, peer[0], harness.peer_function(name, peer, f, jax_f), wrt)
        for name, peer in peers.items()
    }


def rows(sizes: list[int], peers: dict) -> list[dict]:
    out = []
    g_fill = srcad.value_and_grad(fill)
    g_rec = srcad.value_and_grad(recurrence, wrt=(0, 1))
    p_fill = peer_grads(peers, fill, (0,))
    p_rec = peer_grads(peers, recurrence, (0, 1))
    for n in sizes:
        x = np.linspace(-1.0, 1.0, n)
        pf = {k: (lambda g=g, x=x: g(x)) for k, g in p_fill.items()}
        out.append(row(f"fill, n={n}", lambda x=x: fill(x), lambda x=x: g_fill(x),
                       lambda x=x: fill_grad(x), pf))  # fmt: skip
        pr = {k: (lambda g=g, x=x: g(x, A)) for k, g in p_rec.items()}
        out.append(row(f"recurrence, n={n}", lambda x=x: recurrence(x, A),
                       lambda x=x: g_rec(x, A), lambda x=x: recurrence_grad(x, A), pr))  # fmt: skip
    g_scal = srcad.value_and_grad(problems.scalar_loop)
    p_scal = peer_grads(peers, problems.scalar_loop, (0,), problems.scalar_loop_jax)
    ps = {k: (lambda g=g: g(0.5)) for k, g in p_scal.items()}
    out.append(row("scalar loop, 1000 steps", lambda: problems.scalar_loop(0.5),
                   lambda: g_scal(0.5),
                   lambda: (None, problems.scalar_loop_grad(0.5)), ps))  # fmt: skip
    return out


def main() -> None:
    sizes = [1000, 10_000] if "--quick" in sys.argv else [1000, 10_000, 100_000]
    peers = harness.peers()
    table = rows(sizes, peers)
    head = ["problem", "objective ms", "srcad ms", "srcad/obj", "hand ms", "hand/obj"]
    head += ["srcad/hand", "srcad peak MB"] + [f"{name}/obj" for name in peers]
    print("\nGradients of element loops (time: best of interleaved rounds; peak: tracemalloc)\n")
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for r in table:
        cells = [r["problem"], harness.fmt_ms(r["objective_s"]), harness.fmt_ms(r["srcad_s"])]
        cells += [f"{r['srcad_ratio']:.1f}x", harness.fmt_ms(r["hand_s"])]
        cells += [f"{r['hand_ratio']:.1f}x", f"{r['srcad_hand']:.2f}x", f"{r['peak_mb']:.2f}"]
        cells += [harness.fmt_ratio(r.get(f"{name}_s"), r["objective_s"]) for name in peers]
        print("| " + " | ".join(cells) + " |")
    harness.print_notes(table, list(peers))
    harness.write_json("loops", table)


if __name__ == "__main__":
    main()
