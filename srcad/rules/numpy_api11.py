"""``np.choose``: its rules and the helper of its cotangent.

Input: the `RuleTable` pair. Output: the tables filled with the rules of ``numpy.choose`` and
of ``choose_vjp``.

``np.choose(a, choices, mode=)`` picks, at each position of the broadcast shape, the element of
``choices[a]`` (`a` wrapped or clipped by `mode`): linear in the choices, locally constant in the
integer index `a`. The tangent picks the tangents the same way; choice k's cotangent is the
output's where the index is k (summed back to its shape). Example::

    np.choose(i, [x, y])   jvp: np.choose(i, [dx, dy], mode='raise')
                           vjp: _srcad.choose_vjp(g, i, [x, y], 'raise')  -> [gx, gy]
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import deflinear_helper, helper
from srcad.rules.trees import unbroadcast

CHOOSE = "a, choices, out=None, mode='raise'"


def _index(a, n: int, mode: str) -> np.ndarray:
    """The choice each position takes, as NumPy reads `a` with `mode`."""
    a = np.asarray(a)
    if mode == "wrap":
        return a % n
    if mode == "clip":
        return np.clip(a, 0, n - 1)
    return a


@helper
def choose_vjp(g, a, choices, mode="raise"):
    """Cotangents of `choices` for ``np.choose(a, choices, mode=mode)``: `g` where the index is
    k, summed back to choice k's shape."""
    idx = np.broadcast_to(_index(a, len(choices), mode), np.shape(g))
    out = [unbroadcast(np.where(idx == k, g, 0.0), c) for k, c in enumerate(choices)]
    return type(choices)(out) if type(choices) in (list, tuple) else np.array(out)


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the rules of ``np.choose`` and its helper."""
    jvp.defjvp(
        "numpy.choose", CHOOSE, nondiff=("a", "out", "mode"),
        choices="np.choose(a, dchoices, mode=mode)",
    )  # fmt: skip
    vjp.defvjp(
        "numpy.choose", CHOOSE, nondiff=("a", "out", "mode"),
        choices="_srcad.choose_vjp(g, a, choices, mode)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, choose_vjp, "t, a, choices, mode='raise'",
        "_srcad.choose_vjp(dt, a, choices, mode)",
        "np.broadcast_to(np.choose(a, g, mode=mode), np.shape(t))",
    )  # fmt: skip
