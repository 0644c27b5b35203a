"""Fuzz campaign: ``python -m tests.fuzz --n 20000 --seed 0 [--all] [--jobs 2] [--minimize]
[--order 2] [--grammar arrays]``.

Input: how many programs, the first seed, which feature flags to leave out (default: the open
bugs in `runner.KNOWN_OPEN`; `--all` generates everything). Output, on stdout: programs run, wrong
results by property, crashes, refusals by reason with counts and percentages, time, and the first
failing programs (shrunk with `--minimize`).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import sys
import tempfile

from . import runner


def _chunk(args: tuple) -> runner.Report:
    n, seed, exclude, known, size, order, grammar = args
    return runner.run(n, seed, exclude, known, size, order=order, grammar=grammar)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="programs to run")
    ap.add_argument("--seed", type=int, default=0, help="first seed")
    ap.add_argument("--all", action="store_true", help="also generate the KNOWN_OPEN features")
    ap.add_argument(
        "--exclude", default="", help="comma-separated extra feature flags to leave out"
    )
    ap.add_argument("--size", type=int, default=8, help="statements at the top level of f, at most")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes")
    ap.add_argument("--chunk", type=int, default=500, help="programs per worker task")
    ap.add_argument("--show", type=int, default=3, help="failing programs to print")
    ap.add_argument("--minimize", action="store_true", help="shrink the printed failing programs")
    ap.add_argument(
        "--order",
        type=int,
        default=1,
        choices=(1, 2),
        help="2: also check Hessian-vector products (tests/fuzz/oracle2.py)",
    )
    ap.add_argument(
        "--grammar",
        default="control",
        choices=sorted(runner.GRAMMARS),
        help="arrays: the shape/NumPy generator (tests/fuzz/gen_arrays.py)",
    )
    a = ap.parse_args(argv)
    exclude = set() if a.all else set(runner.KNOWN_OPEN)
    exclude |= {f for f in a.exclude.split(",") if f}
    known = set() if a.all else set(runner.KNOWN_OPEN)
    tasks = [
        (
            min(a.chunk, a.n - s),
            a.seed + s,
            frozenset(exclude),
            frozenset(known),
            a.size,
            a.order,
            a.grammar,
        )
        for s in range(0, a.n, a.chunk)
    ]
    total = runner.Report()
    if a.jobs > 1:
        with concurrent.futures.ProcessPoolExecutor(a.jobs) as ex:
            for rep in ex.map(_chunk, tasks):
                total.merge(rep)
                print(f"... {total.n} programs", file=sys.stderr, flush=True)
    else:
        for t in tasks:
            total.merge(_chunk(t))
            print(f"... {total.n} programs", file=sys.stderr, flush=True)
    if a.jobs > 1:
        total.seconds /= a.jobs  # wall time, roughly
    if a.minimize:
        from .minimize import minimize

        with tempfile.TemporaryDirectory() as tmp:
            for fl in total.failures[: a.show]:
                fl.program, fl.outcome = minimize(fl.program, tmp)
    print(total.text(a.show))
    bad = [r for r in (total, total.second) if r is not None]
    return 1 if any(r.status["wrong"] or r.status["crash"] for r in bad) else 0


if __name__ == "__main__":
    sys.exit(main())
