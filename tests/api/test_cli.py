"""The `srcad dump` command line, run as a user would (`python -m srcad ...` in a subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import srcad
from srcad.cli import load_function

ROOT = Path(__file__).resolve().parent.parent.parent
QUICKSTART = "examples/quickstart.py:loss"
HAS_REVERSE = hasattr(srcad, "grad")


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return subprocess.run(
        [sys.executable, "-m", "srcad", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


@pytest.fixture
def module(tmp_path: Path) -> Path:
    path = tmp_path / "my-funcs.py"
    path.write_text(
        textwrap.dedent(
            """
            import math

            import numpy as np

            def f(x, y):
                return math.sin(x) * y

            def fk(x, k=1.0):
                return math.sin(x) * k

            def refused(x):
                try:
                    return fk(x)  # a user function with a default: not checked step by step
                except ValueError:
                    return 0.0

            class K:
                @staticmethod
                def g(x):
                    return np.tanh(x)
            """
        )
    )
    return path


def test_ir_stage() -> None:
    r = run("dump", QUICKSTART, "--stage", "ir")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("def loss(w):")
    assert "numpy.tanh" in r.stdout and "matmul" in r.stdout
    assert r.stderr == ""


def test_jvp_source_is_python() -> None:
    r = run("dump", QUICKSTART, "--mode", "jvp")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("def jvp_loss(w, dw):")
    compile(r.stdout, "<jvp>", "exec")


def test_primal_source(module: Path) -> None:
    r = run("dump", f"{module}:f", "--mode", "primal")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("def f(x, y):")


@pytest.mark.parametrize("wrt", ["y", "1", "x,y", "0,y"])
def test_wrt_names_and_positions(module: Path, wrt: str) -> None:
    r = run("dump", f"{module}:f", "--mode", "jvp", "--wrt", wrt)
    assert r.returncode == 0, r.stderr
    header = r.stdout.splitlines()[0]
    expected = {"y": "(x, y, dy)", "1": "(x, y, dy)", "x,y": "(x, y, dx, dy)"}
    assert header.endswith(expected.get(wrt, "(x, y, dx, dy)") + ":"), header


def test_method_path(module: Path) -> None:
    r = run("dump", f"{module}:K.g", "--stage", "ir")
    assert r.returncode == 0, r.stderr
    assert "numpy.tanh" in r.stdout


@pytest.mark.skipif(not HAS_REVERSE, reason="reverse mode has not landed")
def test_default_is_grad() -> None:
    r = run("dump", QUICKSTART)
    assert r.returncode == 0, r.stderr
    assert "def " in r.stdout and "loss" in r.stdout.splitlines()[0]
    compile(r.stdout, "<grad>", "exec")


def _one_line_error(r: subprocess.CompletedProcess) -> str:
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert r.stdout == ""
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    return lines[0]


def test_missing_file() -> None:
    assert "no such file" in _one_line_error(run("dump", "no/such/file.py:f"))


def test_missing_function(module: Path) -> None:
    assert "no function `nope`" in _one_line_error(run("dump", f"{module}:nope"))


def test_bad_target() -> None:
    assert "FILE.py:FUNC" in _one_line_error(run("dump", "examples/quickstart.py"))


def test_import_failure(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("raise RuntimeError('boom')\n")
    assert "boom" in _one_line_error(run("dump", f"{bad}:f"))


def test_unknown_wrt(module: Path) -> None:
    r = run("dump", f"{module}:f", "--mode", "jvp", "--wrt", "z")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "no parameter `z`" in r.stderr


def test_refused_construct_is_a_diagnostic(module: Path) -> None:
    r = run("dump", f"{module}:refused", "--stage", "ir")
    assert r.returncode == 2 and r.stdout == "" and "Traceback" not in r.stderr
    first = r.stderr.splitlines()[0]
    assert "my-funcs.py:" in first and "error:" in first and "try" in first, r.stderr


def test_usage_error_without_command() -> None:
    r = run()
    assert r.returncode == 2 and "usage:" in r.stderr and "Traceback" not in r.stderr


FILL = """
import math

import numpy as np

SCALE = 2.0

def fill(x, a):
    out = np.zeros(len(x))
    for i in range(len(x)):
        out[i] = math.sin(x[i]) * x[i] * a
    return np.sum(out)
"""


def test_example_args_give_the_specialized_source(tmp_path: Path) -> None:
    """``--args`` is ``srcad.source(f, args=...)``: the code the calls with such arguments run
    (the fill loop's reverse step one line, no per-element helpers), not the generic version."""
    path = tmp_path / "fill.py"
    path.write_text(FILL)
    target = f"{path}:fill"
    generic = run("dump", target, "--wrt", "x,a")
    given = run("dump", target, "--wrt", "x,a", "--args", "np.ones(4), SCALE * math.pi")
    assert generic.returncode == 0 and given.returncode == 0, (generic.stderr, given.stderr)
    assert "_srcad.add_at" in generic.stdout and "_srcad.unbroadcast" in generic.stdout
    assert "_srcad.add_at" not in given.stdout and "_srcad.unbroadcast" not in given.stdout
    fill = load_function(target)  # (the file imported in this process, as the CLI does)
    expected = srcad.source(fill, wrt=("x", "a"), args=(np.ones(4), 2.0 * np.pi))
    assert given.stdout.rstrip("\n") == expected.rstrip("\n")
    primal = run("dump", target, "--mode", "primal", "--args", "np.ones(4), 1.0")
    assert primal.returncode == 0 and primal.stdout.startswith("def fill(x, a):"), primal.stderr


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--args", "np.ones(4"], "bad --args 'np.ones(4'"),
        (["--args", "np.ones(4), 1.0, 2.0"], "do not fit `fill`"),
        (["--args", "np.ones(4), 1.0", "--stage", "ir"], "use --args without it"),
    ],
)
def test_bad_example_args(tmp_path: Path, extra: list[str], message: str) -> None:
    path = tmp_path / "fill.py"
    path.write_text(FILL)
    assert message in _one_line_error(run("dump", f"{path}:fill", *extra))
