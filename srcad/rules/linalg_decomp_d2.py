"""The runtime helpers of the `numpy.linalg` decomposition rules (`srcad.rules.linalg_decomp`)
and their own JVP and VJP rules, so that generated code can be differentiated again.

Input: the `RuleTable` pair (``helper_rules``). Output: the tables filled with the helpers'
rules; the helpers themselves (``_srcad.inv_gaps``, ...), registered on import.

The decomposition rules are templates over NumPy and these few helpers; each helper's rules are
templates over helpers with rules, so the chain closes at every order. The helpers decide the
degenerate cases at run time (see the conventions in `srcad.rules.linalg_decomp`):

- ``cluster_matrix(w, kink)``: the matrix averaging `w`'s entries over clusters of numerically
  equal values (relative gap <= 64 n eps), zero rows for ~0 values when `kink` (singular values:
  the minimum-norm subgradient of a kink); locally constant (zero derivative);
- ``inv_gaps(w, ct)``: ``F_ij = 1 / (w_j - w_i)`` (0 on the diagonal), refusing complex `w`, and
  pairs closer than 1e-10 relative (eigenvectors of a repeated eigenvalue have no derivative)
  unless the cotangent `ct` (a matrix whose columns are those vectors' cotangents) is 0 there;
- ``inv_pos(s, ct)``: ``1 / s``, refusing ~0 entries whose columns of `ct` are used;
- ``herm(x, UPLO)`` / ``herm_t``: the symmetric (complex: Hermitian) matrix `eigh` reads from
  one triangle, and its transpose; ``trim_ct`` / ``check``: cotangent trimming and run-time
  refusals; ``eig_vecs``:
  real eigenvectors of `np.linalg.eig` in the order of given eigenvalues; ``real_eigvals``:
  eigenvalues real when their imaginary parts are 0 (``np.roots``); ``field_index`` /
  ``field_ct``: namedtuple fields (``np.linalg.eigh(a).eigenvalues``).
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.arrays import real_operand, real_part
from srcad.rules.helpers import deflinear_helper, defzero_helper, helper, rt
from srcad.rules.indexing import _unsupported

EPS = np.finfo(float).eps
LOOSE = 1e-10  # eigenvector derivatives need gaps above this (relative to the largest |w|)


def _mT(a):
    return np.swapaxes(a, -1, -2)


def _cluster_ids(w, rtol):
    """Cluster labels of the entries of `w` along the last axis: sorted neighbours closer than
    ``rtol * max|w|`` share a label (so clusters are transitive)."""
    w = real_operand(w, "a decomposition")
    order = np.argsort(w, axis=-1, kind="stable")
    ws = np.take_along_axis(w, order, -1)
    tol = rtol * np.max(np.abs(w), axis=-1, keepdims=True, initial=0.0)
    brk = np.diff(ws, axis=-1) > tol
    ids = np.concatenate([np.zeros(w.shape[:-1] + (1,), int), np.cumsum(brk, -1)], -1)
    out = np.empty_like(ids)
    np.put_along_axis(out, order, ids, -1)
    return out


def _same(w, rtol):
    ids = _cluster_ids(w, rtol)
    return ids[..., :, None] == ids[..., None, :]


def cluster_rtol(n: int) -> float:
    """The relative gap under which `n` eigenvalues (singular values) count as one cluster."""
    return 64 * max(n, 1) * EPS


# the rules of F_ij = 1 / (w_j - w_i) (`inv_gaps`, `srcad.rules.spectral.gap_recip`): dF_ij =
# -(dw_j - dw_i) F_ij^2
GAPS_JVP = "-(np.expand_dims(dw, -2) - np.expand_dims(dw, -1)) * ans * ans"
GAPS_VJP = "np.sum(g * ans * ans, axis=-1) - np.sum(g * ans * ans, axis=-2)"


def _used(ct, n):
    """Which columns of the cotangent matrix `ct` are used (all when `ct` is None)."""
    if ct is None:
        return np.ones(n, bool)
    return np.any(np.asarray(ct) != 0, axis=-2)


@helper
def cluster_matrix(w, kink=False):
    """The symmetric matrix ``C`` with ``x @ C`` the mean of `x` over each cluster of numerically
    equal entries of `w` (relative gap <= 64 n eps); with `kink`, rows and columns of entries
    ~0 (<= 64 n eps max|w|: zero singular values) are 0."""
    w = real_operand(w, "a decomposition")
    rtol = cluster_rtol(w.shape[-1])
    same = _same(w, rtol).astype(float)
    c = same / np.sum(same, axis=-1, keepdims=True)
    if kink:
        live = np.abs(w) > rtol * np.max(np.abs(w), axis=-1, keepdims=True, initial=0.0)
        c = c * live[..., :, None] * live[..., None, :]
    return c


@helper
def inv_gaps(w, ct=None):
    """``F_ij = 1 / (w_j - w_i)`` for ``i != j`` (0 on the diagonal and between equal values);
    refuses complex `w`, and values closer than 1e-10 relative unless the columns of `ct` (the
    cotangents of their eigenvectors) are 0 there."""
    w = _real_eigenvalues(w)
    w = real_operand(w, "a decomposition")
    same = _same(w, LOOSE)
    n = w.shape[-1]
    pairs = same & ~np.eye(n, dtype=bool)
    if np.any(pairs):
        used = _used(ct, n)
        if np.any(pairs & (used[..., :, None] | used[..., None, :])):
            raise _unsupported(
                "eigenvectors (singular vectors) of a repeated eigenvalue (singular value) have "
                "no derivative; a loss of the eigenvalues alone (np.linalg.eigvalsh, svdvals) does"
            )
    with np.errstate(divide="ignore", invalid="ignore"):
        f = 1.0 / (w[..., None, :] - w[..., :, None])
    return np.where(same, 0.0, f)


def _real_eigenvalues(w):
    """`w` as real numbers: NumPy 2.5's ``np.linalg.eig`` returns complex arrays even when every
    eigenvalue is real (zero imaginary parts); a nonzero one is refused."""
    if not np.iscomplexobj(w):
        return w
    if np.any(np.imag(w) != 0):
        raise _unsupported(
            "complex eigenvalues: srcad differentiates real code (np.linalg.eig of a matrix "
            "with complex eigenvalues has no real derivative)"
        )
    return np.real(w)


@helper
def eig_tangent(t, ref):
    """The tangent `t` (real) of eig's output `ref` in `ref`'s dtype: NumPy 2.5's eig returns
    complex arrays for real eigenvalues, whose tangents are complex with zero imaginary parts."""
    return t.astype(ref.dtype) if np.iscomplexobj(ref) and not np.iscomplexobj(t) else t


@helper
def real_eigvals(w):
    """`w` real when every imaginary part is 0 (NumPy 2.5's ``eigvals`` is always complex;
    ``np.roots`` makes its result real so, `_to_real_if_imag_zero`), `w` itself otherwise."""
    if np.iscomplexobj(w) and not np.any(np.imag(w) != 0):
        return np.real(w).copy()
    return w


@helper
def inv_pos(s, ct=None):
    """``1 / s``; refuses entries ~0 (<= 1e-10 max|s|) whose columns of `ct` are used (0 there
    otherwise): singular vectors of a zero singular value beyond the square part have none."""
    s = real_operand(s, "a decomposition")
    small = np.abs(s) <= LOOSE * np.max(np.abs(s), axis=-1, keepdims=True, initial=0.0)
    if np.any(small & _used(ct, s.shape[-1])):
        raise _unsupported(
            "singular vectors of a zero singular value of a non-square matrix are not unique: "
            "no derivative"
        )
    return np.where(small, 0.0, 1.0 / np.where(small, 1.0, s))


@helper
def herm(x, UPLO="L"):
    """The symmetric matrix ``np.linalg.eigh(x, UPLO)`` reads: one triangle of `x`, mirrored
    (Hermitian for a complex `x`: conjugated, the diagonal's imaginary part dropped, as LAPACK)."""
    upper = str(UPLO).upper() == "U"
    if np.iscomplexobj(x):
        t = np.triu(x, 1) if upper else np.tril(x, -1)
        return t + np.conj(_mT(t)) + _real_diag(x)
    if upper:
        return np.triu(x) + _mT(np.triu(x, 1))
    return np.tril(x) + _mT(np.tril(x, -1))


def _real_diag(x):
    """The matrix of the real parts of the diagonal of `x` (a stack), 0 elsewhere (complex)."""
    n = np.shape(x)[-1]
    return (np.real(np.diagonal(x, axis1=-2, axis2=-1))[..., None] * np.eye(n)).astype(x.dtype)


@helper
def herm_t(g, UPLO="L"):
    """The transpose of `herm`: the cotangent of the triangle `herm` reads (the cotangent
    ``ct`` of a complex `x` with ``dL = Re sum(ct * dx)``: JAX's convention)."""
    if np.iscomplexobj(g):
        upper = str(UPLO).upper() == "U"
        gc = np.conj(_mT(g))
        t = np.triu(g, 1) + np.triu(gc, 1) if upper else np.tril(g, -1) + np.tril(gc, -1)
        return t + _real_diag(g)
    if str(UPLO).upper() == "U":
        return np.triu(g) + np.triu(_mT(g), 1)
    return np.tril(g) + np.tril(_mT(g), -1)


@helper
def trim_ct(x, k, axis):
    """The first `k` columns (``axis=-1``) or rows (-2) of the cotangent `x`; refuses nonzero
    others (extra columns of a full U or Q, rows of a full Vh: not unique, no derivative)."""
    x = real_part(x)  # the cotangent of a real Q/U/Vh
    if x.shape[axis] > k:
        rest = x[..., k:] if axis == -1 else x[..., k:, :]
        if np.any(rest != 0):
            raise _unsupported(
                "the extra columns of a complete Q / full U (rows of a full Vh) of a non-square "
                "matrix are not unique: no derivative; use mode='reduced' / full_matrices=False"
            )
    return np.array(x[..., :k] if axis == -1 else x[..., :k, :])


@helper
def check(x, ok, msg):
    """`x` (a copy) when `ok`; else the run-time refusal `msg`."""
    if not np.all(ok):
        raise _unsupported(msg)
    return x if x is None or isinstance(x, (tuple, list)) else x + 0.0


@helper
def full_rank(x):
    """Whether every matrix of the stack `x` has full rank (``np.linalg.matrix_rank``)."""
    return bool(np.all(np.linalg.matrix_rank(x) == min(np.shape(x)[-2:])))


@helper
def eig_vecs(a, w):
    """The real eigenvectors of ``np.linalg.eig(a)``, in the order of the eigenvalues `w`;
    refuses complex and (nearly) repeated eigenvalues."""
    wa, va = np.linalg.eig(a)
    wa, w = _real_eigenvalues(wa), _real_eigenvalues(w)  # (complex arrays from NumPy 2.5 on)
    va = np.real(va)  # the eigenvectors of real eigenvalues of a real matrix are real
    if np.any(_same(wa, LOOSE) & ~np.eye(np.shape(wa)[-1], dtype=bool)):
        raise _unsupported(
            "np.linalg.eig/eigvals of a matrix with a repeated eigenvalue: no derivative (a "
            "defective matrix's eigenvalues are not differentiable); for a symmetric matrix use "
            "np.linalg.eigvalsh"
        )
    if np.array_equal(wa, w):
        return va
    oa, ow = np.argsort(wa, axis=-1), np.argsort(w, axis=-1)
    perm = np.take_along_axis(oa, np.argsort(ow, axis=-1), -1)
    gaps = np.diff(np.sort(wa, axis=-1), axis=-1)
    if np.any(np.abs(np.take_along_axis(wa, perm, -1) - w) > 0.25 * np.min(gaps, initial=np.inf)):
        raise _unsupported("np.linalg.eig and eigvals disagree on the eigenvalues")
    return np.take_along_axis(va, np.expand_dims(perm, -2), -1)


@helper
def field_index(x, name):
    """The position of the field `name` in the namedtuple `x` (a result of np.linalg)."""
    fields = getattr(type(x), "_fields", None)
    if not isinstance(x, tuple) or fields is None or name not in fields:
        raise _unsupported(f"no derivative rule for `.{name}` of a {type(x).__name__}")
    return fields.index(name)


@helper
def field_ct(g, x, name):
    """The cotangent of the namedtuple `x` for its field `name` with cotangent `g`."""
    k = field_index(x, name)
    return tuple(g if i == k else None for i in range(len(x)))


def helper_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the rules of the helpers above."""
    defzero_helper(jvp, vjp, cluster_matrix, full_rank, field_index)
    deflinear_helper(
        jvp, vjp, herm, "x, UPLO='L'", "_srcad.herm(dx, UPLO)", "_srcad.herm_t(g, UPLO)"
    )
    deflinear_helper(
        jvp, vjp, herm_t, "g_, UPLO='L'", "_srcad.herm_t(dg_, UPLO)", "_srcad.herm(g, UPLO)"
    )
    deflinear_helper(
        jvp, vjp, check, "x, ok, msg", "_srcad.check(dx, ok, msg)", "_srcad.check(g, ok, msg)"
    )
    deflinear_helper(
        jvp, vjp, eig_tangent, "t, ref", "_srcad.eig_tangent(dt, ref)",
        "(g if np.iscomplexobj(t) else np.real(g))",
    )  # fmt: skip
    # real_eigvals: the identity on real values, real again when its result is (`ans`)
    deflinear_helper(jvp, vjp, real_eigvals, "w", "_srcad.real_like(dw, ans)", "g")
    deflinear_helper(
        jvp, vjp, trim_ct, "x, k, axis", "_srcad.trim_ct(dx, k, axis)",
        "(np.concatenate((g, np.zeros_like(x)[..., :, k:]), axis=-1) if axis == -1 else "
        "np.concatenate((g, np.zeros_like(x)[..., k:, :]), axis=-2))",
    )  # fmt: skip
    # `ct` only decides a refusal
    jvp.defjvp(rt(inv_gaps), "w, ct=None", w=GAPS_JVP, ct="_srcad.zeros_like(ans)")
    vjp.defvjp(rt(inv_gaps), "w, ct=None", w=GAPS_VJP, ct="_srcad.zeros_like(ct)")
    jvp.defjvp(rt(inv_pos), "s, ct=None", s="-ds * ans * ans", ct="_srcad.zeros_like(ans)")
    vjp.defvjp(rt(inv_pos), "s, ct=None", s="-g * ans * ans", ct="_srcad.zeros_like(ct)")
    # eig_vecs(a, w) = V, a = V diag(w) V^-1 with unit columns: N = V (F o V^-1 da V),
    # dV = N - V diag(colsum(V o N)); `w` only orders V.
    n_ = "(ans @ (_srcad.inv_gaps(w) * np.linalg.solve(ans, da @ ans)))"
    jvp.defjvp(
        rt(eig_vecs), "a, w",
        a=f"{n_} - ans * np.sum(ans * {n_}, axis=-2, keepdims=True)",
        w="_srcad.zeros_like(ans)",
    )  # fmt: skip
    gt = "(g - ans * np.sum(ans * g, axis=-2, keepdims=True))"
    vjp.defvjp(
        rt(eig_vecs), "a, w",
        a=f"np.linalg.solve({_t('ans')}, (_srcad.inv_gaps(w) * ({_t('ans')} @ {gt})) @ {_t('ans')})",
        w="_srcad.zeros_like(w)",
    )  # fmt: skip
    jvp.defjvp(
        rt(field_ct), "g_, x, name", nondiff=('name',),
        g_="_srcad.field_ct(dg_, x, name)", x="_srcad.zeros_like(ans)",
    )  # fmt: skip
    vjp.defvjp(
        rt(field_ct), "g_, x, name", nondiff=('name',),
        g_="g[_srcad.field_index(x, name)]", x="_srcad.zeros_like(x)",
    )  # fmt: skip


# -- template builders shared by linalg_decomp and linalg_eighc (which linalg_decomp imports) --
def _t(x: str) -> str:
    return f"np.swapaxes({x}, -1, -2)"


def _diag(v: str) -> str:
    return f"(np.expand_dims({v}, -1) * np.eye(np.shape({v})[-1]))"


def _avg(x: str, w: str, kink: bool = False) -> str:
    """Template: `x` averaged over the clusters of equal `w` (0 at zero ones with `kink`)."""
    return f"np.sum(np.expand_dims({x}, -1) * _srcad.cluster_matrix({w}, {kink}), axis=-2)"
