"""Every derivative rule, end to end through the compiler.

For each case of `tests/rules/rules_cases.py` this builds a real function
``def f(<wrt args>): return <expr>`` (the other arguments are globals of its module), whose source
`inspect` finds through `linecache`. Then:

- `srcad.jvp` matches central finite differences, for each differentiable argument alone;
- when reverse mode exists, `srcad.vjp` agrees with `srcad.jvp` by the dot-product identity
  <u, J v> == <J^T u, v>, with every argument active.

`tests/rules/test_rule_templates.py` checks the templates by `eval`; this checks that lowering,
the JVP/VJP transforms, the passes and the emitter turn them into the same numbers.
"""

from __future__ import annotations

import cmath
import linecache
import math

import numpy as np
import pytest

import srcad
from srcad import runtime
from tests.rules.rules_cases import CASES, Case, real_pairing, scipy_namespace

EPS = 1e-6
HAS_VJP = hasattr(srcad, "vjp")
SCIPY_NS = scipy_namespace()

# Cases that fail because of a compiler bug: case id -> reason. strict=True, so a fix shows up.
KNOWN_FAILURES: dict[str, str] = {}


def make_function(case: Case, index: int):
    """``def f(<wrt args>): return <expr>``, defined in a fresh module namespace."""
    wrt = case.wrt_names()
    filename = f"<srcad-e2e-{index}>"
    src = f"def f({', '.join(wrt)}):\n    return {case.expr}\n"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    ns = {
        "np": np,
        "math": math,
        "cmath": cmath,
        "_srcad": runtime,
        "__name__": f"srcad_e2e_{index}",
        **SCIPY_NS,
    }
    ns.update({k: v for k, v in case.args.items() if k not in wrt})
    exec(compile(src, filename, "exec"), ns)
    return ns["f"], [case.args[n] for n in wrt]


def _rand_like(v, rng):
    if isinstance(v, str):  # dict keys carry no derivative
        return None
    if isinstance(v, dict):
        return {k: _rand_like(e, rng) for k, e in v.items()}
    if isinstance(v, (tuple, list)):  # namedtuples (SlogdetResult) become plain tuples
        return tuple(_rand_like(e, rng) for e in v)
    if isinstance(v, np.ndarray) and v.dtype.kind == "c":  # complex: see srcad.rules.numpy_fft
        return rng.standard_normal(v.shape) + 1j * rng.standard_normal(v.shape)
    if isinstance(v, np.ndarray):  # (zero on NaN outputs: SciPy's residues of a rank-deficient
        r = rng.standard_normal(v.shape)  # lstsq; see real_pairing)
        return np.where(np.isnan(v), 0.0, r) if v.dtype.kind == "f" else r
    if isinstance(v, complex):
        return complex(rng.standard_normal(), rng.standard_normal())
    return float(rng.standard_normal())


def _leaves(t) -> np.ndarray:
    if isinstance(t, str) or t is None:  # keys; symbolic zeros
        return np.zeros(0)
    if isinstance(t, dict):
        t = [t[k] for k in t]
    if isinstance(t, (tuple, list)):
        parts = [_leaves(e) for e in t]
        return np.concatenate(parts) if parts else np.zeros(0)
    t = np.ravel(np.asarray(t))
    if t.dtype.kind == "c":  # both parts of a complex value
        return np.concatenate([t.real, t.imag])
    return np.asarray(t, dtype=float)


def _drop_keys(t, like):
    """`t` with the entries where `like` holds a string (a dict key: tangent 0.0) set to None."""
    if isinstance(like, str):
        return None
    if isinstance(like, (tuple, list)) and isinstance(t, (tuple, list)):
        return [_drop_keys(a, b) for a, b in zip(t, like)]
    return t


def _shift(v, t, h):
    if isinstance(v, (tuple, list)):
        return tuple(_shift(a, b, h) for a, b in zip(v, t))
    return v + h * t


def _vdot(a, b) -> float:
    """<a, b> over matching structures; None (a symbolic zero, or no tangent) contributes 0."""
    if a is None or b is None or isinstance(a, str) or isinstance(b, str):
        return 0.0
    if isinstance(a, dict) and isinstance(b, dict):
        return sum(_vdot(a[k], b.get(k)) for k in a)
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        assert len(a) == len(b), (a, b)
        return sum(_vdot(x, y) for x, y in zip(a, b))
    return real_pairing(a, b)


def _complex(v) -> bool:
    return isinstance(v, complex) or (isinstance(v, np.ndarray) and v.dtype.kind == "c")


def _params():
    out = []
    for i, case in enumerate(CASES):
        marks = []
        if case.id in KNOWN_FAILURES:
            marks = [pytest.mark.xfail(reason=KNOWN_FAILURES[case.id], strict=True)]
        out.append(pytest.param(i, case, id=f"{i}-{case.id}", marks=marks))
    return out


@pytest.mark.parametrize("index, case", _params())
def test_rule_e2e(index: int, case: Case) -> None:
    if any(_complex(case.args[k]) for k in case.wrt_names()):
        pytest.skip("complex arguments: srcad differentiates functions of real arguments")
    f, primals = make_function(case, index)
    rng = np.random.default_rng(index)
    ans = f(*primals)
    n = len(primals)
    assert n, f"{case.id}: nothing to differentiate"

    if case.jac is not None:  # a nondifferentiable point: the promised subgradient
        for k, name in enumerate(case.wrt_names()):
            tangents = [None] * n
            tangents[k] = _rand_like(primals[k], rng)
            out, dout = srcad.jvp(f, primals, tangents)
            want = np.asarray(case.jac[name]) @ _leaves(tangents[k])
            np.testing.assert_allclose(_leaves(_drop_keys(dout, ans)), want, atol=1e-12)
    elif case.fd:
        for k in range(n):
            tangents = [None] * n
            tangents[k] = _rand_like(primals[k], rng)
            out, dout = srcad.jvp(f, primals, tangents)
            np.testing.assert_allclose(_leaves(out), _leaves(ans), rtol=1e-12, atol=1e-12)

            def shifted(h, k=k, t=tangents[k]):
                args = list(primals)
                args[k] = _shift(args[k], t, h)
                return _leaves(f(*args))

            fd = (shifted(EPS) - shifted(-EPS)) / (2 * EPS)
            got = _leaves(_drop_keys(dout, ans))
            assert got.shape == fd.shape, f"tangent shape {np.shape(dout)}, output {np.shape(ans)}"
            scale = 1.0 + np.max(
                np.abs(fd), initial=0.0, where=np.isfinite(fd)
            )  # (NaN outputs: NaN both)
            np.testing.assert_allclose(
                got, fd, rtol=1e-4, atol=1e-5 * scale, err_msg=f"JVP vs FD, wrt {k}"
            )

    if HAS_VJP:
        tangents = [_rand_like(p, rng) for p in primals]
        _, jv = srcad.jvp(f, primals, tangents)
        out, pullback = srcad.vjp(f, *primals)
        u = _rand_like(ans, rng)
        cts = pullback(u)
        if n == 1 and not (isinstance(cts, tuple) and len(cts) == 1):
            cts = (cts,)
        assert len(cts) == n
        for c, p in zip(cts, primals):
            assert np.shape(_leaves(c)) == np.shape(_leaves(p))
        lhs = _vdot(u, _drop_keys(jv, ans))
        rhs = sum(_vdot(c, t) for c, t in zip(cts, tangents))
        rtol = 1e-7 if case.fd else 1e-3
        assert np.isclose(lhs, rhs, rtol=rtol, atol=1e-9 * (1 + abs(lhs))), (
            f"dot-product test: <u, Jv> = {lhs}, <J^T u, v> = {rhs}"
        )


def test_count() -> None:
    from srcad.frontend.resolve import canonical

    n = len({canonical(c.prim) for c in CASES})
    print(f"\ne2e: checked {n} rules on {len(CASES)} cases (vjp: {'yes' if HAS_VJP else 'no'})")
    assert n >= 150
