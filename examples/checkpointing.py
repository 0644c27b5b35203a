"""Checkpointing a long loop: the gradient of a 2,000-step simulation, with and without
`srcad.checkpoint_loop`.

Input: a 1-D reaction-diffusion equation (Allen-Cahn, periodic, 1,000 cells) stepped 2,000 times
by explicit Euler from an initial state `u0` with a diffusion coefficient per cell `kappa`.
Output: the loss (mean squared distance of the final state to a target), and for its gradient
with respect to `u0` and `kappa`, the tracemalloc peak and the time of one call both ways, and
the largest difference between the two gradients (0: the same operations run in the same order).

Reverse mode keeps what the backward pass needs from every step (here the state and the
temporaries of the step: about 90 kB a step). With ``srcad.checkpoint_loop(range(T))`` it keeps
only the state at the start of each of about sqrt(T) segments and recomputes a segment's steps
(with their tape) just before running its backward pass. Run it with
``python examples/checkpointing.py``; see the generated code with
``srcad dump examples/checkpointing.py:loss_checkpointed --mode grad``.
"""

from __future__ import annotations

import time
import tracemalloc

import numpy as np

import srcad

N, T, DT = 1000, 2000, 0.05
TARGET = np.tanh(np.sin(np.linspace(0.0, 2.0 * np.pi, N, endpoint=False)) * 4.0)


def loss_plain(u0, kappa):
    u = u0
    for _t in range(T):
        lap = np.roll(u, 1) - 2.0 * u + np.roll(u, -1)
        u = u + DT * (kappa * lap + u - u**3)
    return np.mean((u - TARGET) ** 2)


def loss_checkpointed(u0, kappa):
    u = u0
    for _t in srcad.checkpoint_loop(range(T)):  # about sqrt(T) = 44 steps a segment
        lap = np.roll(u, 1) - 2.0 * u + np.roll(u, -1)
        u = u + DT * (kappa * lap + u - u**3)
    return np.mean((u - TARGET) ** 2)


def measure(f, *args):
    """(result, tracemalloc peak in bytes, seconds) of one call of `f` (timed without
    tracemalloc, which slows allocations down)."""
    f(*args)  # the first call transforms and caches
    t0 = time.perf_counter()
    f(*args)
    seconds = time.perf_counter() - t0
    tracemalloc.start()
    out = f(*args)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return out, peak, seconds


def main() -> None:
    rng = np.random.default_rng(0)
    u0 = 0.1 * rng.standard_normal(N)
    kappa = np.full(N, 0.5)
    print(f"loss = {loss_checkpointed(u0, kappa):.6f}  ({T} steps, {N} cells)")
    results = {}
    for name, f in (("plain", loss_plain), ("checkpoint_loop", loss_checkpointed)):
        grads, peak, seconds = measure(srcad.grad(f, wrt=(0, 1)), u0, kappa)
        results[name] = grads
        print(f"{name:>16}: peak {peak / 1e6:7.1f} MB, {seconds * 1e3:6.0f} ms per gradient")
    diff = max(np.max(np.abs(a - b)) for a, b in zip(*results.values()))
    print(f"largest difference between the two gradients: {diff:.1e}")
    assert diff <= 1e-12 * max(np.max(np.abs(g)) for g in results["plain"])


if __name__ == "__main__":
    main()
