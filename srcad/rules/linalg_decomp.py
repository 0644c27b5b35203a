"""Matrix decompositions and solvers of numpy.linalg beyond the first release
(eigh, eigvalsh, svd, svdvals, qr, pinv, matrix_power, lstsq, eig and eigvals of real matrices,
and the fields of their namedtuple results: ``np.linalg.eigh(a).eigenvalues``).

Input: the `RuleTable` pair. Output: the tables filled with those rules (templates over NumPy and
the helpers of `srcad.rules.linalg_decomp_d2`, which also holds the helpers' own rules, so every
rule here is differentiable again: `srcad.hessian` through `eigh`, `svd`, ...).

Conventions (real matrices; stacks ``(..., m, n)`` wherever NumPy takes them):

- `eigh`/`eigvalsh` read one triangle (`UPLO`): the other gets a zero derivative, as NumPy's
  function has. ``dw = diag(V^T dA V)``, ``dV = V (F o V^T dA V)`` with ``F_ij = 1/(w_j - w_i)``.
  A complex Hermitian matrix: the helpers of `srcad.rules.linalg_eighc` in their place.
- Repeated eigenvalues (singular values): eigenvalues equal to 64 n eps (relative to the
  largest) form a cluster, whose derivative is the cluster's mean (``trace(V_c^T dA V_c) / k``):
  exact for any loss symmetric in them (``np.sum(f(eigvalsh(A)))`` at ``A = I`` too, finite),
  the minimum-norm subgradient otherwise (a tie of ``max``). No 1/(w_i - w_j) enters
  eigenvalue-only derivatives. Eigenvectors (singular vectors) whose eigenvalue is within 1e-10
  (relative) of another have no derivative: using them is a run-time `DiffError` (reverse mode:
  only when their cotangent is nonzero; forward mode: whenever their tangent is computed), as are
  second derivatives there (they need those eigenvectors' derivatives).
- A zero singular value is a kink (``|t|``): derivative 0 (the minimum-norm subgradient). SVD
  signs are NumPy's; gauge-invariant losses (``U diag(s) Vh``, ``sum(s)``, ``U[:, i]**2``)
  match finite differences. ``full_matrices=True`` of a non-square matrix and ``qr(mode=
  "complete")`` of a tall one: the extra columns of U/Q (rows of Vh) are not unique; their
  cotangent must be 0 (else refused), their tangent is refused. ``hermitian=True`` in `svd`:
  the svd of the symmetric matrix the lower triangle makes (as `eigh` reads it); its vectors at
  a zero eigenvalue refused (NumPy's Vh has a zero row there). The vectors of a zero singular
  value beyond the square part: refused.
- `qr`: ``dQ, dR`` for any shape (``A = Q [R1 R2]``, R1 square and invertible), modes reduced,
  complete (m <= n, or only R used), r; raw is refused. `pinv` and `lstsq` need full rank (else
  refused: the pseudo-inverse jumps), but for `lstsq`'s `b` alone (``A+ b`` with its own cutoff,
  linear in `b`); `lstsq`'s residuals and singular values are
  differentiable, its rank has a zero tangent. `matrix_power`: the Frechet derivative of the block
  matrix ``[[A, dA], [0, A]]``, any int n. `eig`/`eigvals`: real eigenvalues only (complex ones
  are a run-time `DiffError`, srcad differentiates real code), distinct (repeated: refused).
"""

from __future__ import annotations

import re

from srcad.ad.rules import RuleTable
from srcad.rules import linalg_decomp_d2, linalg_eighc, spectral
from srcad.rules.linalg_decomp_d2 import _avg, _diag, _t
from srcad.rules.products import _linear


def _real(jvp: RuleTable, vjp: RuleTable, prim: str, sig: str, x: str, jt: str, vt: str,
          nondiff: tuple = ()) -> None:  # fmt: skip
    """`_linear` for a decomposition whose rules hold for real matrices only (transposes where a
    complex one needs conjugate transposes): a complex operand is refused when they run. The
    JVP checks at each read of the tangent (a tuple's unused parts are still dropped)."""
    name = f"'np.{prim.removeprefix('numpy.')}'"
    jt = re.sub(rf"\bd{x}\b", f"_srcad.real_only(d{x}, {x}, {name})", jt)
    _linear(jvp, vjp, prim, sig, x, jt, f"_srcad.real_only({vt}, {x}, {name})", nondiff)


def _dg(m: str) -> str:
    return f"np.diagonal({m}, axis1=-2, axis2=-1)"


def _col(v: str) -> str:  # diag(v) on the right: columns scaled
    return f"np.expand_dims({v}, -2)"


def _row(v: str) -> str:  # diag(v) on the left: rows scaled
    return f"np.expand_dims({v}, -1)"


def _ct(k: int, like: str) -> str:
    return f"_srcad.elem(g, {k}, {like})"


def _ifuv(uv: str, s_only: str) -> str:
    return f"({uv} if compute_uv else {s_only})"


# -- eigh, eigvalsh -------------------------------------------------------------------------
def _eigh(jvp: RuleTable, vjp: RuleTable) -> None:
    w, v = "ans[0]", "ans[1]"
    m = f"({_t(v)} @ _srcad.herm(da, UPLO) @ {v})"
    _real(
        jvp, vjp, "numpy.linalg.eigh", "a, UPLO='L'", "a",
        f"({_avg(_dg(m), w)}, {v} @ (_srcad.inv_gaps({w}) * {m}))",
        f"_srcad.herm_t({v} @ ({_diag(_avg(_ct(0, w), w))} + _srcad.inv_gaps({w}, {_ct(1, v)}) "
        f"* ({_t(v)} @ {_ct(1, v)})) @ {_t(v)}, UPLO)",
        nondiff=("UPLO",),
    )  # fmt: skip
    v = "np.linalg.eigh(a, UPLO)[1]"
    _real(
        jvp, vjp, "numpy.linalg.eigvalsh", "a, UPLO='L'", "a",
        _avg(_dg(f"({_t(v)} @ _srcad.herm(da, UPLO) @ {v})"), "ans"),
        f"_srcad.herm_t(_srcad.spectral_sum(a, {_avg('g', 'ans')}, UPLO), UPLO)",
        nondiff=("UPLO",),
    )  # fmt: skip


# -- svd, svdvals -----------------------------------------------------------------------------
def _s_only(u: str, vh: str, s: str, d: str, gs: str = "g") -> tuple[str, str]:
    """JVP and VJP templates of the singular values `s` alone (U, Vh reduced; tangent `d` of
    the matrix, cotangent `gs` of `s`)."""
    return (
        _avg(_dg(f"({_t(u)} @ {d} @ {_t(vh)})"), s, True),
        f"({u} * {_col(_avg(gs, s, True))}) @ {vh}",
    )


def _svd(jvp: RuleTable, vjp: RuleTable) -> None:
    svd_rules(jvp, vjp, "numpy.linalg.svd",
              "a, full_matrices=True, compute_uv=True, hermitian=False", ("hermitian",))  # fmt: skip
    svd = "np.linalg.svd(x, full_matrices=False)"
    _real(
        jvp,
        vjp,
        "numpy.linalg.svdvals",
        "x, /",
        "x",
        *_s_only(f"{svd}[0]", f"{svd}[2]", "ans", "dx"),
    )


def svd_rules(jvp: RuleTable, vjp: RuleTable, prim: str, sig: str, more: tuple) -> None:
    """The rules of an svd of `sig` (``a, full_matrices, compute_uv``, then the flags `more`),
    from its results ``ans`` (whatever signs the library's singular vectors take); values only
    through NumPy's reduced svd. A ``hermitian`` among `more`: NumPy's svd of the symmetric
    matrix its lower triangle makes (``eigh``'s, `_srcad.herm`), so the rules are those of that
    matrix, the cotangent sent back to the triangle (`_srcad.herm_t`); its singular vectors
    hold ``sign(w)``, a zero row of Vh at a zero eigenvalue (no SVD: refused when it runs)."""
    k = "np.shape(ans[1])[-1]"
    u, s, vv = f"ans[0][..., :, :{k}]", "ans[1]", _t(f"ans[2][..., :{k}, :]")
    herm, herm_s, a_s, back = "da", "da", "a", lambda t: t
    if "hermitian" in more:
        zero = (
            "'no derivative of np.linalg.svd(hermitian=True) at a zero eigenvalue: the Vh NumPy gives "
            "has a zero row there'"
        )
        herm = f"(_srcad.check(_srcad.herm(da, 'L'), {s} != 0, {zero}) if hermitian else da)"
        herm_s = "(_srcad.herm(da, 'L') if hermitian else da)"
        a_s = "(_srcad.herm(a, 'L') if hermitian else a)"
        back = lambda t: f"(_srcad.herm_t({t}, 'L') if hermitian else {t})"  # noqa: E731
    p = f"({_t(u)} @ {herm} @ {vv})"
    f = f"_srcad.inv_gaps({s} * {s})"
    tall = f"np.shape(a)[-2] > {k}"
    wide = f"np.shape(a)[-1] > {k}"
    du = (
        f"{u} @ ({f} * ({p} * {_col(s)} + {_row(s)} * {_t(p)})) + "
        f"(({herm} @ {vv} - {u} @ {p}) * {_col('_srcad.inv_pos(' + s + ')')} if {tall} else 0.0)"
    )
    dv = (
        f"{vv} @ ({f} * ({_row(s)} * {p} + {_t(p)} * {_col(s)})) + "
        f"(({_t(herm)} @ {u} - {vv} @ {_t(p)}) * {_col('_srcad.inv_pos(' + s + ')')} "
        f"if {wide} else 0.0)"
    )
    full = "np.shape(ans[0])[-1] == np.shape(ans[2])[-2]"
    refuse = (
        "'the extra columns of a full U (rows of Vh) of a non-square matrix have no tangent "
        "(forward mode, hvp, hessian); np.linalg.svd(a, full_matrices=False) gives the same s "
        "and the columns that have one'"
    )
    uv = (
        f"(_srcad.check({du}, {full}, {refuse}), {_avg(_dg(p), s, True)}, "
        f"_srcad.check({_t(dv)}, {full}, {refuse}))"
    )
    svd = f"np.linalg.svd({a_s}, full_matrices=False)"
    s_jvp, s_vjp = _s_only(f"{svd}[0]", f"{svd}[2]", "ans", herm_s)
    gu = f"_srcad.trim_ct({_ct(0, 'ans[0]')}, {k}, -1)"
    gv = _t(f"_srcad.trim_ct({_ct(2, 'ans[2]')}, {k}, -2)")
    x, y = f"({_t(u)} @ {gu})", f"({_t(vv)} @ {gv})"
    fg = f"_srcad.inv_gaps({s} * {s}, np.concatenate(({gu}, {gv}), axis=-2))"
    core = (
        f"({fg} * ({x} - {_t(x)})) * {_col(s)} + {_diag(_avg(_ct(1, s), s, True))} + "
        f"{_row(s)} * ({fg} * ({y} - {_t(y)}))"
    )
    ga = (
        f"{u} @ ({core}) @ {_t(vv)} + "
        f"((({gu} - {u} @ {x}) * {_col(f'_srcad.inv_pos({s}, {gu})')}) @ {_t(vv)} if {tall} "
        f"else 0.0) + ({u} @ {_t(f'({gv} - {vv} @ {y}) * ' + _col(f'_srcad.inv_pos({s}, {gv})'))}"
        f" if {wide} else 0.0)"
    )
    if "hermitian" in more:  # (Vh's zero rows: the same refusal as the JVP's)
        ga = f"_srcad.check({ga}, ({s} != 0) if hermitian else True, {zero})"
    _real(
        jvp, vjp, prim, sig, "a", _ifuv(uv, s_jvp), back(_ifuv(ga, s_vjp)),
        nondiff=("full_matrices", "compute_uv", *more),
    )  # fmt: skip


# -- qr ------------------------------------------------------------------------------------------
def _qr(jvp: RuleTable, vjp: RuleTable) -> None:
    raw = "_srcad.check(da, mode != 'raw', 'no derivative of np.linalg.qr(mode=\"raw\")')"
    k = "np.min(np.shape(a)[-2:])"
    q, r = "np.linalg.qr(a)[0]", "np.linalg.qr(a)[1]"
    r1, y = f"{r}[..., :, :{k}]", f"a[..., :, {k}:]"
    dx, dy = f"{raw}[..., :, :{k}]", f"{raw}[..., :, {k}:]"

    def rinv(z: str) -> str:  # z @ inv(R1)
        return _t(f"np.linalg.solve({_t(r1)}, {_t(z)})")

    c = f"({_t(q)} @ {rinv(dx)})"
    om = f"(np.tril({c}, -1) - {_t(f'np.tril({c}, -1)')})"
    dq = f"({q} @ ({om} - {c}) + {rinv(dx)})"
    dr = f"np.concatenate((({c} - {om}) @ {r1}, {_t(dq)} @ {y} + {_t(q)} @ {dy}), axis=-1)"
    tall = "np.shape(a)[-2] > np.shape(a)[-1]"
    refuse = (
        "'the extra columns of a complete Q of a tall matrix have no tangent (forward mode, hvp, "
        "hessian); np.linalg.qr(a) (mode=\\'reduced\\') gives the columns that have one'"
    )
    dr_full = f"np.concatenate(({dr}, np.zeros_like(ans[1])[..., {k}:, :]), axis=-2)"
    tangent = (
        f"({dr} if mode == 'r' else (({dq}, {dr}) if mode != 'complete' else "
        f"(_srcad.check({dq}, not {tall}, {refuse}), {dr_full})))"
    )
    # cotangents: gQ (m x k), gR (k x n; a complete R's extra rows are constant zeros)
    gq = f"(np.zeros_like({q}) if mode == 'r' else _srcad.trim_ct({_ct(0, 'ans[0]')}, {k}, -1))"
    gr = f"(g if mode == 'r' else {_ct(1, 'ans[1]')})[..., :{k}, :]"
    gr1, gr2 = f"{gr}[..., :, :{k}]", f"{gr}[..., :, {k}:]"
    gq2 = f"({gq} + {y} @ {_t(gr2)})"
    b = f"({_t(q)} @ {gq2} - {gr1} @ {_t(r1)})"
    cbar = f"({gr1} @ {_t(r1)} + np.tril({b} - {_t(b)}, -1))"
    z = f"({gq2} - {q} @ ({_t(q)} @ {gq2}) + {q} @ {cbar})"
    xbar = _t(f"np.linalg.solve({r1}, {_t(z)})")
    ga = f"np.concatenate(({xbar}, {q} @ {gr2}), axis=-1)"
    _real(
        jvp, vjp, "numpy.linalg.qr", "a, mode='reduced'", "a", tangent,
        f"_srcad.check({ga}, mode != 'raw', 'no derivative of np.linalg.qr(mode=\"raw\")')",
        nondiff=("mode",),
    )  # fmt: skip


# -- pinv, matrix_power ----------------------------------------------------------------------
def _pinv(jvp: RuleTable, vjp: RuleTable) -> None:
    # Golub-Pereyra: dX = -X dA X + X X^T dA^T (I - A X) + (I - X A) dA^T X^T X (constant rank)
    a = "(_srcad.herm(a, 'L') if hermitian else a)"
    ok = "_srcad.full_rank(ans)"
    msg = "'np.linalg.pinv of a rank-deficient matrix jumps: no derivative'"
    d = f"_srcad.check((_srcad.herm(da, 'L') if hermitian else da), {ok}, {msg})"
    x, dt = "ans", _t(d)
    jt = (
        f"-({x} @ {d} @ {x}) + {x} @ {_t(x)} @ ({dt} - {dt} @ {a} @ {x}) + "
        f"({dt} - {x} @ {a} @ {dt}) @ {_t(x)} @ {x}"
    )
    gt = _t("g")
    vt = (
        f"-({_t(x)} @ g @ {_t(x)}) + ({gt} - {a} @ {x} @ {gt}) @ {x} @ {_t(x)} + "
        f"{_t(x)} @ {x} @ ({gt} - {gt} @ {x} @ {a})"
    )
    vt = f"_srcad.check({vt}, {ok}, {msg})"
    _linear(
        jvp, vjp, "numpy.linalg.pinv", "a, rcond=None, hermitian=False, *, rtol=None", "a",
        jt, f"(_srcad.herm_t({vt}, 'L') if hermitian else {vt})",
        nondiff=("hermitian",), zero_in=("rcond", "rtol"),  # cutoffs: the rank is piecewise constant
    )  # fmt: skip


def _block_power(a: str, d: str) -> str:
    """The Frechet derivative of ``matrix_power(., n)`` at `a` in the direction `d`."""
    n = "np.shape(a)[-1]"
    top = f"np.concatenate(({a}, {d}), axis=-1)"
    bottom = f"np.concatenate((np.zeros_like({a}), {a}), axis=-1)"
    block = f"np.concatenate(({top}, {bottom}), axis=-2)"
    return f"np.linalg.matrix_power({block}, n)[..., :{n}, {n}:]"


def _matrix_power(jvp: RuleTable, vjp: RuleTable) -> None:
    _linear(
        jvp, vjp, "numpy.linalg.matrix_power", "a, n", "a",
        _block_power("a", "da"), _block_power(_t("a"), "g"), nondiff=("n",),
    )  # fmt: skip


# -- lstsq ---------------------------------------------------------------------------------------
def _lstsq(
    jvp: RuleTable,
    vjp: RuleTable,
    prim: str = "numpy.linalg.lstsq",
    sig: str = "a, b, rcond=None",
    rcond: str = "rcond",
    nondiff: tuple = (),
) -> None:
    """np.linalg.lstsq's rules; scipy.linalg.lstsq's (scipy_linalg2.py) with `rcond` the
    expression of NumPy's cutoff that gives scipy's solution (also a check), residues of its
    shape."""
    zero = (sig.split(",")[2].split("=")[0].strip(),)  # the rank cutoff: piecewise constant
    ok = "ans[2] == np.min(np.shape(a))"
    if rcond != "rcond":
        ok = f"({ok}) & ({rcond} > 0)"
    msg = "'np.linalg.lstsq of a rank-deficient matrix: no derivative'"
    p = "np.linalg.pinv(a)"
    two = "(np.shape(b)[0], -1)"
    b2, x2 = f"np.reshape(b, {two})", "np.reshape(ans[0], (np.shape(a)[-1], -1))"
    r2 = f"({b2} - a @ {x2})"
    has_res = "np.size(ans[1]) > 0"

    def ck(t: str) -> str:
        return f"_srcad.check({t}, {ok}, {msg})"

    # `b` alone: x = A+ b with lstsq's own cutoff, linear in b at any rank (no check)
    da, db2 = ck("da"), f"np.reshape(db, {two})"
    dx_a = (
        f"-({p} @ ({da} @ {x2})) + {p} @ ({_t(p)} @ ({_t(da)} @ {r2})) + "
        f"({_t(da)} @ ({_t(p)} @ {x2}) - {p} @ (a @ ({_t(da)} @ ({_t(p)} @ {x2}))))"
    )
    res_a = f"(np.sum(-2.0 * {r2} * ({da} @ {x2}), axis=0) if {has_res} else np.zeros_like(ans[1]))"
    res_b = f"(np.sum(2.0 * {r2} * {db2}, axis=0) if {has_res} else np.zeros_like(ans[1]))"
    res_a, res_b = (f"np.reshape({r}, np.shape(ans[1]))" for r in (res_a, res_b))
    gres = _ct(1, "ans[1]")
    if rcond != "rcond":
        # SciPy >= 1.18 reports NaN residues for a rank-deficient `a` (before: none): a NaN
        # value has a NaN tangent, and a nonzero cotangent on it gives NaN
        res_a, res_b = (f"np.where(np.isnan(ans[1]), ans[1], {r})" for r in (res_a, res_b))
        gres = f"np.where(np.isnan(ans[1]) & ({gres} != 0), np.nan, {gres})"
    svd = "np.linalg.svd(a, full_matrices=False)"
    s_jvp, s_vjp = _s_only(f"{svd}[0]", f"{svd}[2]", "ans[3]", da, _ct(3, "ans[3]"))
    zr = "_srcad.zeros_like(ans[2])"
    shape_x = "np.shape(ans[0])"
    dx_b = f"np.linalg.lstsq(a, {db2}, rcond={rcond})[0]"
    jvp.defjvp_joint(  # one template: the terms are tuples, which `+` would concatenate
        prim, sig,
        f"(np.reshape({dx_a} + {dx_b}, {shape_x}), {res_a} + {res_b}, {zr}, {s_jvp})",
        zero_in=zero, nondiff=nondiff,
        single={
            "a": f"(np.reshape({dx_a}, {shape_x}), {res_a}, {zr}, {s_jvp})",
            "b": f"(np.reshape({dx_b}, {shape_x}), {res_b}, {zr}, np.zeros_like(ans[3]))",
        },
    )  # fmt: skip
    gx = f"np.reshape({_ct(0, 'ans[0]')}, (np.shape(a)[-1], -1))"
    ga = (
        f"-({_t(p)} @ {gx} @ {_t(x2)}) + {r2} @ {_t(gx)} @ {p} @ {_t(p)} + "
        f"{_t(p)} @ {x2} @ ({_t(gx)} - {_t(gx)} @ {p} @ a) + "
        f"(-2.0 * ({r2} * {gres}) @ {_t(x2)} if {has_res} else 0.0) + "
        # (the singular values' term only when they have a cotangent: the singular vectors
        # it reads have no derivative where values tie, which a Hessian would otherwise need)
        f"({s_vjp} if np.any({_ct(3, 'ans[3]')} != 0) else 0.0)"
    )
    gb = f"np.linalg.lstsq({_t('a')}, {gx}, rcond={rcond})[0] + (2.0 * {r2} * {gres} if {has_res} else 0.0)"
    vjp.defvjp(
        prim, sig, zero_in=zero, nondiff=nondiff,
        a=ck(ga), b=f"np.reshape({gb}, np.shape(b))",
    )  # fmt: skip


# -- eig, eigvals -------------------------------------------------------------------------------
def _eig(jvp: RuleTable, vjp: RuleTable) -> None:
    def rules(prim: str, w: str, with_v: bool) -> None:
        v = f"_srcad.eig_vecs(a, {w})"
        m = f"np.linalg.solve({v}, da @ {v})"
        n_ = f"({v} @ (_srcad.inv_gaps({w}) * {m}))"
        dv = f"{n_} - {v} * np.sum({v} * {n_}, axis=-2, keepdims=True)"
        gw = _ct(0, w) if with_v else "g"
        inner = _diag(gw)
        if with_v:
            gv = _ct(1, "ans[1]")
            gt = f"({gv} - {v} * np.sum({v} * {gv}, axis=-2, keepdims=True))"
            inner += f" + _srcad.inv_gaps({w}) * ({_t(v)} @ {gt})"
        _linear(
            jvp, vjp, prim, "a", "a",
            f"(_srcad.eig_tangent({_dg(m)}, ans[0]), _srcad.eig_tangent({dv}, ans[1]))"
            if with_v
            else f"_srcad.eig_tangent({_dg(m)}, ans)",
            f"np.linalg.solve({_t(v)}, ({inner}) @ {_t(v)})",
        )  # fmt: skip

    rules("numpy.linalg.eig", "ans[0]", True)
    rules("numpy.linalg.eigvals", "ans", False)


# -- namedtuple fields ----------------------------------------------------------------------------
# the fields of the namedtuple results (EighResult, SVDResult, ...) at their fixed positions: a
# constant index, so the tangents of the other fields are dropped as dead code
FIELDS = {"eigenvalues": 0, "eigenvectors": 1, "U": 0, "S": 1, "Vh": 2, "Q": 0, "R": 1,
          "sign": 0, "logabsdet": 1}  # fmt: skip


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    _eigh(jvp, vjp)
    _svd(jvp, vjp)
    _qr(jvp, vjp)
    _pinv(jvp, vjp)
    _matrix_power(jvp, vjp)
    _lstsq(jvp, vjp)
    _eig(jvp, vjp)
    for name, k in FIELDS.items():
        ok = f"_srcad.field_index(x, {name!r}) == {k}"
        _linear(
            jvp, vjp, f"attr.{name}", "x", "x",
            f"_srcad.check(dx[{k}], {ok}, 'no derivative rule for this .{name}')",
            f"_srcad.field_ct(g, x, {name!r})",
        )  # fmt: skip
    linalg_decomp_d2.helper_rules(jvp, vjp)
    spectral.register(jvp, vjp)
    linalg_eighc.register(jvp, vjp)
