"""More NumPy calls users make: ``np.modf``, ``np.linalg.matrix_rank`` (an integer: zero
derivative), and the runtime helpers of the calls `srcad.lower.library_np` writes as other
primitives (``np.linalg.tensorinv``/``tensorsolve`` as reshapes around ``inv``/``solve``,
``np.cov`` with ``fweights``/``aweights`` as weighted sums), with their own rules.

Input: the `RuleTable` pair. Output: the tables filled with those rules.

- ``modf(x) -> (frac, whole)``: d frac = dx, d whole = 0 (both jump at the integers).
- ``tensor_inv_shapes``/``tensor_solve_shapes``/``cov_fweights``: shapes, permutations and the
  checked frequency weights (integers): locally constant, zero derivative.

Example (``np.modf(x)[0]``)::

    jvp: _srcad.modf_jvp(dx, x)          # (dx, 0)
    vjp: bx = _srcad.modf_vjp(g, x)      # g[0] (0 when the fraction is unused)
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import deflinear_helper, defzero_helper, helper
from srcad.rules.reductions import _like_input


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    jvp.defjvp("numpy.modf", "x, /", x="_srcad.modf_jvp(dx, x)")
    vjp.defvjp("numpy.modf", "x, /", x="_srcad.modf_vjp(g, x)")
    deflinear_helper(jvp, vjp, modf_jvp, "t, x", "_srcad.modf_jvp(dt, x)", "_srcad.modf_vjp(g, x)")
    deflinear_helper(jvp, vjp, modf_vjp, "t, x", "_srcad.modf_vjp(dt, x)", "_srcad.modf_jvp(g, x)")
    jvp.defzero("numpy.linalg.matrix_rank")
    vjp.defzero("numpy.linalg.matrix_rank")
    defzero_helper(jvp, vjp, tensor_inv_shapes, tensor_solve_shapes, cov_fweights)


@helper
def modf_jvp(t, x):
    """Tangent of ``np.modf(x)`` for a tangent `t` of `x`: (t, 0), shaped like `x`."""
    frac = np.broadcast_to(np.asarray(t, dtype=float), np.shape(x)) + 0.0
    return frac, np.zeros(np.shape(x))


@helper
def modf_vjp(g, x):
    """Cotangent of `x` for ``np.modf(x)``: the fraction's cotangent (`g` a pair; None: 0)."""
    g0 = None if g is None else g[0]
    if g0 is None:
        return _like_input(np.zeros(np.shape(x)), x)
    return _like_input(np.reshape(np.asarray(g0), np.shape(x)) + 0.0, x)


@helper
def tensor_inv_shapes(a, ind):
    """(matrix shape, result shape) of ``np.linalg.tensorinv(a, ind)``, NumPy's checks."""
    shape = np.shape(a)
    if ind <= 0:
        raise ValueError("Invalid ind argument.")
    out = shape[ind:] + shape[:ind]
    return (math.prod(shape[:ind]), math.prod(shape[ind:])), out


@helper
def tensor_solve_shapes(a, b, axes):
    """(axes permutation, matrix shape, result shape) of ``np.linalg.tensorsolve(a, b, axes)``,
    NumPy's checks."""
    an, bn = np.ndim(a), np.ndim(b)
    perm = list(range(an))
    if axes is not None:
        for k in axes:
            perm.remove(k)
            perm.insert(an, k)
    shape = tuple(np.shape(a)[p] for p in perm)
    old = shape[-(an - bn) :]
    prod = math.prod(old)
    if math.prod(shape) != prod**2:
        raise np.linalg.LinAlgError(
            "Input arrays must satisfy the requirement "
            "prod(a.shape[b.ndim:]) == prod(a.shape[:b.ndim])"
        )
    return tuple(perm), (prod, prod), old


@helper
def cov_fweights(x, fweights, aweights):
    """The frequency weights of ``np.cov`` over the observations (columns) of `x` as floats (1.0
    when None), after NumPy's own checks of both weights (their values, shapes and signs)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        np.cov(np.zeros((1, np.shape(x)[1])), fweights=fweights, aweights=aweights)
    return 1.0 if fweights is None else np.asarray(fweights, dtype=float)
