"""``np.emath`` (``np.lib.scimath``) functions of real input where NumPy's result is real:
``sqrt``, ``log``, ``log2``, ``log10`` for ``x >= 0``, ``arcsin``, ``arccos``, ``arctanh`` for
``|x| <= 1``.

Input: the `RuleTable` pair. Output: the tables filled with those rules: the ``np`` function's
factor (`srcad.rules.elementwise.UNARY`) times the tangent (cotangent) passed through
``_srcad.check``, which raises srcad's error when the derivative is taken of input outside that
domain (NumPy's result is complex there; srcad differentiates real code). The functions are
complex results (`srcad.rules.facts`) except where differentiated (`varied_real`, as
``np.linalg.eigvals``), so a constant ``np.emath.sqrt(-1.0)`` still runs. Example::

    jvp of np.emath.sqrt(x): _srcad.check(dx, np.logical_not(x < 0), "...") * (0.5 / ans)
"""

from __future__ import annotations

from srcad.ad.rules import RuleTable
from srcad.rules.elementwise import UNARY

EM = "numpy.lib.scimath."
HALF_LINE = ("sqrt", "log", "log2", "log10")
UNIT = ("arcsin", "arccos", "arctanh")


def _ok_msg(name: str) -> tuple[str, str]:
    if name in UNIT:
        ok, what = "np.logical_not(np.abs(x) > 1)", "outside [-1, 1]"
    else:
        ok, what = "np.logical_not(x < 0)", "of negative numbers"
    msg = (
        f"np.emath.{name} {what} is complex: srcad differentiates real code (its derivative "
        "is taken only where the result is real)"
    )
    return ok, repr(msg)


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    for name in HALF_LINE + UNIT:
        ok, msg = _ok_msg(name)
        factor = UNARY[name]
        jvp.defjvp(EM + name, "x", x=f"_srcad.check(dx, {ok}, {msg}) * {factor}")
        vjp.defvjp(EM + name, "x", x=f"_srcad.check(g * {factor}, {ok}, {msg})")
