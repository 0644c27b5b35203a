"""The rules of ``np.polydiv`` (quotient and remainder), with the runtime helpers they call and
those helpers' own rules.

Input: the `RuleTable` pair. Output: the tables filled with those rules. The math::

    q, s = np.polydiv(u, v), u = q v + s:  (dq, ds) = divide(du - q * dv, v)

(``*``: polynomial product, `np.convolve`; `divide` is the division loop without NumPy's trimming
of the remainder's leading near-zero coefficients, padded or cut to the lengths NumPy returned:
`polydiv_q`, `polydiv_r`, linear in the numerator; their transposes `polydiv_qt`, `polydiv_rt`
build the matrix from unit vectors). The divisions' rules are divisions again, so forward mode
closes at every order and reverse mode in the numerator; the transposes have no term in the
divisor (an active one is refused, e.g. the Hessian of a loss of ``np.polydiv(u, v)`` in `v`).
Only 1-D real coefficients. (``np.poly``, roots -> coefficients, has no rule yet: its JVP
``dc = -[0, sum_i dr_i poly(r without r_i)]`` needs a helper with rules of its own.)
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import helper, rt
from srcad.rules.indexing import _unsupported


def _real_1d(x, what: str) -> np.ndarray:
    a = np.atleast_1d(np.asarray(x))
    if a.ndim != 1 or np.iscomplexobj(a):
        raise _unsupported(f"srcad differentiates {what} of 1-D real arrays only")
    return a.astype(float)


def _divide(t, v) -> tuple[np.ndarray, np.ndarray]:
    """(quotient, full remainder) of the polynomials `t` / `v` (highest power first)."""
    t, v = _real_1d(t, "np.polydiv"), _real_1d(v, "np.polydiv")
    n = len(v) - 1
    q = np.zeros(max(len(t) - n, 1))
    r = t.copy()
    for k in range(len(t) - n):
        d = r[k] / v[0]
        q[k] = d
        r[k : k + n + 1] -= d * v
    return q, r


def _fit(a: np.ndarray, n: int) -> np.ndarray:
    """The last `n` entries of `a`, zeros in front when it is shorter."""
    n = int(n)
    return a[len(a) - n :] if len(a) >= n else np.concatenate((np.zeros(n - len(a)), a))


@helper
def polydiv_q(t, v, nq):
    """The quotient of `t` by `v`, `nq` coefficients long."""
    return _fit(_divide(t, v)[0], nq)


@helper
def polydiv_r(t, v, nr):
    """The last `nr` coefficients of the remainder of `t` by `v`."""
    return _fit(_divide(t, v)[1], nr)


def _transpose(fn, g, v, length):
    g = np.asarray(g, float)
    cols = [fn(e, v, len(g)) for e in np.eye(int(length))]
    return np.stack(cols, axis=-1).T @ g if cols else np.zeros(0)


@helper
def polydiv_qt(c, v, length):
    """The transpose of ``t -> polydiv_q(t, v, len(c))`` (`t` of `length` entries) at `c`."""
    return _transpose(polydiv_q, c, v, length)


@helper
def polydiv_rt(c, v, length):
    """The transpose of ``t -> polydiv_r(t, v, len(c))`` at `c`."""
    return _transpose(polydiv_r, c, v, length)


def _polydiv(jvp: RuleTable, vjp: RuleTable) -> None:
    nq, nr, q = "np.size(ans[0])", "np.size(ans[1])", "ans[0]"
    conv = f"np.convolve({q}, np.atleast_1d(dv))"
    fu = f"(_srcad.polydiv_q(du, v, {nq}), _srcad.polydiv_r(du, v, {nr}))"
    fv = f"(-_srcad.polydiv_q({conv}, v, {nq}), -_srcad.polydiv_r({conv}, v, {nr}))"
    jvp.defjvp_joint(
        "numpy.polydiv", "u, v",
        f"(_srcad.polydiv_q(du, v, {nq}) - _srcad.polydiv_q({conv}, v, {nq}), "
        f"_srcad.polydiv_r(du, v, {nr}) - _srcad.polydiv_r({conv}, v, {nr}))",
        single={"u": fu, "v": fv},
    )  # fmt: skip

    def w(length: str) -> str:  # the cotangent of the numerator, `length` long
        return (
            f"(_srcad.polydiv_qt(_srcad.elem(g, 0, ans[0]), v, {length}) + "
            f"_srcad.polydiv_rt(_srcad.elem(g, 1, ans[1]), v, {length}))"
        )

    vjp.defvjp(
        "numpy.polydiv", "u, v",
        u=f"np.reshape({w('np.size(u)')}, np.shape(u))",
        v=f"np.reshape(-np.correlate({w(f'{nq} + np.size(v) - 1')}, {q}, 'valid'), np.shape(v))",
    )  # fmt: skip


def _helpers(jvp: RuleTable, vjp: RuleTable) -> None:
    # the divisions: linear in t; in v, u = q v + s again (q: the quotient of t)
    natural = "np.maximum(np.size(t) - np.size(v) + 1, 1)"
    for fn, n, quo in (
        (polydiv_q, "nq", "ans"),
        (polydiv_r, "nr", f"_srcad.polydiv_q(t, v, {natural})"),
    ):
        name, tr = fn.__name__, f"_srcad.{fn.__name__}t"
        conv = f"np.convolve({quo}, dv)"
        jvp.defjvp(rt(fn), f"t, v, {n}", nondiff=(n,), t=f"_srcad.{name}(dt, v, {n})",
                   v=f"-_srcad.{name}({conv}, v, {n})")  # fmt: skip
        length = f"np.size({quo}) + np.size(v) - 1"
        vjp.defvjp(rt(fn), f"t, v, {n}", nondiff=(n,), t=f"{tr}(g, v, np.size(t))",
                   v=f"-np.correlate({tr}(g, v, {length}), {quo}, 'valid')")  # fmt: skip
    for fn, inner in ((polydiv_qt, "polydiv_q"), (polydiv_rt, "polydiv_r")):
        jvp.defjvp(rt(fn), "c, v, length", nondiff=("length",),
                   c=f"_srcad.{fn.__name__}(dc, v, length)")  # fmt: skip
        vjp.defvjp(rt(fn), "c, v, length", nondiff=("length",),
                   c=f"_srcad.{inner}(g, v, np.size(c))")  # fmt: skip


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    _polydiv(jvp, vjp)
    _helpers(jvp, vjp)
