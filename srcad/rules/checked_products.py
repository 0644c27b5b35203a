"""A matrix product's cotangent written as a plain product, checked at run time.

Input: the plain product `r` passes/shapes_matmul.py writes for ``matmul_vjp(t, x, y, which)``
(``x.T @ t``, ``t @ y.T``, ``y @ t``, all summing over the entries of the other operand) and
that call's operands. Output: `r` when it holds no ``0 * inf`` term, else what `matmul_vjp`
gives (`rules/products.py`: the sum without the terms of the other operand's non-finite entries
that meet only an all-zero slice of `t`, `rules/unread.py`):

    bh = _srcad.matmul_vjp_checked(g @ WhT, g, h, Wh, 0)     # WhT: Wh.T copied once (C order)
    bWh = _srcad.add_matmul_vjp_into(bWh, g, h, Wh, 1)       # bWh += h.T @ g, checked

Whether `r` holds such a term is `unread.unread_free`: a non-finite entry of the other operand
makes a whole row (column) of the product non-finite whatever `t` is, so a finite sum of `r`, or
of that operand when it has fewer entries, says there is none and `r` is final. The check was
once a proof at transform time (`_given`: parameters and sums under ``np.tanh`` taken as finite);
an argument or an overflow (``np.tanh(X * X - 2.0 * X * X)``: ``inf - inf``) broke it, and the
plain product gave nan where the derivative is finite. Checked here, it costs one sum of the
smaller array per call; the plain form keeps what made it fast (a transposed weight copied once
before a loop by passes/transposes.py; the scratch product of `add_matmul_vjp_into`, the vjp
form of rules/accumulate.py's `add_matmul_into`, that passes/matmul_into.py fuses from
``add_into(acc, matmul_vjp_checked(x.T @ t, t, x, y, 1))`` and ``add_into(acc, matmul_vjp(...))``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from srcad.rules.accumulate import give, take
from srcad.rules.helpers import defzero_helper, helper, rt
from srcad.rules.products import matmul_vjp
from srcad.rules.trees import add_into
from srcad.rules.unread import unread_free

if TYPE_CHECKING:
    from srcad.ad.rules import RuleTable

_ND = np.ndarray
_F64 = np.dtype(np.float64)


@helper
def plain_ok(r: Any, x: Any, y: Any, which: int) -> bool:
    """`r`, the plain product of ``matmul_vjp(t, x, y, which)``, is its value: no term of a
    non-finite entry of the other operand in it (`unread.unread_free`), or not an array (a
    duck array: `matmul_vjp` drops nothing there either)."""
    return type(r) is not _ND or unread_free(r, y if which == 0 else x)


@helper
def matmul_vjp_checked(r: Any, t: Any, x: Any, y: Any, which: int) -> Any:
    """``matmul_vjp(t, x, y, which)`` given its plain product `r` (module docstring): `r` when
    `plain_ok`, else the helper's (the product again, the unread terms dropped)."""
    if type(r) is not _ND or unread_free(r, y if which == 0 else x):
        return r
    return matmul_vjp(t, x, y, which)


@helper
def add_matmul_vjp_into(acc: Any, t: Any, x: Any, y: Any, which: int) -> Any:
    """``add_into(acc, matmul_vjp(t, x, y, which))``: for float64 matrices and a writable float64
    `acc` of the cotangent's shape, the plain product (``x.T @ t``, ``t @ y.T``) computed into a
    scratch array of the thread (rules/accumulate.py) and added in place when `unread_free`;
    otherwise (a non-finite term, other types or shapes) the helper's value added."""
    if (
        type(acc) is _ND
        and type(t) is _ND
        and type(x) is _ND
        and type(y) is _ND
        and t.ndim == 2
        and x.ndim == 2
        and y.ndim == 2
        and acc.dtype is _F64
        and t.dtype is _F64
        and x.dtype is _F64
        and y.dtype is _F64
        and acc.flags.writeable
    ):
        a, b, o = (t, y.T, y) if which == 0 else (x.T, t, x)  # (as `matmul_vjp`)
        if a.shape[1] == b.shape[0] and acc.shape == (a.shape[0], b.shape[1]):
            s, pool = take(acc.shape)
            np.matmul(a, b, out=s)
            ok = unread_free(s, o)
            if ok:
                acc += s
            give(pool, s)
            if ok:
                return acc
    return add_into(acc, matmul_vjp(t, x, y, which))


# the incoming cotangent of `add_matmul_vjp_into`'s product: summed to that product's shape
_U = "_srcad.unbroadcast(g, x if which == 0 else y)"
_OK = "_srcad.plain_ok(r, x, y, which)"


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Rules of the helpers. `matmul_vjp_checked` is `r` where `plain_ok` (the same test: a
    finite `r` stays finite nearby), else `matmul_vjp`'s value, with that helper's rules (the
    function of `t`, `x`, `y` it then is). `add_matmul_vjp_into` is ``acc + matmul_vjp(...)``
    everywhere: the product's rules with the cotangent summed to its shape. Generated code
    calls them after the last transform; a user differentiating it needs them (every helper has
    rules: tests/higher/test_second_order_rules.py)."""
    f = rt(matmul_vjp_checked)
    sig = "r, t, x, y, which"
    jvp.defjvp(
        f, sig, nondiff=("which",),
        r=f"dr if {_OK} else _srcad.zeros_like(ans)",
        t=f"_srcad.zeros_like(ans) if {_OK} else _srcad.matmul_vjp(dt, x, y, which)",
        x=f"_srcad.zeros_like(ans) if which == 0 else _srcad.zeros_like(ans) if {_OK} else "
        "_srcad.matmul_vjp(t, dx, y, 1)",
        y=f"_srcad.zeros_like(ans) if which == 1 else _srcad.zeros_like(ans) if {_OK} else "
        "_srcad.matmul_vjp(t, x, dy, 0)",
    )  # fmt: skip
    vjp.defvjp(
        f, sig, nondiff=("which",),
        r=f"g if {_OK} else _srcad.zeros_like(r)",
        t=f"_srcad.zeros_like(t) if {_OK} else (g @ y if which == 0 else x @ g)",
        x=f"_srcad.zeros_like(x) if which == 0 else _srcad.zeros_like(x) if {_OK} else "
        "_srcad.matmul_vjp(t, x, g, 0)",
        y=f"_srcad.zeros_like(y) if which == 1 else _srcad.zeros_like(y) if {_OK} else "
        "_srcad.matmul_vjp(t, g, y, 1)",
    )  # fmt: skip
    f = rt(add_matmul_vjp_into)
    sig = "acc, t, x, y, which"
    jvp.defjvp(
        f, sig, nondiff=("which",), acc="dacc",
        t="_srcad.matmul_vjp(dt, x, y, which)",
        x="_srcad.matmul_vjp(t, dx, y, 1) if which == 1 else _srcad.zeros_like(ans)",
        y="_srcad.matmul_vjp(t, x, dy, 0) if which == 0 else _srcad.zeros_like(ans)",
    )  # fmt: skip
    vjp.defvjp(
        f, sig, nondiff=("which",), acc="_srcad.unbroadcast(g, acc)",
        t=f"{_U} @ y if which == 0 else x @ {_U}",
        x=f"_srcad.matmul_vjp(t, x, {_U}, 0) if which == 1 else _srcad.zeros_like(x)",
        y=f"_srcad.matmul_vjp(t, {_U}, y, 1) if which == 0 else _srcad.zeros_like(y)",
    )  # fmt: skip
    defzero_helper(jvp, vjp, plain_ok)
