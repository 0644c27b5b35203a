"""Session 45 (fuzz45): wrong values found by attacking session 44's lowering code.

``with`` on a context manager that swallows the body's exception (lower/withs.py): Python
leaves the body at the raise and goes on after the block; the lowered body has no such exit
(DCE drops the dead raising statement) and ran on. Each must be refused, as the managers with
``except`` around their ``yield`` are: a ``contextmanager`` generator whose ``finally`` returns
or breaks, or that delegates with ``yield from`` to a generator catching it; an ``__exit__``
that is a generator function (its result, a generator, is truthy) or wrapped by a decorator
(the source read is the wrapped def's); a class whose ``__new__`` or metaclass ``__call__``
gives an object of another class, whose ``__exit__`` is the one Python calls.
"""

from __future__ import annotations

import contextlib
import functools

import numpy as np
import pytest

import srcad

X = np.array([0.3, -0.4, 0.8])


@contextlib.contextmanager
def _finally_return():
    try:
        yield
    finally:
        return  # noqa: B012 (swallows the body's exception)


@contextlib.contextmanager
def _finally_break():
    for _ in range(1):
        try:
            yield
        finally:
            break  # noqa: B012


def _catching():
    try:
        yield
    except KeyError:
        pass


@contextlib.contextmanager
def _delegating():
    yield from _catching()


class _GenExit:
    def __enter__(self):
        return self

    def __exit__(self, t, v, tb):
        if False:
            yield  # (a generator function: `__exit__` returns a generator, truthy)


def _swallow(f):
    @functools.wraps(f)
    def wrapper(*a):
        f(*a)
        return True

    return wrapper


class _DecoratedExit:
    def __enter__(self):
        return self

    @_swallow
    def __exit__(self, t, v, tb):
        return None


class _Swallower:
    def __enter__(self):
        return self

    def __exit__(self, t, v, tb):
        return True


class _NewGivesOther:
    def __new__(cls):
        return _Swallower()

    def __enter__(self):
        return self

    def __exit__(self, t, v, tb):
        return None


class _Meta(type):
    def __call__(cls, *a):
        return _Swallower()


class _MetaGivesOther(metaclass=_Meta):
    def __enter__(self):
        return self

    def __exit__(self, t, v, tb):
        return None


def finally_return(x):
    y = x * 2.0
    with _finally_return():
        y = y * 3.0
        _ = {"a": 1.0}["b"]
        y = y * 5.0
    return np.sum(y**2)


def finally_break(x):
    y = x * 2.0
    with _finally_break():
        y = y * 3.0
        _ = {"a": 1.0}["b"]
        y = y * 5.0
    return np.sum(y**2)


def delegating(x):
    y = x * 2.0
    with _delegating():
        y = y * 3.0
        _ = {"a": 1.0}["b"]
        y = y * 5.0
    return np.sum(y**2)


def gen_exit(x):
    y = x * 2.0
    with _GenExit():
        y = y * 3.0
        _ = {"a": 1.0}["b"]
        y = y * 5.0
    return np.sum(y**2)


def decorated_exit(x):
    y = x * 2.0
    with _DecoratedExit():
        y = y * 3.0
        _ = {"a": 1.0}["b"]
        y = y * 5.0
    return np.sum(y**2)


def new_gives_other(x):
    y = x * 2.0
    with _NewGivesOther():
        y = y * 3.0
        _ = {"a": 1.0}["b"]
        y = y * 5.0
    return np.sum(y**2)


def meta_gives_other(x):
    y = x * 2.0
    with _MetaGivesOther():
        y = y * 3.0
        _ = {"a": 1.0}["b"]
        y = y * 5.0
    return np.sum(y**2)


SWALLOWING = [
    finally_return,
    finally_break,
    delegating,
    gen_exit,
    decorated_exit,
    new_gives_other,
    meta_gives_other,
]


@pytest.mark.parametrize("fn", SWALLOWING, ids=lambda f: f.__name__)
def test_swallowing_managers_refused(fn):
    assert np.isclose(fn(X.copy()), np.sum((6.0 * X) ** 2))  # (Python: left at the raise)
    with pytest.raises(srcad.SrcadError):
        srcad.grad(fn)(X.copy())
    with pytest.raises(srcad.SrcadError):
        srcad.jacfwd(fn)(X.copy())


# -- squares of magnitudes of a vector made from a constant array (ad/squares.py, ranks.py) ------

C3 = [0.3, -1.2, 0.7]


def norm2_of_shifted(x):
    return np.linalg.norm(x - np.array([0.3, -1.2, 0.7]), 2) ** 2  # (a vector: its 2-norm)


def root_dot_of_shifted(x):
    d = x - np.array([0.3, -1.2, 0.7])
    return np.sqrt(d @ d) ** 2


def sin_of_root_dot(x):
    d = np.asarray([0.3, -1.2, 0.7]) - x
    return np.sin(np.sqrt(np.dot(d, d)) ** 2)


@pytest.mark.parametrize("fn", [norm2_of_shifted, root_dot_of_shifted, sin_of_root_dot],
                         ids=lambda f: f.__name__)  # fmt: skip
def test_square_of_magnitude_of_shifted_vector_at_zero(fn):
    """``np.array([...])`` of float constants is a 1-D float array: ``x - c`` of a vector `x`
    is one, so ``np.linalg.norm(x - c, 2) ** 2`` and ``np.sqrt(d @ d) ** 2`` are squares of its
    2-norm, smooth at ``x = c`` (Hessian 2I there, was 0: the 2-norm of a matrix is another)."""
    x = np.array(C3)
    want = 2.0 * np.eye(3)
    np.testing.assert_allclose(srcad.hessian(fn)(x.copy()), want, atol=1e-12)
    np.testing.assert_allclose(srcad.jacfwd(srcad.jacfwd(fn))(x.copy()), want, atol=1e-12)
    np.testing.assert_array_equal(srcad.grad(fn)(x.copy()), np.zeros(3))


def spectral_of_rows(x):
    m = np.array([[1.0, 2.0, 0.5], [0.0, 1.0, 3.0]]) * x  # (2-D: the largest singular value)
    return np.linalg.norm(m, 2) ** 2


def test_matrix_of_constants_keeps_spectral_norm():
    from srcad.testing import check_grads

    check_grads(spectral_of_rows, (np.array([0.3, -1.2, 0.7]),), modes=("fwd", "rev"), order=2)


# -- a square whose cotangent a mask selects (ad/squares.py `_masked`) ---------------------------


def root_square_after_early_return(x, t):
    d = x - np.array([0.3, -1.2, 0.7])
    s = np.sqrt(d @ d) ** 2
    if t > 0.5:
        return t  # (`s`'s cotangent: masked by the branch not taken)
    return s


def abs_square_in_where(x):
    return np.sum(np.where(x > 0, np.abs(np.log(np.abs(x) + (x <= 0))) ** 2, 0.0))


def test_masked_square_at_zero():
    """The square of a magnitude whose cotangent a ``np.where`` (an ``if`` returning early)
    masks had the chain rule's Hessian 0 at 0 (found by wild45 at order 2: seed 4510086); its
    smooth rule now masks its contributions instead, a log's nan outside kept out."""
    x = np.array(C3)
    want = 2.0 * np.eye(3)
    np.testing.assert_allclose(srcad.hessian(root_square_after_early_return)(x, 0.1), want)
    np.testing.assert_allclose(srcad.hessian(root_square_after_early_return)(x, 0.9), 0 * want)
    xs = np.array([1.0, -1.0, 2.0])  # (log of 1: 0; the masked -1: a finite gradient of 0)
    g = srcad.grad(abs_square_in_where)(xs)
    np.testing.assert_allclose(g, [0.0, 0.0, np.log(2.0)])
    np.testing.assert_allclose(
        np.diag(srcad.hessian(abs_square_in_where)(xs)),
        [2.0, 0.0, (1 - np.log(2.0)) / 2],
        rtol=1e-12,
    )
