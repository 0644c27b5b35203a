"""Derivative rules of Python builtins: ``abs min max sum float`` and the integer-valued ones.

Input: the `RuleTable` pair. Output: the tables filled with the builtins' rules.

``min``/``max`` take two values or one iterable (``y`` is None then); ``sum`` takes an iterable of
values whose tangent is a list of tangents. (``pow`` shares its primitive with ``**``: see
`srcad.rules.operators`.) Example (``abs(x)``)::

    jvp: dx * _srcad.sign(x)
    vjp: bx = g * _srcad.sign(x)
"""

from __future__ import annotations

from srcad.ad.rules import RuleTable

# Integer/bool-valued or structural builtins: zero derivative.
ZERO = (
    "int",
    "bool",
    "round",
    "len",
    "range",
    "isinstance",
    "hash",
    "id",
    "type",
    "print",
    "str",
    "repr",
)


# Methods of str/list/dict whose results carry no derivative (names, flags, positions).
ZERO_METHODS = ("startswith", "endswith", "lower", "upper", "strip", "split", "join", "replace",
                "find", "isdigit", "isalpha", "count", "index", "keys")  # fmt: skip


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the builtins' rules."""
    for name in ZERO_METHODS:
        jvp.defzero(f"method.{name}")
        vjp.defzero(f"method.{name}")
    jvp.defjvp("abs", "x, /", x="dx * _srcad.sign(x)")
    vjp.defvjp("abs", "x, /", x="g * _srcad.sign(x)")

    # max(x, y) is x unless y > x (Python returns the first maximal value); same for min.
    jvp.defjvp(
        "max", "x, y=None, /",
        x="_srcad.iter_ext_jvp(dx, x, True) if y is None else (dx if not y > x else 0.0 * dx)",
        y="dy if y > x else 0.0 * dy",
    )  # fmt: skip
    vjp.defvjp(
        "max", "x, y=None, /",
        x="_srcad.iter_ext_vjp(g, x, True) if y is None else (g if not y > x else 0.0 * g)",
        y="g if y > x else 0.0 * g",
    )  # fmt: skip
    jvp.defjvp(
        "min", "x, y=None, /",
        x="_srcad.iter_ext_jvp(dx, x, False) if y is None else (dx if not y < x else 0.0 * dx)",
        y="dy if y < x else 0.0 * dy",
    )  # fmt: skip
    vjp.defvjp(
        "min", "x, y=None, /",
        x="_srcad.iter_ext_vjp(g, x, False) if y is None else (g if not y < x else 0.0 * g)",
        y="g if y < x else 0.0 * g",
    )  # fmt: skip

    jvp.defjvp("sum", "x, /, start=0", x="_srcad.iter_sum(dx)", start="dstart")
    vjp.defvjp(
        "sum", "x, /, start=0", x="_srcad.iter_sum_vjp(g, x)", start="_srcad.unbroadcast(g, start)"
    )

    jvp.deflinear("float", "x=0.0, /")
    vjp.deflinear("float", "x=0.0, /", x="_srcad.scalar_vjp(g, x)")

    for prim in ZERO:
        jvp.defzero(prim)
        vjp.defzero(prim)
