"""The second derivative of the matrix norms read off the SVD: ``np.linalg.norm(a, ord)`` with
ord 2 (the largest singular value), -2 (the smallest) and 'nuc' (their sum).

Input: the template text of a direction `v` (of x's shape) and of the norm's two axes. Output:
`svd_norm_d2(v, ax)`, the template of the derivative of the norm's gradient
(`linalg.norm_grad`) along `v`; the Hessian is symmetric, so the same template is the
gradient's JVP and VJP (`linalg_d2._norm`). It is made of NumPy, ``np.linalg.svd`` and helpers
with rules, so a third derivative differentiates it again. With ``a = U S V^T`` (reduced) and
``P = U^T v V``::

    nuc:   d(U V^T) = U [(P - P^T) / (s_i + s_j)] V^T
                      + (I - U U^T) v V S^-1 V^T + U S^-1 U^T v (I - V V^T)
    2, -2: d(u_i v_i^T) = du_i v_i^T + u_i dv_i^T, the singular vectors of s_i by the usual
           perturbation formulas (gaps s_i^2 - s_j^2)

Where the norm has no second derivative (a rank-deficient matrix's nuclear norm; a tied or zero
extreme singular value: kinks, within the first derivative's tolerance 64 k eps s_max) the code
refuses at run time (``_srcad.check``) rather than return a number. Of empty matrices (a 0 x 3
stack) the derivative is empty: zeros of `v`'s shape.
"""

from __future__ import annotations


def _mt(x: str) -> str:
    return f"np.swapaxes({x}, -1, -2)"


def _col(x: str) -> str:
    return f"np.expand_dims({x}, -1)"


def _row(x: str) -> str:
    return f"np.expand_dims({x}, -2)"


def svd_norm_d2(v: str, ax: str) -> str:
    """Template: the derivative along `v` of the gradient of ``np.linalg.norm(x, ord)`` for a
    matrix `ord` 2, -2 or 'nuc' over the axes `ax` (read in the rule's scope: x, ord)."""
    xm, d = f"np.moveaxis(x, {ax}, (-2, -1))", f"np.moveaxis({v}, {ax}, (-2, -1))"
    svd = f"np.linalg.svd({xm}, full_matrices=False)"
    u, s, vt = f"{svd}[0]", f"{svd}[1]", f"{svd}[2]"
    vv, ut = _mt(vt), _mt(u)
    p = f"({ut} @ {d} @ {vv})"
    k = f"np.shape({s})[-1]"
    tall, wide = f"np.shape({xm})[-2] > {k}", f"np.shape({xm})[-1] > {k}"
    tol = f"(64 * {k} * 2.220446049250313e-16 * {s}[..., :1])"
    inv = f"(1.0 / {s})"
    nuc = (
        f"{u} @ (({p} - {_mt(p)}) / ({_col(s)} + {_row(s)})) @ {vt} + "
        f"((({d} - {u} @ ({ut} @ {d})) @ ({vv} * {_row(inv)})) @ {vt} if {tall} else 0.0) + "
        f"({u} @ (({ut} * {_col(inv)}) @ ({d} - ({d} @ {vv}) @ {vt})) if {wide} else 0.0)"
    )
    i = "(0 if ord == 2 else -1)"
    si = f"{s}[..., {i}:][..., :1]"  # (.., 1)
    a, b = f"{p}[..., :, {i}]", f"{p}[..., {i}, :]"  # u_j^T v v_i, u_i^T v v_j
    gap = f"({si} * {si} - {s} * {s})"  # 0 at j = i: div0 drops that term
    cu, cv = (
        f"_srcad.div0({si} * {a} + {s} * {b}, {gap})",
        f"_srcad.div0({si} * {b} + {s} * {a}, {gap})",
    )
    ui, vi = f"{u}[..., :, {i}]", f"{vv}[..., :, {i}]"
    dvi, dtui = f"({d} @ {_col(vi)})", f"({_mt(d)} @ {_col(ui)})"
    du = (
        f"({u} @ {_col(cu)})[..., 0] + "
        f"(({dvi} - {u} @ ({ut} @ {dvi}))[..., 0] / {si} if {tall} else 0.0)"
    )
    dv = (
        f"({vv} @ {_col(cv)})[..., 0] + "
        f"(({dtui} - {vv} @ ({vt} @ {dtui}))[..., 0] / {si} if {wide} else 0.0)"
    )
    ext = f"{_col(du)} * {_row(vi)} + {_col(ui)} * {_row(dv)}"
    ok_nuc = f"np.all({s} > {tol})"
    ok_ext = (  # (`&` of two NumPy bools: templates stay in the lowered subset, no `and`)
        f"(np.all({si} > {tol}) & np.all(np.sum(np.abs({s} - {si}) <= {tol}, axis=-1) == 1))"
    )
    msg_nuc = "'no second derivative of the nuclear norm of a rank-deficient matrix'"
    msg_ext = (
        "'no second derivative of the matrix norm ord=2 or -2 where its singular value is "
        "zero or tied'"
    )
    out = (
        f"(_srcad.check({nuc}, {ok_nuc}, {msg_nuc}) if ord == 'nuc' else "
        f"_srcad.check({ext}, {ok_ext}, {msg_ext}))"
    )
    # (matrices with no entries: no singular value to index, the derivative is empty)
    return f"(np.zeros_like({v}) if np.size(x) == 0 else np.moveaxis({out}, (-2, -1), {ax}))"
