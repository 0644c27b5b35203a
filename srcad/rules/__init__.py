"""The default derivative rule tables (JVP and VJP), built once from the modules of this package.

Input: nothing. Output: ``default_tables() -> (jvp_table, vjp_table)``.

Each module has ``register(jvp, vjp)`` and defines its rules side by side; a new module is
added to `MODULES`. `register_runtime` gives rules to the `srcad.runtime` helpers that generated
code calls, so that generated code can be differentiated again (``grad(grad(f))``). Example::

    >>> jvp, vjp = default_tables()
    >>> jvp.get("numpy.sin").terms["x"]
    'dx * np.cos(x)'
"""

from __future__ import annotations

import functools

from srcad.ad.rules import RuleTable
from srcad.frontend.resolve import canonical
from srcad.rules import (
    builtins,
    linalg,
    math,
    numpy_misc,
    numpy_reductions,
    numpy_shape,
    numpy_ufuncs,
    operators,
)

MODULES = (
    operators, builtins, math, numpy_ufuncs, numpy_reductions, numpy_shape, numpy_misc, linalg
)  # fmt: skip


RT = "srcad.runtime."


def register_runtime(jvp: RuleTable, vjp: RuleTable) -> None:
    """Rules of the runtime helpers that derivative code calls (most are linear in their first
    argument, a tangent or cotangent ``t``)."""
    linear = {
        # helper: (signature, jvp of t, vjp of t)
        "unbroadcast": ("t, x", "_srcad.unbroadcast(dt, x)", "_srcad.broadcast_like(g, t)"),
        "broadcast_like": (
            "t, like",
            "_srcad.broadcast_like(dt, like)",
            "_srcad.unbroadcast(g, t)",
        ),
        "sum_vjp": (
            "t, a, axis=None, keepdims=False",
            "_srcad.sum_vjp(dt, a, axis, keepdims)",
            "np.sum(g, axis=axis, keepdims=keepdims)",
        ),
        "mean_vjp": (
            "t, a, axis=None, keepdims=False",
            "_srcad.mean_vjp(dt, a, axis, keepdims)",
            "np.mean(g, axis=axis, keepdims=keepdims)",
        ),
        "expand_reduced": (
            "t, a, axis=None, keepdims=False",
            "_srcad.expand_reduced(dt, a, axis, keepdims)",
            "np.sum(g, axis=axis, keepdims=keepdims)",
        ),
        "getitem_vjp": ("t, x, idx", "_srcad.getitem_vjp(dt, x, idx)", "g[idx]"),
        "setitem_vjp_x": (
            "t, idx",
            "_srcad.setitem_vjp_x(dt, idx)",
            "_srcad.setitem_vjp_x(g, idx)",
        ),
        "setitem_vjp_v": (
            "t, idx, v",
            "_srcad.setitem_vjp_v(dt, idx, v)",
            "_srcad.getitem_vjp(_srcad.broadcast_like(g, t[idx]), t, idx)",
        ),
    }
    for name, (sig, jt, vt) in linear.items():
        nondiff = tuple(p.split("=")[0].strip() for p in sig.split(",")[1:])
        jvp.defjvp(RT + name, sig, nondiff=nondiff, t=jt)
        vjp.defvjp(RT + name, sig, nondiff=nondiff, t=vt)
    jvp.defjvp_joint(RT + "add", "a, b", "_srcad.add(da, db)")
    vjp.defvjp(RT + "add", "a, b", a="g", b="g")
    jvp.defjvp_joint(RT + "setitem", "x, idx, v", "_srcad.setitem(dx, idx, dv)", nondiff=("idx",))
    vjp.defvjp(
        RT + "setitem", "x, idx, v",
        nondiff=("idx",),
        x="_srcad.setitem_vjp_x(g, idx)",
        v="_srcad.setitem_vjp_v(g, idx, v)",
    )  # fmt: skip
    jvp.defjvp(
        RT + "pow_dx", "x, y",
        x="dx * y * _srcad.pow_dx(x, y - 1)",
        y="dy * _srcad.pow_dx_dy(x, y)",
    )  # fmt: skip
    vjp.defvjp(
        RT + "pow_dx", "x, y",
        x="_srcad.unbroadcast(g * y * _srcad.pow_dx(x, y - 1), x)",
        y="_srcad.unbroadcast(g * _srcad.pow_dx_dy(x, y), y)",
    )  # fmt: skip
    # fdiv(x, y) = x / y (inf/nan at y == 0); div0(x, y) = x / y (0 at y == 0)
    for name in ("fdiv", "div0"):
        jvp.defjvp(
            RT + name, "x, y",
            x=f"_srcad.{name}(dx, y)", y=f"-dy * _srcad.{name}(ans, y)",
        )  # fmt: skip
        vjp.defvjp(
            RT + name, "x, y",
            x=f"_srcad.unbroadcast(_srcad.{name}(g, y), x)",
            y=f"_srcad.unbroadcast(-g * _srcad.{name}(ans, y), y)",
        )  # fmt: skip
    # logaddexp_weight(x, ans) = exp(x - ans) (exp2 with base2), 0 where x = -inf
    ln2 = "(np.log(2.0) if base2 else 1.0)"
    jvp.defjvp(
        RT + "logaddexp_weight", "x, a, base2=False", nondiff=("base2",),
        x=f"dx * ans * {ln2}", a=f"-da * ans * {ln2}",
    )  # fmt: skip
    vjp.defvjp(
        RT + "logaddexp_weight", "x, a, base2=False", nondiff=("base2",),
        x=f"_srcad.unbroadcast(g * ans * {ln2}, x)",
        a=f"_srcad.unbroadcast(-g * ans * {ln2}, a)",
    )  # fmt: skip
    jvp.defjvp(RT + "int_zero", "t, dtype=None", nondiff=("dtype",), t="_srcad.int_zero(dt, dtype)")
    vjp.defvjp(RT + "int_zero", "t, dtype=None", nondiff=("dtype",), t="_srcad.int_zero(g, dtype)")
    # pow_dy(x, a) = a * log(x)
    jvp.defjvp(RT + "pow_dy", "x, a", x="dx * a / x", a="da * _srcad.pow_dy(x, 1.0)")
    vjp.defvjp(
        RT + "pow_dy", "x, a",
        x="_srcad.unbroadcast(g * a / x, x)",
        a="_srcad.unbroadcast(g * _srcad.pow_dy(x, 1.0), a)",
    )  # fmt: skip
    jvp.defjvp(
        RT + "add_at", "acc, idx, t, x", nondiff=("idx", "x"),
        acc="dacc", t="_srcad.getitem_vjp(dt, x, idx)",
    )  # fmt: skip
    vjp.defvjp(
        RT + "add_at", "acc, idx, t, x", nondiff=("idx", "x"),
        acc="g", t="g[idx]",
    )  # fmt: skip
    jvp.defjvp(RT + "elem", "t, k, x", nondiff=("k", "x"), t="_srcad.elem(dt, k, x)")
    vjp.defvjp(RT + "elem", "t, k, x", nondiff=("k", "x"), t="_srcad.getitem_vjp(g, t, k)")
    jvp.defjvp(
        RT + "dict_entry", "t, k, later, x", nondiff=("k", "later", "x"),
        t="_srcad.dict_entry(dt, k, later, x)",
    )  # fmt: skip
    vjp.defvjp(
        RT + "dict_entry", "t, k, later, x", nondiff=("k", "later", "x"),
        t="_srcad.dict_entry_vjp(g, t, k, later)",
    )  # fmt: skip
    jvp.defjvp(RT + "shallow_copy", "t", t="_srcad.shallow_copy(dt)")
    vjp.defvjp(RT + "shallow_copy", "t", t="g")
    jvp.defjvp(RT + "c_item", "a", a="_srcad.c_item(da)")  # np.c_[...] items
    vjp.defvjp(RT + "c_item", "a", a="_srcad.c_item_vjp(g, a)")
    jvp.defjvp_joint(RT + "concat", "a, b", "_srcad.concat(da, db)")
    vjp.defvjp(
        RT + "concat", "a, b",
        a="_srcad.concat_vjp(g, a, b, 0)", b="_srcad.concat_vjp(g, a, b, 1)",
    )  # fmt: skip
    # builtin sorted() of numbers; a `key=` function (a module-level one: lambdas are inlined)
    # only decides the order, which the helpers recompute with it
    jvp.defjvp(
        "sorted", "iterable, /, *, key=None, reverse=False", nondiff=("key", "reverse"),
        iterable="_srcad.sorted_jvp(diterable, iterable, reverse, key)",
    )  # fmt: skip
    vjp.defvjp(
        "sorted", "iterable, /, *, key=None, reverse=False", nondiff=("key", "reverse"),
        iterable="_srcad.sorted_vjp(g, iterable, reverse, key)",
    )  # fmt: skip
    for conv in ("builtins.list", "builtins.tuple"):  # list(x), tuple(x) of active values
        jvp.defjvp(conv, "iterable=()", iterable=f"_srcad.as_{conv[9:]}(diterable)")
        vjp.defvjp(conv, "iterable=()", iterable="_srcad.to_list_vjp(g, iterable)")
    # `x * y` when either may be a list/tuple (srcad.ad.seqs): repetition or multiplication
    jvp.defjvp(RT + "mul", "x, y", x="dx * y", y="x * dy")
    vjp.defvjp(
        RT + "mul", "x, y",
        x="_srcad.mul_vjp(g, x, y, ans)", y="_srcad.mul_vjp(g, y, x, ans)",
    )  # fmt: skip
    jvp.defjvp(RT + "seq_repeat", "a, n", nondiff=("n",), a="_srcad.seq_repeat(da, n)")
    vjp.defvjp(RT + "seq_repeat", "a, n", nondiff=("n",), a="_srcad.seq_repeat_vjp(g, a, n)")
    jvp.defjvp(RT + "dict_values", "d", d="_srcad.dict_values(dd)")
    vjp.defvjp(RT + "dict_values", "d", d="_srcad.dict_values_vjp(g, d)")
    jvp.defjvp(RT + "dict_items", "d", d="_srcad.dict_items_jvp(dd)")
    vjp.defvjp(RT + "dict_items", "d", d="_srcad.dict_items_vjp(g, d)")
    # dict(src) of a mapping or of (key, value) pairs (known only at run time)
    jvp.defjvp("builtins.dict", "src, /", src="_srcad.dict_of_jvp(dsrc, src)")
    vjp.defvjp("builtins.dict", "src, /", src="_srcad.dict_of_vjp(g, src)")
    jvp.defjvp(RT + "as_sequence", "x", x="_srcad.as_sequence(dx)")
    vjp.defvjp(RT + "as_sequence", "x", x="_srcad.as_sequence_vjp(g, x)")
    jvp.defjvp(RT + "plain_receiver", "x, name, line", nondiff=("name", "line"), x="dx")
    vjp.defvjp(RT + "plain_receiver", "x, name, line", nondiff=("name", "line"), x="g")
    jvp.defjvp(RT + "check_aux", "out", out="dout")  # identity, with a check
    vjp.defvjp(RT + "check_aux", "out", out="g")
    for name in ("raise_", "assert_"):
        jvp.defzero(RT + name)
        vjp.defzero(RT + name)
    for name in ("zeros_like", "sign", "clip_region", "ext_weights", "inverse_perm", "varargs"):
        jvp.defzero(RT + name)
        vjp.defzero(RT + name)


@functools.cache
def default_tables() -> tuple[RuleTable, RuleTable]:
    """The (jvp, vjp) rule tables of every module in `MODULES` (built on first use)."""
    jvp = RuleTable("jvp", canonical)
    vjp = RuleTable("vjp", canonical)
    for module in MODULES:
        module.register(jvp, vjp)
    register_runtime(jvp, vjp)
    return jvp, vjp
