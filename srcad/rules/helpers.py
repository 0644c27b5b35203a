"""Runtime helpers as objects: the decorator that makes a family module's function a helper of
`srcad.runtime`, and the declarations of helpers without derivative rules.

Input: functions of the family modules, marked ``@helper`` (or ``@no_rules(reason)``). Output:
`HELPERS` (name -> function: what `srcad.runtime` re-exports), ``rt(fn)`` (the primitive name
generated code and the rule tables use, ``"srcad.runtime.<name>"``) and `NO_RULES` (primitive
name -> why that helper has no JVP/VJP rules: calling it in differentiated code is refused).

A helper reports ``srcad.runtime`` as its module, the one namespace generated code reads
(``_srcad.name``). Its rules sit beside it in its family module and name it by object::

    @helper
    def fdiv(x, y): ...

    jvp.defjvp(rt(fdiv), "x, y", x="_srcad.fdiv(dx, y)", y="-dy * _srcad.fdiv(ans, y)")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from srcad.ad.rules import RuleTable

RUNTIME = "srcad.runtime"
F = TypeVar("F", bound=Callable)

HELPERS: dict[str, Callable] = {}
NO_RULES: dict[str, str] = {}


def helper(fn: F) -> F:
    """Register `fn` as the runtime helper ``srcad.runtime.<fn.__name__>``."""
    name = fn.__name__
    if HELPERS.get(name, fn) is not fn:
        raise ValueError(f"two runtime helpers named {name!r}")
    fn.__module__ = RUNTIME
    HELPERS[name] = fn
    return fn


def no_rules(reason: str) -> Callable[[F], F]:
    """Register a helper that has no derivative rules, with the one-line reason why."""

    def mark(fn: F) -> F:
        NO_RULES[rt(helper(fn))] = reason
        return fn

    return mark


def rt(fn: Callable) -> str:
    """The primitive name of the helper `fn` (``"srcad.runtime.fdiv"``)."""
    assert HELPERS.get(fn.__name__) is fn, f"{fn.__name__} is not a runtime helper"
    return f"{RUNTIME}.{fn.__name__}"


# A helper's parameters that hold structure: axes, flags, counts, orders, keys and indices,
# names, modes (`marks`). Every other parameter of a helper without a term of its own is a
# primal value the helper reads for its shape, dtype, keys, or a piecewise-constant selection
# (an argsort, a mask, a threshold): its derivative is zero (`zero_in`; tests/rules/
# test_nondiff_marks.py checks that numerically on the rule cases).
STRUCTURAL = frozenset(
    "axis axes axis1 axis2 axisa axisb axisc keepdims dtype order kind mode norm n k which name "
    "names line idx idxs indices indices_or_sections key reps repeats shape cov_shape "
    "window_shape s1 s2 offset wrap flag base2 nan later more reverse largest transpose "
    "transposed edge_order endpoint num kw pad_width stat_length reflect_type UPLO upper lower "
    "trans adjoint unit l_and_u how cls otypes casting rowvar allow_singular full subscripts i "
    "period args density deg s out method return_sign assume_a msg".split()
)


def marks(params: Iterable[str], structural: Iterable[str] = ()) -> dict[str, tuple[str, ...]]:
    """``nondiff=`` and ``zero_in=`` for a helper's `params` without a term: the `STRUCTURAL`
    ones (and `structural`) have no derivative, the others a zero one."""
    st = STRUCTURAL | set(structural)
    params = tuple(params)
    return {
        "nondiff": tuple(p for p in params if p in st),
        "zero_in": tuple(p for p in params if p not in st),
    }


def deflinear_helper(
    jvp: RuleTable, vjp: RuleTable, fn: Callable, sig: str, tangent: str, transpose: str
) -> None:
    """Rules of a helper linear in its first parameter (a tangent or cotangent; the others are
    primal values that never carry a derivative, `marks`): JVP `tangent`, VJP `transpose`
    (over ``g``)."""
    names = [p.split("=")[0].strip() for p in sig.split(",")]
    jvp.defjvp(rt(fn), sig, **marks(names[1:]), **{names[0]: tangent})
    vjp.defvjp(rt(fn), sig, **marks(names[1:]), **{names[0]: transpose})


def deflinear_helpers(jvp: RuleTable, vjp: RuleTable, rows: tuple) -> None:
    """`deflinear_helper` for each ``(fn, sig, transpose)`` of `rows` whose tangent is `fn`
    itself on the first parameter's tangent: ``_srcad.fn(dt, <the other parameters>)``."""
    for fn, sig, transpose in rows:
        params = ", ".join(p.split("=")[0].strip() for p in sig.split(",")[1:])
        deflinear_helper(jvp, vjp, fn, sig, f"_srcad.{fn.__name__}(dt, {params})", transpose)


def defzero_helper(jvp: RuleTable, vjp: RuleTable, *fns: Callable) -> None:
    """Helpers whose results are locally constant (signs, masks, index permutations): zero
    derivative in both modes."""
    for fn in fns:
        jvp.defzero(rt(fn))
        vjp.defzero(rt(fn))
