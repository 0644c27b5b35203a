"""A logistic regression on a chunked Dask array, trained with srcad gradients on a LocalCluster.

Input: nothing (synthetic data, a fixed seed). Output: the loss at each step of a few gradient
descent steps, decreasing; the number of Dask graphs computed while srcad built each gradient
(0: the gradient is a lazy Dask array until `.compute()`); and the last gradient compared with
srcad's gradient of the same loss on the NumPy arrays.

The loss is plain NumPy code. srcad generates its gradient once; NumPy's dispatch
(``__array_function__``/``__array_ufunc__``) makes the generated ``np.logaddexp``, ``X @ w``,
``np.sum`` build Dask graphs, and the cluster runs them chunk by chunk. Needs Dask
(``pip install "srcad[dask]"``). Run it with ``python examples/dask_logistic.py``.
"""

from __future__ import annotations

import dask
import dask.array as da
import numpy as np
from dask.distributed import Client, LocalCluster

import srcad


def loss(w, X, y):
    """Mean logistic loss of the labels `y` under the linear model ``X @ w``, plus a little L2."""
    z = X @ w
    return np.sum(np.logaddexp(0.0, z) - y * z) / X.shape[0] + 0.5e-2 * np.sum(w * w)


class CountGraphs:
    """A Dask scheduler that only counts the graphs it is asked to run (none should be)."""

    def __init__(self) -> None:
        self.graphs = 0

    def __call__(self, dsk, keys, **kwargs):
        self.graphs += 1
        raise RuntimeError("a Dask graph was computed while srcad built the gradient")


def main() -> None:
    rng = np.random.default_rng(0)
    n, d = 20_000, 8
    X_np = rng.standard_normal((n, d))
    y_np = (X_np @ rng.standard_normal(d) + 0.5 * rng.standard_normal(n) > 0).astype(float)
    X = da.from_array(X_np, chunks=(5_000, d))  # four chunks of rows
    y = da.from_array(y_np, chunks=5_000)

    value_and_grad = srcad.value_and_grad(loss)
    cluster = LocalCluster(
        processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None
    )
    with cluster, Client(cluster) as client:
        w = np.zeros(d)
        for step in range(6):
            counter = CountGraphs()
            with dask.config.set(scheduler=counter):
                value, g = value_and_grad(w, X, y)  # lazy Dask arrays
            value, g = client.compute([value, g], sync=True)  # the cluster runs the graphs
            print(
                f"step {step}: loss {value:.6f}   |grad| {np.linalg.norm(g):.2e}   "
                f"graphs computed while building it: {counter.graphs}"
            )
            w_last, w = w, w - 2.0 * g

    expected = srcad.grad(loss)(w_last, X_np, y_np)  # the same gradient on the NumPy arrays
    print("last gradient equals NumPy's:", np.allclose(g, expected, rtol=1e-12, atol=1e-14))


if __name__ == "__main__":
    main()
