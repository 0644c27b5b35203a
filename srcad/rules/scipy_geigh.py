"""The derivative of ``scipy.linalg.eigh(a, b)`` / ``eigvalsh(a, b)``, the generalized symmetric
problem ``A V = B V diag(w)`` with ``V^T B V = I`` (``type=1``, scipy's default), in `a` and `b`:
templates for the rules of scipy_linalg2.py (registered when scipy is).

Input: template pieces (the names of the eigenvalues, eigenvectors and tangents). Output: the
template strings. With ``C = V^T dA V``, ``D = V^T dB V`` (each the symmetric matrix of the
triangle scipy reads, ``lower``) and ``K = C - D diag(w)``::

    dw = diag(K)                              (averaged over equal eigenvalues, as eigh's)
    dV = V (F o K) - V diag(diag(D)) / 2      F_ij = 1 / (w_j - w_i), 0 on the diagonal
    gA = V M V^T,  gB = -V (M diag(w) + diag(diag(V^T gV)) / 2) V^T,
         M = diag(gw) + F o (V^T gV)

(the normalization ``V^T B V = I`` gives ``diag(V^T dV) = -diag(D) / 2``). The eigenvalues-only
forms read the eigenvectors of ``sl_geigh(a, b, lower)``, scipy's own, whose rules are these
again, so every order closes. ``type=2``/``3`` and subsets are refused when the rule runs.
"""

from __future__ import annotations

from srcad.rules.helpers import defzero_helper, helper, rt
from srcad.rules.linalg_decomp import _avg, _ct, _dg, _diag, _t

try:  # scipy is optional
    import scipy.linalg as sl
except ImportError:  # pragma: no cover - exercised only without scipy
    sl = None

OK = "_srcad.sl_geigh_ok(type, subset_by_index, subset_by_value)"
MSG = "'no derivative of scipy.linalg.eigh with b and type=2 or 3, or a subset'"


@helper
def sl_geigh(a, b, lower):
    """``scipy.linalg.eigh(a, b, lower=lower)``: (eigenvalues, B-orthonormal eigenvectors)."""
    return sl.eigh(a, b, lower=lower)


@helper
def sl_geigh_ok(type, subset_by_index, subset_by_value):  # noqa: A002 - scipy's name
    """Whether ``scipy.linalg.eigh(a, b, ...)`` solves ``A v = w B v`` for all eigenvalues."""
    return type == 1 and subset_by_index is None and subset_by_value is None


def _sym(d: str, uplo: str, ok: str) -> str:
    return f"_srcad.herm(_srcad.check({d}, {ok}, {MSG}), {uplo})"


def jvp(da: str | None, db: str | None, w: str, v: str, uplo: str, ok: str, vals: bool) -> str:
    """The tangent (`vals`: of the eigenvalues only, else the pair) along `da`/`db` (None: 0),
    at eigenvalues `w` and eigenvectors `v`."""
    parts, d_mat = [], None
    if da is not None:
        parts.append(f"({_t(v)} @ {_sym(da, uplo, ok)} @ {v})")
    if db is not None:
        d_mat = f"({_t(v)} @ {_sym(db, uplo, ok)} @ {v})"
        parts.append(f"-({d_mat} * np.expand_dims({w}, -2))")
    k = f"({' + '.join(parts)})"
    dw = _avg(_dg(k), w)
    if vals:
        return dw
    dv = f"{v} @ (_srcad.inv_gaps({w}) * {k})"
    if d_mat is not None:
        dv += f" - 0.5 * {v} * np.expand_dims({_dg(d_mat)}, -2)"
    return f"({dw}, {dv})"


def vjp(which: str, gw: str, gv: str | None, w: str, v: str, uplo: str, ok: str) -> str:
    """The cotangent of `which` ("a" or "b") from the eigenvalues' cotangent `gw` and the
    eigenvectors' `gv` (None: eigenvalues only)."""
    m = _diag(_avg(gw, w))
    if gv is not None:
        m = f"({m} + _srcad.inv_gaps({w}, {gv}) * ({_t(v)} @ {gv}))"
    inner = m
    if which == "b":
        inner = f"-({m} * np.expand_dims({w}, -2))"
        if gv is not None:
            inner += f" - 0.5 * {_diag(_dg(f'({_t(v)} @ {gv})'))}"
    out = f"_srcad.herm_t({v} @ ({inner}) @ {_t(v)}, {uplo})"
    return f"_srcad.check({out}, {ok}, {MSG})"


def pieces(vals: str) -> dict[str, str]:
    """The generalized templates for a rule whose eigenvalues-only flag is the expression
    `vals` ("eigvals_only", or "True" for eigvalsh): "a", "b" (single), "ab" (joint) JVPs and
    "ga", "gb" VJPs, over ``ans`` and scipy's `lower` flag."""
    uplo = "_srcad.sl_uplo(lower)"
    v0 = "_srcad.sl_geigh(a, b, lower)[1]"

    def both(da, db):
        on = jvp(da, db, "ans[0]", "ans[1]", uplo, OK, False)
        off = jvp(da, db, "ans", v0, uplo, OK, True)
        return off if vals == "True" else f"({off} if {vals} else {on})"

    def back(which):
        on = vjp(which, _ct(0, "ans[0]"), _ct(1, "ans[1]"), "ans[0]", "ans[1]", uplo, OK)
        off = vjp(which, "g", None, "ans", v0, uplo, OK)
        return off if vals == "True" else f"({off} if {vals} else {on})"

    return {
        "a": both("da", None), "b": both(None, "db"), "ab": both("da", "db"),
        "ga": back("a"), "gb": back("b"),
    }  # fmt: skip


def helper_rules(jvp_t, vjp_t) -> None:  # noqa: ANN001 - the RuleTable pair
    """``sl_geigh``'s rules (the pair's, `lower` a flag) and ``sl_geigh_ok``'s (zero)."""
    sig, nd = "a, b, lower", ("lower",)
    uplo = "_srcad.sl_uplo(lower)"
    g = {k: vjp(k, _ct(0, "ans[0]"), _ct(1, "ans[1]"), "ans[0]", "ans[1]", uplo, "True")
         for k in "ab"}  # fmt: skip
    jvp_t.defjvp_joint(
        rt(sl_geigh), sig, jvp("da", "db", "ans[0]", "ans[1]", uplo, "True", False), nondiff=nd,
        single={k: jvp(*(("da", None) if k == "a" else (None, "db")), "ans[0]", "ans[1]", uplo,
                       "True", False) for k in "ab"},
    )  # fmt: skip
    vjp_t.defvjp(rt(sl_geigh), sig, nondiff=nd, a=g["a"], b=g["b"])
    defzero_helper(jvp_t, vjp_t, sl_geigh_ok)
