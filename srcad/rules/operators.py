"""Derivative rules of Python's operators (``+ - * / // % ** @``, unary, bitwise, comparisons).

Input: the `RuleTable` pair. Output: the tables filled with the operator primitives' rules.

The operators act on Python numbers and NumPy arrays alike, so the templates broadcast: a JVP term
has the result's shape, a VJP term the argument's (``_srcad.unbroadcast``). Example (``x * y``)::

    jvp: dx * y + x * dy
    vjp: bx = _srcad.unbroadcast(g * y, x); by = _srcad.unbroadcast(g * x, y)
"""

from __future__ import annotations

from srcad.ad.rules import RuleTable
from srcad.rules.infzero import inf_safe

ZERO_BINARY = ("floordiv", "lshift", "rshift", "bitor", "bitxor", "bitand")
# JVP terms of x * y and of x ** y's base: 0 (not 0 * inf) where an infinite operand is constant.
MUL_X, MUL_Y = inf_safe("dx * y", "dx", "y"), inf_safe("x * dy", "dy", "x")
POW_BASE = inf_safe("dbase * _srcad.pow_dx(base, exp)", "dbase", "base")
COMPARISONS = ("eq", "ne", "lt", "le", "gt", "ge", "is", "is_not", "in", "not_in")


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the operator rules."""
    # Sums: joint rules, so that an inactive operand still broadcasts the tangent to the result.
    jvp.defjvp_joint(
        "add",
        "x, y",
        "dx + dy",
        single={"x": "_srcad.broadcast_like(dx, ans)", "y": "_srcad.broadcast_like(dy, ans)"},
    )
    vjp.defvjp("add", "x, y", x="_srcad.unbroadcast(g, x)", y="_srcad.unbroadcast(g, y)")
    jvp.defjvp_joint(
        "sub",
        "x, y",
        "dx - dy",
        single={"x": "_srcad.broadcast_like(dx, ans)", "y": "_srcad.broadcast_like(-dy, ans)"},
    )
    vjp.defvjp("sub", "x, y", x="_srcad.unbroadcast(g, x)", y="-_srcad.unbroadcast(g, y)")

    jvp.defjvp("mul", "x, y", x=MUL_X, y=MUL_Y)
    vjp.defvjp("mul", "x, y", x="_srcad.unbroadcast(g * y, x)", y="_srcad.unbroadcast(g * x, y)")
    jvp.defjvp("truediv", "x, y", x="dx / y", y="-(dy * ans / y)")
    vjp.defvjp(
        "truediv", "x, y",
        x="_srcad.unbroadcast(g / y, x)",
        y="_srcad.unbroadcast(-g * ans / y, y)",
    )  # fmt: skip
    # x % y == x - (x // y) * y, and x // y is locally constant.
    jvp.defjvp_joint("mod", "x, y", "dx - dy * (x // y)")
    vjp.defvjp(
        "mod", "x, y", x="_srcad.unbroadcast(g, x)", y="_srcad.unbroadcast(-g * (x // y), y)"
    )
    # x ** y and builtin pow(x, y) are one primitive, "pow", with the builtin's parameter names.
    # Both arguments are differentiated (d/dy = x ** y * log(x)); helpers guard y == 0 and x <= 0.
    # The exponent's term is 0 where its tangent is 0: an integer exponent read out of a container
    # with a tangent (`p[0]` of `(2, x)`, a loop index on a tape) has a zero tangent, and log(x) is
    # nan for x < 0 (0 * nan would make the whole derivative nan).
    jvp.defjvp(
        "pow", "base, exp, mod=None",
        nondiff=("mod",),
        base=POW_BASE,
        exp="np.where(np.equal(dexp, 0), 0.0, dexp * _srcad.pow_dy(base, ans))",
    )  # fmt: skip
    vjp.defvjp(
        "pow", "base, exp, mod=None",
        nondiff=("mod",),
        base="_srcad.unbroadcast(g * _srcad.pow_dx(base, exp), base)",
        exp="_srcad.unbroadcast(g * _srcad.pow_dy(base, ans), exp)",
    )  # fmt: skip
    jvp.defjvp("matmul", "x, y", x="dx @ y", y="x @ dy")
    vjp.defvjp(
        "matmul", "x, y",
        x="_srcad.matmul_vjp(g, x, y, 0)",
        y="_srcad.matmul_vjp(g, x, y, 1)",
    )  # fmt: skip

    jvp.defjvp("neg", "x", x="-dx")
    vjp.defvjp("neg", "x", x="-g")
    jvp.defjvp("pos", "x", x="dx")
    vjp.defvjp("pos", "x", x="g")

    for prim in ZERO_BINARY + COMPARISONS:
        jvp.defzero(prim, "x, y")
        vjp.defzero(prim, "x, y")
    for prim in ("invert", "not"):
        jvp.defzero(prim, "x")
        vjp.defzero(prim, "x")
    register_variants(jvp, vjp)


def register_variants(jvp: RuleTable, vjp: RuleTable) -> None:
    """Rules an op uses in special cases (`srcad.ad.common.pick_table` picks them): ``"scalar"``
    when every operand is a Python number (no broadcasting, so no `unbroadcast`), ``"fdiv"`` and
    ``"scalar_fdiv"`` for an ``x / y`` whose cotangent ``g / y`` could divide a Python number by a
    Python zero where the primal did not raise (`_srcad.fdiv` gives NumPy's inf/nan instead)."""
    reg = jvp.registry
    sj, sv = reg.table("jvp", "scalar"), reg.table("vjp", "scalar")
    sj.defjvp("add", "x, y", x="dx", y="dy")
    sv.defvjp("add", "x, y", x="g", y="g")
    sj.defjvp("sub", "x, y", x="dx", y="-dy")
    sv.defvjp("sub", "x, y", x="g", y="-g")
    sj.defjvp("mul", "x, y", x=MUL_X, y=MUL_Y)
    sv.defvjp("mul", "x, y", x="g * y", y="g * x")
    sj.defjvp("truediv", "x, y", x="dx / y", y="-(dy * ans / y)")
    sv.defvjp("truediv", "x, y", x="g / y", y="-g * ans / y")
    sj.defjvp(
        "pow", "base, exp, mod=None", nondiff=("mod",),
        base=POW_BASE,
        exp="0.0 if dexp == 0 else dexp * _srcad.pow_dy(base, ans)",
    )  # fmt: skip
    sv.defvjp(
        "pow", "base, exp, mod=None", nondiff=("mod",),
        base="g * _srcad.pow_dx(base, exp)", exp="g * _srcad.pow_dy(base, ans)",
    )  # fmt: skip
    sj.defjvp("neg", "x", x="-dx")
    sv.defvjp("neg", "x", x="-g")
    sj.defjvp("pos", "x", x="dx")
    sv.defvjp("pos", "x", x="g")
    for variant in ("fdiv", "scalar_fdiv"):
        reg.table("jvp", variant).defjvp(
            "truediv", "x, y", x="_srcad.fdiv(dx, y)", y="-(dy * ans / y)"
        )
    reg.table("vjp", "fdiv").defvjp(
        "truediv", "x, y",
        x="_srcad.unbroadcast(_srcad.fdiv(g, y), x)",
        y="_srcad.unbroadcast(-g * ans / y, y)",
    )  # fmt: skip
    reg.table("vjp", "scalar_fdiv").defvjp(
        "truediv", "x, y", x="_srcad.fdiv(g, y)", y="-g * ans / y"
    )
