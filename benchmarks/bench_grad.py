"""Gradient speed: srcad.grad vs a hand-written gradient (and autograd/JAX when importable).

    python benchmarks/bench_grad.py

Prints a markdown table (ms per call; ratios to one evaluation of the objective) and writes
benchmarks/results/grad.json. BLAS runs on one thread. Each derivative is checked against the
hand-written one before it is timed.
"""

from __future__ import annotations

import harness  # first: pins BLAS threads before numpy is imported
import problems

import srcad


def bench(p: problems.Problem, peers: dict) -> dict:
    args = p.args
    want = p.hand_grad(*args)
    g = srcad.grad(p.f, wrt=p.wrt)
    transform = harness.first_call(lambda: g(*args))
    harness.assert_close(g(*args), want, f"srcad gradient of {p.name}")
    row = {
        "problem": p.name,
        "objective": harness.best_time(lambda: p.f(*args)),
        "srcad": harness.best_time(lambda: g(*args)),
        "srcad_first_call": transform,
        "hand": harness.best_time(lambda: p.hand_grad(*args)),
    }
    for name, (lib, np_mod, math_mod) in peers.items():
        f = harness.rebind(p.f, np_mod, math_mod)
        if name == "autograd":
            pg = lib.grad(f, argnum=p.wrt)
        else:
            pg = lib.jit(lib.grad(f, argnums=p.wrt))
        harness.assert_close(pg(*args), want, f"{name} gradient of {p.name}")
        row[name] = harness.best_time(lambda pg=pg: pg(*args))
    print(f"# {p.name}: srcad first call (transform + run) {transform * 1e3:.1f} ms")
    return row


def main() -> None:
    peers = harness.peers()
    rows = [bench(p, peers) for p in problems.problems()]
    print()
    harness.report("grad", rows, ["srcad", "hand", *peers])


if __name__ == "__main__":
    main()
