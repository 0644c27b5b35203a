"""The first ``srcad.grad(f)(x)`` of a new process: what a script doing one derivative waits for.

    python benchmarks/bench_first_call.py [--rounds 20]
    python benchmarks/bench_first_call.py --against /path/to/other/checkout [--rounds 20]

A small function (`F`: sin, products, a power and two sums of a 5-vector), the disk cache off:
fresh Python processes import NumPy, then time ``import srcad`` and the first call (the
transform: the modules it imports, the rule records it reads, lowering, differentiation,
emission, compilation), wall and CPU. Two rows: srcad's bytecode cached (``__pycache__``
written by a first process), and compiled from source in every process (no ``__pycache__``,
``PYTHONDONTWRITEBYTECODE=1``, as this machine's environment and .ci/run set). Each checkout is
copied to a temporary directory first (its own ``__pycache__``, the checkout untouched).
Medians and best of `--rounds` processes per row, interleaved when `--against` names another
checkout. Prints a table, writes benchmarks/results/first_call.json; never asserts. Steady-state
transform time is bench_core.py's; a second process's first call from the disk cache,
bench_disk_cache.py's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import harness  # before numpy: pins BLAS threads

F = textwrap.dedent(
    """
    def f(x):
        return np.sum(np.sin(x) * x) + 0.5 * np.sum(x ** 2)
    """
)
CHILD = textwrap.dedent(
    """
    import time
    import numpy as np
    c0, t0 = time.process_time(), time.perf_counter()
    import srcad
    c1, t1 = time.process_time(), time.perf_counter()
    from first_module import f
    g = srcad.grad(f)(np.linspace(0.1, 1.0, 5))
    c2, t2 = time.process_time(), time.perf_counter()
    print(t1 - t0, t2 - t1, c1 - c0, c2 - c1)
    """
)
ROOT = str(Path(__file__).resolve().parent.parent)
ROWS = ("bytecode cached", "compiled from source")


def child(tree: Path, cached: bool) -> tuple[float, ...]:
    """One fresh process: (import srcad, first call, their CPU times) in seconds."""
    env = {**os.environ, "PYTHONPATH": str(tree), "SRCAD_NO_DISK_CACHE": "1"}
    if cached:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    out = subprocess.run(  # cwd: `python -c` puts it first on sys.path, before PYTHONPATH
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, cwd=tree
    )
    if out.returncode:
        raise RuntimeError(out.stderr)
    return tuple(map(float, out.stdout.split()))


def copies(tmp: Path, trees: dict[str, str]) -> dict[tuple[str, str], Path]:
    """A copy of each checkout's `srcad` per row, with the test module; the cached one warmed."""
    out = {}
    for name, tree in trees.items():
        for row in ROWS:
            dest = tmp / f"{name}-{row.split()[0]}"
            shutil.copytree(
                Path(tree) / "srcad", dest / "srcad", ignore=shutil.ignore_patterns("__pycache__")
            )
            (dest / "first_module.py").write_text("import numpy as np\n" + F)
            if row == ROWS[0]:
                child(dest, True)  # writes the bytecode
            out[name, row] = dest
    return out


def measure(trees: dict[str, str], rounds: int) -> dict[str, dict[str, list]]:
    rows: dict[str, dict[str, list]] = {name: {row: [] for row in ROWS} for name in trees}
    with tempfile.TemporaryDirectory() as d:
        dirs = copies(Path(d), trees)
        for i in range(rounds):
            order = list(trees) if i % 2 else list(reversed(trees))
            for name in order:
                for row in ROWS:
                    rows[name][row].append(child(dirs[name, row], row == ROWS[0]))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", help="another checkout of srcad: interleaved A/B")
    ap.add_argument("--rounds", type=int, default=20, help="processes per row and checkout")
    opts = ap.parse_args()
    trees = {"this": ROOT, **({"other": opts.against} if opts.against else {})}
    rows = measure(trees, opts.rounds)
    med = statistics.median
    print(f"first grad(f)(x) of a small function in a new process, {opts.rounds} processes (ms)\n")
    print(
        "| srcad | bytecode | import median | first call median | first call best "
        "| first call CPU median | import + first call CPU median |"
    )
    print("|---|---|---|---|---|---|---|")
    result = []
    for name, tree in trees.items():
        for row in ROWS:
            imp, first, imp_cpu, cpu = zip(*rows[name][row])
            both = [a + b for a, b in zip(imp_cpu, cpu)]
            print(
                f"| {name} ({tree}) | {row} | {med(imp) * 1e3:.0f} | {med(first) * 1e3:.0f} | "
                f"{min(first) * 1e3:.0f} | {med(cpu) * 1e3:.0f} | {med(both) * 1e3:.0f} |"
            )
            result.append({
                "srcad": name, "bytecode": row, "import_median": med(imp),
                "first_median": med(first), "first_best": min(first),
                "first_cpu_median": med(cpu), "import_cpu_median": med(imp_cpu),
            })  # fmt: skip
    harness.write_json("first_call", result)


if __name__ == "__main__":
    main()
