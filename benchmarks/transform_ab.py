"""Transform speed against an older revision, measured in the same minutes: REV -> ratio.

    python benchmarks/transform_ab.py e357324          # the tree before issue 11's work
    python benchmarks/transform_ab.py e357324 --pairs 6 --rounds 15 --mode grad

The 100-line function of `bench_core.py` is transformed (`srcad.source(f, mode=...)`, fresh
function objects so the caches miss) by this checkout and by REV, checked out into a temporary
git worktree. Each measurement runs in its own subprocess, and the two trees alternate, so a
shared machine's drifting speed (30% within the hour on the 2-core VMs we use) moves both sides
alike. Prints the best time of each side per pair and the ratio of the bests: a wall-clock claim
such as "3x faster than before" is judged on that ratio, not on an absolute time measured at
another hour. Needs REV's `benchmarks/bench_core.py` to have `fresh(round_)`.

`--clock cpu` times each transform by the process's CPU time (`time.process_time`) instead of
the wall clock: when the machine has more runnable processes than cores (a load of 20 on 2
cores), a process waits for a core at random points and the wall-clock bests of the two sides
are luck (1.1x to 2.6x measured for the same two trees within an hour); CPU time does not count
the waiting.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# run inside a tree's benchmarks directory: that tree's harness puts the tree first on sys.path
PROBE = """
import sys, time
import harness  # noqa: F401  (pins BLAS threads, puts this tree's srcad first)
import srcad, bench_core
mode, rounds = sys.argv[1], int(sys.argv[2])
clock = time.process_time if sys.argv[3] == "cpu" else time.perf_counter
srcad.source(bench_core.fresh(-1), mode=mode)  # imports and rule tables
best = float("inf")
for i in range(rounds):
    f = bench_core.fresh(i)  # defining the function (compiling its source) is not the transform
    t0 = clock()
    srcad.source(f, mode=mode)
    best = min(best, clock() - t0)
print(best)
"""


def measure(tree: Path, mode: str, rounds: int, clock: str = "wall") -> float:
    """Best seconds of `rounds` transforms by the srcad of `tree`, in a fresh process, by the
    wall clock or the process's CPU time (`clock`: "wall" or "cpu")."""
    env = dict(os.environ, SRCAD_NO_DISK_CACHE="1", PYTHONHASHSEED="0")
    env["PYTHONPATH"] = str(tree)
    out = subprocess.run(
        [sys.executable, "-c", PROBE, mode, str(rounds), clock],
        cwd=tree / "benchmarks",
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the git revision to compare with")
    parser.add_argument("--pairs", type=int, default=4, help="alternations of the two trees")
    parser.add_argument("--rounds", type=int, default=15, help="transforms per measurement")
    parser.add_argument("--mode", default="grad", choices=("primal", "jvp", "grad"))
    parser.add_argument(
        "--clock", default="wall", choices=("wall", "cpu"), help="cpu: process CPU time"
    )
    ns = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="srcad-ab-") as tmp:
        old = Path(tmp) / "old"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old), ns.rev],
            check=True,
            capture_output=True,
        )
        try:
            rows = []
            for _ in range(ns.pairs):
                then = measure(old, ns.mode, ns.rounds, ns.clock)
                now = measure(ROOT, ns.mode, ns.rounds, ns.clock)
                rows.append((then, now))
                print(
                    f"{ns.rev}: {then * 1e3:6.1f} ms   this tree: {now * 1e3:6.1f} ms", flush=True
                )
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)],
                check=False,
                capture_output=True,
            )
    then, now = min(r[0] for r in rows), min(r[1] for r in rows)
    print(
        f"best: {ns.rev} {then * 1e3:.1f} ms, this tree {now * 1e3:.1f} ms: {then / now:.2f}x faster"
    )


if __name__ == "__main__":
    main()
