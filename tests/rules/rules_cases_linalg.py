"""Rule cases of np.linalg decompositions (eigh, svd, qr, pinv, lstsq, ...).

Part of `tests/rules/rules_cases.py`, imported at its end.
Cases are added to `rules_cases.CASES` with `rules_cases.case`, the same as there."""

from __future__ import annotations

import numpy as np

from tests.rules.rules_cases import case, randn, spd, zero

_rng = np.random.default_rng(1010)
Q3_ = np.linalg.qr(_rng.standard_normal((3, 3)))[0]


def _sym(n, batch=()):
    a = _rng.standard_normal(batch + (n, n))
    return a + np.swapaxes(a, -1, -2)


def _real_eig(n):
    """A non-symmetric matrix with distinct real eigenvalues."""
    p = _rng.standard_normal((n, n)) + n * np.eye(n)
    return p @ np.diag(np.arange(1.0, n + 1)) @ np.linalg.inv(p)


# eigh / eigvalsh: one triangle read (both UPLO), stacks
case("numpy.linalg.eigh", "np.linalg.eigh(a)", a=randn(3, 3))
case("numpy.linalg.eigh", "np.linalg.eigh(a, 'U')", a=randn(4, 4))
case("numpy.linalg.eigh", "np.linalg.eigh(a, UPLO='L')", a=_sym(3, (2,)))
case("numpy.linalg.eigvalsh", "np.linalg.eigvalsh(a)", a=randn(3, 3))
case("numpy.linalg.eigvalsh", "np.linalg.eigvalsh(a, 'U')", a=_sym(3, (2,)))
# a triple eigenvalue: each gets the cluster's mean rate, trace(dA) / 3 (FD sees a kink)
case("numpy.linalg.eigvalsh", "np.linalg.eigvalsh(a)", a=2.0 * np.eye(3),
     _jac={"a": np.tile(np.eye(3).ravel() / 3, (3, 1))})  # fmt: skip
# svd: reduced, full (square), tall/wide, values only, stacks
case("numpy.linalg.svd", "np.linalg.svd(a)", a=randn(3, 3))
case("numpy.linalg.svd", "np.linalg.svd(a, full_matrices=False)", a=randn(4, 3))
case("numpy.linalg.svd", "np.linalg.svd(a, full_matrices=False)", a=randn(2, 3, 5))
case("numpy.linalg.svd", "np.linalg.svd(a, compute_uv=False)", a=randn(4, 2))
case("numpy.linalg.svd", "np.linalg.svd(a, False, False)", a=randn(2, 3, 3))
# hermitian=True: the svd of the lower triangle's symmetric matrix (a need not be symmetric)
case("numpy.linalg.svd", "np.linalg.svd(a, hermitian=True)", a=randn(3, 3))
case("numpy.linalg.svd", "np.linalg.svd(a, compute_uv=False, hermitian=True)", a=randn(2, 3, 3))
case("numpy.linalg.svdvals", "np.linalg.svdvals(x)", x=randn(3, 5))
case("numpy.linalg.svdvals", "np.linalg.svdvals(x)", x=randn(2, 4, 2))
# qr: all shapes, modes
case("numpy.linalg.qr", "np.linalg.qr(a)", a=randn(3, 3))
case("numpy.linalg.qr", "np.linalg.qr(a)", a=randn(5, 3))
case("numpy.linalg.qr", "np.linalg.qr(a)", a=randn(3, 5))
case("numpy.linalg.qr", "np.linalg.qr(a, 'complete')", a=randn(2, 4))
case("numpy.linalg.qr", "np.linalg.qr(a, mode='r')", a=randn(5, 3))
case("numpy.linalg.qr", "np.linalg.qr(a)", a=randn(2, 4, 3))
# pinv, matrix_power, lstsq
case("numpy.linalg.pinv", "np.linalg.pinv(a)", a=randn(4, 3))
case("numpy.linalg.pinv", "np.linalg.pinv(a)", a=randn(2, 5))
case("numpy.linalg.pinv", "np.linalg.pinv(a, hermitian=True)", a=spd(3))
case("numpy.linalg.pinv", "np.linalg.pinv(a, rcond=1e-10)", a=randn(2, 3, 3))
for n in (0, 1, 3, -1, -2):
    case("numpy.linalg.matrix_power", f"np.linalg.matrix_power(a, {n})", a=spd(3) / 3)
case("numpy.linalg.matrix_power", "np.linalg.matrix_power(a, 2)", a=randn(2, 3, 3))
case("numpy.linalg.lstsq", "np.linalg.lstsq(a, b)", a=randn(5, 3), b=randn(5))
case("numpy.linalg.lstsq", "np.linalg.lstsq(a, b, rcond=None)", a=randn(5, 3), b=randn(5, 2))
case("numpy.linalg.lstsq", "np.linalg.lstsq(a, b)", a=randn(2, 4), b=randn(2, 3))
# a rank-deficient constant `a`: the minimum-norm solution is linear in `b`
_RANK2 = randn(5, 2) @ randn(2, 3)
case("numpy.linalg.lstsq", "np.linalg.lstsq(a, b, rcond=None)", ("b",), a=_RANK2, b=randn(5, 2))
# eig, eigvals: real, distinct eigenvalues
case("numpy.linalg.eig", "np.linalg.eig(a)", a=_real_eig(3))
case("numpy.linalg.eig", "np.linalg.eig(a)", a=_sym(4))
case("numpy.linalg.eigvals", "np.linalg.eigvals(a)", a=_real_eig(4))
# namedtuple fields: `r` stands for a result (the e2e test shifts tuples as plain tuples: no FD)
for field, value in (
    ("eigenvalues", np.linalg.eigh(spd(3))), ("eigenvectors", np.linalg.eigh(spd(3))),
    ("U", np.linalg.svd(randn(3, 2))), ("S", np.linalg.svd(randn(3, 2))),
    ("Vh", np.linalg.svd(randn(3, 2))), ("Q", np.linalg.qr(randn(3, 2))),
    ("R", np.linalg.qr(randn(3, 2))), ("sign", np.linalg.slogdet(spd(2))),
    ("logabsdet", np.linalg.slogdet(spd(2))),
):  # fmt: skip
    case(f"attr.{field}", f"r.{field}", _wrt=("r",), _fd=False, r=value)

# the helpers (second order)
_w = np.array([[0.3, -1.2, 2.0, 0.9], [1.0, 2.0, 3.0, 4.5]])
case("srcad.runtime.inv_gaps", "_srcad.inv_gaps(w)", w=_w)
case("srcad.runtime.inv_gaps", "_srcad.inv_gaps(w, ct)", w=_w[0], ct=randn(3, 4))
case("srcad.runtime.inv_pos", "_srcad.inv_pos(s)", s=np.abs(_w) + 0.5)
# eigvalsh's cotangent V diag(gbar) V^T and its helpers (srcad/rules/spectral.py)
case("srcad.runtime.spectral_sum", "_srcad.spectral_sum(a, gbar)", a=randn(3, 3), gbar=randn(3))
case("srcad.runtime.spectral_sum", "_srcad.spectral_sum(a, gbar, 'U')", a=randn(2, 3, 3),
     gbar=randn(2, 3))  # fmt: skip
case("srcad.runtime.gap_recip", "_srcad.gap_recip(w)", w=_w)
case("srcad.runtime.split_check", "_srcad.split_check(t, w)", ("t",), t=randn(2, 4), w=_w)
case("srcad.runtime.inv_pos", "_srcad.inv_pos(s, ct)", s=np.array([2.0, 0.5]), ct=randn(3, 2))
case("srcad.runtime.herm", "_srcad.herm(x)", x=randn(3, 3))
case("srcad.runtime.herm", "_srcad.herm(x, 'U')", x=randn(2, 3, 3))
case("srcad.runtime.herm_t", "_srcad.herm_t(x, 'L')", x=randn(3, 3))
case("srcad.runtime.herm_t", "_srcad.herm_t(x, 'U')", x=randn(3, 3))
case("srcad.runtime.check", "_srcad.check(x, True, 'never')", x=randn(3))
# complex Hermitian eigh/eigvalsh (srcad/rules/linalg_eighc.py): a complex `a` (its tangent
# not Hermitian: one triangle read, the diagonal's imaginary part dropped); eigh_c's vectors get
# a random cotangent only for a real `a` (a complex one depends on the phases: refused, see
# tests/regressions/test_eigc40d.py)
_C = randn(3, 3) + 1j * randn(3, 3)
case("srcad.runtime.eigh_c", "_srcad.eigh_c(a)", a=randn(3, 3))
case("srcad.runtime.eigh_c", "_srcad.eigh_c(a, 'U')", a=_sym(3, (2,)))
case("srcad.runtime.eigvalsh_c", "_srcad.eigvalsh_c(a)", ("a",), a=_C)
case("srcad.runtime.eigvalsh_c", "_srcad.eigvalsh_c(a, 'U')", ("a",), a=np.stack([_C, _C.T]))
case("srcad.runtime.spectral_sum_c", "_srcad.spectral_sum_c(a, gbar)", ("a", "gbar"), a=_C,
     gbar=randn(3))  # fmt: skip
case("srcad.runtime.spectral_sum_c", "_srcad.spectral_sum_c(a, gbar, 'U')", ("a", "gbar"),
     a=np.stack([_C, 2.0 * _C.T]), gbar=randn(2, 3))  # fmt: skip
case("srcad.runtime.herm", "_srcad.herm(x)", ("x",), x=_C)
case("srcad.runtime.herm", "_srcad.herm(x, 'U')", ("x",), x=np.stack([_C, _C.T]))
case("srcad.runtime.herm_t", "_srcad.herm_t(x, 'L')", ("x",), x=_C)
case("srcad.runtime.herm_t", "_srcad.herm_t(x, 'U')", ("x",), x=_C.T)
# (in `v`: zero; in `g_` its VJP refuses, reverse over reverse: tests/regressions/test_eigc40d)
case("srcad.runtime.phase_free", "_srcad.phase_free(g_, v)", ("v",), g_=randn(3, 3), v=Q3_)
case("srcad.runtime.phase_free_t", "_srcad.phase_free_t(dg, dv, g_, v)", ("dv", "v"), dg=randn(3, 3),
     dv=randn(3, 3), g_=randn(3, 3), v=Q3_)  # fmt: skip
zero("srcad.runtime.phase_row", "_srcad.phase_row(v, 'U')", v=Q3_)
# (a tangent in the trimmed part is refused: tests/rules/test_linalg_decomp.py)
case("srcad.runtime.trim_ct", "_srcad.trim_ct(x, 2, -1)", x=randn(4, 2))
case("srcad.runtime.trim_ct", "_srcad.trim_ct(x, 3, -2)", x=randn(2, 3, 3))
_E = _real_eig(3)
case(
    "srcad.runtime.eig_vecs",
    "_srcad.eig_vecs(a, w)",
    a=_E,
    w=np.linalg.eigvals(_E)[::-1].real.copy(),
)
case("srcad.runtime.eig_tangent", "_srcad.eig_tangent(t, r)", _wrt=("t",), t=randn(3), r=randn(3))
# np.roots' eigenvalues made real (NumPy 2.5's eigvals is complex; a complex `w` is run by
# tests/soundness/test_lib26.py on every NumPy)
case("srcad.runtime.real_eigvals", "_srcad.real_eigvals(w)", w=randn(4))
# (a complex `r`, NumPy 2.5's eig output, runs in test_linalg_decomp's eig tests there: the
# end-to-end table refuses a complex argument of a user function)
case("srcad.runtime.field_ct", "_srcad.field_ct(g_, r, 'S')", _wrt=("g_",), g_=randn(2),
     r=np.linalg.svd(randn(2, 2)))  # fmt: skip
