"""Helpers that generated derivative code and rule templates call (imported there as ``_srcad``).

Input: primal values, tangents and cotangents (NumPy arrays, Python scalars, or tuples, lists
and dicts of them). Output: plain values. Every helper is a pure function; the ones called in
tight scalar loops (`unbroadcast`, `zeros_like`, `add`, `sign`, `pow_dx`) return early for floats.

The helpers live in one module per family; this package is the one namespace generated code and
rule names use (``_srcad.unbroadcast``, ``srcad.runtime.unbroadcast``), so each helper is
re-exported here and reports ``srcad.runtime`` as its module.

Example::

    >>> unbroadcast(np.ones((3, 4)), np.zeros(4))
    array([3., 3., 3., 3.])
"""

from __future__ import annotations

from srcad.runtime import (
    elementwise,
    emitted,
    indexing,
    iterables,
    linalg,
    products,
    reductions,
    shape,
    trees,
)

_FAMILIES = (trees, indexing, elementwise, iterables, reductions, shape, products, linalg, emitted)


def _export() -> None:
    """Bind every helper a family module defines here, under the name generated code uses."""
    names = globals()
    for module in _FAMILIES:
        for name, obj in vars(module).items():
            if getattr(obj, "__module__", None) == module.__name__ and callable(obj):
                obj.__module__ = __name__
                names[name] = obj
            elif name.startswith("_") and name.isupper() and name not in names:
                names[name] = obj  # shared constants (_SCALARS, ...)


_export()
