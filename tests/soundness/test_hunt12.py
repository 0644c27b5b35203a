"""Soundness hunt 12: crashes and wrong results found by probes written like users' code and by
the order-2 fuzz campaigns (seeds 19300000-19399999).

- Crash: a ``bytes`` constant a called helper returns (``mk(x)`` returning ``b"..."``, a dict of
  lambdas one of which does) is a varied call result; its tangent was None
  (rules/trees.zeros_like), so ``bs[0]``, ``for c in bs`` and ``sum(bs)`` of the tangent failed
  ("'NoneType' object is not subscriptable"), and its cotangent was a 0-d array
  (rules/indexing.getitem_vjp). A bytes value is a sequence of ints, like a range: its tangent
  is a tuple of zeros, its items get no cotangent.
- Crash: grad of grad of ``state = state.copy(); state["last"] = float(x[0]); ... state["n"]``:
  the first reverse sweep's ``getitem_vjp(g, state, "n")`` is a dict whose other entries are None;
  the second level read ``bbstate["n"]`` of such a dict, None ("unsupported operand type(s) for
  *: 'NoneType' and 'float'"). The transposes of `getitem_vjp` and `add_at` read the entry with
  `elem`, a zero where the cotangent holds none.
- WRONG value and derivative: the three-argument builtin ``pow(b, e, mod)`` was emitted as
  ``b ** e`` (backend/text.op_text writes the `pow` primitive as the operator), so
  ``x * pow(3, 2, 5)`` was 9 x (Python: 4 x), primal included. It is now written as the
  builtin's call (and `pow` a name the generated code keeps: a local named `pow` is renamed).
- WRONG gradient (and a crash): ``np.ravel(a, 'A')``, ``a.flatten('A')``, ``np.reshape(a, s,
  order='A')`` of a Fortran-ordered `a` (a transpose, ``copy(order='F')``) read `a` in F order,
  but their rules reshaped the tangent or cotangent with order 'A' too, which follows the
  tangent's own layout (a fresh cotangent is C-ordered): the gradient came back permuted. Order
  'K' crashed ("order 'K' is not permitted for reshaping"). The rules now take the order from
  the primal's layout (rules/shape_vjp.layout_order; 'K' of other strides by the memory
  permutation: ravel_order / ravel_order_vjp).
- Crash: ``sum(rows, [])`` (flattening a list of lists; tuples with ``()``) in jvp ("float +
  list": the elements' tangents summed from 0.0) and grad (each element's cotangent was the
  whole list's). sum's rules now concatenate when `start` is a list or tuple: each term is the
  whole result's tangent, `start`'s part first, and the cotangent is split at the lengths
  (rules/builtins.iter_sum_vjp, iter_sum_start_vjp).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

V4 = np.array([0.31, -0.72, 1.13, 0.57])


def _fd(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


# -- bytes from a helper ---------------------------------------------------------------------------
_TABLE = {"b": lambda x: b"ab"}


def _weigh(item, x):
    return x * item[0] + x * len(item)


def _bytes_from_dict(x):
    return _weigh(_TABLE["b"](x), x)


def _codes(x):
    return b"\x01\x02\x05"


def _bytes_iterated(x):
    bs = _codes(x)
    return sum(c * x for c in bs) + x * bs[1:][0] ** 2


def _bytes_enumerated(x):
    bs = _codes(x)
    t = 0.0
    for i, c in enumerate(bs):
        t = t + c * x**i
    return t + float(bs[-1]) * x


def _bytes_in_dict(x):
    d = {"k": _codes(x), "v": x}
    return d["v"] * max(d["k"]) + sum(d["k"]) * x**2


BYTES = [_bytes_from_dict, _bytes_iterated, _bytes_enumerated, _bytes_in_dict]


@pytest.mark.parametrize("f", BYTES, ids=[f.__name__ for f in BYTES])
def test_bytes_from_helper(f) -> None:
    for x in (0.7, 2.0):
        want = _fd(f, x)
        out, t = srcad.jvp(f, (x,), (1.0,))
        assert out == pytest.approx(f(x), rel=1e-12)
        assert t == pytest.approx(want, rel=1e-6)
        assert srcad.grad(f)(x) == pytest.approx(want, rel=1e-6)
        g = srcad.grad(f)
        assert srcad.hvp(f, (x,), (1.0,))[1] == pytest.approx(_fd(g, x), rel=1e-5, abs=1e-8)


# -- grad of grad through a dict copy whose other entry is written ---------------------------------
def _dict_copy_loss(x, state):
    state = state.copy()
    state["last"] = float(x[0])
    return np.sum(x**3) * state["n"]


def test_grad_of_grad_dict_copy() -> None:
    s = {"n": 2, "last": 0.0}
    outer = srcad.grad(lambda z, st: np.sum(srcad.grad(_dict_copy_loss)(z, st) ** 2))
    np.testing.assert_allclose(outer(V4.copy(), s), 4 * 36 * V4**3, rtol=1e-12)
    assert s == {"n": 2, "last": 0.0}
    np.testing.assert_allclose(srcad.hessian(_dict_copy_loss)(V4.copy(), s), np.diag(12 * V4))


# -- pow(b, e, mod) ------------------------------------------------------------------------------
def _pow_mod_const(x):
    return x * pow(3, 2, 5)


def _pow_mod_int(x):
    n = int(x * 10)
    return x * pow(n, 3, mod=7) + pow(n, 500, 13) * x**2


def _pow_mod_helper(n, x):
    return pow(n, 3, 7) * x


def _pow_mod_shadowed(x):
    pow = x * 2.0  # noqa: A001 - a local named pow next to an inlined pow(b, e, mod)
    return pow * _pow_mod_helper(4, x) + x


POW = [_pow_mod_const, _pow_mod_int, _pow_mod_shadowed]


@pytest.mark.parametrize("f", POW, ids=[f.__name__ for f in POW])
def test_pow_with_modulus(f) -> None:
    for x in (0.34, 0.77):
        assert srcad.primal(f)(x) == pytest.approx(f(x), rel=1e-12)
        want = _fd(f, x)
        assert srcad.grad(f)(x) == pytest.approx(want, rel=1e-6)
        assert srcad.jvp(f, (x,), (1.0,))[1] == pytest.approx(want, rel=1e-6)


# -- ravel / flatten / reshape with order 'A' or 'K' of a Fortran-ordered or strided array ------
_W6 = np.arange(6.0) + 1.0


def _ravel_a_of_transpose(x):
    return np.sum(np.ravel(x.reshape(2, 3).T, "A") * _W6)


def _ravel_k_of_transpose(x):
    return np.sum(np.ravel(x.reshape(2, 3).T, "K") * _W6)


def _flatten_a_of_transpose(x):
    return np.sum(x.reshape(2, 3).T.flatten("A") * _W6)


def _reshape_a_of_transpose(x):
    return np.sum(np.reshape(x.reshape(2, 3).T, (2, 3), order="A") * _W6.reshape(2, 3))


def _ravel_a_of_fortran_copy(x):
    return np.sum(x.reshape(2, 3).copy(order="F").ravel(order="A") * _W6)


def _ravel_k_of_strided(x):
    m = np.concatenate([x, x**2]).reshape(3, 4)[::-1, ::2]
    return np.sum(m.ravel("K") * _W6) + np.sum(np.ravel(m.T, "K") ** 2 * _W6)


ORDERS = [_ravel_a_of_transpose, _ravel_k_of_transpose, _flatten_a_of_transpose,
          _reshape_a_of_transpose, _ravel_a_of_fortran_copy, _ravel_k_of_strided]  # fmt: skip


@pytest.mark.parametrize("f", ORDERS, ids=[f.__name__ for f in ORDERS])
def test_layout_orders(f) -> None:
    x = np.linspace(0.1, 0.6, 6)
    want = np.array([(f(x + 1e-6 * e) - f(x - 1e-6 * e)) / 2e-6 for e in np.eye(6)])
    np.testing.assert_allclose(srcad.grad(f)(x.copy()), want, rtol=1e-6, atol=1e-8)
    jac = np.array([srcad.jvp(f, (x.copy(),), (e,))[1] for e in np.eye(6)])
    np.testing.assert_allclose(jac, want, rtol=1e-6, atol=1e-8)
    hv = srcad.hvp(f, (x.copy(),), (np.ones(6),))[1]
    g = srcad.grad(f)
    np.testing.assert_allclose(hv, (g(x + 1e-5) - g(x - 1e-5)) / 2e-5, rtol=1e-5, atol=1e-7)


# -- sum(rows, []) concatenates ------------------------------------------------------------------
def _sum_lists(x):
    return sum([[x], [2 * x]], [])[1] * 3 + x


def _sum_lists_start(x):
    flat = sum([[x, x**2], [3 * x]], [1.0])
    return flat[0] * flat[2] + flat[1] * flat[3] + flat[1]


def _sum_tuples_varied_start(x):
    t = sum(((x,), (x**2, 1.0)), (x**3,))
    return t[1] * t[2] + t[0] * t[3]


def _sum_rows_enumerated(x):
    flat = sum([[x * k, x**k] for k in range(1, 4)], [])
    return sum(v * (i + 1) for i, v in enumerate(flat))


def _sum_numbers_start(x):
    return sum([x, x**2, 3.0], 2.0 * x) + sum(np.array([x, 1.0]) ** 2)


SUMS = [_sum_lists, _sum_lists_start, _sum_tuples_varied_start, _sum_rows_enumerated,
        _sum_numbers_start]  # fmt: skip


@pytest.mark.parametrize("f", SUMS, ids=[f.__name__ for f in SUMS])
def test_sum_concatenates(f) -> None:
    for x in (0.7, 1.3):
        want = _fd(f, x)
        assert srcad.jvp(f, (x,), (1.0,))[1] == pytest.approx(want, rel=1e-6)
        assert srcad.grad(f)(x) == pytest.approx(want, rel=1e-6)
        g = srcad.grad(f)
        assert srcad.hvp(f, (x,), (1.0,))[1] == pytest.approx(_fd(g, x), rel=1e-5, abs=1e-8)
