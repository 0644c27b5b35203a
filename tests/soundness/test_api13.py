"""Session 13, library calls and loose ends (helper api13).

- Run-time checks srcad adds to generated code (a view's base that must be an array, a list of
  layers unrolled over, ``zip(strict=True)``, ``statistics.variance`` of one point) raised a bare
  `AssertionError`; now a `srcad.SrcadError` pointing at the user's line for srcad's own
  refusals, and Python's own error (ValueError, StatisticsError) where the check stands for
  Python's (`srcad.rules.checks.require`, a call that ``python -O`` does not skip).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import srcad

# -- run-time checks: srcad's refusals are SrcadErrors, Python's errors Python's ------------------


def alias_of_a_number(m):
    u = np.exp(np.zeros(()))  # np.float64, no array: `t += v` rebinds `t` only
    t = u
    t += m[0, 0]
    return u * m[0, 1] + t


def test_view_base_check_is_a_srcad_error_at_the_users_line() -> None:
    with pytest.raises(srcad.SrcadError) as info:
        srcad.primal(alias_of_a_number)(np.ones((2, 2)))
    e = info.value
    assert e.filename == __file__ and e.line == alias_of_a_number.__code__.co_firstlineno + 2
    assert "`u` is not a NumPy array" in str(e) and not isinstance(e, AssertionError)
    with pytest.raises(srcad.SrcadError, match="is not a NumPy array"):
        srcad.grad(alias_of_a_number)(np.ones((2, 2)))


def test_view_base_check_runs_under_python_O(tmp_path) -> None:
    # the check is a call, not an `assert` statement: `python -O` keeps it
    code = textwrap.dedent(
        """
        import numpy as np, srcad
        def f(m):
            u = np.exp(np.zeros(()))
            t = u
            t += m[0, 0]
            return u * m[0, 1] + t
        try:
            srcad.primal(f)(np.ones((2, 2)))
        except srcad.SrcadError as e:
            print("refused", e.line)
        """
    )
    path = tmp_path / "opt_check.py"
    path.write_text(code)
    out = subprocess.run(
        [sys.executable, "-O", str(path)], capture_output=True, text=True, timeout=300
    )
    assert out.stdout.strip() == "refused 5", out.stdout + out.stderr


def zip_strict(a, b):
    return sum(x * y for x, y in zip(a, b, strict=True))


def moments(a):
    return statistics.variance(a) + statistics.fmean(a)


@pytest.mark.parametrize("mode", [srcad.primal, srcad.grad], ids=["primal", "grad"])
def test_python_errors_of_checked_constructs_are_pythons(mode) -> None:
    with pytest.raises(ValueError, match="zip\\(\\) argument 2") as info:
        mode(zip_strict)([1.0, 2.0], [3.0])
    assert not isinstance(info.value, (AssertionError, srcad.SrcadError))
    with pytest.raises(statistics.StatisticsError) as info:
        mode(moments)([1.0])
    try:
        moments([1.0])
    except statistics.StatisticsError as e:
        assert str(info.value) == str(e)  # "variance requires at least two data points"
    assert mode(moments)([1.0, 2.0, 4.0]) == pytest.approx(
        moments([1.0, 2.0, 4.0]) if mode is srcad.primal else [-1.0, 0.0, 2.0]
    )
