"""`np.linalg.eigh` / `eigvalsh` of a complex Hermitian matrix (real parameters, complex values
in between): the helpers a transform calls in their place and the helpers' rules.

Input: the `RuleTable` pair (``register``). Output: the rules of ``eigh_c``, ``eigvalsh_c``
(NumPy's functions, the same values), ``spectral_sum_c``, ``phase_row``, ``phase_free`` and
``phase_free_t``, registered on import. `srcad.ad.complex_check` makes an ``np.linalg.eigh(a)`` /
``eigvalsh(a)`` whose `a` may be complex a call of ``eigh_c`` / ``eigvalsh_c`` (the real path
keeps NumPy's functions and the rules of `srcad.rules.linalg_decomp`). JAX's convention (a
cotangent ``ct`` of ``z`` means ``dL = Re sum(ct * dz)``); ``H = herm(a, UPLO)`` the matrix
LAPACK reads (one triangle, the diagonal's imaginary part ignored), ``H = V diag(w) V^H``::

    M = V^H dH V;  dw = Re diag(M) (averaged over clusters, as the real rule)
    dV = X - V diag(i Im(X_r) / V_r),  X = V (F o M),  F_ij = 1 / (w_j - w_i)
    ct_H = conj(V) (diag(Re gw) + F o (V^T gV)) V^T,  ct_a = herm_t(ct_H, UPLO)

Eigenvectors are unique up to a phase per column. NumPy's (LAPACK ``zheevd``: Householder
reflectors that leave row 0 (UPLO 'L') or row n-1 ('U') alone, then a real tridiagonal
problem) have that row real; ``phase_row`` checks it on the values NumPy returned, and the
tangent keeps it real (the term in ``Im(X_r)``), so forward mode is the derivative of NumPy's
vectors, phase-dependent losses too; an entry of that row ~0 (<= 1e-8: the phase jumps) is
refused. Reverse mode refuses a cotangent whose loss depends on the phases (``Im diag(V^T gV)``
nonzero, relative 1e-8: `phase_free`, PyTorch's check); gauge-invariant uses (``|V|**2``,
``V diag(w) V^H``, projectors) pass. Second order (forward over reverse) also refuses a
nonzero tangent of that phase part (`phase_free_t`: a gradient without a phase part here but
with one nearby); reverse over reverse and third order refuse any use of the vectors. An
``eigh`` whose vectors the function never reads (`srcad.ad.complex_check`: ``w, _ =
eigh(a)``) is ``eigh_c(a, UPLO, vecs=False)``: its cotangent is eigvalsh's, no vector phase
is followed. ``spectral_sum_c(a, gbar, UPLO)``: ``conj(V) diag(gbar) V^T``, eigvalsh's
cotangent, whose rules are `srcad.rules.spectral`'s with conjugates.
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import defzero_helper, helper, rt
from srcad.rules.indexing import _unsupported
from srcad.rules.linalg_decomp_d2 import _avg, _diag, _t

TIGHT = 1e-8  # a phase row's entries above this; a phase-dependent cotangent part below it


def _h(x: str) -> str:
    return f"np.conj(np.swapaxes({x}, -1, -2))"


def _dg(m: str) -> str:
    return f"np.real(np.diagonal({m}, axis1=-2, axis2=-1))"


@helper
def eigh_c(a, UPLO="L", vecs=True):
    """``np.linalg.eigh(a, UPLO)`` (of a complex Hermitian `a`: its own rules); `vecs` False:
    the caller reads the eigenvalues alone (their rules follow no eigenvector, no phase)."""
    return np.linalg.eigh(a, UPLO)


@helper
def eigvalsh_c(a, UPLO="L"):
    """``np.linalg.eigvalsh(a, UPLO)`` (of a complex Hermitian `a`: its own rules)."""
    return np.linalg.eigvalsh(a, UPLO)


@helper
def phase_row(v, UPLO="L"):
    """The unit vector ``e_r`` of the row NumPy's eigenvectors `v` have real (0 for UPLO 'L',
    n-1 for 'U'); refuses vectors whose row is not real (another LAPACK convention) or has an
    entry ~0 (there the phase NumPy picks jumps)."""
    n = np.shape(v)[-1]
    r = n - 1 if str(UPLO).upper() == "U" else 0
    row = np.asarray(v)[..., r, :]
    if np.any(np.imag(row) != 0) or np.any(np.abs(row) <= TIGHT):
        raise _unsupported(
            "the eigenvectors of a complex Hermitian matrix have a free phase: forward mode "
            f"follows NumPy's (row {r} real), not defined here (an entry of that row is ~0, or "
            "not real); a loss of |V|**2, projectors or the eigenvalues alone is "
            "differentiable in reverse mode (srcad.grad)"
        )
    return np.eye(n)[r]


@helper
def phase_free(g, v):
    """The cotangent `g` of the eigenvectors `v`, refusing a part that changes their phases
    (``Im diag(v^T g)`` above 1e-8 of ``|g|`` per column): the loss depends on a phase."""
    if g is None:
        return g
    d = np.imag(np.sum(v * g, axis=-2))
    if np.any(np.abs(d) > TIGHT * np.sqrt(np.sum(np.abs(g) ** 2, axis=-2))):
        raise _unsupported(
            "this loss depends on the phases of the eigenvectors of a complex Hermitian "
            "matrix, which are arbitrary (np.linalg.eigh fixes them by a convention): no "
            "derivative in reverse mode; use gauge-invariant quantities (np.abs(V) ** 2, "
            "V @ diag(w) @ V.conj().T, projectors)"
        )
    return g


def _norms(x):
    return np.sqrt(np.sum(np.abs(x) ** 2, axis=-2))


@helper
def phase_free_t(dg, dv, g, v):
    """The tangent `dg` of `phase_free`'s cotangent `g` (0 for None), refusing a nonzero
    tangent of its phase part ``Im diag(v^T g)`` (`dv`: the tangent of `v`): the gradient's
    derivative would need the derivative of the phases (a loss whose gradient has no phase part
    here but has one nearby, ``(np.real(V[1, 0]) - c) ** 2``)."""
    d = np.zeros(np.shape(v)[:-2] + np.shape(v)[-1:])
    scale = np.zeros(np.shape(d))
    if dg is not None:
        d = d + np.imag(np.sum(v * dg, axis=-2))
        scale = scale + _norms(dg)
    if dv is not None:
        d = d + np.imag(np.sum(dv * g, axis=-2))
        scale = scale + _norms(dv) * _norms(g)
    if np.any(np.abs(d) > TIGHT * scale):
        raise _unsupported(
            "a second derivative of a loss that depends on the phases of the eigenvectors of a "
            "complex Hermitian matrix near here (its gradient has no phase part only at this "
            "point): no derivative; use gauge-invariant quantities (np.abs(V) ** 2, projectors)"
        )
    return np.zeros_like(g) if dg is None else dg


@helper
def spectral_sum_c(a, gbar, UPLO="L"):
    """``conj(V) diag(gbar) V^T`` of the eigenvectors ``V`` of ``np.linalg.eigh(a, UPLO)``."""
    _, v = np.linalg.eigh(a, UPLO)
    return (np.conj(v) * np.expand_dims(gbar, -2)) @ np.swapaxes(v, -1, -2)


def _eigh(jvp: RuleTable, vjp: RuleTable) -> None:
    w, v = "ans[0]", "ans[1]"
    m = f"({_h(v)} @ _srcad.herm(da, UPLO) @ {v})"
    x = f"({v} @ (_srcad.inv_gaps({w}) * {m}))"
    e = f"_srcad.phase_row({v}, UPLO)"
    xr = f"({e} @ {x})"  # (its imaginary part: i Im(X_r), 0.0 real for a real `a`)
    dv = f"{x} - {v} * np.expand_dims(({xr} - np.real({xr})) / np.real({e} @ {v}), -2)"
    sig, nd = "a, UPLO='L', vecs=True", ("UPLO", "vecs")
    jvp.defjvp(
        rt(eigh_c), sig, nondiff=nd,
        a=f"({_avg(_dg(m), w)}, ({dv} if vecs else np.zeros_like({v})))",
    )  # fmt: skip
    gw = f"np.real(_srcad.elem(g, 0, {w}))"
    gv = f"_srcad.phase_free(_srcad.elem(g, 1, {v}), {v})"
    vals = f"_srcad.spectral_sum_c(a, {_avg(gw, w)}, UPLO)"  # (no eigenvector's tangent)
    vjp.defvjp(
        rt(eigh_c), sig, nondiff=nd,
        a=f"_srcad.herm_t((np.conj({v}) @ ({_diag(_avg(gw, w))} + _srcad.inv_gaps({w}, {gv}) * "
        f"({_t(v)} @ {gv})) @ {_t(v)} if vecs else {vals}), UPLO)",
    )  # fmt: skip
    v = "_srcad.eigh_c(a, UPLO)[1]"
    jvp.defjvp(
        rt(eigvalsh_c), "a, UPLO='L'", nondiff=("UPLO",),
        a=_avg(_dg(f"({_h(v)} @ _srcad.herm(da, UPLO) @ {v})"), "ans"),
    )  # fmt: skip
    vjp.defvjp(
        rt(eigvalsh_c), "a, UPLO='L'", nondiff=("UPLO",),
        a=f"_srcad.herm_t(_srcad.spectral_sum_c(a, {_avg('np.real(g)', 'ans')}, UPLO), UPLO)",
    )  # fmt: skip


_W = "_srcad.eigh_c(a, UPLO)[0]"
_V = "_srcad.eigh_c(a, UPLO)[1]"
# G_ij = (gbar_j - gbar_i) / (w_j - w_i), 0 inside a cluster (`srcad.rules.spectral`)
_G = f"((np.expand_dims(gbar, -2) - np.expand_dims(gbar, -1)) * _srcad.gap_recip({_W}))"


def _spectral(jvp: RuleTable, vjp: RuleTable) -> None:
    # S = conj(f(H)), f(H) = V diag(gbar) V^H: dS = conj(V (G o V^H dH V) V^H) (Daleckii-Krein)
    jvp.defjvp(
        rt(spectral_sum_c), "a, gbar, UPLO='L'", nondiff=("UPLO",),
        a=f"np.conj({_V} @ ({_G} * ({_h(_V)} @ _srcad.herm(da, UPLO) @ {_V})) @ {_h(_V)})",
        gbar=f"_srcad.spectral_sum_c(a, _srcad.split_check(dgbar, {_W}), UPLO)",
    )  # fmt: skip
    vjp.defvjp(
        rt(spectral_sum_c), "a, gbar, UPLO='L'", nondiff=("UPLO",),
        a=f"_srcad.herm_t(np.conj({_V} @ ({_G} * ({_h(_V)} @ g @ {_V})) @ {_h(_V)}), UPLO)",
        gbar=_dg(f"({_h(_V)} @ g @ {_V})"),
    )  # fmt: skip


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the rules of the helpers above."""
    _eigh(jvp, vjp)
    _spectral(jvp, vjp)
    defzero_helper(jvp, vjp, phase_row)
    # the identity on a cotangent; its tangent checked to keep no phase part (`phase_free_t`)
    jvp.defjvp_joint(
        rt(phase_free), "g_, v", "_srcad.phase_free_t(dg_, dv, g_, v)",
        single={"g_": "_srcad.phase_free_t(dg_, None, g_, v)",
                "v": "_srcad.phase_free_t(None, dv, g_, v)"},
    )  # fmt: skip
    vjp.defvjp(rt(phase_free), "g_, v", g_=_refused("g", RR), v="_srcad.zeros_like(v)")
    # the next order: refused (the second tangent of the phase part is not checked)
    sig = "dg, dv, g_, v"
    zeros = {p: "_srcad.zeros_like(ans)" for p in ("dv", "g_", "v")}
    jvp.defjvp(rt(phase_free_t), sig, dg=_refused("ddg", THIRD), **zeros)
    zeros = {p: f"_srcad.zeros_like({p})" for p in ("dv", "g_", "v")}
    vjp.defvjp(rt(phase_free_t), sig, dg=_refused("g", THIRD), **zeros)


RR = (
    "a second derivative of the eigenvectors of a complex Hermitian matrix in reverse mode "
    "over reverse mode: not defined here; srcad.hessian / srcad.hvp (forward over reverse) give it"
)
THIRD = "a third derivative of the eigenvectors of a complex Hermitian matrix: not defined here"


def _refused(t: str, msg: str) -> str:
    """Template: the tangent or cotangent `t`, refused when not 0."""
    return f"_srcad.check({t}, not np.any({t} != 0), {msg!r})"
