"""Shape rewrites of generated code (srcad/passes/shapes.py): the ranks of the arguments are known,
their sizes are not, so one generated function serves every size (1 included) and must stay
exact for all of them."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import problems  # noqa: E402


def sq_rows(a, b):
    return np.sum(np.sum((a - b) ** 2, axis=1) * np.arange(1.0, 1.0 + a.shape[0]))


def scaled_diff(x, m, s):
    z = (x[:, None, :] - m[None, :, :]) * np.exp(-s)[None, :, :]
    return np.sum(np.sum(z**2, axis=2) * 0.5) + np.sum(np.sin(z))


def outer_like(a, b):
    return np.sum(np.tanh(a * b) * b)


def keep_sum(a, b):
    return np.sum(np.sum(a * b, axis=0, keepdims=True) ** 2 * a)


def mat_chain(a, w, v):
    return np.sum(np.tanh(a @ w) @ v)


def with_loop(x, m):
    acc = np.zeros(x.shape[1])
    for i in range(x.shape[0]):
        acc[i % x.shape[1]] = acc[i % x.shape[1]] + np.sum(x[i] * m)
    y = m[None, :] * x
    return np.sum(acc**2) + np.sum(y * y)


def branch_loop(x, y):
    a = np.sin(x)  # NumPy scalars or arrays (Python floats in: not Python floats out)
    b = np.cos(y)
    c = a + b
    a = a * c
    for _ in range(3):  # the carries keep their shapes
        c = c * 0.9 + np.sin(b) * 0.1
        a = a * 0.5 + c
    if np.sum(c) > 0.0:
        c = c * 0.5 + np.tanh(a)
    else:
        c = c * 0.4 - np.tanh(b) * a
    return np.sum(a * b + c)


def indexed(p, x):
    k, m = p[0], p[1]  # arrays or NumPy scalars, of shapes of their own
    s = 0.0
    for _ in range(2):
        s = s * 0.5 + np.sum(np.tanh(k * x) * m + x)
    return s * 2.0 + np.sum(np.concatenate([x, x]) * 2.0) * np.sum(k)


def _ref_grad(f, args, k, eps=1e-6):
    """Central differences of f in argument k, element by element."""
    x = np.asarray(args[k], dtype=float)
    out = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        d = np.zeros_like(x)
        d[idx] = eps
        hi = list(args)
        lo = list(args)
        hi[k], lo[k] = x + d, x - d
        out[idx] = (f(*hi) - f(*lo)) / (2 * eps)
    return out


SHAPES = {
    sq_rows: [((3, 4), (3, 4)), ((3, 1), (3, 4)), ((3, 4), (1, 4)), ((1, 1), (1, 5))],
    scaled_diff: [((5, 3), (2, 3), (2, 3)), ((5, 1), (2, 3), (1, 3)), ((4, 3), (1, 3), (2, 1))],
    outer_like: [((3, 1), (1, 4)), ((3, 4), (3, 4)), ((1, 4), (3, 4)), ((3, 4), (3, 1))],
    keep_sum: [((3, 4), (3, 4)), ((1, 4), (3, 4)), ((3, 4), (3, 1)), ((3, 1), (1, 4))],
    with_loop: [((4, 3), (3,)), ((4, 1), (3,))],
    mat_chain: [((3, 4), (4, 2), (2,)), ((1, 4), (4, 1), (1,)), ((3, 1), (1, 5), (5,))],
    branch_loop: [((3,), (3,)), ((1,), (3,)), ((3,), (1,)), ((2, 3), (3,)), ((3,), (2, 1))],
}


@pytest.mark.parametrize("f", list(SHAPES), ids=lambda f: f.__name__)
def test_one_code_every_size(f):
    """The same generated function (ranks are the cache key) for sizes with and without 1s."""
    rng = np.random.default_rng(3)
    g = srcad.grad(f, wrt=tuple(range(len(SHAPES[f][0]))))
    for shapes in SHAPES[f]:
        args = tuple(rng.standard_normal(s) for s in shapes)
        got = g(*args)
        for k in range(len(args)):
            want = _ref_grad(f, args, k)
            np.testing.assert_allclose(got[k], want, rtol=1e-6, atol=1e-7, err_msg=str(shapes))
        check_grads(f, args, modes=("rev",))


def test_gmm_gradient_as_written_by_hand():
    """The GMM of benchmarks/problems.py: the hand-written gradient's algebra, same numbers."""
    p = next(p for p in problems.problems() if p.name.startswith("GMM"))
    g = srcad.grad(p.f, wrt=p.wrt)
    got, want = g(*p.args), p.hand_grad(*p.args)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-12)
    src = srcad.source(g, args=p.args)
    rev = src[src.index("# reverse sweep") :]
    assert "pow_dx" not in rev  # (2 g) * z: one full-size product
    lines = [s.strip() for s in rev.splitlines()]  # (the sweep is under ``with np.errstate``)
    at = next(i for i, s in enumerate(lines) if s.startswith("bz = "))
    assert lines[at - 1].endswith("[:, :, None]") and "np.expand_dims(" not in rev  # 2 * 0.5 = 1
    assert "np.sum(bz, axis=(0,), keepdims=True)" in rev  # sum over n before multiplying
    bmeans = rev.split("bmeans = ")[1].splitlines()[0]
    assert "getitem_vjp" not in rev and bmeans.endswith("[0, :, :]")
    assert "ext_weights" not in rev and "expand_reduced" not in rev  # the max of log-sum-exp


def mid_axis(a, w):
    return np.sum(np.sin(np.sum(a * a, axis=1)) * w)


def two_axes(a, w):
    return np.sum(np.sum(a**2, axis=(0, 2)) * w)


def last_axis(a, w):
    return np.sum(np.cos(np.sum(a * a, axis=-1)) * w)


@pytest.mark.parametrize(
    "f, shapes, idx",
    [
        (mid_axis, [((3, 4, 2), (3, 2)), ((1, 4, 1), (3, 2)), ((3, 1, 2), (1, 1))], "[:, None]"),
        (two_axes, [((3, 4, 2), (4,)), ((1, 4, 1), (1,)), ((3, 1, 2), (5,))], "[None, :, None]"),
        (last_axis, [((3, 4), (3,)), ((3, 1), (1,)), ((1, 4), (3,))], "[:, None]"),
    ],
)
def test_reduced_axes_kept_by_indexing(f, shapes, idx):
    """``sum_vjp(g, a, axis) * y``: `g` with its reduced axes put back by indexing with None,
    as a person writes it (not ``np.expand_dims``, microseconds of Python a call); one code
    for sizes with and without 1s, the numbers those of central differences."""
    rng = np.random.default_rng(4)
    g = srcad.grad(f, wrt=(0, 1))
    for sh in shapes:
        args = tuple(rng.standard_normal(s) for s in sh)
        got = g(*args)
        for k in range(2):
            want = _ref_grad(f, args, k)
            np.testing.assert_allclose(got[k], want, rtol=1e-6, atol=1e-7, err_msg=str(sh))
    rev = srcad.source(g, args=args).split("# reverse sweep")[1]
    assert idx in rev and "expand_dims" not in rev


def half_sq(a, w):
    return np.sum(np.sin(w - 0.5 * np.sum(a**2, axis=1)))


def scaled_sq(a, w):
    return np.sum(np.sin(w + np.sum(a**2, axis=-1) * 0.3))


def int_sq(a, w):
    return np.sum(np.cos(3 * np.sum(a**2, axis=0) * w))


@pytest.mark.parametrize(
    "f, shapes, line",
    [
        (half_sq, [((3, 4), (3,)), ((1, 4), (3,)), ((3, 1), (1,))], "_t6 = _t5[:, None]"),
        (scaled_sq, [((3, 4), (3,)), ((3, 1), (1,))], "_t6 = (0.6 * _t5)[:, None]"),
        (int_sq, [((3, 4), (4,)), ((1, 4), (1,))], "_t6 = (6.0 * _t5)[None]"),
    ],
)
def test_number_times_square_derivative_is_one_product(f, shapes, line):
    """``n * np.sum(a ** 2, axis)``: the reduction's cotangent ``v * n`` times ``pow_dx(a, 2)``
    is ``(2 n) v`` times `a`, one small product (none for n = 0.5); the numbers those of
    central differences for sizes with and without 1s."""
    rng = np.random.default_rng(6)
    g = srcad.grad(f, wrt=(0, 1))
    for sh in shapes:
        args = tuple(rng.standard_normal(s) for s in sh)
        got = g(*args)
        for k in range(2):
            want = _ref_grad(f, args, k)
            np.testing.assert_allclose(got[k], want, rtol=1e-6, atol=1e-7, err_msg=str(sh))
    rev = srcad.source(g, args=args).split("# reverse sweep")[1]
    assert line in rev and "2.0 *" not in rev and "pow_dx" not in rev


def test_no_views_when_something_is_updated_in_place():
    rng = np.random.default_rng(5)
    args = (rng.standard_normal((4, 3)), rng.standard_normal(3))
    g = srcad.grad(with_loop, wrt=(0, 1))
    g(*args)
    rev = srcad.source(g, args=args).split("# reverse sweep")[1]
    assert "add_at(" in rev  # an accumulator updated in place...
    assert "bm = _srcad.getitem_vjp(" in rev  # ... so m[None, :]'s cotangent is no view


def test_mlp_gradient_as_written_by_hand():
    p = next(p for p in problems.problems() if p.name.startswith("MLP"))
    g = srcad.grad(p.f, wrt=p.wrt)
    for a, b in zip(g(*p.args), p.hand_grad(*p.args)):
        np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-13)
    rev = srcad.source(g, args=p.args).split("# reverse sweep")[1]
    assert "matmul_vjp(" not in rev and "X.T" in rev and "W2.T" in rev  # (checked: finite50)
    assert rev.rstrip().endswith("return _t8, grads")


def test_matmul_of_a_vector_is_an_outer_product():
    """(3, 2) @ (2,): ``np.outer(g, v)`` and ``t.T @ g``, no helper (it kept `matmul_vjp`)."""
    rng = np.random.default_rng(2)
    args = (rng.standard_normal((3, 4)), rng.standard_normal((4, 2)), rng.standard_normal(2))
    g = srcad.grad(mat_chain, wrt=(0, 1, 2))
    rev = srcad.source(g, args=args).split("# reverse sweep")[1]
    assert rev.count("matmul_vjp(") == 0 and rev.count("np.outer(") == 1, rev  # (checked ones)
    assert rev.count(".T") == 3  # a @ w: 2-D both; t @ v: t.T @ g
    for k, got in enumerate(g(*args)):  # the grad path (check_grads' are jvp and vjp)
        want = np.zeros_like(args[k])
        for i in np.ndindex(want.shape):
            up, dn = [a.copy() for a in args], [a.copy() for a in args]
            up[k][i] += 1e-6
            dn[k][i] -= 1e-6
            want[i] = (mat_chain(*up) - mat_chain(*dn)) / 2e-6
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-8)


def test_shapes_through_branches_and_loops():
    """Loop carries and ``if`` results keep the shapes every path agrees on; the reverse loop
    reads shapes from its tape: only the unbroadcasts where x's and y's shapes first meet stay."""
    rng = np.random.default_rng(4)
    args = (rng.standard_normal(3), rng.standard_normal(3))
    src = srcad.source(branch_loop, wrt=(0, 1), args=args)
    assert src.count("unbroadcast(") == 6, src  # 23 without the joins


@pytest.mark.parametrize(
    "args",
    [((3,), (3,)), ((1,), (3,)), ((2, 3), (3,)), ((), (3,)), (0.5, (3,)), (0.5, 0.25)],
    ids=str,
)
def test_unknown_ranks(args):
    """The default Spec() (arrays or numbers of any rank): the same generated function for all,
    exact for each; fewer helper calls than there are broadcasting operations."""
    from srcad.backend.cache import compile_transform
    from srcad.backend.driver import Mode, Request, Spec

    rng = np.random.default_rng(6)
    vals = tuple(a if type(a) is float else rng.standard_normal(a) for a in args)
    c = compile_transform(Request(branch_loop, Mode.GRAD, (0, 1), Spec()))
    # (Spec(): no argument values, the version for arrays: no operand guards on the carries)
    assert c.source.count("unbroadcast(") == 6, c.source
    _check(c.fn, branch_loop, vals)


def _check(fn, f, vals):
    value, got = fn(*vals)
    assert value == pytest.approx(f(*vals))
    for k in range(2):
        want = _ref_grad(f, vals, k)
        np.testing.assert_allclose(got[k], want, rtol=1e-6, atol=1e-7)
        assert np.shape(got[k]) == np.shape(vals[k])


@pytest.mark.parametrize(
    "args", [((2,), (3,)), ((2, 3), (3,)), ((2, 1), (3,)), ((3,), (1,))], ids=str
)
def test_unknown_ranks_indexed(args):
    """Indexing a parameter of unknown rank gives an array or NumPy scalar of a shape of its own;
    a Python float cotangent (the seed) needs no helper."""
    from srcad.backend.cache import compile_transform
    from srcad.backend.driver import Mode, Request, Spec

    rng = np.random.default_rng(7)
    vals = tuple(a if type(a) is float else rng.standard_normal(a) for a in args)
    c = compile_transform(Request(indexed, Mode.GRAD, (0, 1), Spec()))
    assert "unbroadcast(1.0" not in c.source
    _check(c.fn, indexed, vals)
