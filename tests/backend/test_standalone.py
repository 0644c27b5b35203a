"""`srcad.source(f, standalone=True)` is a module that runs alone (issue 12 item 4).

Input: functions with a scalar loop, NumPy calls and a literal global, a user helper, a default
argument, and a forward-over-reverse (second-order) transform. Output checked: each module, written
to a temporary directory and imported by a fresh interpreter (a subprocess that cannot see this
file), computes what srcad computes in this process, and central differences agree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import srcad

SCALE = 1.5
OFFSET = (0.25, 2)
TABLE = np.arange(3.0)


def loop(x, n):
    s = 0.0
    for _i in range(n):
        s = s * x + 1.0
    return s


def tanh_sum(w):
    return np.sum(np.tanh(w) * SCALE)


def shift(c):
    return c + OFFSET[0] * OFFSET[1]


def bump(v):
    return np.sin(v) * shift(2.0)


def uses_helper(x):
    return np.sum(bump(x) * x) + shift(x[0])


def with_default(x, scale=2.0, label="p"):
    return np.sum(x**2) * scale


def reads_array(x):
    return np.sum(x * TABLE)


X = [0.3, -1.2, 2.0]


def numerical_grad(f, x, h=1e-6):
    """Central differences of scalar `f` at array `x`."""
    out = np.zeros_like(x)
    for k in range(x.size):
        e = np.zeros_like(x)
        e[k] = h
        out[k] = (f(x + e) - f(x - e)) / (2 * h)
    return out


def run_alone(tmp_path: Path, modules: dict[str, str], script: str) -> object:
    """Write `modules`, run `script` in a fresh interpreter in `tmp_path`; its JSON output."""
    for name, text in modules.items():
        (tmp_path / f"{name}.py").write_text(text)
    root = str(Path(srcad.__file__).resolve().parent.parent)  # srcad installed, nothing else
    env = {**os.environ, "PYTHONPATH": root, "SRCAD_NO_DISK_CACHE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_standalone_modules_run_alone(tmp_path):
    modules = {
        "m_loop": srcad.source(loop, args=(1.3, 4), standalone=True),
        "m_tanh": srcad.source(tanh_sum, standalone=True),
        "m_helper": srcad.source(uses_helper, standalone=True),
        "m_default": srcad.source(with_default, standalone=True),
        "m_jvp": srcad.source(tanh_sum, mode="jvp", standalone=True),
        "m_hvp": srcad.source(tanh_sum, mode="hvp", standalone=True),
    }
    assert "def grad_with_default(x, scale=2.0, label='p'):" in modules["m_default"]
    assert "SCALE = 1.5" in modules["m_tanh"] and "import numpy as np" in modules["m_tanh"]
    assert "def shift(c):" in modules["m_helper"] and "OFFSET = (0.25, 2)" in modules["m_helper"]
    script = """
import json, numpy as np
import m_loop, m_tanh, m_helper, m_default, m_jvp, m_hvp
x = np.array(X_VALUES)
g = lambda r: np.asarray(r[1][0]).tolist()
out = {
    "loop": list(m_loop.grad_loop(1.3, 4)[1]),
    "tanh": g(m_tanh.grad_tanh_sum(x)),
    "helper": g(m_helper.grad_uses_helper(x)),
    "default": g(m_default.grad_with_default(x)),
    "jvp": float(m_jvp.jvp_tanh_sum(x, np.ones(3))[1]),
    "hvp": m_hvp.jvp_grad_tanh_sum(x, np.ones(3))[1][1][0].tolist(),  # ((f, grads), (df, dgrads))
}
print(json.dumps(out))
""".replace("X_VALUES", repr(X))
    got = run_alone(tmp_path, modules, script)
    x = np.array(X)
    assert got["loop"] == [srcad.grad(loop)(1.3, 4)]  # 1 + 2 x + 3 x^2 = 8.67
    assert got["loop"][0] == pytest.approx(8.67, rel=1e-12)
    for key, f in (("tanh", tanh_sum), ("helper", uses_helper), ("default", with_default)):
        want = srcad.grad(f)(x)
        np.testing.assert_allclose(got[key], want, rtol=1e-12, atol=0)
        np.testing.assert_allclose(got[key], numerical_grad(f, x), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(got["tanh"], SCALE / np.cosh(x) ** 2, rtol=1e-12)
    assert got["jvp"] == pytest.approx(float(srcad.jvp(tanh_sum, (x,), (np.ones(3),))[1]))
    grads, hv = srcad.hvp(tanh_sum, (x,), (np.ones(3),))
    np.testing.assert_allclose(got["hvp"], hv, rtol=1e-12)
    hess_diag = -2.0 * SCALE * np.tanh(x) / np.cosh(x) ** 2  # the Hessian is diagonal
    np.testing.assert_allclose(got["hvp"], hess_diag, rtol=1e-12)


def test_standalone_refuses_values_without_literal_form():
    with pytest.raises(srcad.SrcadError, match="`TABLE`.*ndarray"):
        srcad.source(reads_array, standalone=True)

    def bad_default(x, w=np.ones(3)):  # noqa: B008 (the case under test)
        return np.sum(x * w)

    with pytest.raises(srcad.SrcadError, match="default of `w`"):
        srcad.source(bad_default, standalone=True)
    with pytest.raises(srcad.SrcadError, match="cannot be combined"):
        srcad.source(tanh_sum, stage="emit", standalone=True)


def test_cli_standalone(tmp_path, capsys):
    from srcad.cli import main

    src = tmp_path / "user_mod.py"
    src.write_text(
        "import numpy as np\nK = 3.0\n\ndef f(x, c=0.5):\n    return np.sum(x * K) * c\n"
    )
    assert main(["dump", f"{src}:f", "--standalone"]) == 0
    out = capsys.readouterr().out
    assert out.startswith('"""Generated by srcad') and "K = 3.0" in out
    assert "def grad_f(x, c=0.5):" in out
    assert main(["dump", f"{src}:f", "--standalone", "--stage", "ir"]) == 2
