"""srcad's derivatives on Dask arrays: the same generated code, run on chunked lazy arrays.

Gradients (grad, value_and_grad, vjp) and JVPs of a logistic regression and a GMM negative
log-likelihood on chunked Dask arrays equal NumPy's and central finite differences, stay Dask
arrays, and compute nothing until `.compute()` (a scheduler that refuses to run is in force while
srcad builds them); computed with the threaded scheduler and on a `dask.distributed.LocalCluster`.
What Dask cannot do (accumulating repeated indices) is refused with a SrcadError.
"""

from __future__ import annotations

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
import dask  # noqa: E402

import srcad  # noqa: E402
from srcad import SrcadError  # noqa: E402
from tests.arrays.problems import (  # noqa: E402
    central_fd,
    gmm_data,
    gmm_nll,
    logistic_data,
    logistic_loss,
)


class _Refuse:
    """A Dask scheduler that counts the graphs it is asked to run and runs none."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, dsk, keys, **kwargs):
        self.calls += 1
        raise AssertionError("a Dask graph was computed before .compute()")


def lazily(fn, *args, **kwargs):
    """`fn(*args, **kwargs)` with a scheduler in force that refuses to compute anything."""
    refuse = _Refuse()
    with dask.config.set(scheduler=refuse):
        out = fn(*args, **kwargs)
    assert refuse.calls == 0
    return out


def _leaves(x):
    if isinstance(x, (tuple, list)):
        return [leaf for e in x for leaf in _leaves(e)]
    return [x]


@pytest.fixture(scope="module")
def cluster_client():
    distributed = pytest.importorskip("dask.distributed")
    cluster = distributed.LocalCluster(
        processes=False, n_workers=1, threads_per_worker=1, dashboard_address=None
    )
    client = distributed.Client(cluster, set_as_default=False)
    yield client
    client.close()
    cluster.close()


@pytest.fixture(params=["threads", "cluster"])
def compute(request):
    """Computes a list of Dask arrays with the threaded scheduler or on the LocalCluster."""
    if request.param == "threads":
        return _threaded
    client = request.getfixturevalue("cluster_client")
    return lambda xs: list(client.compute(list(xs), sync=True))


def _threaded(xs):
    return list(dask.compute(*xs, scheduler="threads"))


def _chunked(*arrays):
    """Dask arrays of the NumPy arrays, chunked along the first axis (two chunks)."""
    return tuple(da.from_array(a, chunks=(max(1, a.shape[0] // 2),) + a.shape[1:]) for a in arrays)


def _check_dask(result, expected, compute, rtol=1e-10):
    got = _leaves(result)
    assert all(isinstance(g, da.Array) for g in got), [type(g) for g in got]
    values = compute(got)
    exp = _leaves(expected)
    assert len(values) == len(exp)
    for v, e in zip(values, exp):
        np.testing.assert_allclose(v, e, rtol=rtol, atol=1e-12)


# -- logistic regression -------------------------------------------------------------------------


def test_logistic_grad(compute):
    w, X, y = logistic_data()
    ref = srcad.grad(logistic_loss)(w, X, y)
    np.testing.assert_allclose(ref, central_fd(logistic_loss, (w, X, y), 0), rtol=1e-6)
    g = lazily(srcad.grad(logistic_loss), *_chunked(w, X, y))
    _check_dask(g, ref, compute)


def test_logistic_value_and_grad_numpy_weights(compute=_threaded):
    """Only the data is a Dask array: the loss and the weights' gradient are still lazy."""
    w, X, y = logistic_data()
    Xd, yd = _chunked(X, y)
    val, g = lazily(srcad.value_and_grad(logistic_loss), w, Xd, yd)
    _check_dask([val, g], [logistic_loss(w, X, y), srcad.grad(logistic_loss)(w, X, y)], compute)


def test_logistic_jvp_and_vjp(compute=_threaded):
    w, X, y = logistic_data()
    dw = np.linspace(-1.0, 1.0, w.size)
    wd, Xd, yd, dwd = _chunked(w, X, y, dw)
    out, tan = lazily(srcad.jvp, logistic_loss, (wd, Xd, yd), (dwd, None, None))
    fd = (logistic_loss(w + 1e-6 * dw, X, y) - logistic_loss(w - 1e-6 * dw, X, y)) / 2e-6
    _check_dask([out, tan], [logistic_loss(w, X, y), fd], compute, rtol=1e-6)
    _, pull = lazily(srcad.vjp, logistic_loss, wd, Xd, yd)
    cts = lazily(pull, 2.0)
    _check_dask(cts, srcad.vjp(logistic_loss, w, X, y)[1](2.0), compute)


# -- Gaussian mixture ----------------------------------------------------------------------------


def test_gmm_grad(compute):
    args = gmm_data()
    ref = srcad.grad(gmm_nll, wrt=(0, 1, 2, 3))(*args)
    for k in range(4):
        np.testing.assert_allclose(ref[k], central_fd(gmm_nll, args, k), rtol=1e-5, atol=1e-7)
    g = lazily(srcad.grad(gmm_nll, wrt=(0, 1, 2, 3)), *_chunked(*args))
    _check_dask(g, ref, compute)


def test_gmm_value_and_grad_and_jvp(compute=_threaded):
    args = gmm_data()
    dargs = gmm_data(seed=7)[:3]
    val, g = lazily(srcad.value_and_grad(gmm_nll, wrt=(0, 1, 2)), *_chunked(*args))
    _check_dask([val, g], [gmm_nll(*args), srcad.grad(gmm_nll, wrt=(0, 1, 2))(*args)], compute)
    out, tan = lazily(srcad.jvp, gmm_nll, _chunked(*args), (*_chunked(*dargs), None))
    ref = srcad.jvp(gmm_nll, args, (*dargs, None))
    _check_dask([out, tan], list(ref), compute)


# -- inputs, dtypes, refusals --------------------------------------------------------------------


def test_python_float_parameter_gets_a_lazy_derivative():
    X = np.arange(12.0).reshape(4, 3) / 10
    f = lambda a, X: np.sum(np.tanh(a * X))  # noqa: E731
    g = lazily(srcad.grad(f), 0.5, _chunked(X)[0])
    assert isinstance(g, da.Array) and g.shape == ()
    np.testing.assert_allclose(g.compute(), np.sum(X * (1 - np.tanh(0.5 * X) ** 2)), rtol=1e-12)


def test_float32_dtype_kept_and_setitem_on_a_dask_value():
    def f(w, X):
        v = X @ w
        v[0] = 3.0 * v[1]
        return np.sum(v * v)

    w, X, _ = logistic_data(n=6)
    g = lazily(srcad.grad(f, wrt=(0, 1)), *_chunked(w, X))
    ref = srcad.grad(f, wrt=(0, 1))(w, X)
    _check_dask(g, ref, _threaded)
    np.testing.assert_allclose(ref[0], central_fd(f, (w, X), 0), rtol=1e-6)
    g32 = lazily(srcad.grad(f), *_chunked(w.astype(np.float32), X.astype(np.float32)))
    assert g32.dtype == np.float32


def test_zero_gradient_is_a_dask_zero():
    w, X, _ = logistic_data(n=6)
    g = lazily(srcad.grad(lambda w, X: np.sum(X) * 2.0), *_chunked(w, X))
    assert isinstance(g, da.Array)
    np.testing.assert_array_equal(g.compute(), np.zeros_like(w))


def test_refusals():
    w, X, _ = logistic_data(n=6)
    wd, Xd = _chunked(w, X)
    with pytest.raises(SrcadError, match="dtype int64"):
        srcad.grad(lambda a, X: np.sum(a * X), wrt=1)(0.5, da.ones((2, 2), dtype=np.int64))
    with pytest.raises(SrcadError, match="shape"):
        srcad.jvp(logistic_loss, (wd, Xd, Xd[:, 0]), (da.ones(2), None, None))
    # repeated rows: their cotangents must add up, and Dask has no np.add.at: refused, never
    # the last write only (np.sum(X[[0, 0, 1]] @ w) has X[0]'s gradient 2 w)
    f = lambda w, X: np.sum(X[[0, 0, 1]] @ w)  # noqa: E731
    with pytest.raises(SrcadError, match="repeat"):
        srcad.grad(f, wrt=1)(wd, Xd)

    # x[idx] = v with a Dask index array: repeated indices keep the last write, so the first
    # v[0] gets no cotangent (grad [0, 1] with NumPy, it was [1, 1]): refused, srcad cannot
    # look at the index without computing it
    def put(v, X):
        y = X[:, 0] * 1.0
        y[da.from_array(np.array([1, 1]))] = v
        return np.sum(y * np.arange(6.0))

    for jac in (srcad.jacfwd, srcad.jacrev):  # a NumPy Jacobian of a Dask input: refused
        with pytest.raises(SrcadError, match="does not take a dask array"):
            jac(lambda x: np.sin(x))(wd)
    with pytest.raises(SrcadError, match="last write"):
        srcad.grad(put)(da.from_array(np.array([2.0, 3.0])), Xd)
    g = lazily(srcad.grad(lambda w, X: np.sum(X[[2, 0, -1]] @ w), wrt=1), wd, Xd)
    expected = np.zeros_like(X)
    expected[[2, 0, -1]] = w
    np.testing.assert_allclose(g.compute(), expected)


# -- reshapes and masks ---------------------------------------------------------------------------
def _reshapes(x, v):
    y = x.ravel() * v + np.ravel(x) ** 2 * v + x.flatten() * v
    return np.sum(y) + np.sum(np.reshape(x, (3, 2, 4)) ** 3) + np.sum(x.reshape(6, 4) ** 2)


def test_reshape_and_ravel_stay_lazy():
    """Dask's reshape takes no ``order``: the derivative of a C-order reshape calls it without."""
    x = np.random.default_rng(3).standard_normal((6, 4))
    v = np.arange(24.0)
    xd = da.from_array(x, chunks=(3, 4))
    _check_dask(lazily(srcad.grad(_reshapes), xd, v), srcad.grad(_reshapes)(x, v), _threaded)
    _, t = lazily(srcad.jvp, _reshapes, (xd, v), (xd * 0.5, np.zeros(24)))
    _check_dask(t, srcad.jvp(_reshapes, (x, v), (x * 0.5, np.zeros(24)))[1], _threaded)


def test_fortran_order_reshape_of_a_dask_cotangent():
    """A NumPy `x` reshaped in F order, multiplied by Dask data: its cotangent is a Dask array
    reshaped back in F order (Dask has no ``order``: reversed axes)."""

    def f(x, y):
        return np.sum(np.reshape(x, (4, 3), order="F") * y) + np.sum(x.ravel("F") * y[:, 0].sum())

    x = np.random.default_rng(4).standard_normal((3, 4))
    y = np.random.default_rng(5).standard_normal((4, 3))
    g = lazily(srcad.grad(f), x, da.from_array(y, chunks=(2, 3)))
    _check_dask(g, srcad.grad(f)(x, y), _threaded)


def test_boolean_mask_forward_mode_and_where():
    """``x[x > 0]`` has an unknown size on Dask: forward mode is lazy; reverse mode would
    scatter a cotangent of unknown size back (Dask cannot): ``np.where`` is the lazy form."""
    x = np.random.default_rng(6).standard_normal((6, 4))
    xd = da.from_array(x, chunks=(3, 4))
    _, t = lazily(srcad.jvp, lambda x: np.sum(x[x > 0] ** 2), (xd,), (xd * 0.5,))
    np.testing.assert_allclose(t.compute(), np.sum(x[x > 0] ** 2))
    g = lazily(srcad.grad(lambda x: np.sum(np.where(x > 0, x, 0.0) ** 2)), xd)
    np.testing.assert_allclose(g.compute(), np.where(x > 0, 2 * x, 0.0))


@pytest.mark.xfail(strict=True, raises=TypeError, reason="known gap: reverse mode through a "
                   "boolean mask of a Dask array (a cotangent of unknown size); docs/arrays.md")  # fmt: skip
def test_boolean_mask_reverse_mode_gap():
    xd = da.from_array(np.ones((6, 4)), chunks=(3, 4))
    srcad.grad(lambda x: np.sum(x[x > 0] ** 2))(xd)


def _products(x, w):
    y = np.sum(np.dot(x, w) ** 2) + np.sum((np.tensordot(x, x, axes=([0], [0])) @ w) ** 2)
    return y + np.sum(np.repeat(x, 2, axis=0) ** 2 * np.arange(4.0))


def test_dot_tensordot_repeat_stay_lazy():
    """Their cotangent helpers work on Dask arrays (an int permutation for Dask's transpose, a
    reshape-and-sum for repeat instead of np.add.at)."""
    x = np.random.default_rng(7).standard_normal((6, 4))
    w = np.arange(4.0) / 4.0
    xd = da.from_array(x, chunks=(3, 4))
    _check_dask(lazily(srcad.grad(_products), xd, w), srcad.grad(_products)(x, w), _threaded)
