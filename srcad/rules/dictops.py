"""``a | b`` that may merge dicts: Python's ``dict.__or__`` (the entries of `a`, then those of `b`,
whose values win), not the bitwise or of numbers, whose derivative is zero.

Input: the `RuleTable` pair. Output: the rules of the runtime helper `dict_or`, which the
transforms call for an ``a | b`` whose operands' kinds do not rule out a dict
(`srcad.ad.seqs.dict_merges`), and of its derivative helpers. Which case applies is decided on
the values when the code runs: a dict result takes its entries' derivatives from the operand that
gave them; a number, a bool or integer array, or a set (keys) has derivative zero; anything else
(an object whose class defines ``__or__``) is refused there, since its derivative is unknown::

    merged = _srcad.dict_or(defaults, {"lr": 2.0 * w})
    jvp: _srcad.dict_or_jvp(ddefaults, {"lr": 2.0 * dw}, defaults, {...}, merged)
    vjp: bdefaults = _srcad.dict_or_vjp(g, defaults, {...}, merged, 0)   # entries b did not replace

Also `dict_keys`, the keys ``for k in d`` iterates (lower/calls.py): a new list holding no
object of `d` (the mutation check lets the body write ``d[k] -= v``), checked when it runs to
hold only immutable keys, with derivative zero (a key that depends on the differentiated inputs
is refused where the dict is built, so no key carries one; a varied keys list made each ``d[k]``
of a reverse sweep differentiated again a float index that `srcad.hvp` refused); and
`dict_len`, the size a ``for k in x`` over an argument checks (-1 for anything but a dict).
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.errors import SrcadError
from srcad.rules.helpers import deflinear_helper, defzero_helper, helper, rt
from srcad.rules.trees import zeros_like

_PLAIN = (bool, int, np.integer, np.bool_, set, frozenset)


def _zero_case(a, b, ans) -> None:
    """Nothing when ``a | b`` is a bitwise or of integers/bools or a set union (derivative
    zero); a SrcadError for other values (a user class's ``__or__``)."""
    for x in (a, b, ans):
        if isinstance(x, _PLAIN) or (isinstance(x, np.ndarray) and x.dtype.kind in "biu"):
            continue
        if type(x).__name__ in ("dict_keys", "dict_items"):
            continue
        raise SrcadError(
            f"`a | b` on a value of type `{type(x).__name__}`: srcad cannot tell its derivative "
            "(it differentiates `|` of dicts, and of integers and bools, whose derivative is 0)",
            hint="write the operation out (e.g. call the method), or stop its gradient",
        )


@helper
def dict_or(a, b):
    """``a | b`` (a dict merge when the operands are dicts)."""
    return a | b


@helper
def dict_or_jvp(da, db, a, b, res):
    """Tangent of ``res = a | b`` from the operands' tangents `da`, `db` (a zero: None or 0.0)."""
    if not isinstance(res, dict):
        _zero_case(a, b, res)
        return zeros_like(res)
    out = {}
    for k, v in res.items():
        src = db if k in b else da
        t = src.get(k) if isinstance(src, dict) else None  # (a zero: None or 0.0)
        out[k] = zeros_like(v) if t is None else t
    return out


@helper
def dict_or_vjp(t, a, b, res, which):
    """Cotangent of `a` (`which` 0) or `b` (1) for ``res = a | b`` from the result's `t`: the
    entries the operand gave the result (an entry of `a` that `b` replaced gets none)."""
    x = a if which == 0 else b
    if not isinstance(res, dict):
        _zero_case(a, b, res)
        return zeros_like(x)
    if not isinstance(t, dict):  # a zero
        return dict.fromkeys(x)
    if which == 0:
        return {k: None if k in b else t.get(k) for k in a}
    return {k: t.get(k) for k in b}


@helper
def dict_or_vjp_t(c, a, b, res, which):
    """The transpose of ``dict_or_vjp(., a, b, res, which)``: the operand's cotangent `c` placed
    under the result's keys it gave (others zero)."""
    if which == 0:
        return dict_or_jvp(c, None, a, b, res)
    return dict_or_jvp(None, c, a, b, res)


_IMMUTABLE_KEYS = (str, int, float, complex, bool, bytes, type(None), np.generic, frozenset)


@helper
def dict_keys(d):
    """``list(d)`` of a dict, whose keys hold no object the loop could update (numbers, strings,
    tuples of them): checked here, since the mutation check takes the list to hold nothing."""
    keys = list(d)
    todo = list(keys)
    while todo:
        k = todo.pop()
        if isinstance(k, tuple):
            todo.extend(k)
        elif not isinstance(k, _IMMUTABLE_KEYS):
            raise SrcadError(
                f"`for k in d` over a dict with a key of type `{type(k).__name__}`: srcad "
                "takes a dict's keys to be numbers, strings or tuples of them",
                hint="key the dict by names or numbers",
            )
    return keys


@helper
def dict_len(x):
    """``len(x)`` of a dict, -1 for anything else: the size check of ``for k in x`` over an
    argument the lowering cannot tell is a dict (lower/dictiter.py)."""
    return len(x) if isinstance(x, dict) else -1


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Rules of ``dict_or`` and its derivative helpers (linear in their first argument(s)), and
    of ``dict_keys`` and ``dict_len`` (no derivative through the keys)."""
    defzero_helper(jvp, vjp, dict_len, dict_keys)
    jvp.defjvp_joint(rt(dict_or), "a, b", "_srcad.dict_or_jvp(da, db, a, b, ans)")
    vjp.defvjp(
        rt(dict_or), "a, b",
        a="_srcad.dict_or_vjp(g, a, b, ans, 0)", b="_srcad.dict_or_vjp(g, a, b, ans, 1)",
    )  # fmt: skip
    # dict_or_jvp is linear in (da, db) jointly; a, b and res are primal values
    jvp.defjvp_joint(
        rt(dict_or_jvp), "da, db, a, b, res",
        "_srcad.dict_or_jvp(dda, ddb, a, b, res)", zero_in=('a', 'b', 'res'),
    )  # fmt: skip
    vjp.defvjp(
        rt(dict_or_jvp), "da, db, a, b, res", zero_in=('a', 'b', 'res'),
        da="_srcad.dict_or_vjp(g, a, b, res, 0)", db="_srcad.dict_or_vjp(g, a, b, res, 1)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, dict_or_vjp, "t, a, b, res, which",
        "_srcad.dict_or_vjp(dt, a, b, res, which)",
        "_srcad.dict_or_vjp_t(g, a, b, res, which)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, dict_or_vjp_t, "c, a, b, res, which",
        "_srcad.dict_or_vjp_t(dc, a, b, res, which)",
        "_srcad.dict_or_vjp(g, a, b, res, which)",
    )  # fmt: skip
