"""Where the second derivative of a root of a sum of squares is not defined by its rule: at 0.

Input: the `RuleTable` pair (``register``). Output: the rules of the runtime helpers that
`srcad.ad.rootcheck` wraps around the first derivative of ``r = np.sqrt(s)`` of a sum of squares
``s`` (``np.sum(d ** 2)``, ``d @ d``, ``t0 * t0 + t1 * t1``; `srcad.ad.fmasks.square_sums`) and
that ``np.hypot``'s and ``math.hypot``'s rules call, registered by `srcad.rules.elementwise`:

- ``root_d2_check(v, s, a, reds)``: `v` (the derivative of the root, taken 0 where ``s == 0``:
  the subgradient of a norm at 0, as ``np.linalg.norm``'s), whose own derivative in `a`, a base
  of one of the squares, refuses where ``s == 0`` and `a`'s tangent is not 0 (``root_d2_at``:
  ``da ** 2`` summed over `reds`, the ``(axis, keepdims)`` pairs that take `a`'s positions to
  `s`'s, broadcast there; `reds` None: every position where ``s == 0``), and whose cotangent in
  `a` refuses where ``s == 0`` and the cotangent is not 0 (``root_d2_back``).

Why: at ``s == 0`` the chain rule's second-order terms are 0 (``dv`` masked with `v`), which is
right only where the bases do not move (``np.sqrt(np.sum((x[i] - x[j]) ** 2))`` on ``i == j``,
the zero diagonal of a pairwise distance: accepted). Elsewhere the true value depends on the
function of the root: a smooth one (a Matern kernel, ``helper(x) ** 2`` of a root computed in a
helper, ``math.cos(math.hypot(p, q))``) has a finite nonzero Hessian at the centre, a cone none;
both came out 0. The squares and cosines of a root that `srcad.ad.squares` recognizes take their
smooth rules and never reach these checks. Same convention as `srcad.rules.norm_at0`.
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.errors import DiffError
from srcad.rules.helpers import deflinear_helper, defzero_helper, helper, marks, rt
from srcad.rules.statistics import std_scale

HINT = (
    "the Hessian of a function of a distance r = sqrt(sum of squares) (np.hypot, math.hypot) at "
    "r = 0 along a nonzero direction is not known from the root's rule: write the square as "
    "np.sum(d * d) (its rule is smooth); for a function of np.abs(x) at x = 0, write its "
    "square as x * x; for two kinks tied at one point (np.maximum(x, 0) and np.maximum(-x, 0), "
    "np.where(x > 0, ...) and np.where(x < 0, ...)), write the one function they make (x ** 2, "
    "np.abs(x)) or one np.where; or evaluate away from that point"
)


def refuse_at0(
    what: str = (
        "the square root of a sum of squares, a hypot, an abs a nonlinear function reads, or two "
        "kinks (max, min, where) tied at one point"
    ),
) -> None:
    """Raise: the second derivative of a magnitude `what` (a cone at 0) along a nonzero direction
    there."""
    raise DiffError(
        f"second derivative of a magnitude at 0 ({what}) along a nonzero direction: not defined "
        "by its rule (its first derivative there is the subgradient 0)",
        hint=HINT,
    )


@helper
def root_d2_check(v, sq, a, reds, dirn=None):
    """`v` (its derivatives check `a`'s at ``s == 0``: the module docstring; `dirn`: in forward
    code, `a`'s tangent, whose cotangent rule refuses where it is not 0 there too)."""
    return v


def _moving(s, da, reds) -> bool:
    """Is there a position where ``s == 0`` and `da` (a base's tangent, or the cotangent of its
    adjoint) is not 0, summed over `reds` (None: anywhere ``s == 0``)?"""
    at0 = np.asarray(s) == 0
    if not np.any(at0):
        return False
    if reds is None:
        return True
    z = np.asarray(da) != 0
    for axis, keepdims in reds:  # (("einsum", "ijk,ijk->ij"): that einsum of the square)
        if axis == "einsum":
            z = np.einsum(keepdims, z.astype(float), z.astype(float)) != 0
        else:
            z = np.any(z, axis=axis, keepdims=keepdims)
    return bool(np.any(at0 & z))


@helper
def root_d2_at(s, da, reds, v):
    """A zero of `v`'s shape, or a refusal where ``s == 0`` and `da` (summed over `reds`) is
    not 0."""
    if _moving(s, da, reds):
        refuse_at0()
    return 0.0 if np.ndim(v) == 0 and not isinstance(v, np.ndarray) else np.zeros(np.shape(v))


@helper
def root_d2_back(s, g, a, reds=None, dirn=None):
    """A zero of `a`'s shape, or a refusal where ``s == 0`` and the cotangent `g` is not 0, or
    (`dirn`: the tangent of `a` in the forward code being differentiated) where `dirn` is not:
    there the checked value is that tangent's ``f'(r) dr``, whose derivative in `a` is singular
    only along a moving `a` (the cotangent is f'(r) h, 0 at r = 0 for a smooth f, so `g` alone
    misses that); where `dirn` is 0 the term is 0 whatever `g` (the zero diagonal of an
    exponential kernel ``np.exp(-np.abs(x[:, None] - x[None, :]))``, whose f'(0) is not 0:
    grad of a jvp was refused)."""
    if dirn is not None:
        if _moving(s, dirn, reds):
            refuse_at0()
    elif np.any((np.asarray(s) == 0) & (np.asarray(g) != 0)):
        refuse_at0()
    return 0.0 if np.ndim(a) == 0 and not isinstance(a, np.ndarray) else np.zeros(np.shape(a))


@helper
def weighted_root_s(s, *weights):
    """The root check's test value for a weighted sum of squares ``s = w * t`` (`ad/sqsums.py`):
    0 where ``s == 0`` and every weight broadcast to `s`'s shape is > 0, else 1 (``x ** 2 * w``
    with a 0 in `w` is 0 along every direction there: no cone); ``s == 0`` alone where a weight
    has entries `s` sums over (a zero weight there leaves the check refusing at ``s == 0``).
    Piecewise constant: its derivative is 0."""
    shape = np.shape(s)
    at0 = np.equal(s, 0)
    for w in weights:
        try:
            inside = np.broadcast_shapes(shape, np.shape(w)) == shape
        except ValueError:
            inside = False
        if inside:
            at0 = at0 & np.greater(w, 0)
    return np.where(at0, 0.0, 1.0)[()]


@helper
def rounded_sq(sq, x):
    """`sq`, 0 where it is at most the rounding level of squared deviations from a mean of `x`
    (``np.sum((x - x.mean()) ** 2)`` at constant data: 1.2e-32 for three 0.7s, not 0), so the
    checks above see the root's 0 there (`srcad.ad.rootcheck._centred`)."""
    x = np.asarray(x)
    n = max(x.size, 1)
    big = np.max(np.abs(x)) if x.size else 0.0
    tol = n * (8.0 * n * np.finfo(float).eps * big) ** 2
    return np.where(np.asarray(sq) <= tol, 0.0, sq)


@helper
def root_adj_check(c, sq, reds):
    """`c`, the contribution of a square ``a ** 2`` to the adjoint of its base `a` (`s` the sum
    of squares under a root, `reds` the reductions taking `a`'s positions to `s`'s); its
    cotangent refuses where ``s == 0`` and it is not 0 (``root_adj_back``): reverse over
    reverse, where the root's own check sees a cotangent ``2 a h``, 0 at ``a = 0``."""
    return c


@helper
def root_adj_back(t, sq, reds):
    """`t`, or a refusal where ``sq == 0`` and `t` (summed over `reds`) is not 0."""
    if _moving(sq, t, reds):
        refuse_at0()
    return t


@helper
def std_d2_check(v, a, axis, keepdims, sd, dirn=None, keep=None):
    """`v` (a term of ``np.std(a, axis)``'s rule); its derivative in `a` refuses where the std
    takes its subgradient 0 (`std_scale` is 0: constant data) and the deviations from the mean
    move (``std_d2_at``); `dirn`: `a`'s tangent in forward code, whose cotangent rule refuses
    where it moves there too."""
    return v


def _std_moving(a, da, axis, keepdims, sd, keep=None) -> None:
    """Refuse where ``std_scale`` is 0 and `da` is not constant along `axis` (over the entries
    `keep` selects: ``where=``'s, the non-NaN ones of ``np.nanstd``; None: all)."""
    if keep is not None:
        keep = np.broadcast_to(keep, np.shape(a))
        a = np.where(keep, a, 0.0)
    at0 = np.asarray(std_scale(a, axis, keepdims, sd)) == 0
    if np.any(at0):
        da = np.broadcast_to(np.asarray(da), np.shape(a))
        if keep is None:
            dev = da - np.mean(da, axis=axis, keepdims=True)
        else:
            da = np.where(keep, da, 0.0)
            n = np.maximum(np.sum(keep, axis=axis, keepdims=True), 1)
            dev = np.where(keep, da - np.sum(da, axis=axis, keepdims=True) / n, 0.0)
        if np.any(at0 & np.any(dev != 0, axis=axis, keepdims=keepdims)):
            refuse_at0()


@helper
def std_d2_at(a, da, axis, keepdims, sd, v, keep=None):
    """A zero of `v`'s shape, or a refusal where ``std_scale`` is 0 and ``da`` is not constant
    along `axis` (`_std_moving`)."""
    _std_moving(a, da, axis, keepdims, sd, keep)
    return 0.0 if np.ndim(v) == 0 and not isinstance(v, np.ndarray) else np.zeros(np.shape(v))


@helper
def std_d2_back(a, g, axis, keepdims, sd, dirn=None, keep=None):
    """A zero of `a`'s shape, or a refusal where ``std_scale`` is 0 and the cotangent `g` is
    not, or (forward code's, `dirn` given: `root_d2_back`) where the direction `dirn`
    (`std_d2_check`'s) moves there."""
    if dirn is not None:
        _std_moving(a, dirn, axis, keepdims, sd, keep)
    elif np.any((np.asarray(std_scale(a, axis, keepdims, sd)) == 0) & (np.asarray(g) != 0)):
        refuse_at0()
    return np.zeros(np.shape(a)) if isinstance(a, np.ndarray) else 0.0


@helper
def std_adj_check(c, a, axis, keepdims, sd, keep=None):
    """`c`, np.std's contribution to the adjoint of `a`, whose cotangent refuses where the std
    takes its subgradient 0 and it moves the deviations (``std_adj_back``: reverse over
    reverse, where `std_vjp_scale`'s check sees a cotangent 0 at the data's mean); its tangent
    refuses where `a`'s moves them (``std_d2_at``: np.nanstd's and ``where=``'s rules)."""
    return c


@helper
def std_adj_back(t, a, axis, keepdims, sd, keep=None):
    """`t`, or a refusal where ``std_scale`` is 0 and `t` is not constant along `axis`."""
    _std_moving(a, t, axis, keepdims, sd, keep)
    return t


@helper
def std_vjp_scale(t, a, axis, keepdims, sd):
    """``t * std_scale(a, axis, keepdims, sd)`` (np.std's reverse rule, one op), whose
    derivative in `a` refuses as `std_d2_check`'s."""
    return t * std_scale(a, axis, keepdims, sd)


@helper
def at_tie(c, tie):
    """`c` where ``tie == 0`` (two kinks tied there: `srcad.ad.kinkties`), 0 elsewhere; a
    number for numbers."""
    at = np.equal(tie, 0)
    if np.ndim(at) == 0 and not isinstance(c, np.ndarray) and not isinstance(tie, np.ndarray):
        return c if at else 0.0
    return np.where(at, c, 0.0)


@helper
def tie_refuse(c, tie, moving):
    """`c`, or a refusal where ``tie == 0`` and `moving` (the tie measure's tangent, or the
    cotangent `c` is read with) is not 0: kinks tied there whose conventions srcad cannot make
    one (`srcad.ad.kinkties`)."""
    if np.any(np.equal(tie, 0) & (np.asarray(moving) != 0)):
        raise DiffError(
            "derivative at a point where two kinks (if/else branches, helpers) tie and take "
            "different sides: their sum's slope is not the sum of theirs",
            hint="write the one function they make (x, np.abs(x)) or compare with the same "
            "operator in both (x > 0 and x <= 0); or evaluate away from that point",
        )
    return c


def hypot_term(t: str, base: str) -> str:
    """The term of ``hypot(x, y)``'s rule for `base` (x or y) along `t` (its tangent, or ``g``):
    ``t * base / ans``, 0 at ``hypot(0, 0)``, checked there (``root_d2_check``; a tangent `t` is
    its direction: a gradient of it refuses there where `t` is not 0)."""
    d = "" if t == "g" else f", {t}"
    return f"_srcad.root_d2_check({t} * _srcad.div0({base}, ans), ans, {base}, (){d})"


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the rules of the helpers above."""
    sig = "v, sq, a, reds, dirn=None"
    mk = marks(("sq", "reds", "dirn"), ("reds",))
    jvp.defjvp(
        rt(root_d2_check), sig, **mk,
        v="_srcad.root_d2_check(dv, sq, a, reds, dirn)", a="_srcad.root_d2_at(sq, da, reds, v)",
    )  # fmt: skip
    vjp.defvjp(
        rt(root_d2_check), sig, **mk,
        v="_srcad.root_d2_check(g, sq, a, reds, dirn)",
        a="_srcad.root_d2_back(sq, g, a, reds, dirn)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, root_adj_check, "c, sq, reds",
        "_srcad.root_adj_check(dc, sq, reds)", "_srcad.root_adj_back(g, sq, reds)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, root_adj_back, "t, sq, reds",
        "_srcad.root_adj_back(dt, sq, reds)", "_srcad.root_adj_back(g, sq, reds)",
    )  # fmt: skip
    deflinear_helper(
        jvp,
        vjp,
        at_tie,
        "c, tie",
        "_srcad.at_tie(dc, tie)",
        "_srcad.unbroadcast(_srcad.at_tie(g, tie), c)",
    )
    deflinear_helper(
        jvp, vjp, tie_refuse, "c, tie, moving", "_srcad.tie_refuse(dc, tie, moving)",
        "_srcad.tie_refuse(g, tie, moving)",
    )  # fmt: skip
    defzero_helper(
        jvp, vjp, root_d2_at, root_d2_back, std_d2_at, std_d2_back, rounded_sq, weighted_root_s
    )
    # std_vjp_scale: linear in t; in sd as std_scale's rule (-2 dsd scale^2 where sd is finite)
    sc = "_srcad.std_scale(a, axis, keepdims, sd)"
    sig = "t, a, axis, keepdims, sd"
    mk = marks(("a", "axis", "keepdims", "sd"))
    mk = {**mk, "zero_in": ()}
    jvp.defjvp(
        rt(std_vjp_scale), sig, **mk,
        t="_srcad.std_vjp_scale(dt, a, axis, keepdims, sd)",
        a="_srcad.std_d2_at(a, da, axis, keepdims, sd, t)",
        sd=f"t * np.where(np.isfinite(sd), -2.0 * dsd * {sc} * {sc}, 0.0)",
    )  # fmt: skip
    vjp.defvjp(
        rt(std_vjp_scale), sig, **mk,
        t="_srcad.std_vjp_scale(g, a, axis, keepdims, sd)",
        a="_srcad.std_d2_back(a, g * t, axis, keepdims, sd)",
        sd=f"_srcad.unbroadcast(np.where(np.isfinite(sd), -2.0 * g * t * {sc} * {sc}, 0.0), sd)",
    )  # fmt: skip
    sig = "v, a, axis, keepdims, sd, dirn=None, keep=None"
    mk = {**marks(("a", "axis", "keepdims", "sd")), "zero_in": ("sd", "dirn", "keep")}
    jvp.defjvp(
        rt(std_d2_check), sig, **mk,
        v="_srcad.std_d2_check(dv, a, axis, keepdims, sd, dirn, keep)",
        a="_srcad.std_d2_at(a, da, axis, keepdims, sd, v, keep)",
    )  # fmt: skip
    vjp.defvjp(
        rt(std_d2_check), sig, **mk,
        v="_srcad.std_d2_check(g, a, axis, keepdims, sd, dirn, keep)",
        a="_srcad.std_d2_back(a, g, axis, keepdims, sd, dirn, keep)",
    )  # fmt: skip
    sig = "c, a, axis, keepdims, sd, keep=None"
    mk = marks(("axis", "keepdims", "sd", "keep"))
    jvp.defjvp(
        rt(std_adj_check), sig, **mk,
        c="_srcad.std_adj_check(dc, a, axis, keepdims, sd, keep)",
        a="_srcad.std_d2_at(a, da, axis, keepdims, sd, c, keep)",
    )  # fmt: skip
    vjp.defvjp(
        rt(std_adj_check), sig, **mk,
        c="_srcad.std_adj_back(g, a, axis, keepdims, sd, keep)",
        a="_srcad.std_d2_back(a, 0.0, axis, keepdims, sd)",  # (a zero: `c` does not read `a`)
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, std_adj_back, "t, a, axis, keepdims, sd, keep=None",
        "_srcad.std_adj_back(dt, a, axis, keepdims, sd, keep)",
        "_srcad.std_adj_back(g, a, axis, keepdims, sd, keep)",
    )  # fmt: skip
