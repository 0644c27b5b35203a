"""Soundness hunt 4: the user-style programs of tests/corpus/users_hunt4*.py at second order, and
what the hunt found.

- Second order on the cases marked ``extra="hvp"`` (Hessian symmetry and the derivative of the JVP
  by `check_grads`; `srcad.hvp` against central differences of `srcad.grad`; `srcad.hessian`
  against `srcad.hvp`).
- Wrong gradients (reverse mode, so also `hvp`) from the shift-invariance rewrite (ad/shift.py): a
  max without keepdims over a non-leading axis, ``m = x.max(axis=1); e = np.exp(x - m)`` (the
  familiar forgotten keepdims: for a square x it runs, subtracting row maxima from the columns),
  was taken for the keepdims max, so softmax/log-sum-exp "cancelled" a shift that does not cancel
  and `m` got no cotangent; and ``m[0]`` of a max without keepdims was taken for dropping the
  reduced axis (it is one element).
- A wrong gradient from the shape rewrites (passes/shapes.py): ``np.matmul(W, v)`` was given the
  broadcast shape of its operands, like an elementwise ufunc (np.matmul is a ufunc with a core
  signature), so ``h @ B`` with that 2-D-looking `h` (a 1-D array) had its cotangent for `B`
  rewritten to ``h.T @ g``: a dot product instead of the outer product.
- A wrong gradient (or an IndexError in the generated code) from a slice assignment that changes
  a list's length, ``xs[0:1] = [a, b]``: the reverse helpers map the new list's cotangent back by
  position, without the old length. Refused in reverse mode now (forward mode was right).
- A crash: ``t.max(axis=0)`` of a 0-d value (NumPy reduces it over axis 0 to itself) raised
  ZeroDivisionError in the derivative's helpers (rules/reductions._axes took ``axis % 0``).
- A crash: ``np.einsum("ij,jk->ik", a, b)`` with a letter of size 1 in one operand (NumPy
  broadcasts it) made `einsum_vjp` reshape to the wrong size.
- Wrong primals (and derivatives): a generator expression, map, filter, enumerate or reversed
  object bound to a name and read twice (``g = (v * v for v in x); sum(g) + sum(g)``, or
  ``any(g)`` then ``sum(g)``, or read in a loop) was a list to srcad, an exhausted iterator to
  Python. Refused at the second read now (lower/oneshot.py). Likewise ``it = iter(x)`` read
  by ``zip(it, it)`` (pairs in Python) or by a loop that breaks early and again after it.
- A wrong gradient: an ``np.matrix`` argument (its ``*`` is a matrix product) was differentiated
  with ndarray rules (``(A * A).sum()``: [[8, 12], [8, 12]] where [[7, 11], [9, 13]]). Refused.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.corpus import Case, check_hvp_and_hessian, scalar_float_cases, users_hunt4, users_hunt4b

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

HVP = [c for m in (users_hunt4, users_hunt4b) for c in m.CASES if c.extra == "hvp"]


SCALAR = scalar_float_cases(HVP)


@pytest.mark.parametrize("case", SCALAR, ids=[c.name for c in SCALAR])
def test_hvp_and_hessian_match_differences_of_the_gradient(case: Case) -> None:
    check_hvp_and_hessian(case)


# -- the shift-invariance rewrite (srcad/ad/shift.py) ---------------------------------------------
def softmax_forgot_keepdims(x):
    m = x.max(axis=1)  # (n,): broadcasts along the columns of a square x, not the rows
    e = np.exp(x - m)
    p = e / e.sum(axis=1, keepdims=True)
    return (p * np.arange(3.0)).sum()


def lse_forgot_keepdims(x):
    m = np.max(x, axis=1)
    return (np.log(np.exp(x - m).sum(axis=1, keepdims=True)) + m).sum()


def lse_columns_plus_first(x):
    m = x.max(axis=0)  # one shift per column; m[0] is one of them, not all
    return (np.log(np.exp(x - m).sum(axis=0)) + m[0]).sum()


def softmax_columns_no_keepdims(x):
    m = x.max(axis=0)  # leading axis: broadcasts like the keepdims max
    e = np.exp(x - m)
    return (e / e.sum(axis=0, keepdims=True) * np.arange(3.0)[:, None]).sum()


SQ = np.array([[0.3, -1.2, 2.0], [1.5, 0.1, -0.4], [-2.0, 0.5, 0.9]])


def _fd_grad(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        d = np.zeros_like(x)
        d[idx] = eps
        g[idx] = (f(x + d) - f(x - d)) / (2 * eps)
    return g


# largest error of the gradient at SQ before the fix: 0.96, 1.15, 2.0
@pytest.mark.parametrize(
    "f", [softmax_forgot_keepdims, lse_forgot_keepdims, lse_columns_plus_first]
)
def test_max_without_keepdims_is_not_shift_invariant(f) -> None:
    np.testing.assert_allclose(srcad.grad(f)(SQ), _fd_grad(f, SQ), rtol=1e-6, atol=1e-8)
    assert "ext_weights" in srcad.source(srcad.grad(f))
    check_grads(f, (SQ,), modes=("fwd", "rev"), order=2)


def test_max_without_keepdims_over_leading_axes_still_cancels() -> None:
    f = softmax_columns_no_keepdims
    np.testing.assert_allclose(srcad.grad(f)(SQ), _fd_grad(f, SQ), rtol=1e-6, atol=1e-8)
    assert "ext_weights" not in srcad.source(srcad.grad(f))


# -- shapes of np.matmul (srcad/passes/shapes.py) --------------------------------------------------
def matmul_then_matrix(W, v, Bp):
    h = np.matmul(W, v)  # 1-D
    return np.sum(np.tanh(h @ np.exp(Bp)))


def matmul_then_matrix_input(W, v, B):
    return np.sum(np.tanh(np.matmul(W, v) @ B))


def test_np_matmul_is_not_elementwise() -> None:
    rng = np.random.default_rng(0)
    W, v, B = rng.standard_normal((3, 3)), rng.standard_normal(3), rng.standard_normal((3, 3))
    # before the fix: wrong by up to 0.6 (a silent wrong gradient for the intermediate exp(Bp));
    # with B an argument, an internal error (a number where a (3, 3) array was due)
    for f in (matmul_then_matrix, matmul_then_matrix_input):
        for k, x in enumerate((W, v, B)):
            got = srcad.grad(f, k)(W, v, B)

            def at(y, k=k, f=f):
                args = [W, v, B]
                args[k] = y
                return f(*args)

            np.testing.assert_allclose(got, _fd_grad(at, x), rtol=1e-6, atol=1e-8)
        check_grads(f, (W, v, B), modes=("fwd", "rev"))


# -- list slice assignments that change the length (srcad/ad/structural.py) ----------------------
def list_splice_grows(x):
    xs = [x[0], x[1], x[2]]
    xs[0:1] = [x[2] * 2, 5.0]  # [2 x2, 5, x1, x2]
    return xs[1] * 7 + xs[2] * 3 + xs[3]


def list_splice_constants(x):
    xs = [x[0], x[1], x[2]]
    xs[0:1] = [5.0, 6.0]  # [5, 6, x1, x2]: only the old list's cotangent is computed
    return xs[2] * 3 + xs[3]


def list_splice_shrinks(x):
    xs = [x[0], x[1], x[2], x[0] * x[1]]
    xs[1:3] = [x[2] ** 2]  # [x0, x2**2, x0 x1]
    return xs[0] + xs[1] * 5 + xs[2] * 2


def list_splice_slice_object(x):
    s = slice(0, 1)
    xs = [x[0], x[1], x[2]]
    xs[s] = [5.0, 6.0]
    return xs[2] * 3 + xs[3]


@pytest.mark.parametrize(
    "f", [list_splice_grows, list_splice_constants, list_splice_shrinks, list_splice_slice_object]
)
def test_list_slice_assignment_in_reverse_mode(f) -> None:
    # before: list_splice_grows gave [0, 7, 3] (want [0, 3, 1]), list_splice_constants [0, 0, 3],
    # list_splice_shrinks an IndexError in the generated code; then refused; now the helpers of
    # rules/splices.py read the old list's length (refuse27)
    x = np.array([0.7, -0.2, 1.3])
    fd = _fd_grad(f, x)
    np.testing.assert_allclose(srcad.grad(f)(x), fd, rtol=1e-6, atol=1e-8)
    jv = [srcad.jvp(f, (x,), (e,))[1] for e in np.eye(3)]
    np.testing.assert_allclose(jv, fd, rtol=1e-6, atol=1e-8)
    assert srcad.primal(f)(x) == f(x)


# -- reductions of a 0-d value (srcad/rules/reductions.py) ----------------------------------------
def zero_d_reductions(v):
    t0 = v.max(axis=0)  # a NumPy scalar; NumPy accepts axis=0 on it
    return (
        t0.max(axis=0) * 2
        + np.sum(t0, axis=0)
        + np.min(t0, axis=0, keepdims=True).sum()
        + np.prod(t0, axis=0)
    )


def test_reductions_of_a_0d_value_over_axis_0() -> None:
    v = np.array([0.3, 1.2, -0.5])
    np.testing.assert_allclose(srcad.grad(zero_d_reductions)(v), [0.0, 5.0, 0.0])
    check_grads(zero_d_reductions, (v,), modes=("fwd", "rev"), order=2)


# -- einsum broadcasting a letter of size 1 (srcad/rules/products.py) -----------------------------
def einsum_broadcast_one(a, b):
    return np.einsum("ij,jk->ik", a, b).sum() * 2  # a's j is 1 wide, b's 3


def einsum_broadcast_out(a, b):
    return np.einsum("ij,ij->i", a, b) @ np.arange(1.0, 4.0)  # b's j is 1 wide


def test_einsum_broadcasting_a_letter_of_size_1() -> None:
    r = np.random.default_rng(0)
    a, b = r.standard_normal((3, 1)), r.standard_normal((3, 1))
    check_grads(einsum_broadcast_one, (a, b), modes=("fwd", "rev"), order=2)
    c, d = r.standard_normal((3, 4)), r.standard_normal((3, 1))
    check_grads(einsum_broadcast_out, (c, d), modes=("fwd", "rev"), order=2)


# -- one-shot iterators read twice (srcad/lower/oneshot.py) ---------------------------------------
def gen_read_twice(x):
    g = (v * v for v in x)
    return sum(g) + 100 * sum(g)  # Python: the second sum is 0


def gen_any_then_sum(x):
    g = (v > 0 for v in x)
    return any(g) * 1.0 + sum(g) * x[0]  # any() stops at the first True


def map_read_twice(x):
    m = map(float, x)
    return sum(list(m)) + len(list(m))


def filter_in_loop(x):
    f = filter(lambda v: v > 0, x)
    tot = 0.0
    for k in range(2):
        tot = tot + sum(f) * (k + 1)
    return tot


def enumerate_then_loop(x):
    e = enumerate(x)
    first = next(iter([v for _, v in e]))
    return first + sum(v for _, v in e)


def gen_read_once(x):
    g = (v * v for v in x)
    out = [2.0 * v for v in g]
    return sum(out)


def gen_made_in_loop(x):
    tot = 0.0
    for k in range(2):
        g = (v * (k + 1) for v in x)
        tot = tot + sum(g)
    return tot


def iter_zip_pairs(x):
    it = iter(x)
    return sum(a * b for a, b in zip(it, it))  # Python: x0*x1 + x2*x3


def iter_break_then_rest(x):
    it = iter(x)
    for v in it:
        if v > 0.5:
            break
    return sum(it) + v  # Python: the items after the break


def iter_next_then_loop(x):
    it = iter(x)
    first = next(it)
    tot = 0.0
    for v in it:
        tot = tot + v * first
    return tot


@pytest.mark.parametrize(
    "f",
    [
        gen_read_twice,
        gen_any_then_sum,
        map_read_twice,
        filter_in_loop,
        enumerate_then_loop,
        iter_zip_pairs,
        iter_break_then_rest,
    ],
)
def test_one_shot_iterator_read_twice_is_refused(f) -> None:
    x = np.array([0.7, -0.2, 1.3, 0.4])
    # before: srcad.primal(gen_read_twice)(x) was 224.62 where Python gives 2.38;
    # iter_zip_pairs 2.38 where 0.38, iter_break_then_rest 0.7 where 2.2
    with pytest.raises(srcad.SrcadError, match="iterator"):
        srcad.primal(f)(x)


@pytest.mark.parametrize("f", [gen_read_once, gen_made_in_loop])
def test_one_shot_iterator_read_once_is_accepted(f) -> None:
    x = np.array([0.7, -0.2, 1.3])
    assert srcad.primal(f)(x) == f(x)
    check_grads(f, (x,), modes=("fwd", "rev"))


def test_iterator_next_then_loop_is_accepted() -> None:
    x = np.array([0.7, -0.2, 1.3, 0.4])
    assert srcad.primal(iter_next_then_loop)(x) == iter_next_then_loop(x)


# -- np.matrix arguments (srcad/args.py) -----------------------------------------------------------
def matrix_product_sum(A):
    return (A * A).sum()  # for an np.matrix, A @ A


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_np_matrix_argument_is_refused() -> None:
    A = np.matrix([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(srcad.SrcadError, match="np.matrix"):
        srcad.grad(matrix_product_sum)(A)
    with pytest.raises(srcad.SrcadError, match="np.matrix"):
        srcad.jvp(matrix_product_sum, (A,), (A,))
    np.testing.assert_allclose(srcad.grad(matrix_product_sum)(np.asarray(A)), [[2, 4], [6, 8]])
