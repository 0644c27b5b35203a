"""Forward-mode speed: srcad.jvp vs a hand-written JVP (and autograd/JAX when importable).

    python benchmarks/bench_jvp.py

Prints a markdown table (ms per call; ratios to one evaluation of the objective; first calls) and
writes benchmarks/results/jvp.json. BLAS runs on one thread. Each JVP is checked against the
hand-written one before it is timed (interleaved rounds). All differentiable arguments get a
random tangent. JAX: ``jit(jvp)``, the scalar loop as ``lax.fori_loop``.
"""

from __future__ import annotations

import harness  # first: pins BLAS threads before numpy is imported
import problems

import srcad


def peer_jvp(name: str, lib, f, p: problems.Problem, tans: list):
    """A zero-argument callable computing the JVP with autograd or JAX."""
    args = p.args
    if name == "autograd":
        return lambda: lib.make_jvp(f, argnum=p.wrt)(*args)(tuple(tans))[1]
    rest = [a for k, a in enumerate(args) if k not in p.wrt]

    def g(*xs):
        it, jt = iter(xs), iter(rest)
        return f(*[next(it) if k in p.wrt else next(jt) for k in range(len(args))])

    jf = harness.blocking(lib, lib.jit(lambda xs, ts: lib.jvp(g, xs, ts)[1]))
    wrt_args = tuple(args[k] for k in p.wrt)
    return lambda: jf(wrt_args, tuple(tans))


def bench(p: problems.Problem, peers: dict) -> dict:
    args = p.args
    tans = p.tangents()
    full = [None] * len(args)
    for k, t in zip(p.wrt, tans):
        full[k] = t
    want = p.hand_jvp(*args, *tans)

    def run():
        return srcad.jvp(p.f, args, full)[1]

    fns = {
        "objective": lambda: p.f(*args),
        "srcad": run,
        "hand": lambda: p.hand_jvp(*args, *tans),
    }
    firsts = {"srcad_first_call": harness.checked_first_call(run, want, f"srcad JVP, {p.name}")}
    for name, peer in peers.items():
        fn = peer_jvp(name, peer[0], harness.peer_function(name, peer, p.f, p.jax_f), p, tans)
        harness.add_peer(fns, firsts, name, fn, want, f"{name} JVP, {p.name}")
    print(
        f"# {p.name}: srcad first call (transform + run) {firsts['srcad_first_call'] * 1e3:.1f} ms"
    )
    return {"problem": p.name, **harness.best_times(fns), **firsts}


def main() -> None:
    peers = harness.peers()
    rows = [bench(p, peers) for p in problems.problems()]
    print()
    harness.report("jvp", rows, ["srcad", "hand", *peers])


if __name__ == "__main__":
    main()
