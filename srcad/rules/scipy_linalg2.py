"""scipy.linalg beyond solves and Cholesky (rules registered only when scipy is importable):
``lu``, ``lu_factor``, ``lu_solve``, ``eigh``, ``eigvalsh``, ``svdvals``, ``sqrtm``, ``logm``,
``block_diag``, ``solve_sylvester`` and ``solve_continuous_lyapunov``, with the runtime helpers
their rules call and those helpers' own rules, so every order closes (``solve_banded``:
`srcad.rules.scipy_linalg_banded`).

Input: the `RuleTable` pair. Output: the tables filled with those rules. The math (real square
matrices, one matrix, not a stack, except ``eigh``/``sqrtm``/``logm``, which take stacks)::

    lu:      A = P L U, X = L^-1 P^T dA U^-1:  dL = L tril(X, -1), dU = triu(X) U
             gA = P L^-T (tril(L^T gL, -1) + triu(gU U^T)) U^-T          (P: zero derivative)
    lu_solve: x = op(A)^-1 b with A = P L U read from the packed factors (np.linalg.solve's rules)
    svdvals: np.linalg.svdvals' (ds_i = u_i^T dA v_i; averaged over tied singular values)
    eigh:    np.linalg.eigh's rules (srcad.rules.linalg_decomp), ``lower`` -> UPLO,
             ``eigvals_only=True`` and ``eigvalsh`` -> np.linalg.eigvalsh's
    sqrtm:   X dX + dX X = dA (a Sylvester equation);  gA solves X^T gA + gA X^T = g
    solve_sylvester (a X + X b = q), solve_continuous_lyapunov (b = a^T): dX solves the same
             equation with dq - da X - X db;  z = syl(a^T, b^T, g): gq = z, ga = -z X^T, ...
    logm:    the Fréchet derivative: logm([[A, E], [0, A]]) holds L(A, E) in its upper-right
             quarter; the transpose of L(A, .) is L(A^T, .)
    block_diag: linear (the blocks of g)

scipy's default eigh driver ('evr') picks eigenvector signs that are not continuous in ``a``
(a perturbation of 1e-6 can flip one): the derivative is that of the vectors scipy returned,
exact for losses that do not depend on the signs (``v**2``, ``v @ diag(w) @ v.T``).
``lu`` of a non-square matrix or of a stack, ``eigh`` with ``b`` (generalized problem) or a
subset, and complex results of ``sqrtm``/``logm`` (a matrix with negative eigenvalues) are refused
with a `DiffError`: at transform time when the ranks or arguments say so (`passes/refusals.py`),
else when the derivative runs, at the user's line: srcad differentiates real code.
``cho_solve_banded``, ``solveh_banded`` and ``eigh_tridiagonal`` have no rules (refused at
transform time, as any function without one).
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules import linalg_decomp, scipy_geigh
from srcad.rules.helpers import deflinear_helper, defzero_helper, helper, rt
from srcad.rules.indexing import _unsupported
from srcad.rules.linalg_decomp import _avg, _ct, _dg, _diag, _s_only, _t, svd_rules
from srcad.rules.linalg_decomp import _real as _real_rules
from srcad.rules.scipy_linalg import _outer

try:  # scipy is optional: without it this family registers nothing
    import scipy.linalg as sl
except ImportError:  # pragma: no cover - exercised only without scipy
    sl = None

SL = "scipy.linalg."
RT = "srcad.runtime."
NAMES = (
    "lu",
    "lu_factor",
    "lu_solve",
    "eigh",
    "eigvalsh",
    "sqrtm",
    "logm",
    "block_diag",
    "solve_sylvester",
    "solve_continuous_lyapunov",
    "lstsq",
)
PURE: tuple[str, ...] = () if sl is None else tuple(SL + n for n in NAMES)
ELEMENTWISE: tuple[str, ...] = ()
CONTAINER: tuple[str, ...] = (
    () if sl is None else tuple(SL + n for n in ("lu", "lu_factor", "lstsq"))
)


def _one_square(a, what: str) -> np.ndarray:
    a = np.asarray(a)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise _unsupported(
            f"srcad differentiates scipy.linalg.{what} of one square matrix, not of shape "
            f"{a.shape} (loop over a stack, or use np.linalg)"
        )
    return a


def _real(x, what: str):
    if np.iscomplexobj(x):
        raise _unsupported(
            f"scipy.linalg.{what} returned complex values (the matrix has eigenvalues on the "
            "negative real axis): srcad differentiates real code"
        )
    return x


# -- helpers: permutations (zero derivative), scipy calls the rules need -----------------------
@helper
def sl_lu_perm(a, ans, permute_l, p_indices):
    """The permutation matrix ``P`` of ``scipy.linalg.lu(a) = (P, L, U)`` (``A = P L U``),
    from `ans`, the result ``lu(a, permute_l, p_indices=...)`` gave (piecewise constant)."""
    _one_square(a, "lu")
    if permute_l:
        return sl.lu(a)[0]
    if p_indices:
        return np.eye(np.shape(a)[-1])[ans[0]]
    return ans[0]


@helper
def sl_piv_perm(piv):
    """The permutation matrix ``P`` with ``A = P L U`` of ``scipy.linalg.lu_factor``'s `piv`
    (row ``i`` swapped with row ``piv[i]``, in order)."""
    if np.ndim(piv) != 1:
        raise _unsupported("srcad differentiates scipy.linalg.lu_factor of one matrix, not a stack")
    perm = np.arange(len(piv))
    for i, p in enumerate(piv):
        perm[i], perm[p] = perm[p], perm[i]
    return np.eye(len(piv))[perm].T


@helper
def sl_uplo(lower):
    """``np.linalg.eigh``'s UPLO for scipy's ``lower`` flag."""
    return "L" if lower else "U"


@helper
def sl_eigh_plain(b, subset_by_index, subset_by_value):
    """Whether ``scipy.linalg.eigh`` solves the standard problem for all eigenvalues."""
    return b is None and subset_by_index is None and subset_by_value is None


@helper
def sl_lu_solve(lu_and_piv, b, trans, adjoint):
    """``op(A)^-1 b`` of ``scipy.linalg.lu_solve(lu_and_piv, b, trans)``, the other way round
    (``A^-1`` and ``A^-T`` swapped) when ``adjoint``."""
    t = (1 if trans else 0) if not adjoint else (0 if trans else 1)
    return sl.lu_solve((_one_square(lu_and_piv[0], "lu_solve"), lu_and_piv[1]), b, trans=t)


@helper
def sl_sylvester(a, b, q):
    """``X`` with ``a X + X b = q`` (``scipy.linalg.solve_sylvester``), for stacks too."""
    a, b, q = np.asarray(a), np.asarray(b), np.asarray(q)
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2], q.shape[:-2])
    a, b, q = (np.broadcast_to(m, batch + m.shape[-2:]) for m in (a, b, q))
    out = np.empty(np.shape(q), np.result_type(a, b, q, float))
    for i in np.ndindex(batch):
        out[i] = sl.solve_sylvester(a[i], b[i], q[i])
    return out


@helper
def sl_logm(m):
    """``scipy.linalg.logm(m)`` (real: a complex logarithm is refused)."""
    return _real(sl.logm(m), "logm")


@helper
def sl_block_diag_t(m, arrs):
    """The blocks of `m` that ``scipy.linalg.block_diag(*arrs)`` put the `arrs` in (a tuple)."""
    out, r, c = [], 0, 0
    for x in arrs:
        shape = np.shape(np.atleast_2d(x))
        h, w = shape[-2:]
        piece = m[..., r : r + h, c : c + w]
        while np.ndim(piece) > len(shape):  # a stack of blocks (scipy broadcasts the inputs)
            piece = np.sum(piece, axis=0)
        for ax, n in enumerate(shape[:-2]):
            if n == 1 and np.shape(piece)[ax] != 1:
                piece = np.sum(piece, axis=ax, keepdims=True)
        out.append(np.reshape(piece, np.shape(x)))
        r, c = r + h, c + w
    return tuple(out)


@helper
def sl_block_diag_of(gs, arrs):
    """``scipy.linalg.block_diag(*gs)``, a zero like ``arrs[k]`` where ``gs[k]`` is None (the
    transpose of `sl_block_diag_t`)."""
    return sl.block_diag(*[np.zeros(np.shape(x)) if t is None else t for t, x in zip(gs, arrs)])


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the rules (nothing without scipy)."""
    if sl is None:  # pragma: no cover
        return
    defzero_helper(jvp, vjp, sl_lu_perm, sl_piv_perm, sl_uplo, sl_eigh_plain)
    deflinear_helper(jvp, vjp, sl_block_diag_t, "m, arrs", "_srcad.sl_block_diag_t(dm, arrs)",
                     "_srcad.sl_block_diag_of(g, arrs)")  # fmt: skip
    deflinear_helper(jvp, vjp, sl_block_diag_of, "gs, arrs", "_srcad.sl_block_diag_of(dgs, arrs)",
                     "_srcad.sl_block_diag_t(g, arrs)")  # fmt: skip
    jvp.deflinear(SL + "block_diag", "*arrs")
    vjp.deflinear(SL + "block_diag", "*arrs", arrs="_srcad.sl_block_diag_t(g, arrs)")
    svd_rules(jvp, vjp, SL + "svd", "a, full_matrices=True, compute_uv=True, overwrite_a=False, "
              "check_finite=True, lapack_driver='gesdd'",
              ("overwrite_a", "check_finite", "lapack_driver"))  # fmt: skip
    svd = "np.linalg.svd(a, full_matrices=False)"  # svdvals: np.linalg.svdvals' rules
    _real_rules(jvp, vjp, SL + "svdvals", "a, overwrite_a=False, check_finite=True", "a",
                *_s_only(f"{svd}[0]", f"{svd}[2]", "ans", "da"),
                nondiff=("overwrite_a", "check_finite"))  # fmt: skip
    _lu(jvp, vjp)
    _lu_solve(jvp, vjp)
    _eigh(jvp, vjp)
    _lstsq(jvp, vjp)
    _matrix_functions(jvp, vjp)


def _lu_core(p: str, big_l: str, big_u: str) -> tuple[str, str, str]:
    """Templates ``(X, gA of gX)`` pieces: X of ``da`` and gA of a cotangent ``{}`` of X."""
    y = f"_srcad.sl_trisolve({big_l}, {p}.T @ da, 0, True, True, 0)"
    x = f"_srcad.sl_trisolve({big_u}, ({y}).T, 'T', False, False, 0).T"
    z = f"_srcad.sl_trisolve({big_u}, ({{}}).T, 0, False, False, 0).T"
    ga = f"{p} @ _srcad.sl_trisolve({big_l}, {z}, 'T', True, True, 0)"
    gx = f"(np.tril({big_l}.T @ {{gl}}, -1) + np.triu({{gu}} @ {big_u}.T))"
    return x, ga, gx


def _lu(jvp: RuleTable, vjp: RuleTable) -> None:
    sig = "a, permute_l=False, overwrite_a=False, check_finite=True, p_indices=False"
    nd = ("permute_l", "overwrite_a", "check_finite", "p_indices")
    p = "_srcad.sl_lu_perm(a, ans, permute_l, p_indices)"
    big_l = f"({p}.T @ ans[0] if permute_l else ans[1])"
    big_u = "(ans[1] if permute_l else ans[2])"
    x, ga, gx = _lu_core(p, big_l, big_u)
    dl, du = f"{big_l} @ np.tril({x}, -1)", f"np.triu({x}) @ {big_u}"
    jvp.defjvp(
        SL + "lu", sig, nondiff=nd,
        a=f"(({p} @ {dl}, {du}) if permute_l else (np.zeros(np.shape(ans[0])), {dl}, {du}))",
    )  # fmt: skip
    gl = f"({p}.T @ {_ct(0, 'ans[0]')} if permute_l else {_ct(1, 'ans[1]')})"
    gu = f"({_ct(1, 'ans[1]')} if permute_l else {_ct(2, 'ans[2]')})"
    vjp.defvjp(SL + "lu", sig, nondiff=nd, a=ga.format(gx.format(gl=gl, gu=gu)))
    # lu_factor: (lu, piv), lu = tril(L, -1) + U
    sig = "a, overwrite_a=False, check_finite=True"
    nd = ("overwrite_a", "check_finite")
    p = "_srcad.sl_piv_perm(ans[1])"
    big_l = f"(np.tril(ans[0], -1) + np.eye(np.shape({p})[-1]))"
    big_u = "np.triu(ans[0])"
    x, ga, gx = _lu_core(p, big_l, big_u)
    jvp.defjvp(
        SL + "lu_factor", sig, nondiff=nd,
        a=f"({big_l} @ np.tril({x}, -1) + np.triu({x}) @ {big_u}, np.zeros(np.shape(ans[1])))",
    )  # fmt: skip
    g0 = _ct(0, "ans[0]")
    vjp.defvjp(SL + "lu_factor", sig, nondiff=nd,
               a=ga.format(gx.format(gl=f"np.tril({g0}, -1)", gu=f"np.triu({g0})")))  # fmt: skip


def _lu_solve(jvp: RuleTable, vjp: RuleTable) -> None:
    """x = op(A)^-1 b, A = P L U from the packed factors (trans: 0 A, 1/2 A^T)."""
    lu, piv = "lu_and_piv[0]", "lu_and_piv[1]"
    p = f"_srcad.sl_piv_perm({piv})"
    big_l = f"(np.tril({lu}, -1) + np.eye(np.shape({lu})[-1]))"
    big_u = f"np.triu({lu})"
    dlu = "dlu_and_piv[0]"
    da = f"({p} @ (np.tril({dlu}, -1) @ {big_u} + {big_l} @ np.triu({dlu})))"
    for prim, sig, adj in (
        (SL + "lu_solve", "lu_and_piv, b, trans=0, overwrite_b=False, check_finite=True", "0"),
        (RT + "sl_lu_solve", "lu_and_piv, b, trans, adjoint", "adjoint"),
    ):
        nondiff = tuple(n.split("=")[0].strip() for n in sig.split(", ")[2:])
        solve = "_srcad.sl_lu_solve(lu_and_piv, {}, trans, {})"
        y = solve.format("g", f"1 - {adj}")
        opm = f"_srcad.sl_opm({{}}, trans, {adj})"
        jvp.defjvp(
            prim, sig, nondiff=nondiff,
            lu_and_piv="-" + solve.format(f"{opm.format(da)} @ ans", adj),
            b=solve.format("db", adj),
        )  # fmt: skip
        g_a = f"{opm.format('(-' + _outer(y, 'ans') + ')')}"
        g_lu = f"(np.tril({p}.T @ {g_a} @ {big_u}.T, -1) + np.triu({big_l}.T @ {p}.T @ {g_a}))"
        vjp.defvjp(
            prim, sig, nondiff=nondiff, lu_and_piv=f"({g_lu}, np.zeros(np.shape({piv})))", b=y
        )


def _eigh(jvp: RuleTable, vjp: RuleTable) -> None:
    """np.linalg.eigh's and eigvalsh's rules; with ``b`` the generalized problem's
    (`srcad.rules.scipy_geigh`); a subset is refused when it runs."""
    sig = ("a, b=None, *, lower=True, eigvals_only=False, overwrite_a=False, overwrite_b=False, "
           "type=1, check_finite=True, subset_by_index=None, subset_by_value=None, driver=None")  # fmt: skip
    nd = ("lower", "eigvals_only", "overwrite_a", "overwrite_b", "type", "check_finite",
          "subset_by_index", "subset_by_value", "driver")  # fmt: skip
    uplo = "_srcad.sl_uplo(lower)"
    ok = "_srcad.sl_eigh_plain(b, subset_by_index, subset_by_value)"
    msg = "'no derivative of scipy.linalg.eigh with a subset'"
    d_a = f"_srcad.herm(_srcad.check(da, {ok}, {msg}), {uplo})"
    w, v = "ans[0]", "ans[1]"
    m = f"({_t(v)} @ {d_a} @ {v})"
    vecs = f"({_avg(_dg(m), w)}, {v} @ (_srcad.inv_gaps({w}) * {m}))"
    v0 = f"np.linalg.eigh(a, {uplo})[1]"
    vals = _avg(_dg(f"({_t(v0)} @ {d_a} @ {v0})"), "ans")
    gen = scipy_geigh.pieces("eigvals_only")
    jvp.defjvp_joint(
        SL + "eigh", sig, gen["ab"], nondiff=nd,
        single={"a": f"(({vals} if eigvals_only else {vecs}) if b is None else {gen['a']})",
                "b": gen["b"]},
    )  # fmt: skip
    vecs = (
        f"_srcad.herm_t({v} @ ({_diag(_avg(_ct(0, w), w))} + _srcad.inv_gaps({w}, {_ct(1, v)}) "
        f"* ({_t(v)} @ {_ct(1, v)})) @ {_t(v)}, {uplo})"
    )
    # V diag(gbar) V^T as np.linalg.eigvalsh's: differentiable where eigenvalues repeat
    vals = f"_srcad.herm_t(_srcad.spectral_sum(a, {_avg('g', 'ans')}, {uplo}), {uplo})"
    std = f"_srcad.check({vals} if eigvals_only else {vecs}, {ok}, {msg})"
    vjp.defvjp(SL + "eigh", sig, nondiff=nd, a=f"({std} if b is None else {gen['ga']})",
               b=gen["gb"])  # fmt: skip
    # eigvalsh: eigh(eigvals_only=True)
    sig, nd = sig.replace(" eigvals_only=False,", ""), tuple(n for n in nd if n != "eigvals_only")
    gen = scipy_geigh.pieces("True")
    std = _avg(_dg(f"({_t(v0)} @ {d_a} @ {v0})"), "ans")
    jvp.defjvp_joint(
        SL + "eigvalsh", sig, gen["ab"], nondiff=nd,
        single={"a": f"({std} if b is None else {gen['a']})", "b": gen["b"]},
    )  # fmt: skip
    vjp.defvjp(SL + "eigvalsh", sig, nondiff=nd,
               a=f"(_srcad.check({vals}, {ok}, {msg}) if b is None else {gen['ga']})",
               b=gen["gb"])  # fmt: skip
    scipy_geigh.helper_rules(jvp, vjp)


@helper
def sl_lstsq_rcond(cond, a, lapack_driver):
    """NumPy's ``rcond`` for which ``np.linalg.lstsq`` gives ``scipy.linalg.lstsq(a, b, cond,
    lapack_driver=...)``'s solution (both LAPACK's SVD solver gelsd; gelss: the same SVD cutoff):
    `cond`, by default the dtype's machine epsilon (NumPy's default is larger). ``gelsy`` (a
    pivoted QR, no singular values) is refused."""
    if lapack_driver not in (None, "gelsd", "gelss"):
        raise _unsupported(
            f"no derivative of scipy.linalg.lstsq with lapack_driver={lapack_driver!r}"
        )
    if cond is None or cond < 0:  # (LAPACK: a negative cond is machine precision)
        return float(np.finfo(np.result_type(np.asarray(a), float)).eps)
    return cond


def _lstsq(jvp: RuleTable, vjp: RuleTable) -> None:
    """scipy.linalg.lstsq: np.linalg.lstsq's rules with scipy's cutoff (`sl_lstsq_rcond`)."""
    sig = ("a, b, cond=None, overwrite_a=False, overwrite_b=False, check_finite=True, "
           "lapack_driver=None")  # fmt: skip
    nd = ("overwrite_a", "overwrite_b", "check_finite", "lapack_driver")
    rcond = "_srcad.sl_lstsq_rcond(cond, a, lapack_driver)"
    linalg_decomp._lstsq(jvp, vjp, SL + "lstsq", sig, rcond, nd)
    defzero_helper(jvp, vjp, sl_lstsq_rcond)


def _matrix_functions(jvp: RuleTable, vjp: RuleTable) -> None:
    """sqrtm (Sylvester), logm (Fréchet derivative by the block matrix), and the helpers'."""
    sig = "A, disp=True, blocksize=64"
    nd = ("disp", "blocksize")
    real = "_srcad.check({}, not np.iscomplexobj(ans), 'scipy.linalg.{} of a matrix with " \
           "eigenvalues on the negative real axis is complex: srcad differentiates real code')"  # fmt: skip
    jvp.defjvp(SL + "sqrtm", sig, nondiff=nd,
               A=real.format("_srcad.sl_sylvester(ans, ans, dA)", "sqrtm"))  # fmt: skip
    vjp.defvjp(SL + "sqrtm", sig, nondiff=nd,
               A=real.format("_srcad.sl_sylvester(ans.mT, ans.mT, g)", "sqrtm"))  # fmt: skip
    # a X + X b = q:  dX = syl(a, b, dq - da X - X db);  z = syl(a^T, b^T, g): gq = z, ...
    z = "_srcad.sl_sylvester(a.mT, b.mT, g)"
    for prim in (rt(sl_sylvester), SL + "solve_sylvester"):
        jvp.defjvp(
            prim, "a, b, q",
            a="_srcad.sl_sylvester(a, b, -(da @ ans))", b="_srcad.sl_sylvester(a, b, -(ans @ db))",
            q="_srcad.sl_sylvester(a, b, dq)",
        )  # fmt: skip
        vjp.defvjp(
            prim, "a, b, q", a=f"_srcad.unbroadcast(-({z} @ ans.mT), a)",
            b=f"_srcad.unbroadcast(-(ans.mT @ {z}), b)", q=f"_srcad.unbroadcast({z}, q)",
        )  # fmt: skip
    # Lyapunov: a X + X a^T = q, a Sylvester equation with b = a^T (a enters twice)
    z = "_srcad.sl_sylvester(a.mT, a, g)"
    jvp.defjvp(
        SL + "solve_continuous_lyapunov", "a, q",
        a="_srcad.sl_sylvester(a, a.mT, -(da @ ans + ans @ da.mT))",
        q="_srcad.sl_sylvester(a, a.mT, dq)",
    )  # fmt: skip
    vjp.defvjp(SL + "solve_continuous_lyapunov", "a, q",
               a=f"_srcad.unbroadcast(-({z} @ ans.mT + {z}.mT @ ans), a)",
               q=f"_srcad.unbroadcast({z}, q)")  # fmt: skip
    for prim, sig, nd in ((SL + "logm", "A, disp=True", ("disp",)), (rt(sl_logm), "A", ())):
        jvp.defjvp(prim, sig, nondiff=nd,
                   A="_srcad.sl_corner(_srcad.sl_logm(_srcad.sl_block(A, dA)))")  # fmt: skip
        vjp.defvjp(prim, sig, nondiff=nd,
                   A=real.format("_srcad.sl_corner(_srcad.sl_logm(_srcad.sl_block(A.mT, g)))",
                                 "logm"))  # fmt: skip
