"""Forward-mode speed: srcad.jvp vs a hand-written JVP (and autograd/JAX when importable).

    python benchmarks/bench_jvp.py

Prints a markdown table (ms per call; ratios to one evaluation of the objective) and writes
benchmarks/results/jvp.json. BLAS runs on one thread. Each JVP is checked against the hand-written
one before it is timed. All differentiable arguments get a random tangent.
"""

from __future__ import annotations

import harness  # noqa: I001  (first: pins BLAS threads before numpy is imported)
import problems
import srcad


def main() -> None:
    peers = harness.peers()
    columns = ["srcad", "hand", *peers]
    rows = []
    for p in problems.problems():
        args = p.args
        tans = p.tangents()
        full = [None] * len(args)
        for k, t in zip(p.wrt, tans):
            full[k] = t
        want = p.hand_jvp(*args, *tans)

        def run(p=p, full=full):
            return srcad.jvp(p.f, args, full)[1]

        transform = harness.first_call(run)
        harness.assert_close(run(), want, f"srcad JVP of {p.name}")
        row = {
            "problem": p.name,
            "objective": harness.best_time(lambda p=p: p.f(*args)),
            "srcad": harness.best_time(run),
            "srcad_first_call": transform,
            "hand": harness.best_time(lambda p=p, tans=tans: p.hand_jvp(*args, *tans)),
        }
        for name, (lib, np_mod, math_mod) in peers.items():
            f = harness.rebind(p.f, np_mod, math_mod)
            if name == "autograd":

                def pj(f=f, p=p, tans=tans):
                    return lib.make_jvp(f, argnum=p.wrt)(*args)(tuple(tans))[1]

            else:
                rest = [a for k, a in enumerate(args) if k not in p.wrt]

                def g(*xs, f=f, p=p, rest=rest):
                    it, jt = iter(xs), iter(rest)
                    return f(*[next(it) if k in p.wrt else next(jt) for k in range(len(args))])

                jf = lib.jit(lambda xs, ts, g=g: lib.jvp(g, xs, ts)[1])
                wrt_args = tuple(args[k] for k in p.wrt)

                def pj(jf=jf, wrt_args=wrt_args, tans=tans):
                    return jf(wrt_args, tuple(tans))

            harness.assert_close(pj(), want, f"{name} JVP of {p.name}")
            row[name] = harness.best_time(pj)
        rows.append(row)
        print(f"# {p.name}: srcad first call (transform + run) {transform * 1e3:.1f} ms")
    print()
    harness.report("jvp", rows, columns)


if __name__ == "__main__":
    main()
