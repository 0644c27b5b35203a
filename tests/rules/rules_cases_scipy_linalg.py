"""Rule cases of scipy.linalg functions and their helpers (present only when scipy is importable).

Part of `tests/rules/rules_cases.py`, imported at its end. Matrices are well conditioned (a
triangular solve's diagonal is kept away from zero, Cholesky inputs are SPD); the triangle a
function does not read is random, so a wrong derivative there shows against finite differences."""

from __future__ import annotations

import numpy as np

from tests.rules.rules_cases import HAS_SCIPY, case, randn, scipy_linalg_batches, spd

SL = "scipy.linalg."
RT = "srcad.runtime."


def _tri_ok(n):
    """A random matrix whose diagonal is far from zero (triangular solves stay well posed)."""
    return randn(n, n) + 4.0 * np.eye(n)


if HAS_SCIPY:
    import scipy.linalg as sl

    BATCHES = scipy_linalg_batches()

    for expr in ["scipy.linalg.solve_triangular(a, b)",
                 "scipy.linalg.solve_triangular(a, b, lower=True)",
                 "scipy.linalg.solve_triangular(a, b, trans='T', lower=True)",
                 "scipy.linalg.solve_triangular(a, b, trans=1, unit_diagonal=True)",
                 "scipy.linalg.solve_triangular(a, b, 'C', True, True)"]:  # fmt: skip
        case(SL + "solve_triangular", expr, a=_tri_ok(3), b=randn(3))
        case(SL + "solve_triangular", expr, a=_tri_ok(3), b=randn(3, 2))
    for trans, lower, unit, adj in [(0, True, False, 0), ("T", False, True, 1), (1, True, True, 1)]:
        case(RT + "sl_trisolve", f"_srcad.sl_trisolve(a, b, {trans!r}, {lower}, {unit}, {adj})",
             a=_tri_ok(3), b=randn(3, 2))  # fmt: skip
    case(SL + "cholesky", "scipy.linalg.cholesky(a)", a=spd(3))
    case(SL + "cholesky", "scipy.linalg.cholesky(a, lower=True)", a=spd(4))
    case(SL + "cho_factor", "scipy.linalg.cho_factor(a)", a=spd(3))
    case(SL + "cho_factor", "scipy.linalg.cho_factor(a, lower=True)", a=spd(3))
    for lower in (False, True):
        c_ = sl.cho_factor(spd(3), lower=lower)[0]
        case(SL + "cho_solve", f"scipy.linalg.cho_solve((c, {lower}), b)", c=c_, b=randn(3))
        case(SL + "cho_solve", f"scipy.linalg.cho_solve((c, {lower}), b)", c=c_, b=randn(3, 2))
        case(RT + "sl_cho_solve", f"_srcad.sl_cho_solve((c, {lower}), b)", c=c_, b=randn(3, 2))
    for kw in ["", ", assume_a='gen'", ", assume_a='sym'", ", assume_a='pos', lower=True",
               ", assume_a='positive definite'", ", transposed=True",
               ", assume_a='lower triangular'", ", assume_a='upper triangular'",
               ", assume_a='diagonal'"]:  # fmt: skip
        case(SL + "solve", f"scipy.linalg.solve(a, b{kw})", a=spd(3) + 0.3 * randn(3, 3),
             b=randn(3))  # fmt: skip
    case(SL + "solve", "scipy.linalg.solve(a, b, assume_a='sym')", a=spd(3), b=randn(3, 2))
    case(SL + "inv", "scipy.linalg.inv(a)", a=spd(3) + randn(3, 3))
    case(SL + "det", "scipy.linalg.det(a)", a=randn(3, 3))
    case(SL + "expm", "scipy.linalg.expm(A)", A=0.5 * randn(3, 3))
    case(RT + "sl_frechet", "_srcad.sl_frechet(a, e)", a=0.5 * randn(3, 3), e=randn(3, 3))

    # the linear helpers
    case(RT + "sl_cho_rest", "_srcad.sl_cho_rest(m, True)", m=randn(3, 3))
    case(RT + "sl_cho_rest", "_srcad.sl_cho_rest(m, False)", m=randn(3, 3))
    case(RT + "sl_tri", "_srcad.sl_tri(m, True, False)", m=randn(3, 3))
    case(RT + "sl_tri", "_srcad.sl_tri(m, False, True)", m=randn(3, 3))
    case(RT + "sl_opm", "_srcad.sl_opm(m, 'T', 0)", m=randn(3, 2))
    case(RT + "sl_opm", "_srcad.sl_opm(m, 'T', 1)", m=randn(3, 2))
    case(RT + "sl_factor", "_srcad.sl_factor(m, False)", m=randn(3, 3))
    case(RT + "sl_factor", "_srcad.sl_factor(m, True)", m=randn(3, 3))
    case(RT + "sl_factor_t", "_srcad.sl_factor_t(t, False)", t=randn(3, 3))
    case(RT + "sl_factor_t", "_srcad.sl_factor_t(t, True)", t=randn(3, 3))
    for kw in ["None, False, False", "'sym', True, False", "'pos', False, True", "'diagonal', 0, 1",
               "'lower triangular', False, True"]:  # fmt: skip
        case(RT + "sl_solve_mat", f"_srcad.sl_solve_mat(a, {kw})", a=randn(3, 3))
        case(RT + "sl_solve_mat_t", f"_srcad.sl_solve_mat_t(t, {kw})", t=randn(3, 3))
    case(RT + "sl_block", "_srcad.sl_block(a, e)", a=randn(2, 2), e=randn(2, 2))
    case(RT + "sl_corner", "_srcad.sl_corner(m)", m=randn(4, 4))
    case(RT + "sl_corner_t", "_srcad.sl_corner_t(t)", t=randn(2, 2))
    case(RT + "sl_diag_blocks", "_srcad.sl_diag_blocks(t)", t=randn(4, 4))
    for shape in [(3,), (3, 2), (2, 3, 2)]:
        case(RT + "sl_outer", "_srcad.sl_outer(y, x)", y=randn(*shape), x=randn(*shape))
    if BATCHES:
        case(SL + "solve_triangular", "scipy.linalg.solve_triangular(a, b, trans=1)", a=_tri_ok(3),
             b=randn(2, 3, 2))  # fmt: skip

    # srcad/rules/scipy_linalg2.py: lu, lu_factor, lu_solve, eigh, sqrtm, logm, block_diag
    for kw in ["", ", permute_l=True", ", p_indices=True"]:
        case(SL + "lu", f"scipy.linalg.lu(a{kw})", a=randn(3, 3))
    case(SL + "lu_factor", "scipy.linalg.lu_factor(a)", a=randn(3, 3))
    _lu = sl.lu_factor(randn(3, 3) + 3.0 * np.eye(3))
    for trans in (0, 1, 2):
        case(SL + "lu_solve", f"scipy.linalg.lu_solve((lu, piv), b, trans={trans})", lu=_lu[0],
             piv=_lu[1], b=randn(3))  # fmt: skip
        case(SL + "lu_solve", f"scipy.linalg.lu_solve((lu, piv), b, {trans})", lu=_lu[0],
             piv=_lu[1], b=randn(3, 2))  # fmt: skip
    if BATCHES:
        case(SL + "lu_solve", "scipy.linalg.lu_solve((lu, piv), b)", lu=_lu[0], piv=_lu[1],
             b=randn(2, 3, 2))  # fmt: skip
    for trans, adj in [(0, 0), (1, 0), (0, 1), (1, 1)]:
        case(RT + "sl_lu_solve", f"_srcad.sl_lu_solve((lu, piv), b, {trans}, {adj})", lu=_lu[0],
             piv=_lu[1], b=randn(3, 2))  # fmt: skip
    # eigenvectors by driver='evd': the default 'evr' flips a vector's sign under perturbations
    # of 1e-6 (its signs are not continuous), so finite differences of vectors mean nothing
    for kw in [", driver='evd'", ", lower=False, driver='evd'", ", eigvals_only=True",
               ", lower=False, eigvals_only=True"]:  # fmt: skip
        case(SL + "eigh", f"scipy.linalg.eigh(a{kw})", a=randn(3, 3))
    # svd: reduced, full (square), tall, values only, a driver (rules from the results `ans`)
    case(SL + "svd", "scipy.linalg.svd(a)", a=randn(3, 3))
    case(SL + "svd", "scipy.linalg.svd(a, full_matrices=False)", a=randn(4, 3))
    case(SL + "svd", "scipy.linalg.svd(a, full_matrices=False, lapack_driver='gesvd')",
         a=randn(3, 4))  # fmt: skip
    case(SL + "svd", "scipy.linalg.svd(a, compute_uv=False)", a=randn(4, 2))
    case(SL + "svd", "scipy.linalg.svd(a, False, False, check_finite=False)", a=randn(3, 3))
    case(SL + "svdvals", "scipy.linalg.svdvals(a)", a=randn(4, 3))
    case(SL + "svdvals", "scipy.linalg.svdvals(a, check_finite=False)", a=randn(2, 5))
    case(SL + "sqrtm", "scipy.linalg.sqrtm(A)", A=spd(3))
    case(SL + "logm", "scipy.linalg.logm(A)", A=spd(3))
    if BATCHES:
        case(SL + "eigh", "scipy.linalg.eigh(a, eigvals_only=True)", a=spd(3, (2,)))
        case(SL + "sqrtm", "scipy.linalg.sqrtm(A)", A=spd(3, (2,)))
        case(SL + "logm", "scipy.linalg.logm(A)", A=spd(2, (2,)))
    case(RT + "sl_logm", "_srcad.sl_logm(A)", A=spd(3))
    case(SL + "eigvalsh", "scipy.linalg.eigvalsh(a)", a=randn(3, 3))
    case(SL + "eigvalsh", "scipy.linalg.eigvalsh(a, lower=False)", a=randn(3, 3))
    # lstsq: np.linalg.lstsq's rules with scipy's cutoff and residues' shape (a scalar for 1-D b)
    case(SL + "lstsq", "scipy.linalg.lstsq(a, b)", a=randn(5, 3), b=randn(5))
    case(SL + "lstsq", "scipy.linalg.lstsq(a, b)", a=randn(5, 3), b=randn(5, 2))
    case(
        SL + "lstsq",
        "scipy.linalg.lstsq(a, b, cond=r)",
        ("a", "b"),
        a=randn(4, 3),
        b=randn(4),
        r=1e-3,
    )  # fmt: skip  (SciPy >= 1.18 refuses a negative cond: not 1e-8 -+ a step)
    case(SL + "lstsq", "scipy.linalg.lstsq(a, b, lapack_driver='gelss')", a=randn(3, 3),
         b=randn(3))  # fmt: skip
    case(
        SL + "lstsq", "scipy.linalg.lstsq(a, b)", ("b",), a=np.outer(randn(4), randn(3)), b=randn(4)
    )  # fmt: skip  (rank 1: b alone)
    # the generalized problem A v = w B v (rules/scipy_geigh.py), in a, b or both
    for kw in ["", ", lower=False", ", eigvals_only=True", ", lower=False, eigvals_only=True"]:
        case(SL + "eigh", f"scipy.linalg.eigh(a, b{kw})", a=randn(3, 3), b=spd(3))
    case(SL + "eigh", "scipy.linalg.eigh(a, b)", ("a",), a=randn(3, 3), b=spd(3))
    case(SL + "eigh", "scipy.linalg.eigh(a, b)", ("b",), a=randn(3, 3), b=spd(3))
    case(SL + "eigvalsh", "scipy.linalg.eigvalsh(a, b)", a=randn(3, 3), b=spd(3))
    case(SL + "eigvalsh", "scipy.linalg.eigvalsh(a, b, lower=False)", ("b",), a=randn(3, 3),
         b=spd(3))  # fmt: skip
    case(RT + "sl_geigh", "_srcad.sl_geigh(a, b, True)", a=randn(3, 3), b=spd(3))
    case(RT + "sl_geigh", "_srcad.sl_geigh(a, b, False)", ("a",), a=randn(3, 3), b=spd(3))
    case(SL + "solve_sylvester", "scipy.linalg.solve_sylvester(a, b, q)", a=spd(3), b=spd(2),
         q=randn(3, 2))  # fmt: skip
    case(SL + "solve_continuous_lyapunov", "scipy.linalg.solve_continuous_lyapunov(a, q)",
         a=-spd(3) + 0.3 * randn(3, 3), q=randn(3, 3))  # fmt: skip
    case(RT + "sl_sylvester", "_srcad.sl_sylvester(a, b, q)", a=spd(3), b=spd(3), q=randn(3, 3))
    case(RT + "sl_sylvester", "_srcad.sl_sylvester(a, b, q)", a=spd(2, (2,)), b=spd(2),
         q=randn(2, 2, 2))  # fmt: skip
    case(SL + "block_diag", "scipy.linalg.block_diag(a, b, c)", a=randn(2, 2), b=randn(3),
         c=randn(1, 2))  # fmt: skip
    case(SL + "block_diag", "scipy.linalg.block_diag(a, np.eye(2))", a=randn(2, 3))
    if BATCHES:
        case(SL + "block_diag", "scipy.linalg.block_diag(a, b, c)", a=randn(2, 2, 2), b=randn(3),
             c=randn(1, 1, 2))  # fmt: skip
    case(RT + "sl_block_diag_t", "_srcad.sl_block_diag_t(m, (a, b))", m=randn(4, 5),
         a=randn(2, 2), b=randn(2, 3), _wrt=("m",))  # fmt: skip
    case(RT + "sl_block_diag_of", "_srcad.sl_block_diag_of((s, t), (a, b))", s=randn(2, 2),
         t=randn(2, 3), a=randn(2, 2), b=randn(2, 3), _wrt=("s", "t"))  # fmt: skip

    # banded storage (solve_banded): ab[u + i - j, j] = A[i, j], the diagonal kept large
    def _band(lo, up, n=5):
        ab = randn(lo + up + 1, n)
        ab[up] += 4.0
        return ab

    for lu_ in [(1, 1), (0, 2), (2, 0)]:
        case(SL + "solve_banded", f"scipy.linalg.solve_banded({lu_}, ab, b)", ab=_band(*lu_),
             b=randn(5))  # fmt: skip
    case(SL + "solve_banded", "scipy.linalg.solve_banded((1, 2), ab, b)", ab=_band(1, 2),
         b=randn(5, 2))  # fmt: skip
    case(RT + "sl_banded_solve", "_srcad.sl_banded_solve([2, 1], ab, b)", ab=_band(2, 1),
         b=randn(5, 2))  # fmt: skip
    for lu_ in [(1, 2), (0, 1)]:
        case(RT + "sl_band_matvec", f"_srcad.sl_band_matvec(ab, x, {lu_})", ab=randn(sum(lu_) + 1, 4),
             x=randn(4))  # fmt: skip
        case(RT + "sl_band_matvec", f"_srcad.sl_band_matvec(ab, x, {lu_})", ab=randn(sum(lu_) + 1, 4),
             x=randn(4, 2))  # fmt: skip
        case(RT + "sl_band_outer", f"_srcad.sl_band_outer(y, x, {lu_})", y=randn(4), x=randn(4))
        case(RT + "sl_band_outer", f"_srcad.sl_band_outer(y, x, {lu_})", y=randn(4, 2),
             x=randn(4, 2))  # fmt: skip
        case(RT + "sl_band_t", f"_srcad.sl_band_t(ab, {lu_})", ab=randn(sum(lu_) + 1, 4))
