"""A 2-D stencil (issue 11, item 6): one explicit heat-equation step on a 64x64 float array,
written with nested loops (``out[i, j] = ...``) and with slices (``out[1:-1, 1:-1] = ...``).

    python benchmarks/bench_stencil.py [--n N]

Input: ``u`` (N x N, default 64) and the diffusion number ``k``; the objective is
``0.5 * sum(out ** 2)`` of the stepped field, differentiated in ``u`` and ``k``. Output: a
markdown table (the objective, srcad's gradient and a hand-written gradient in the same style,
ms per call and ratios to the objective; JAX and autograd when importable; first calls) and
benchmarks/results/stencil.json. Prints, never asserts.

JAX arrays are immutable and autograd has no ``x[i, j] = v``: each peer is tried on the row's
own source and, when it cannot run it, runs the same step written without assignment
(`heat_functional`: the boundary's part of the sum plus the stepped interior's), JAX under
``jax.jit(jax.grad)``; the row's ``jax_note`` / ``autograd_note`` says so and why. Every
gradient (srcad's, the peers') is checked against the hand-written one before it is timed;
times are the best of interleaved rounds (`harness.best_times`).
"""

from __future__ import annotations

import sys

import harness  # first: pins BLAS threads before numpy is imported
import numpy as np
from problems import heat_loops_grad

import srcad

K = 0.2  # the diffusion number k = dt / dx**2 (stable below 0.25)


def heat_loops(u, k):
    n, m = u.shape
    out = u.copy()
    for i in range(1, n - 1):
        for j in range(1, m - 1):
            lap = u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1] - 4.0 * u[i, j]
            out[i, j] = u[i, j] + k * lap
    return 0.5 * np.sum(out * out)


def heat_slices(u, k):
    out = u.copy()
    c = u[1:-1, 1:-1]
    out[1:-1, 1:-1] = c + k * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:] - 4.0 * c)
    return 0.5 * np.sum(out * out)


def heat_slices_grad(u, k):
    """By hand, slices: the same algebra as heat_loops_grad on whole interior blocks."""
    c = u[1:-1, 1:-1]
    lap = u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:] - 4.0 * c
    o = c + k * lap
    ko = k * o
    bu = u.copy()
    bu[1:-1, 1:-1] = o - 4.0 * ko
    bu[:-2, 1:-1] += ko
    bu[2:, 1:-1] += ko
    bu[1:-1, :-2] += ko
    bu[1:-1, 2:] += ko
    return bu, np.sum(o * lap)


def heat_functional(u, k):
    """The same objective without assignment (for JAX and autograd)."""
    c = u[1:-1, 1:-1]
    o = c + k * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:] - 4.0 * c)
    return 0.5 * (np.sum(u * u) - np.sum(c * c) + np.sum(o * o))


def bench(name: str, f, hand, u: np.ndarray, peers: dict) -> dict:
    g = srcad.grad(f, wrt=(0, 1))
    want = hand(u, K)
    fns = {"objective": lambda: f(u, K), "srcad": lambda: g(u, K), "hand": lambda: hand(u, K)}
    firsts = {"srcad_first_call": harness.checked_first_call(fns["srcad"], want, f"srcad, {name}")}
    for pname, peer in peers.items():
        pg = harness.peer_grad(pname, peer[0], harness.rebind(f, *peer[1:]), (0, 1))
        why = harness.add_peer(fns, firsts, pname, lambda pg=pg: pg(u, K), want, f"{pname}, {name}")
        if why is not None:
            pg = harness.peer_grad(
                pname, peer[0], harness.rebind(heat_functional, *peer[1:]), (0, 1)
            )
            what = f"{pname}, {name}, heat_functional"
            if harness.add_peer(fns, firsts, pname, lambda pg=pg: pg(u, K), want, what) is None:
                firsts[f"{pname}_note"] = f"ran heat_functional (no assignment); this source: {why}"
    print(f"# {name}: srcad first call (transform + run) {firsts['srcad_first_call'] * 1e3:.1f} ms")
    return {"problem": name, **harness.best_times(fns, repeat=5), **firsts}


def main() -> None:
    n = int(sys.argv[sys.argv.index("--n") + 1]) if "--n" in sys.argv else 64
    u = np.random.default_rng(3).standard_normal((n, n))
    peers = harness.peers()
    rows = [
        bench(f"stencil loops `out[i, j] = ...`, {n}x{n}", heat_loops, heat_loops_grad, u, peers),
        bench(f"stencil slices `out[1:-1, 1:-1] = ...`, {n}x{n}", heat_slices, heat_slices_grad,
              u, peers),
    ]  # fmt: skip
    print()
    harness.report("stencil", rows, ["srcad", "hand", *peers])


if __name__ == "__main__":
    main()
