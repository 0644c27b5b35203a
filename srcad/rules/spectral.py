"""The cotangent of `np.linalg.eigvalsh` as a spectral sum, so that a loss linear in the
eigenvalues (the largest one, a weighted sum) has a second derivative where other eigenvalues
repeat (``eigvalsh(I + outer(x, x))[-1]``, refused before).

Input: the `RuleTable` pair (``register``). Output: the rules of three runtime helpers,
registered on import:

- ``spectral_sum(a, gbar, UPLO)``: ``V diag(gbar) V^T`` of ``w, V = np.linalg.eigh(a, UPLO)``,
  the reverse-mode rule of `eigvalsh` (`srcad.rules.linalg_decomp`) with the cotangent `gbar`
  already averaged over clusters of equal eigenvalues. It reads the eigenvectors only through
  the projectors onto the clusters' eigenspaces, differentiable however a cluster repeats: its
  derivative in `a` is ``V (G o V^T herm(da) V) V^T`` (Daleckii-Krein) with ``G_ij = (gbar_j -
  gbar_i) / (w_j - w_i)`` between clusters and 0 inside one (`gbar` is equal there). Its
  derivative in `gbar` is exact only where no eigenvalues repeat: how `gbar` changes as a
  cluster splits is not in its tangent (eigenvalue tangents are cluster means; the Hessian of
  ``np.sum(eigvalsh(A) ** 2)`` at ``A = I`` needs it), so that tangent is refused at eigenvalues
  closer than 1e-10 relative (``split_check``); a constant `gbar` has none.
- ``gap_recip(w)``: ``1 / (w_j - w_i)`` between clusters, 0 inside one (the clusters of
  ``cluster_matrix``: relative gap <= 64 n eps). Its rules are those of ``1 / (w_j - w_i)``.
- ``split_check(t, w)``: `t`, or a refusal at repeated eigenvalues `w` (linear in `t`).

Third derivatives through these rules differentiate ``eigh``'s eigenvectors, and refuse at a
repeated eigenvalue as ``eigh``'s rules do.
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.arrays import real_operand
from srcad.rules.helpers import deflinear_helper, helper, rt
from srcad.rules.indexing import _unsupported
from srcad.rules.linalg_decomp_d2 import GAPS_JVP, GAPS_VJP, LOOSE, _same, cluster_rtol

_W = "np.linalg.eigh(a, UPLO)[0]"
_V = "np.linalg.eigh(a, UPLO)[1]"
_VT = f"np.swapaxes({_V}, -1, -2)"
# G_ij = (gbar_j - gbar_i) / (w_j - w_i), 0 inside a cluster
_G = f"((np.expand_dims(gbar, -2) - np.expand_dims(gbar, -1)) * _srcad.gap_recip({_W}))"


@helper
def spectral_sum(a, gbar, UPLO="L"):
    """``V diag(gbar) V^T`` of the eigenvectors ``V`` of ``np.linalg.eigh(a, UPLO)``."""
    _, v = np.linalg.eigh(a, UPLO)
    return (v * np.expand_dims(gbar, -2)) @ np.swapaxes(v, -1, -2)


@helper
def gap_recip(w):
    """``F_ij = 1 / (w_j - w_i)``, 0 between numerically equal entries of `w` (the diagonal
    too)."""
    w = real_operand(w, "a decomposition")
    same = _same(w, cluster_rtol(w.shape[-1]))  # (cluster_matrix's clusters)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = 1.0 / (np.expand_dims(w, -2) - np.expand_dims(w, -1))
    return np.where(same, 0.0, f)


@helper
def split_check(t, w):
    """`t` (the tangent of the averaged cotangent `gbar`), refusing eigenvalues `w` closer than
    1e-10 relative: how such a cotangent changes when the repeated eigenvalues split is not in
    its tangent (the tangents of eigenvalues are averaged over their cluster)."""
    n = np.shape(w)[-1]
    if np.any(_same(real_operand(w, "a decomposition"), LOOSE) & ~np.eye(n, dtype=bool)):
        raise _unsupported(
            "second derivative of a function of np.linalg.eigvalsh at a repeated eigenvalue: "
            "how its derivative changes as the eigenvalues split is not defined by the "
            "eigenvalues' derivatives (a loss linear in the eigenvalues, such as the largest "
            "one of a matrix whose other eigenvalues repeat, is differentiable twice)"
        )
    return t


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the rules of `spectral_sum` and `gap_recip`."""
    jvp.defjvp(
        rt(spectral_sum), "a, gbar, UPLO='L'", nondiff=("UPLO",),
        a=f"{_V} @ ({_G} * ({_VT} @ _srcad.herm(da, UPLO) @ {_V})) @ {_VT}",
        gbar=f"_srcad.spectral_sum(a, _srcad.split_check(dgbar, {_W}), UPLO)",
    )  # fmt: skip
    vjp.defvjp(
        rt(spectral_sum), "a, gbar, UPLO='L'", nondiff=("UPLO",),
        a=f"_srcad.herm_t({_V} @ ({_G} * ({_VT} @ g @ {_V})) @ {_VT}, UPLO)",
        gbar=f"np.diagonal({_VT} @ g @ {_V}, axis1=-2, axis2=-1)",
    )  # fmt: skip
    deflinear_helper(jvp, vjp, split_check, "t, w", "_srcad.split_check(dt, w)",
                     "_srcad.split_check(g, w)")  # fmt: skip
    jvp.defjvp(rt(gap_recip), "w", w=GAPS_JVP)  # (0 inside a cluster, as F)
    vjp.defvjp(rt(gap_recip), "w", w=GAPS_VJP)
