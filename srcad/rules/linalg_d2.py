"""Second-order rules: the JVP and VJP rules of the `numpy.linalg` helpers of
`srcad.rules.linalg` (their own derivatives, so that generated code can be differentiated again).

Input: the `RuleTable` pair and the helper functions (by name; passed in, since
`srcad.rules.linalg` imports this module). Output: the tables filled with the helpers' rules.

Every rule is a template over primitives and helpers that have rules themselves, so the chain
closes at every order. Notation in the comments: ``B = inv(a).T``, ``C(v)`` a vector as a column
(``np.expand_dims(v, -1)``), ``S`` its inverse, ``E(t)`` a per-matrix scalar broadcast over the
last two axes. Example (``det_cofactor(a, d) = d * inv(a).T`` where ``d = det(a) != 0``)::

    jvp: a: -(ans @ da.T @ B);  d: div0(dd, d) * ans
    vjp: a: -(B @ g.T @ ans);   d: div0(sum(g * ans), d)
"""

from __future__ import annotations

from collections.abc import Callable

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import defzero_helper, rt
from srcad.rules.norm_svd import svd_norm_d2


def _mt(x: str) -> str:
    return f"np.swapaxes({x}, -1, -2)"


B = _mt("np.linalg.inv(a)")
INV = "_srcad.inv_nan(a)"
BN = _mt(INV)


def _vec(b: str, vec: str, mat: str) -> str:
    """Template: `vec` when `b` (the right-hand side of ``solve``) is a vector, else `mat`."""
    return f"({vec} if np.ndim({b}) == 1 else {mat})"


def helper_rules(jvp: RuleTable, vjp: RuleTable, fns: dict[str, Callable]) -> None:
    """Fill `jvp` and `vjp` with the rules of the linalg helpers in `fns` (name -> function)."""
    _det(jvp, vjp, fns)
    _slogdet(jvp, vjp, fns)
    _inv_nan(jvp, vjp, fns["inv_nan"])
    _solve(jvp, vjp, fns)
    _cholesky(jvp, vjp, fns)
    _norm(jvp, vjp, fns)
    _norm_dord(jvp, vjp, fns)


def _det(jvp: RuleTable, vjp: RuleTable, fns: dict[str, Callable]) -> None:
    # det_cofactor(a, d) = d * inv(a).T where d = det(a) != 0, the SVD cofactor where d == 0
    # (which does not depend on d: the d-term is 0 there, div0). Its derivative in a is
    # det_cofactor_d (at fixed d where d != 0, the full derivative where d == 0: either way the
    # sum with the d-term is the Hessian of det), self-adjoint.
    sig = "a, d"
    jvp.defjvp(
        rt(fns["det_cofactor"]), sig,
        a="_srcad.det_cofactor_d(da, a, d)",
        d="np.expand_dims(_srcad.div0(dd, d), (-2, -1)) * ans",
    )  # fmt: skip
    vjp.defvjp(
        rt(fns["det_cofactor"]), sig,
        a="_srcad.det_cofactor_d(g, a, d)",
        d="_srcad.unbroadcast(_srcad.div0(np.sum(g * ans, axis=(-2, -1)), d), d)",
    )  # fmt: skip
    # det_cofactor_d(t, a, d) = -d B t.T B (d != 0): linear in t (self-adjoint); d/da =
    # -(B E.T V) - (V E.T B) with V the result; where d == 0 (a singular `a`, or one det_nz
    # makes singular: rules/det_cond.py) the third derivative is not written: refused.
    sig = "t, a, d"
    b3 = _mt("np.linalg.inv(_srcad.det_d3_check(a, d))")
    jvp.defjvp(
        rt(fns["det_cofactor_d"]), sig,
        t="_srcad.det_cofactor_d(dt, a, d)",
        a=f"-({b3} @ {_mt('da')} @ ans) - (ans @ {_mt('da')} @ {b3})",
        d="np.expand_dims(_srcad.div0(dd, d), (-2, -1)) * ans",
    )  # fmt: skip
    vjp.defvjp(
        rt(fns["det_cofactor_d"]), sig,
        t="_srcad.det_cofactor_d(g, a, d)",
        a=f"-(ans @ {_mt('g')} @ {b3}) - ({b3} @ {_mt('g')} @ ans)",
        d="_srcad.unbroadcast(_srcad.div0(np.sum(g * ans, axis=(-2, -1)), d), d)",
    )  # fmt: skip
    # det_vjp(t, a, d) = E(t) * det_cofactor(a, d): linear in t, the cofactor's rules otherwise.
    sig = "t, a, d"
    jvp.defjvp(
        rt(fns["det_vjp"]), sig,
        t="_srcad.det_vjp(dt, a, d)",
        a="np.expand_dims(t, (-2, -1)) * _srcad.det_cofactor_d(da, a, d)",
        d="np.expand_dims(_srcad.div0(dd, d), (-2, -1)) * ans",
    )  # fmt: skip
    vjp.defvjp(
        rt(fns["det_vjp"]), sig,
        t="_srcad.unbroadcast(np.sum(g * _srcad.det_cofactor(a, d), axis=(-2, -1)), t)",
        a="_srcad.det_cofactor_d(np.expand_dims(t, (-2, -1)) * g, a, d)",
        d="_srcad.unbroadcast(_srcad.div0(np.sum(g * ans, axis=(-2, -1)), d), d)",
    )  # fmt: skip


def _slogdet(jvp: RuleTable, vjp: RuleTable, fns: dict[str, Callable]) -> None:
    # slogdet_jvp(t, a, s) = (0, trace(inv(a) t)): linear in t; d/da = -trace(inv(a) da inv(a) t).
    # (inv(a) as `inv_nan`: NaN, not NumPy's LinAlgError, where `a` is exactly singular.)
    sig = "t, a, s"
    da_term = f"np.trace({INV} @ da @ {INV} @ t, axis1=-2, axis2=-1)"
    jvp.defjvp_joint(  # one template: the terms are pairs, which `+` would concatenate
        rt(fns["slogdet_jvp"]), sig,
        f"(_srcad.zeros_like(s[0]), _srcad.slogdet_jvp(dt, a, s)[1] - {da_term})",
        zero_in=('s',),
        single={
            "t": "_srcad.slogdet_jvp(dt, a, s)",
            "a": f"(_srcad.zeros_like(s[0]), -{da_term})",
        },
    )  # fmt: skip
    vjp.defvjp(
        rt(fns["slogdet_jvp"]), sig, zero_in=('s',),
        t="_srcad.slogdet_vjp(g, a)",
        a=f"-(_srcad.slogdet_vjp(g, a) @ {_mt('t')} @ {BN})",
    )  # fmt: skip
    # slogdet_vjp(t, a) = E(t[1]) * inv(a).T: linear in t (a (sign, logabsdet) pair).
    sig = "t, a"
    jvp.defjvp(
        rt(fns["slogdet_vjp"]), sig,
        t="_srcad.slogdet_vjp(dt, a)", a=f"-(ans @ {_mt('da')} @ {BN})",
    )  # fmt: skip
    vjp.defvjp(
        rt(fns["slogdet_vjp"]), sig,
        t=f"(np.zeros(np.shape(a)[:-2]), np.sum(g * {BN}, axis=(-2, -1)))",
        a=f"-({BN} @ {_mt('g')} @ ans)",
    )  # fmt: skip


def _inv_nan(jvp: RuleTable, vjp: RuleTable, fn: Callable) -> None:
    # inv_nan(a) = inv(a) (NaN where singular): d inv = -inv da inv.
    jvp.defjvp(rt(fn), "a", a="-(ans @ da @ ans)")
    vjp.defvjp(rt(fn), "a", a=f"-({_mt('ans')} @ g @ {_mt('ans')})")


def _solve(jvp: RuleTable, vjp: RuleTable, fns: dict[str, Callable]) -> None:
    at = _mt("a")
    # solve_jvp_a(t, a, b, x) = -S(inv(a) t C(x)): linear in t and in x; in a, d inv(a) gives
    # -inv(a) da (the result), the same helper. b gives only whether x is a vector.
    sig = "t, a, b, x"
    jvp.defjvp(
        rt(fns["solve_jvp_a"]), sig, zero_in=('b',),
        t="_srcad.solve_jvp_a(dt, a, b, x)",
        a="_srcad.solve_jvp_a(da, a, b, ans)",
        x="_srcad.solve_jvp_a(t, a, b, dx)",
    )  # fmt: skip
    x_ct = _vec(
        "b",
        f"-(({_mt('t')} @ np.linalg.solve({at}, np.expand_dims(g, -1)))[..., 0])",
        f"-({_mt('t')} @ np.linalg.solve({at}, g))",
    )
    vjp.defvjp(
        rt(fns["solve_jvp_a"]), sig, zero_in=('b',),
        t="_srcad.solve_vjp_a(g, a, b, x)",
        a="_srcad.solve_vjp_a(g, a, b, ans)",
        x=f"_srcad.unbroadcast({x_ct}, x)",
    )  # fmt: skip
    # solve_vjp_b(t, a, b) = unbroadcast(S(W), b), W = inv(a).T C(t): linear in t (transpose:
    # solve(a, g)); d/da: -inv(a).T da.T W.
    sig = "t, a, b"
    w = _vec("b", f"np.linalg.solve({at}, np.expand_dims(t, -1))", f"np.linalg.solve({at}, t)")
    da_term = _vec(
        "b",
        f"-(np.linalg.solve({at}, {_mt('da')} @ {w})[..., 0])",
        f"-np.linalg.solve({at}, {_mt('da')} @ {w})",
    )
    v = _vec("b", "np.expand_dims(np.linalg.solve(a, g), -1)", "np.linalg.solve(a, g)")
    jvp.defjvp(
        rt(fns["solve_vjp_b"]), sig, zero_in=('b',),
        t="_srcad.solve_vjp_b(dt, a, b)",
        a=f"_srcad.unbroadcast({da_term}, b)",
    )  # fmt: skip
    vjp.defvjp(
        rt(fns["solve_vjp_b"]), sig, zero_in=('b',),
        t="_srcad.unbroadcast(np.linalg.solve(a, g), t)",
        a=f"_srcad.unbroadcast(-({w} @ {_mt(v)}), a)",
    )  # fmt: skip
    # solve_vjp_a(t, a, b, x) = unbroadcast(M, a), M = -W C(x).T: linear in t and in x; d/da:
    # -inv(a).T da.T M (a is shared by the summed batch, so ans can stand for M).
    sig = "t, a, b, x"
    x_ct = _vec(
        "b",
        f"-(({_mt('g')} @ {w})[..., 0])",
        f"-({_mt('g')} @ {w})",
    )
    jvp.defjvp(
        rt(fns["solve_vjp_a"]), sig, zero_in=('b',),
        t="_srcad.solve_vjp_a(dt, a, b, x)",
        a=f"-np.linalg.solve({at}, {_mt('da')} @ ans)",
        x="_srcad.solve_vjp_a(t, a, b, dx)",
    )  # fmt: skip
    vjp.defvjp(
        rt(fns["solve_vjp_a"]), sig, zero_in=('b',),
        t="_srcad.unbroadcast(_srcad.solve_jvp_a(g, a, b, x), t)",
        a=f"-(ans @ {_mt('g')} @ {B})",
        x=f"_srcad.unbroadcast({x_ct}, x)",
    )  # fmt: skip


def _phi(x: str, like: str) -> str:
    """Template: the lower triangle of `x` with its diagonal halved (`like` gives the shape)."""
    return f"({x} * (np.tril(np.ones(np.shape({like}))) - 0.5 * np.eye(np.shape({like})[-1])))"


def _sym(t: str) -> str:
    return f"(np.tril({t}) + {_mt(f'np.tril({t}, -1)')})"


def _upper_too(lower: Callable[..., str], *names: str) -> str:
    """Template: `lower` of `names` (a lower Cholesky factor), and for ``upper=True`` the same
    on the transposed operands, transposed (both helpers are ``mT(lower(mT(t), mT(U)))``)."""
    return f"({_mt(lower(*[_mt(n) for n in names]))} if upper else {lower(*names)})"


def _cholesky(jvp: RuleTable, vjp: RuleTable, fns: dict[str, Callable]) -> None:
    # cholesky_jvp(t, L) = L Phi(Y), Y = inv(L) S(t) inv(L).T (symmetric): linear in t; in L
    # (direction E): E Phi(Y) + L Phi(-(Z + Z.T)), Z = inv(L) E Y, and Phi(Y) = inv(L) ans.
    def y(t, L):
        return _mt(f"np.linalg.solve({L}, {_mt(f'np.linalg.solve({L}, {_sym(t)})')})")

    def jvp_l(t, L, E, ans):
        z = f"np.linalg.solve({L}, {E} @ {y(t, L)})"
        return f"{E} @ np.linalg.solve({L}, {ans}) + {L} @ {_phi(f'-({z} + {_mt(z)})', L)}"

    def vjp_l(t, L, G, ans):  # <G, d out> = <E, G P.T + inv(L).T K Y>, K = -(H + H.T)
        h = _phi(f"{_mt(L)} @ {G}", L)
        return (
            f"{G} @ {_mt(f'np.linalg.solve({L}, {ans})')} + "
            f"np.linalg.solve({_mt(L)}, -({h} + {_mt(h)}) @ {y(t, L)})"
        )

    fn = rt(fns["cholesky_jvp"])
    sig = "t, a, upper=False"
    jvp.defjvp(
        fn, sig, nondiff=("upper",),
        t="_srcad.cholesky_jvp(dt, a, upper)", a=_upper_too(jvp_l, "t", "a", "da", "ans"),
    )  # fmt: skip
    vjp.defvjp(
        fn, sig, nondiff=("upper",),
        t="_srcad.cholesky_vjp(g, a, upper)", a=_upper_too(vjp_l, "t", "a", "g", "ans"),
    )  # fmt: skip

    # cholesky_vjp(t, L) = T(m), m = inv(L).T Phi(L.T t) inv(L), T(m) = tril(m) + tril(m.T, -1)
    # (T's transpose is S): linear in t; in L, dm = -inv(L).T E.T m + inv(L).T Phi(E.T t) inv(L)
    # - m E inv(L).
    def m(t, L):
        p = _phi(f"{_mt(L)} @ {t}", L)
        inner = _mt(f"np.linalg.solve({_mt(L)}, {p})")
        return _mt(f"np.linalg.solve({_mt(L)}, {inner})")

    def tri(x):
        return f"(np.tril({x}) + np.tril({_mt(x)}, -1))"

    def vjp_jvp_l(t, L, E):
        mm, lt = m(t, L), _mt(L)
        first = f"np.linalg.solve({lt}, {_mt(E)} @ {mm})"
        inner = _mt(f"np.linalg.solve({lt}, {_phi(f'{_mt(E)} @ {t}', L)})")
        middle = _mt(f"np.linalg.solve({lt}, {inner})")
        last = _mt(f"np.linalg.solve({lt}, {_mt(mm + ' @ ' + E)})")
        return tri(f"(-{first} + {middle} - {last})")

    def vjp_vjp_l(t, L, G):  # R = S(G) (symmetric), Q = inv(L) R inv(L).T
        mm, r = m(t, L), _sym(G)
        q = f"np.linalg.solve({L}, {_mt(f'np.linalg.solve({L}, {r})')})"
        return (
            f"-{_mt(f'np.linalg.solve({L}, {r} @ {_mt(mm)})')} + "
            f"{t} @ {_mt(_phi(q, L))} - {_mt(f'np.linalg.solve({L}, {r} @ {mm})')}"
        )

    fn = rt(fns["cholesky_vjp"])
    jvp.defjvp(
        fn, sig, nondiff=("upper",),
        t="_srcad.cholesky_vjp(dt, a, upper)", a=_upper_too(vjp_jvp_l, "t", "a", "da"),
    )  # fmt: skip
    vjp.defvjp(
        fn, sig, nondiff=("upper",),
        t="_srcad.cholesky_jvp(g, a, upper)", a=_upper_too(vjp_vjp_l, "t", "a", "g"),
    )  # fmt: skip


def _norm(jvp: RuleTable, vjp: RuleTable, fns: dict[str, Callable]) -> None:
    # norm_grad(x, ord, axis, n) = sign(x) (|x| / n)^(p - 1), p = `ord` for a float p-norm
    # (norm_dpower == 1: p may depend on the inputs), else norm_power's constant; the gradient
    # is locally constant where that constant is 1 (1, inf, 0 and the matrix 1/inf norms).
    # d/dx = c dx with c = (p - 1) (|x| / n)^(p - 2) / n; d/dn = -(p - 1) grad / n; d/dp =
    # grad log(|x| / n) (pow_dy: 0 where x == 0). norm_jvp(t, ...) = R(grad t) and norm_vjp(t,
    # ...) = E(t) grad are linear in t (R: the sum over the norm's axes, E its transpose).
    defzero_helper(jvp, vjp, fns["norm_axes"], fns["norm_power"], fns["norm_dpower"])
    float_p = "_srcad.norm_dpower(x, ord, axis) == 1.0"
    p = f"(ord if {float_p} else _srcad.norm_power(x, ord, axis))"
    const = "(_srcad.norm_dpower(x, ord, axis) < 0.0)"
    ax = "_srcad.norm_axes(x, ord, axis)"

    def red(v: str) -> str:
        return f"np.sum({v}, axis={ax}, keepdims=keepdims)"

    def exp(v: str) -> str:
        return f"_srcad.expand_reduced({v}, x, {ax}, keepdims)"

    grad = "_srcad.norm_grad(x, ord, axis, n, keepdims)"
    # where n == 0 (x == 0: grad is its subgradient 0 there) both factors are 0 (div0), as in
    # div0's own rule: a zero tangent of x gives a zero, not 0 * inf
    c = (
        f"_srcad.div0(({p} - 1.0) * np.power(_srcad.div0(np.abs(x), {exp('n')}), {p} - 2.0), "
        f"{exp('n')})"
    )
    cn = f"(-({p} - 1.0) * _srcad.div0({grad}, {exp('n')}))"  # times E(dn)
    cp = f"_srcad.pow_dy(np.abs(x) / {exp('n')}, {grad})"  # times dp

    def at0(v: str, d: str) -> str:
        # the `c` terms where the norm is 0 and the direction `d` is not (rules/norm_at0.py)
        return f"_srcad.norm_d2_check({v}, {exp('n')}, {d})"

    def smooth(v: str, like: str = "x") -> str:
        return f"(_srcad.zeros_like({like}) if {const} else {v})"

    def to_ord(v: str) -> str:
        return f"_srcad.unbroadcast(np.sum({v}), ord)"

    def svd(v: str, other: str, wrap: Callable[[str], str] = str) -> str:
        # a matrix 2-, -2- or nuclear norm: its gradient's derivative along v (rules/norm_svd.py)
        d2 = wrap(svd_norm_d2(v, ax))
        return f"({d2} if _srcad.norm_dpower(x, ord, axis) == -2.0 else {other})"

    def real_x(**terms: str) -> dict[str, str]:
        # complex x (the first-order rules take it, linalg.norm_grad): these terms are for real
        # x only, refused at run time (the `t` terms, linear, hold for complex x too)
        out = dict(terms)
        for k in ("x", "n", "ord"):
            if k in out:
                out[k] = f"_srcad.real_only({out[k]}, x, 'the second derivative of np.linalg.norm')"
        return out

    sig = "x, ord, axis, n, keepdims=False"
    nondiff = ("axis", "keepdims")
    jvp.defjvp(
        rt(fns["norm_grad"]), sig, nondiff=nondiff,
        **real_x(
            x=svd("dx", smooth(at0(f"{c} * dx", "dx"))), n=smooth(f"{cn} * {exp('dn')}"), ord=f"dord * {cp}",
        ),
    )  # fmt: skip
    vjp.defvjp(
        rt(fns["norm_grad"]), sig, nondiff=nondiff,
        **real_x(
            x=svd("g", smooth(at0(f"{c} * g", "g"))), n=smooth(red(f"{cn} * g"), "n"),
            ord=to_ord(f"g * {cp}"),
        ),
    )  # fmt: skip
    sig = "t, x, ord, axis, keepdims, n"
    jvp.defjvp(
        rt(fns["norm_jvp"]), sig, nondiff=nondiff,
        **real_x(
            t="_srcad.norm_jvp(dt, x, ord, axis, keepdims, n)",
            x=svd("dx", smooth(red(at0(f"{c} * dx * t", "dx")), "ans"), lambda d: red(f"{d} * t")),
            n=smooth(red(f"{cn} * {exp('dn')} * t"), "ans"),
            ord=red(f"dord * {cp} * t"),
        ),
    )  # fmt: skip
    vjp.defvjp(
        rt(fns["norm_jvp"]), sig, nondiff=nondiff,
        **real_x(
            t="_srcad.norm_vjp(g, x, ord, axis, keepdims, n)",
            # (direction `t`, not g t: g is f'(n) h, 0 at n = 0 for a smooth f of the norm)
            x=svd(f"{exp('g')} * t", smooth(at0(f"{c} * {exp('g')} * t", "t"))),
            n=smooth(red(f"{cn} * {exp('g')} * t"), "n"),
            ord=to_ord(f"{exp('g')} * t * {cp}"),
        ),
    )  # fmt: skip
    jvp.defjvp(
        rt(fns["norm_vjp"]), sig, nondiff=nondiff,
        **real_x(
            t="_srcad.norm_vjp(dt, x, ord, axis, keepdims, n)",
            x=svd("dx", smooth(at0(f"{exp('t')} * {c} * dx", "dx"), "ans"), lambda d: f"{exp('t')} * {d}"),
            n=smooth(f"{exp('t')} * {cn} * {exp('dn')}", "ans"),
            ord=f"dord * {exp('t')} * {cp}",
        ),
    )  # fmt: skip
    vjp.defvjp(
        rt(fns["norm_vjp"]), sig, nondiff=nondiff,
        **real_x(
            t="_srcad.norm_jvp(g, x, ord, axis, keepdims, n)",
            x=svd(f"g * {exp('t')}", smooth(at0(f"g * {exp('t')} * {c}", "g"))),
            n=smooth(red(f"{cn} * g * {exp('t')}"), "n"),
            ord=to_ord(f"g * {exp('t')} * {cp}"),
        ),
    )  # fmt: skip


def _norm_dord(jvp: RuleTable, vjp: RuleTable, fns: dict[str, Callable]) -> None:
    # norm_dord(x, p, f) = f q, q = T / (p S) - log(S) / p^2, S = R(w), T = R(w l), w = |x|^p
    # and l = log|x| (both 0 at x == 0), for a float vector p-norm (else 0). With T2 = R(w l^2):
    # d/dx: f (R(dwl) / (p S) - (T / (p S^2) + 1 / (p^2 S)) R(dw)), dw = pow_dx(|x|, p) sign(x)
    # dx, dwl = pow_dx_dy(|x|, p) sign(x) dx; d/dp: f (T2 / (p S) - 2 T / (p^2 S) - T^2 / (p S^2)
    # + 2 log(S) / p^3); d/df: q.
    ax = "_srcad.norm_axes(x, ord, axis)"
    live = "_srcad.norm_dpower(x, ord, axis) == 1.0"

    def red(v: str) -> str:
        return f"np.sum({v}, axis={ax}, keepdims=keepdims)"

    def exp(v: str) -> str:
        return f"_srcad.expand_reduced({v}, x, {ax}, keepdims)"

    def alive(v: str, like: str) -> str:
        return f"({v} if {live} else _srcad.zeros_like({like}))"

    ab = "np.abs(x)"
    w = f"np.where({ab} > 0.0, np.power({ab}, ord), 0.0)"
    wl = f"_srcad.pow_dy({ab}, {w})"
    s_, t_, t2 = red(w), red(wl), red(f"_srcad.pow_dy({ab}, {wl})")
    dw = f"_srcad.pow_dx({ab}, ord) * _srcad.sign(x)"
    dwl = f"_srcad.pow_dx_dy({ab}, ord) * _srcad.sign(x)"
    # 0 where S == 0 (x == 0, where the helper is 0): div0, and f log(S) as pow_dy(S, f)
    cw = f"(_srcad.div0(f * {t_}, ord * {s_} ** 2) + _srcad.div0(f, ord * ord * {s_}))"
    cwl = f"_srcad.div0(f, ord * {s_})"  # times R(dwl)
    cp = (
        f"(_srcad.div0(f * {t2}, ord * {s_}) - _srcad.div0(2.0 * f * {t_}, ord * ord * {s_}) - "
        f"_srcad.div0(f * {t_} ** 2, ord * {s_} ** 2) + 2.0 * _srcad.pow_dy({s_}, f) / ord ** 3)"
    )
    sig, nondiff = "x, ord, axis, keepdims, f", ("axis", "keepdims")
    jvp.defjvp(
        rt(fns["norm_dord"]), sig, nondiff=nondiff,
        x=alive(f"{cwl} * {red(f'{dwl} * dx')} - {cw} * {red(f'{dw} * dx')}", "ans"),
        ord=alive(f"dord * {cp}", "ans"),
        f="df * _srcad.div0(ans, f)",
    )  # fmt: skip
    vjp.defvjp(
        rt(fns["norm_dord"]), sig, nondiff=nondiff,
        x=alive(f"{exp(f'g * {cwl}')} * {dwl} - {exp(f'g * {cw}')} * {dw}", "x"),
        ord=alive(f"_srcad.unbroadcast(np.sum(g * {cp}), ord)", "ord"),
        f="_srcad.unbroadcast(g * _srcad.div0(ans, f), f)",
    )  # fmt: skip
