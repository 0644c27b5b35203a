"""NumPy calls that write into a local array (srcad.lower.inplace_np): ``np.add.at``,
``np.subtract.at``, ``np.fill_diagonal``, ``np.copyto``, ``y.fill(v)``, ``out=y``, lowered as a new
version of the array. Values against NumPy, derivatives against central differences (forward,
reverse, second order), in loops and branches; and the refusals where Python's in-place write
would be seen through another name, an argument, a view or a global."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.corpus.ported_graphs import ix_setitem_fancy_add
from tests.corpus.ported_semantics1 import sy_fill_diagonal, sy_out_kwarg

X = np.array([0.3, 0.7, 1.2, -0.4])
IDX = np.array([[0, 1], [1, 2], [2, 0]])
G = np.zeros(3)


def add_at(x):
    out = np.zeros(3)
    np.add.at(out, np.array([0, 2, 0, 1]), x * 2.0)
    return out**2


def add_sub_at(x):
    out = x[:3] * 1.0
    np.add.at(out, [0, 0, 2], x[3])
    np.subtract.at(out, 1, x[:2].sum())
    return out * x[:3]


def add_at_2d(x):
    A = np.outer(x, x)
    np.add.at(A, (np.array([0, 1, 1]), np.array([2, 2, 2])), x[:3])
    return A


def add_at_loop(x):
    out = np.zeros(3)
    for k in range(3):
        np.add.at(out, IDX[k], x[k] * x[:2])
    return out**2


def fill(x):
    y = np.empty_like(x)
    y.fill(x[0] ** 2)
    return y * x


def fill_branch(x):
    out = np.ones(3) * x[0]
    if x[1] > 0:
        np.add.at(out, [0, 0], x[2])
    else:
        out.fill(3.0)
    return out * x[:3]


def fill_diagonal(x):
    B = np.outer(x, x).copy()
    np.fill_diagonal(B, x)
    return B * B


def fill_diagonal_wrap(x):
    B = np.zeros((5, 3)) + x[0]
    np.fill_diagonal(B, x[1:3], wrap=True)
    return B * x[2]


def out_kw(x):
    y = np.empty(4)
    np.multiply(x, x, out=y)
    return y * x


def out_chain(x):
    y = x * 1.0
    np.clip(y, 0.0, 0.9, out=y)
    z = np.exp(y, out=y)
    return z + y


def out_in_loop(x):
    y = np.zeros(4)
    for _ in range(2):
        np.multiply(x, y + 1.0, out=y)
    return y


def copyto(x):
    y = np.zeros((2, 4))
    np.copyto(y, x)
    return y * y


def copyto_where(x):
    y = np.zeros((2, 4)) + 0.25
    np.copyto(y, x**2, where=x > 0.1)
    np.copyto(y, 0.5, where=np.array([True, False, False, True]))
    return y * x


def view_of_local(x):
    big = np.zeros(5)
    y = big[:3]
    np.add.at(y, [0, 1], x[0])
    return y * 2.0


CASES = [ix_setitem_fancy_add, add_at, add_sub_at, add_at_2d, add_at_loop, fill, fill_branch, fill_diagonal,
         fill_diagonal_wrap, out_kw, out_chain, out_in_loop, copyto, copyto_where, view_of_local]  # fmt: skip


@pytest.mark.parametrize("f", CASES, ids=[f.__name__ for f in CASES])
def test_against_numpy_and_central_differences(f) -> None:
    np.testing.assert_allclose(srcad.primal(f)(X), f(X), rtol=1e-14, atol=1e-14)
    check_grads(f, (X,), modes=("fwd", "rev"))
    check_grads(f, (X,), modes=("fwd",), order=2)


@pytest.mark.parametrize("f", [sy_out_kwarg, sy_fill_diagonal])
def test_ported_programs_that_were_refused(f) -> None:  # tests/soundness/test_ported_refusals
    a = np.array([[1.5, 0.2, -0.3], [0.1, 1.2, 0.4], [-0.2, 0.3, 0.9]])
    np.testing.assert_allclose(srcad.primal(f)(a), f(a), rtol=1e-14)
    check_grads(f, (a,), modes=("fwd", "rev"))


def test_writes_into_integer_arrays_have_no_derivative() -> None:
    def f(x):
        y = np.zeros(4, dtype=int)
        np.copyto(y, x * 3.0, casting="unsafe")
        z = np.zeros(2, dtype=int)
        z.fill(x[0] * 5.0)
        return np.sum(y * x) + z.sum()

    want = np.zeros(4) + np.trunc(X * 3.0)  # y is a constant: d sum(y x) = y
    np.testing.assert_array_equal(srcad.grad(f)(X), want)


def test_copyto_where_keeps_the_other_elements_and_casts_as_numpy() -> None:
    def f(x):
        y = np.full(x.shape, 7, dtype=int)
        np.copyto(y, x * 3.0, where=x > 0.0, casting="unsafe")
        return y * x

    def g(x):
        y = np.zeros(4, dtype=int)
        np.copyto(y, x, where=x > 0)  # same_kind: float into int, NumPy's TypeError
        return y

    np.testing.assert_array_equal(srcad.primal(f)(X), f(X))
    with pytest.raises(TypeError):
        srcad.primal(g)(X)


def add_at_argument(x):
    np.add.at(x, [0], 1.0)
    return x.sum()


def add_at_aliased(x):
    out = np.zeros(3)
    keep = out
    np.add.at(out, [0], x[0])
    return keep.sum() + out.sum()


def view_read_later(x):
    big = np.zeros(5)
    y = big[:3]
    np.add.at(y, [0, 1], x[0])
    return (big * 2.0).sum()


def out_aliased(x):
    y = np.zeros(4)
    z = y
    np.multiply(x, 2.0, out=y)
    return z.sum()


def fill_in_list(x):
    y = np.zeros(3)
    lst = [y]
    y.fill(x[0])
    return lst[0].sum()


def _user(a, out=None):  # a user's `out` parameter: not NumPy's
    return a * 2.0 if out is None else a * 3.0


def out_of_a_user_function(x):
    buf = np.zeros(4)
    return _user(x, out=buf).sum()


def diag_view_of_written(x):  # np.diag of a 2-D array is a view of it (NumPy >= 1.9)
    y = np.outer(x, x)
    d = np.diag(y)
    np.fill_diagonal(y, 2.0 * x)
    return (d * x).sum()


def diag_view_setitem(x):
    y = np.outer(x, x)
    d = np.diag(y)
    y[1, 1] = 5.0 * x[0]
    return (d * x).sum()


def add_at_global(x):
    np.add.at(G, [0], x[0])
    return G.sum()


@pytest.mark.parametrize(
    ("f", "words"),
    [
        (add_at_argument, "argument `x` is written into by `np.add.at`"),
        (view_read_later, "`big` is read after"),
        (fill_in_list, "updated by `.fill()`"),
        (add_at_global, "writes into an existing array"),
        (out_of_a_user_function, "a call with `out=`"),
        (diag_view_of_written, "`d` is read after"),
        (diag_view_setitem, "`d` is read after"),
    ],
)
def test_writes_python_would_show_elsewhere_are_refused(f, words) -> None:
    with pytest.raises(srcad.SrcadError, match=words.replace("(", r"\(").replace(")", r"\)")):
        srcad.grad(f)(X.copy())


def test_out_seen_through_a_second_name() -> None:
    # refused before refuse16; now `z` reads `y` (lower/viewwrites.py): Python's shared buffer
    assert srcad.primal(out_aliased)(X.copy()) == pytest.approx(out_aliased(X.copy()))
    np.testing.assert_allclose(srcad.grad(out_aliased)(X.copy()), np.full(X.shape, 2.0))
