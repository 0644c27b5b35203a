"""Errors raised inside generated code name the user's file and line (issue 12 item 3).

Input: user functions that fail at run time (a singular matrix in `np.linalg.solve`, a
ZeroDivisionError in a reverse sweep) through every entry point. Output checked: the formatted
traceback holds ``test_tracebacks.py", line N`` of the user's line, its text, the generated
line's text; the exception's type and message are the ones NumPy/Python raised.
"""

from __future__ import annotations

import gc
import linecache
import traceback

import numpy as np
import pytest

import srcad
from srcad.backend import locations

SINGULAR = np.zeros((2, 2))
B = np.ones(2)


def line_of(marker: str) -> int:
    """The line of this file holding ``# <marker>`` (so tests do not hard-code numbers)."""
    for k, text in enumerate(open(__file__).read().splitlines(), 1):
        if text.rstrip().endswith(f"# {marker}") and "line_of" not in text:
            return k
    raise AssertionError(marker)


def solve_loss(a, b):
    y = np.linalg.solve(a, b)  # SOLVE
    return np.sum(y * y)


def helper(a, b):
    return np.linalg.solve(a, b)  # HELPER


def calls_helper(a, b):
    z = helper(a, b) * 2.0  # CALL
    return np.sum(z * z)


@srcad.custom_vjp
def fragile(x):
    return x * x


def fragile_fwd(x):
    return x * x, x


def fragile_bwd(x, g):
    return (g / (x - x),)  # raises ZeroDivisionError for a Python float


fragile.defvjp(fragile_fwd, fragile_bwd)


def one_line(a, b): return np.sum(np.linalg.solve(a, b))  # fmt: skip


def scalar_loop(x, n):
    s = 0.0
    for _i in range(n):
        s = s + fragile(x)  # FRAGILE
    return s


def failure(call):
    with pytest.raises(Exception) as info:
        call()
    exc = info.value
    return exc, "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def assert_points_at(text: str, marker: str, generated: str) -> None:
    n = line_of(marker)
    assert f'test_tracebacks.py", line {n}, in ' in text, text
    user = linecache.getline(__file__, n).strip()
    assert user in text
    assert "<srcad " in text and generated in text, text  # the generated line and its text


def test_grad_forward_sweep_names_user_line():
    exc, text = failure(lambda: srcad.grad(solve_loss)(SINGULAR, B))
    assert type(exc) is np.linalg.LinAlgError and str(exc) == "Singular matrix"
    assert_points_at(text, "SOLVE", "= np.linalg.solve(a, b)")
    assert f'test_tracebacks.py", line {line_of("SOLVE")}, in solve_loss' in text
    # the note says the same (3.11+: shown by the traceback; 3.10: kept in __notes__)
    notes = getattr(exc, "__notes__", [])
    assert len(notes) == 1 and "srcad: line " in notes[0] and "in solve_loss" in notes[0]


def test_grad_fast_path_and_value_and_grad():
    g = srcad.grad(solve_loss)
    a = np.eye(2)
    np.testing.assert_allclose(g(a, B), -2.0 * np.outer(B, B))  # d/da |a^-1 b|^2 at a = I
    for call in (lambda: g(SINGULAR, B), lambda: srcad.value_and_grad(solve_loss)(SINGULAR, B)):
        exc, text = failure(call)  # the second call of `g` runs the fast path
        assert isinstance(exc, np.linalg.LinAlgError)
        assert_points_at(text, "SOLVE", "np.linalg.solve(a, b)")


def test_user_code_catches_the_same_exception():
    try:
        srcad.grad(solve_loss)(SINGULAR, B)
    except np.linalg.LinAlgError as e:
        assert e.args == ("Singular matrix",)
    else:
        raise AssertionError("no error")


def test_jvp_forward_mode():
    tangents = (np.ones((2, 2)), np.ones(2))
    exc, text = failure(lambda: srcad.jvp(solve_loss, (SINGULAR, B), tangents))
    assert type(exc) is np.linalg.LinAlgError
    assert_points_at(text, "SOLVE", "np.linalg.solve(a, b)")
    assert "<srcad jvp solve_loss" in text


def test_callee_derivative_names_both_lines():
    for call in (
        lambda: srcad.grad(calls_helper)(SINGULAR, B),
        lambda: srcad.jvp(calls_helper, (SINGULAR, B), (SINGULAR, B)),
        lambda: srcad.jacfwd(calls_helper)(SINGULAR, B),
        lambda: srcad.jacrev(lambda a, b: helper(a, b))(SINGULAR, B),
        lambda: srcad.hessian(calls_helper)(SINGULAR, B),
    ):
        exc, text = failure(call)
        assert type(exc) is np.linalg.LinAlgError and str(exc) == "Singular matrix"
        assert_points_at(text, "HELPER", "np.linalg.solve(a, b)")
        assert f'test_tracebacks.py", line {line_of("HELPER")}, in helper' in text


def test_reverse_sweep_error_in_scalar_loop():
    # forward sweep fine, the reverse sweep divides by zero inside the user's bwd rule
    assert srcad.value_and_grad(lambda x: x * x)(3.0) == (9.0, 6.0)
    exc, text = failure(lambda: srcad.grad(scalar_loop)(2.0, 3))
    assert type(exc) is ZeroDivisionError and str(exc) == "float division by zero"
    assert_points_at(text, "FRAGILE", "fragile_bwd(")
    # and through srcad.vjp's pullback
    out, pull = srcad.vjp(scalar_loop, 2.0, 3, wrt=0)
    assert out == 12.0
    exc, text = failure(lambda: pull(1.0))
    assert type(exc) is ZeroDivisionError
    assert_points_at(text, "FRAGILE", "fragile_bwd(")


def test_primal_round_trip():
    exc, text = failure(lambda: srcad.primal(solve_loss)(SINGULAR, B))
    assert type(exc) is np.linalg.LinAlgError
    assert_points_at(text, "SOLVE", "np.linalg.solve(a, b)")


def test_index_error_points_at_user_line():
    def pick(x, k):
        return x[k] * 2.0  # PICK

    exc, text = failure(lambda: srcad.grad(pick)(np.ones(3), 7))
    assert type(exc) is IndexError and "out of bounds" in str(exc)
    assert_points_at(text, "PICK", "x[k]")


def test_success_adds_nothing_and_texts_are_released():
    def sq(x):
        return np.sum(x * x)

    assert srcad.grad(sq)(np.ones(2)).tolist() == [2.0, 2.0]
    fns = srcad.backend.compile.compile_emitted(
        srcad.backend.emit.emit_function(srcad.backend.driver.lower_function(sq)), {}, "release me"
    )
    name = fns["sq"].__code__.co_filename
    assert name in locations._ENTRIES and linecache.getlines(name)
    del fns
    gc.collect()
    assert name not in locations._ENTRIES
    assert not linecache.cache.get(name)


def test_code_from_the_disk_cache_keeps_the_user_lines(tmp_path, monkeypatch):
    from srcad.backend import disk

    monkeypatch.setenv("SRCAD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SRCAD_NO_DISK_CACHE", raising=False)
    monkeypatch.setattr(disk.STATE, "custom_rules", False)
    loads = []
    real_lookup = disk.lookup
    monkeypatch.setattr(disk, "lookup", lambda *a: loads.append(real_lookup(*a)) or loads[-1])
    srcad.cache_clear()
    srcad.grad(solve_loss)(np.eye(2), B)  # built and stored
    srcad.cache_clear()
    exc, text = failure(lambda: srcad.grad(solve_loss)(SINGULAR, B))
    assert loads and loads[-1][0] is not None  # this one came from the disk
    assert type(exc) is np.linalg.LinAlgError
    assert_points_at(text, "SOLVE", "np.linalg.solve(a, b)")
    srcad.cache_clear()


def test_same_text_from_two_files_points_at_each_file(tmp_path):
    """Two files with a function of the same name and body make the same generated text; each
    one's error names its own file (they shared one linecache name, and the second pointed at
    the first's file)."""
    import importlib.util

    body = (
        "import numpy as np\n\n\ndef twin(a):\n    return np.sum(np.linalg.solve(a, np.ones(2)))\n"
    )
    texts = []
    for k in (1, 2):
        path = tmp_path / f"twin_mod{k}.py"
        path.write_text(body)
        spec = importlib.util.spec_from_file_location(f"twin_mod{k}", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        texts.append((path, failure(lambda m=mod: srcad.grad(m.twin)(np.zeros((2, 2))))[1]))
    for path, text in texts:
        assert f'{path}", line 5, in twin' in text
    assert str(texts[0][0]) not in texts[1][1]


def test_one_line_def_names_its_function():
    """``def f(x): return ...`` on one line: the frame is `f`'s, not ``<lambda>``."""
    exc, text = failure(lambda: srcad.grad(one_line)(SINGULAR, B))
    n = one_line.__code__.co_firstlineno
    assert f'test_tracebacks.py", line {n}, in one_line' in text, text
    assert f"line {n}, in <lambda>" not in text
