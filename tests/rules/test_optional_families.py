"""The scipy rule families load on demand: `import srcad` does not import scipy, and a program
that imports scipy.special / scipy.stats / scipy.linalg gets their rules and runtime helpers,
also in a generated function loaded before any transform (srcad.rules.OPTIONAL)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import srcad

pytest.importorskip("scipy")

PROGRAM = textwrap.dedent(
    """
    import sys
    import numpy as np
    import srcad
    import srcad.runtime as rt

    assert "scipy" not in sys.modules, "import srcad imported scipy"
    assert not hasattr(rt, "no_such_helper")
    assert "scipy" not in sys.modules, "a missing runtime name imported scipy"

    def plain(x):
        return np.sum(np.tanh(x) ** 2)

    srcad.grad(plain)(np.array([0.5, 1.5]))
    srcad.hessian(plain)(np.array([0.5, 1.5]))
    assert "scipy" not in sys.modules, "a transform without scipy imported scipy (a fact's name?)"

    import scipy.special

    def f(x):
        return np.sum(scipy.special.expit(x) * scipy.special.gammaln(x + 2.0))

    g = srcad.grad(f)(np.array([0.5, 1.5]))
    assert "scipy.stats" not in sys.modules, "scipy.special's rules imported scipy.stats"
    import scipy.stats
    import scipy.linalg

    def h(x):
        return np.sum(scipy.stats.norm.logpdf(x, 0.0, 2.0))

    def k(a):
        return np.sum(scipy.linalg.cho_solve(scipy.linalg.cho_factor(a), np.ones(2)))

    print(repr(g.tolist()))
    print(repr(srcad.grad(h)(np.array([0.5, 1.5])).tolist()))
    print(repr(srcad.grad(k)(np.array([[2.0, 0.5], [0.5, 1.0]])).tolist()))
    """
)


def test_scipy_families_load_when_the_program_imports_scipy(tmp_path) -> None:
    path = tmp_path / "prog.py"
    path.write_text(PROGRAM)
    env = {**os.environ, "PYTHONPATH": str(Path(srcad.__file__).parents[1])}  # this checkout
    out = subprocess.run(
        [sys.executable, str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=env,
    )
    assert out.returncode == 0, out.stderr
    g, h, k = (eval(line) for line in out.stdout.splitlines())
    # d/dx expit(x) * gammaln(x + 2) = s(1 - s) gammaln(x + 2) + s digamma(x + 2), s = expit(x)
    import numpy as np
    import scipy.special as sp

    x = np.array([0.5, 1.5])
    s = sp.expit(x)
    np.testing.assert_allclose(g, s * (1 - s) * sp.gammaln(x + 2) + s * sp.digamma(x + 2))
    np.testing.assert_allclose(h, -x / 4.0)  # d/dx log N(x; 0, 2) = -x / 4
    a = np.array([[2.0, 0.5], [0.5, 1.0]])
    inv = np.linalg.inv(a)
    # d/dA 1' A^-1 1 = -v v', v = A^-1 1; cho_factor reads only A's upper triangle, so srcad's
    # gradient is that matrix folded onto the upper triangle: the same total
    v = inv @ np.ones(2)
    full = -np.outer(v, v)
    np.testing.assert_allclose(np.sum(k), np.sum(full), rtol=1e-12)
