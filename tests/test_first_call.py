"""The first transform of a process imports only what the program needs (benchmarks/
bench_first_call.py): a NumPy function's loads none of the standard-library modules some
lowering handlers are about (`statistics`, which imports `fractions` and `decimal`; `array`;
`sysconfig`; `symtable`), and a program that imports one later still gets its handler
(``statistics.mean`` lowered as a sum). Run in a fresh process each."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[1])
LATE = ("statistics", "fractions", "decimal", "array", "sysconfig", "symtable")


def _run(tmp_path: Path, code: str) -> str:
    (tmp_path / "prog.py").write_text(textwrap.dedent(code))
    out = subprocess.run(
        [sys.executable, str(tmp_path / "prog.py")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": ROOT, "SRCAD_NO_DISK_CACHE": "1", "PATH": ""},
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_a_numpy_function_loads_none_of_them(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        f"""
        import sys
        import numpy as np
        import srcad

        def f(x):
            return np.sum(np.sin(x) * x) + 0.5 * np.sum(x ** 2)

        srcad.grad(f)(np.linspace(0.1, 1.0, 5))
        print(" ".join(m for m in {LATE!r} if m in sys.modules))
        """,
    )
    assert out.split() == []


def test_statistics_imported_after_a_transform_is_lowered(tmp_path: Path) -> None:
    out = _run(
        tmp_path,
        """
        import math
        import numpy as np
        import srcad

        def f(x):
            return np.sum(x * x)

        srcad.grad(f)(np.ones(3))
        import statistics

        def g(a, b):
            return statistics.mean([a, b * b]) + statistics.pstdev([a, b, 2.0])

        print(srcad.grad(g, wrt=(0, 1))(1.0, 3.0))
        mu = (1.0 + 3.0 + 2.0) / 3
        s = math.sqrt(((1 - mu) ** 2 + (3 - mu) ** 2 + (2 - mu) ** 2) / 3)
        print(0.5 + (1.0 - mu) / (3 * s), 3.0 + (3.0 - mu) / (3 * s))
        """,
    )
    got, want = (
        [float(v) for v in line.translate({40: 32, 41: 32, 44: 32}).split()]
        for line in out.splitlines()
    )
    assert all(abs(a - b) < 1e-12 for a, b in zip(got, want))
