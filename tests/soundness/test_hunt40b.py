"""Held-out-style hunt (session 40, hunt40b): API compositions and higher order.

- Wrong derivative: a Jacobian or Hessian by columns (`srcad.hessian`, `srcad.jacfwd`, a
  derivative of a derivative) of a function drawing random numbers through a call the draw
  check (passes/draws.py) did not follow ran with another draw in every column: a draw in a
  function given to an inner ``srcad.grad`` (``srcad.grad(lambda y: ... random.random())``), in
  the primal of a ``srcad.custom_vjp``, in a method of a module-level object
  (``self.rng.uniform()`` behind ``nz(x)`` or ``nz.m(x)``), or in a function passed as an
  argument (``f(x, act)``). The Hessian's diagonal held a different draw per entry. The walk
  now follows the function behind a srcad derivative or custom rule (``__srcad_wrapped__``, and
  the rule functions), a bound method (its ``self`` known, so ``self.rng``'s class decides) or
  a callable object's ``__call__``, and a call of a parameter is a site decided by the function
  passed.
- Spurious refusal: a module-level function given to a helper that differentiates it
  (``def step(loss, w): return w - 0.1 * srcad.grad(loss)(w)``, called ``step(inner_loss,
  w)``): the helper was lowered on its own, where `loss` is a parameter, and ``srcad.grad``'s
  function must be known ("must be known when srcad transforms this code"); a lambda was
  fine. A helper whose code names a derivative maker is now inlined when given a module-level
  function by name (lower/fnargs.takes_functions), so the maker sees the function.
- Missing API (JAX's): ``srcad.hessian(f, has_aux=True)`` was a TypeError, and
  ``srcad.jacfwd(srcad.grad(f, has_aux=True), has_aux=True)`` (jacrev too) was refused ("a
  derivative srcad made"). `higher.jacobian_of` takes `has_aux`: the derivative's value is a
  pair, its Jacobian is taken of the first part and the second is returned as it is.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

import srcad

X3 = np.array([0.5, -1.0, 2.0])


def _inner_grad_draws(x):
    inner = lambda y: np.sum(y**2 * random.random())  # noqa: E731
    return srcad.grad(inner)(x) @ x


@srcad.custom_vjp
def _noisy(x):
    return x * np.random.rand()


_noisy.defvjp(lambda x: (_noisy(x), None), lambda r, g: (g,))


def _custom_draws(x):
    return np.sum(_noisy(x) ** 2)


class _Noise:
    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)

    def __call__(self, x):
        return x * self.rng.uniform(size=x.shape)

    def scale(self, x):
        return x * self.rng.uniform()


_NZ = _Noise(0)


def _object_call_draws(x):
    return np.sum(_NZ(x) ** 3)


def _method_draws(x):
    return np.sum(_NZ.scale(x) ** 3)


def _argument_draws(x, act):
    return np.sum(act(x) ** 2)


@pytest.mark.parametrize(
    "f, args",
    [
        (_inner_grad_draws, (X3,)),
        (_custom_draws, (X3,)),
        (_object_call_draws, (X3,)),
        (_method_draws, (X3,)),
        (_argument_draws, (X3, lambda z: z * np.random.rand())),
    ],
)
def test_column_derivative_of_hidden_draws_refused(f, args):
    with pytest.raises(srcad.SrcadError, match="draw other random numbers"):
        srcad.hessian(f)(*args)
    with pytest.raises(srcad.SrcadError, match="draw other random numbers"):
        srcad.jacfwd(srcad.grad(f))(*args)


class _Dist:
    def __init__(self, mu):
        self.mu = mu

    def normal(self, x):  # a user's method named as a generator's: no draw
        return np.sum((x - self.mu) ** 2)

    def __call__(self, x):
        return self.normal(x) * 2.0


_D = _Dist(np.ones(3))


def _user_normal(x):
    return _D.normal(x) * 3.0 + _D(x)


def _seeded_argument(x, act):
    return np.sum(act(x))


def test_no_draw_still_differentiated():
    assert np.allclose(srcad.hessian(_user_normal)(X3), 10.0 * np.eye(3))
    assert np.allclose(srcad.hessian(_argument_draws)(X3, lambda z: z**2), np.diag(12.0 * X3**2))
    assert np.allclose(
        srcad.hessian(_argument_draws)(X3, np.tanh),
        srcad.hessian(lambda x: np.sum(np.tanh(x) ** 2))(X3),
    )
    seeded = lambda z: z**3 * np.random.default_rng(0).uniform()  # noqa: E731
    c = np.random.default_rng(0).uniform()
    assert np.allclose(srcad.hessian(_seeded_argument)(X3, seeded), np.diag(6.0 * c * X3))


def _step(loss, w):
    return w - 0.1 * srcad.grad(loss)(w)


def _inner_loss(u):
    return np.sum(np.cos(u) * u**2)


def _unrolled_descent(w0):
    w = w0
    for _ in range(3):
        w = _step(_inner_loss, w)
    return np.sum(w**2)


def _step_by_value(w0):
    return np.sum(_step(_inner_loss, w0) ** 2)


@pytest.mark.parametrize("f", [_unrolled_descent, _step_by_value])
def test_helper_differentiating_a_module_level_function(f):
    from srcad.testing import check_grads

    check_grads(f, (X3,), modes=("fwd", "rev"), order=2)


def _loss_aux(a, b):
    return np.sum(np.sin(a) ** 2 * b**3), {"c": np.cos(a), "tag": "t"}


def _hess(a, b):  # the Hessian of the loss, by hand
    t = np.cos(2 * a)
    haa = np.diag(2 * t * b**3)
    hab = np.diag(np.sin(2 * a) * 3 * b**2)
    hbb = np.diag(np.sin(a) ** 2 * 6 * b)
    return haa, hab, hbb


def test_hessian_has_aux():
    b = np.array([1.2, 0.7, -0.4])
    haa, hab, hbb = _hess(X3, b)
    H, aux = srcad.hessian(_loss_aux, has_aux=True)(X3, b)
    assert np.allclose(H, haa) and np.allclose(aux["c"], np.cos(X3)) and aux["tag"] == "t"
    (H2, aux2) = srcad.hessian(_loss_aux, argnums=(0, 1), has_aux=True)(X3, b)
    assert np.allclose(H2[0][0], haa) and np.allclose(H2[0][1], hab)
    assert np.allclose(H2[1][1], hbb) and aux2["tag"] == "t"
    for jac in (srcad.jacfwd, srcad.jacrev):
        J, aux3 = jac(srcad.grad(_loss_aux, wrt=1, has_aux=True), wrt=1, has_aux=True)(X3, b)
        assert np.allclose(J, hbb) and np.allclose(aux3["c"], np.cos(X3))
    # a third derivative of it: jacfwd of the Hessian, the aux passed through again
    T, aux4 = srcad.jacfwd(srcad.hessian(_loss_aux, has_aux=True), has_aux=True)(X3, b)
    eps = 1e-6
    fd = (_hess(X3 + eps * np.eye(3)[1], b)[0] - _hess(X3 - eps * np.eye(3)[1], b)[0]) / (2 * eps)
    assert np.allclose(T[:, :, 1], fd, atol=1e-6) and aux4["tag"] == "t"
