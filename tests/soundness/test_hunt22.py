"""Session 22 (hunt22): what the hunt over statistics, ML and numerical programs found.

- A float32 (or any non-float64) array argument copied into a loop carry, then written by a slice
  (the explicit heat step ``un = u.copy(); un[1:-1] = ...; u = un``): the receiver of
  ``u.copy()`` is of unknown class for such an argument, so it went through
  ``_srcad.plain_receiver``, whose result the sequence analysis (ad/seqs.py) did not know: the
  carry might be a list, and the slice write was refused ("no reverse-mode derivative of a slice
  assignment into a list"). The guard returns its operand: same kind now.
- A NumPy float scalar argument (``np.float64(0.7)``, ``np.float32(0.7)``, what ``x.mean()`` or
  ``params[0]`` gives) updated with ``op=`` through another name (``acc = x; acc *= 1.5`` in a
  loop, ``t = [x, 2 * x]; t[0] += t[1]``): refused as an in-place update of the caller's object,
  although NumPy scalars are immutable like Python floats (a 0-d array is still refused: its
  ``+=`` does change the caller's array).
- The same for items of a float32 (any non-float64) 1-D array argument: ``c = 0.0; c += ka * dt;
  if c > m: m = c`` with ``ka = p[0]`` (a pharmacokinetic loop), ``s *= 1 - h[t]; surv.append(s)``
  (Kaplan-Meier), ``params = {"b": x[3]}; params["b"] -= ...``: the mutation check knew the ranks
  of float64 arrays only, so ``x[0]`` of a float32 array might have been a row. `Spec.arrays`
  now gives it the ranks of the other arrays of numbers (a 2-D array's row is still refused).
- WRONG DERIVATIVES: an object array used as a container (``O = np.empty(n, dtype=object)`` or
  ``np.array([None] * n)``, then ``O[i] = w[i] ** 2``): the derivative of what ``O[i] = v``
  stores was dropped (zero gradient, zero tangent, at every order), as if `O` were an int array
  truncating `v`: `_srcad.is_inexact` took only float and complex arrays for exact stores; an
  object array keeps `v` itself.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def heat_steps(u0):
    u = u0.copy()
    for _ in range(3):
        un = u.copy()
        un[1:-1] = u[1:-1] + 0.3 * (u[2:] - 2 * u[1:-1] + u[:-2])
        un[0] = 0.0
        un[-1] = un[-2]
        u = un
    return np.sum(u**2) + u[2]


def copy_carry_slice(u0):
    u = u0.copy()
    for _ in range(2):
        un = u.copy()
        un[1:-1] = u[1:-1] * 0.3
        u = un
    return np.sum(u**2)


def _expected(f, x):
    return srcad.grad(f)(x.astype(np.float64))


@pytest.mark.parametrize("f", [heat_steps, copy_carry_slice])
@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.int64])
def test_non_float64_array_copied_into_a_loop_then_slice_written(f, dtype):
    x = np.array([0.5, 1.0, -2.0, 3.0, 1.5, -1.0])
    xd = x.astype(dtype)
    want = _expected(f, xd)
    if dtype is np.int64:
        with pytest.raises(srcad.SrcadError):
            srcad.grad(f)(xd)
        return
    g = srcad.grad(f)(xd)
    np.testing.assert_allclose(np.asarray(g, float), want, rtol=2e-2, atol=2e-2)
    v = np.linspace(-1, 1, 6)
    _, hv = srcad.hvp(f, [xd], [v.astype(dtype)])
    _, hv64 = srcad.hvp(f, [xd.astype(np.float64)], [v])
    np.testing.assert_allclose(np.asarray(hv, float), hv64, rtol=2e-2, atol=2e-2)


def alias_then_iadd(x):
    y = x
    y += 1.0
    return y * x


def list_item_iadd(x):
    t = [x, x * 2.0]
    t[0] += t[1]
    return t[0] * x


def running_product(x):
    acc = x
    for _ in range(3):
        acc *= 1.5
    return acc + x


@pytest.mark.parametrize(
    "f, d1, d2",
    [
        (alias_then_iadd, lambda x: 2 * x + 1, lambda x: 2.0),
        (list_item_iadd, lambda x: 6 * x, lambda x: 6.0),
        (running_product, lambda x: 1.5**3 + 1, lambda x: 0.0),
    ],
)
@pytest.mark.parametrize("conv", [float, np.float64, np.float32])
def test_numpy_scalar_argument_rebound_by_augmented_assignment(f, d1, d2, conv):
    x = conv(0.7)
    assert srcad.grad(f)(x) == pytest.approx(d1(0.7), rel=1e-6)
    assert srcad.grad(srcad.grad(f))(x) == pytest.approx(d2(0.7), abs=1e-6)
    assert srcad.hessian(f)(x) == pytest.approx(d2(0.7), abs=1e-6)
    assert srcad.jvp(f, (x,), (conv(1.0),))[1] == pytest.approx(d1(0.7), rel=1e-6)


def test_zero_d_array_argument_updated_through_an_alias():
    # a 0-d array argument: ``y = x; y += 1.0`` updates it in place, `x` sees it (refused
    # before iter41c: lower/opfork.py; the caller's array written back as Python's)
    x, want = np.array(0.7), np.array(0.7)
    assert float(srcad.grad(alias_then_iadd)(x)) == pytest.approx(2 * (0.7 + 1.0))
    alias_then_iadd(want)
    assert float(x) == pytest.approx(float(want))


def pk_loop(p):
    ka = p[0]
    c = 0.0
    m = 0.0
    for _ in range(3):
        c += ka * 0.1
        if c > m:
            m = c
    return m + c * p[1]


def km_product(h):
    s = 1.0
    surv = []
    for t in range(3):
        s *= 1 - h[t] * 0.1
        surv.append(s)
    return sum(surv)


def dict_sgd(x):
    params = {"w": x[:3].copy(), "b": x[3]}
    for _ in range(2):
        params["b"] -= 0.01 * params["b"]
    return params["b"] + params["w"].sum()


def row_alias(A):
    r = A[0]
    r += 1.0
    return np.sum(r) + np.sum(A)


@pytest.mark.parametrize("f", [pk_loop, km_product, dict_sgd])
@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_item_of_a_non_float64_array_rebound_by_augmented_assignment(f, dtype):
    x = np.array([0.5, 0.2, 0.3, 0.4])
    want = srcad.grad(f)(x)
    g = srcad.grad(f)(x.astype(dtype))
    np.testing.assert_allclose(np.asarray(g, float), want, rtol=1e-2, atol=1e-3)
    assert srcad.primal(f)(x.astype(dtype)) == pytest.approx(f(x), rel=1e-2)
    v = np.array([1.0, -1.0, 0.5, 0.3])
    _, hv = srcad.hvp(f, [x.astype(dtype)], [v.astype(dtype)])
    np.testing.assert_allclose(np.asarray(hv, float), srcad.hvp(f, [x], [v])[1], atol=1e-2)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
def test_row_of_a_2d_array_updated_in_place_is_still_refused(dtype):
    A = np.arange(6.0).reshape(2, 3).astype(dtype)
    with pytest.raises(srcad.SrcadError, match="in place"):
        srcad.primal(row_alias)(A)


def object_scalars(x):
    box = np.empty(2, dtype=object)
    box[0] = x
    box[1] = 2.0 * x
    return box[0] * box[1]


def object_arrays(w):
    box = np.empty(2, dtype=object)
    box[0] = w * 2.0
    box[1] = np.sin(w)
    return np.sum(box[0] * box[1])


def object_filled_in_loop(w):
    box = np.array([None, None])
    for i in range(2):
        box[i] = w[i] ** 2
    return box[0] + box[1] * 3.0


def object_of_lists(x):
    box = np.empty(2, dtype=object)
    box[0] = [x, 1.0]
    box[1] = [2.0, x]
    lst = box[0] + box[1]
    return lst[0] * lst[3] + lst[1]


def test_object_array_container_scalar():
    assert srcad.grad(object_scalars)(0.7) == pytest.approx(2.8)
    assert srcad.jvp(object_scalars, (0.7,), (1.0,))[1] == pytest.approx(2.8)
    assert srcad.grad(srcad.grad(object_scalars))(0.7) == pytest.approx(4.0)
    assert srcad.hessian(object_scalars)(0.7) == pytest.approx(4.0)


@pytest.mark.parametrize(
    "f, d1",
    [
        (object_arrays, lambda w: 2 * np.sin(w) + 2 * w * np.cos(w)),
        (object_filled_in_loop, lambda w: np.array([2 * w[0], 6 * w[1]])),
    ],
)
def test_object_array_container_arrays(f, d1):
    w = np.array([0.3, 0.5])
    np.testing.assert_allclose(srcad.grad(f)(w), d1(w), rtol=1e-12)
    np.testing.assert_allclose(srcad.jacfwd(f)(w), d1(w), rtol=1e-12)
    eps = 1e-6
    H = np.array(
        [(srcad.grad(f)(w + eps * e) - srcad.grad(f)(w - eps * e)) / (2 * eps) for e in np.eye(2)]
    )
    np.testing.assert_allclose(srcad.hessian(f)(w), H, atol=1e-7)


def test_object_array_of_lists_forward_mode():
    assert srcad.jvp(object_of_lists, (0.7,), (1.0,))[1] == pytest.approx(1.4)
