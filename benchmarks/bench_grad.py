"""Gradient speed: srcad.grad vs a hand-written gradient (and autograd/JAX when importable).

    python benchmarks/bench_grad.py

Prints a markdown table (ms per call; ratios to one evaluation of the objective; the first call
of srcad, which transforms, and of ``jax.jit(jax.grad(f))``, which traces and compiles) and
writes benchmarks/results/grad.json. BLAS runs on one thread. Each derivative is checked against
the hand-written one before it is timed; the functions of a row are timed in interleaved
rounds (`harness.best_times`). JAX runs the same NumPy code with ``jax.numpy``, except
the scalar loop, which it runs as ``lax.fori_loop`` (problems.scalar_loop_jax); the LSTM of
bench_lstm.py (T=20 steps) is a Python loop, unrolled under ``jit``.
"""

from __future__ import annotations

import bench_lstm
import harness  # first: pins BLAS threads before numpy is imported
import problems

import srcad


def bench(p: problems.Problem, peers: dict) -> dict:
    args = p.args
    want = p.hand_grad(*args)
    g = srcad.grad(p.f, wrt=p.wrt)
    fns = {
        "objective": lambda: p.f(*args),
        "srcad": lambda: g(*args),
        "hand": lambda: p.hand_grad(*args),
    }
    firsts = {
        "srcad_first_call": harness.checked_first_call(fns["srcad"], want, f"srcad, {p.name}")
    }
    for name, peer in peers.items():
        pg = harness.peer_grad(
            name, peer[0], harness.peer_function(name, peer, p.f, p.jax_f), p.wrt
        )
        harness.add_peer(fns, firsts, name, lambda pg=pg: pg(*args), want, f"{name}, {p.name}")
    print(
        f"# {p.name}: srcad first call (transform + run) {firsts['srcad_first_call'] * 1e3:.1f} ms"
    )
    return {"problem": p.name, **harness.best_times(fns), **firsts}


def main() -> None:
    peers = harness.peers()
    rows = [bench(p, peers) for p in [*problems.problems(), bench_lstm.lstm_problem()]]
    print()
    harness.report("grad", rows, ["srcad", "hand", *peers])


if __name__ == "__main__":
    main()
