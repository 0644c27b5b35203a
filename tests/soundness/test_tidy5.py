"""Loose ends of the 5th session (helper `tidy`), each failing before its fix.

- grad, on an error of the generated code, ran `f` again to tell a non-scalar output from an error
  of its own: `f`'s side effects ran twice. The output is now read from the failed frame when the
  error came from the reverse sweep (`backend/locations.reverse_output`).
- `h(v * v for v in x)` with `def h(it): return sum(it) + sum(it)`: Python sums once (the second
  sum sees an exhausted generator), srcad lowered the generator to a list and summed twice (primal
  and gradient 2x). A one-shot iterator passed to a user function that reads that parameter more
  than once is refused (`lower/oneshot.note_call`, `ad/base.refuse_one_shot_calls`).
- Refusals raised by runtime helpers (scipy.linalg of a stack or of a non-square matrix, eigh's
  `b=`, np.quantile's `weights=`, ...) carried no file:line:col, source line or caret. Those the
  specialization decides (a rank, a constant, an argument certainly given) are now refused at
  transform time (`passes/refusals.py`); the others point at the user's operation when they run
  (`backend/locations.locate`).
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sl

import srcad
from tests.rules.rules_cases import scipy_linalg_batches


def outer_loss(x):
    print("ran")
    return x @ x.T  # a (2, 2) output: the reverse sweep's matmul_vjp(1.0, ...) fails


def own_error(x):
    print("ran")
    y = np.sum(x)
    if y > 0:
        raise ValueError("f's own")
    return y


@pytest.mark.parametrize("make", [srcad.grad, srcad.value_and_grad], ids=["grad", "vg"])
def test_grad_errors_run_f_once(make, capsys) -> None:
    x = np.ones((2, 3))
    for _ in range(2):  # the full path, then the fast one
        with pytest.raises(srcad.SrcadError, match=r"returned an array of shape \(2, 2\)"):
            make(outer_loss)(x)
        assert capsys.readouterr().out.count("ran") == 1
        with pytest.raises(ValueError, match="f's own"):
            make(own_error)(x)
        assert capsys.readouterr().out.count("ran") == 1
    assert make(own_error)(-x) is not None


def lu_loss(x):
    _p, _l, u = sl.lu(x)  # LU
    return np.sum(u * u)


def eigh_b(x, b):
    w, _v = sl.eigh(x, b, type=2)  # EIGH
    return np.sum(w)


def cho_loss(c, b):
    return np.sum(sl.cho_solve((c, True), b))  # CHO


def tri_loss(a, b):
    return np.sum(sl.solve_triangular(a, b))  # TRI


def quantile_w(x):
    return np.quantile(x, 0.5, method="inverted_cdf", weights=np.ones(x.shape))  # QW


def polyfit_full(y):
    return np.sum(np.polyfit(np.arange(4.0), y, 1, full=True)[0])  # PF


def lu_factor_loss(a, b):
    return np.sum(sl.lu_solve(sl.lu_factor(a), b))  # LUF


def calls_lu(x):
    return lu_loss(x) * 2.0


def line_of(marker: str) -> int:
    for k, text in enumerate(open(__file__).read().splitlines(), 1):
        if text.rstrip().endswith(f"# {marker}") and "line_of" not in text:
            return k
    raise AssertionError(marker)


def assert_located(e: srcad.SrcadError, marker: str, call: str) -> None:
    assert e.filename == __file__ and e.line == line_of(marker), str(e)
    text = str(e).splitlines()
    assert text[0].startswith(f"{__file__}:{e.line}:{e.col + 1}: error: ")
    assert text[1].strip() == open(__file__).read().splitlines()[e.line - 1].strip()
    assert text[1].index(call) == text[2].index("^")  # the caret under the call
    assert text[-1].startswith("hint: ")


X3, E2 = np.ones((2, 2, 2)) + np.eye(2), np.eye(2) * 2.0
STACK_RHS = np.ones((2, 2, 1))


@pytest.mark.parametrize(
    "f, args, marker, call, match",
    [
        (lu_loss, (X3,), "LU", "sl.lu", "lu of one square matrix, not an array of rank 3"),
        (eigh_b, (E2, E2), "EIGH", "sl.eigh", "eigh with b and type=2"),
        (cho_loss, (X3, STACK_RHS), "CHO", "sl.cho_solve", "cho_solve of one square"),
        (tri_loss, (X3, STACK_RHS), "TRI", "sl.solve_triangular", "solve_triangular of one"),
        (quantile_w, (np.arange(4.0),), "QW", "np.quantile", "weights="),
        (polyfit_full, (np.arange(4.0),), "PF", "np.polyfit", "full=True"),
    ],
    ids=["lu", "eigh", "cho_solve", "solve_triangular", "quantile", "polyfit"],
)
@pytest.mark.parametrize("mode", ["grad", "jvp"])
def test_refused_at_transform_time(f, args, marker, call, match, mode) -> None:
    with pytest.raises(srcad.SrcadError, match=match) as info:
        srcad.source(f, mode=mode, args=args)  # nothing runs
    assert_located(info.value, marker, call)


def test_what_only_values_tell_is_located_when_it_runs() -> None:
    x = np.ones((2, 3)) + np.eye(2, 3)  # rank 2 as a square matrix, but 2 x 3
    for call in (
        lambda: srcad.grad(lu_loss)(x),
        lambda: srcad.jvp(lu_loss, (x,), (x,)),
        lambda: srcad.vjp(lu_loss, x)[1](1.0),
        lambda: srcad.hessian(lu_loss)(x),
    ):
        for _ in range(2):  # the full path, then the fast one
            with pytest.raises(srcad.SrcadError, match=r"not of shape \(2, 3\)") as info:
                call()
            assert_located(info.value, "LU", "sl.lu")
    with pytest.raises(srcad.SrcadError, match="lu of one square") as info:
        srcad.grad(calls_lu)(x)  # in a helper: its line
    assert_located(info.value, "LU", "sl.lu")


@pytest.mark.skipif(
    not scipy_linalg_batches(), reason="scipy.linalg without stacks (< 1.16): the primal raises"
)
def test_lu_factor_of_a_stack_is_located_when_it_runs() -> None:
    with pytest.raises(srcad.SrcadError, match="lu_factor of one matrix") as info:
        srcad.grad(lu_factor_loss)(X3, STACK_RHS)  # the pivots' rank is not inferred
    assert_located(info.value, "LUF", "sl.lu_solve")  # its rule reads the pivots


def test_the_forms_srcad_differentiates_are_not_refused() -> None:
    x = np.array([[4.0, 1.0], [2.0, 3.0]])
    srcad.testing.check_grads(lu_loss, (x,))
    srcad.testing.check_grads(lambda a: eigh_b(a @ a.T, None), (x,))
    srcad.testing.check_grads(lambda a: np.linalg.cond(a, 2), (x,))


# -- a one-shot iterator passed to a helper that reads it twice ---------------------------------


def twice(it):
    return sum(it) + sum(it)  # Python: the second sum sees an exhausted iterator (0)


def once(it):
    return sum(it) * 2.0


def relisted(it):
    it = list(it)
    return sum(it) + sum(it)


class Reader:
    def twice(self, it):
        return sum(it) + sum(it)


def gen_arg(x):
    return twice(v * v for v in x)


def named_gen(x):
    g = (v * v for v in x)
    return twice(g)


def map_arg(x):
    return twice(map(np.sin, x))


def keyword_gen(x):
    return twice(it=(v for v in x))


def method_gen(x, r):
    return r.twice(v for v in x)


def constant_gen(x):
    return twice(v for v in [1.0, 2.0]) * x  # no derivative through it: still wrong


@pytest.mark.parametrize(
    "f, extra",
    [(gen_arg, ()), (named_gen, ()), (map_arg, ()), (keyword_gen, ()), (method_gen, (Reader(),)),
     (constant_gen, ())],
    ids=["genexp", "name", "map", "keyword", "method", "inactive"],
)  # fmt: skip
def test_one_shot_iterator_read_twice_by_a_helper_is_refused(f, extra) -> None:
    x = np.arange(3.0) if f is not constant_gen else 1.5
    for run in (lambda: srcad.grad(f)(x, *extra), lambda: srcad.primal(f)(x, *extra)):
        with pytest.raises(srcad.SrcadError, match="one-shot iterator .* reads it more") as info:
            run()
        assert info.value.filename == __file__ and "^" in str(info.value)


def test_one_shot_iterator_read_once_is_accepted() -> None:
    x = np.arange(1.0, 4.0)
    for f in (
        lambda x: once(v * v for v in x),
        lambda x: relisted(v * v for v in x),
        lambda x: twice([v * v for v in x]),
    ):
        assert srcad.primal(f)(x) == f(x)
        srcad.testing.check_grads(f, (x,))
