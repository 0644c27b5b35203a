"""Table-driven checks of the derivative rule templates, evaluated directly with `eval`.

For every case of `tests/rules/rules_cases.py` and every set of active arguments (each alone,
then all):

- the JVP (sum of the rule's terms, its joint template, or the linear call on the tangent) matches
  central finite differences;
- the VJP agrees with the JVP by the dot-product identity <u, J v> == <J^T u, v>, and each cotangent
  has its argument's structure and shape.

Also: both tables define the same primitives with the same parameters, every non-zero rule has a
case, templates stay inside the subset the compiler lowers, and zero rules are locally constant.
"""

from __future__ import annotations

import ast
import builtins
import cmath
import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from srcad import runtime
from srcad.frontend.resolve import _lookup, canonical, prim_name
from srcad.rules import default_tables
from srcad.ssa.prims import BINOPS, CMPOPS, UNARYOPS
from tests.rules.rules_cases import CASES, ZERO_CASES, Case, real_pairing, scipy_namespace

JVP, VJP = default_tables()
EPS = 1e-6
BASE_NS = {"np": np, "math": math, "cmath": cmath, "_srcad": runtime, **scipy_namespace()}

# Primitive name -> Python callable, for operator syntax in case expressions.
OPERATOR_FNS = {
    "add": operator.add, "sub": operator.sub, "mul": operator.mul, "truediv": operator.truediv,
    "floordiv": operator.floordiv, "mod": operator.mod, "pow": operator.pow,
    "matmul": operator.matmul, "neg": operator.neg, "pos": operator.pos,
    "invert": operator.invert, "not": operator.not_, "eq": operator.eq, "ne": operator.ne,
    "lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge,
    "is": operator.is_, "is_not": operator.is_not,
}  # fmt: skip
AST_OPS = {
    getattr(ast, cls.__name__): name
    for table in (BINOPS, UNARYOPS, CMPOPS)
    for cls, name in table.items()
}


# -- evaluating a case -----------------------------------------------------------------------
@dataclass
class Call:
    """A case expression split into the callee and its operand expressions."""

    prim: str  # the primitive the expression calls, as the compiler would name it
    fn: Callable
    pos: list[ast.expr]
    kw: dict[str, ast.expr]


def _ev(node: ast.expr, ns: dict) -> Any:
    return eval(compile(ast.Expression(node), "<case>", "eval"), dict(ns))


def describe(case: Case) -> Call:
    node = ast.parse(case.expr, mode="eval").body
    ns = BASE_NS | case.args
    if isinstance(node, ast.BinOp):
        name = AST_OPS[type(node.op)]
        return Call(name, OPERATOR_FNS[name], [node.left, node.right], {})
    if isinstance(node, ast.UnaryOp):
        name = AST_OPS[type(node.op)]
        return Call(name, OPERATOR_FNS[name], [node.operand], {})
    if isinstance(node, ast.Compare):
        name = AST_OPS[type(node.ops[0])]
        return Call(name, OPERATOR_FNS[name], [node.left, node.comparators[0]], {})
    if isinstance(node, ast.Attribute):
        return Call(f"attr.{node.attr}", lambda x: getattr(x, node.attr), [node.value], {})
    assert isinstance(node, ast.Call), case.expr
    kw = {k.arg: k.value for k in node.keywords}
    func = node.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        receiver = ns.get(func.value.id)
        if receiver is not None and not hasattr(receiver, "__name__"):  # a value: method call
            attr = func.attr
            return Call(
                f"method.{attr}",
                lambda x, *a, **k: getattr(x, attr)(*a, **k),
                [func.value, *node.args],
                kw,
            )
    fn = _ev(func, ns)
    name = prim_name(fn)
    if name is None and getattr(fn, "__module__", "") == "srcad.runtime":
        name = f"srcad.runtime.{fn.__name__}"
    return Call(name or "?", fn, list(node.args), kw)


class _Slot:
    """Marks which operand of the call a parameter was bound to."""

    def __init__(self, key):
        self.key = key


def param_slots(rule, call: Call) -> dict[str, Any]:
    """Parameter name -> operand key (int position or keyword name) of the call."""
    bound = rule.sig.bind(*[_Slot(i) for i in range(len(call.pos))], **{
        k: _Slot(k) for k in call.kw
    })  # fmt: skip
    return dict(bound.arguments)


def _names(node: ast.expr) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _rand_like(v, rng):
    if isinstance(v, str):  # dict keys carry no derivative
        return None
    if isinstance(v, dict):
        return {k: _rand_like(e, rng) for k, e in v.items()}
    if isinstance(v, (tuple, list)):
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
    if isinstance(t, str) or t is None:
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


def _vdot(a, b) -> float:
    if a is None or b is None:
        return 0.0
    if isinstance(a, dict) and isinstance(b, dict):
        return sum(_vdot(a[k], b.get(k)) for k in a)
    if isinstance(a, (tuple, list)) or isinstance(b, (tuple, list)):
        assert len(a) == len(b), (a, b)
        return sum(_vdot(x, y) for x, y in zip(a, b))
    return real_pairing(a, b)


def _check_structure(ct, primal, what: str) -> None:
    if ct is None:  # a symbolic zero (entries of container cotangents)
        return
    if isinstance(primal, dict):
        assert isinstance(ct, dict) and list(ct) == list(primal), what
        for k in primal:
            _check_structure(ct[k], primal[k], what)
        return
    if isinstance(primal, (tuple, list)):
        assert isinstance(ct, (tuple, list)), f"{what}: expected a sequence, got {type(ct)}"
        assert len(ct) == len(primal), what
        for c, p in zip(ct, primal):
            _check_structure(c, p, what)
        return
    assert np.shape(ct) == np.shape(primal), f"{what}: shape {np.shape(ct)} != {np.shape(primal)}"


def _template_env(params: dict, ans) -> dict:
    return {"__builtins__": {}, "np": np, "math": math, "_srcad": runtime, "ans": ans, **params}


class CaseRun:
    """One case bound to its rules, with helpers to evaluate primal, JVP and VJP."""

    def __init__(self, case: Case):
        self.case = case
        self.call = describe(case)
        prim = canonical(case.prim)
        assert self.call.prim == prim, f"{case.expr} calls {self.call.prim}, not {prim}"
        self.jrule, self.vrule = JVP.get(prim), VJP.get(prim)
        assert self.jrule is not None and self.vrule is not None, f"no rule for {prim}"
        self.slots = param_slots(self.jrule, self.call)

    def operands(self, ns: dict) -> tuple[list, dict]:
        return [_ev(n, ns) for n in self.call.pos], {k: _ev(n, ns) for k, n in self.call.kw.items()}

    def primal(self, ns: dict):
        pos, kw = self.operands(ns)
        return self.call.fn(*pos, **kw)

    def node(self, slot) -> ast.expr:
        return self.call.pos[slot.key] if isinstance(slot.key, int) else self.call.kw[slot.key]

    def active_params(self, active: set[str]) -> dict[str, ast.expr]:
        out = {}
        for p, slot in self.slots.items():
            if not isinstance(slot, _Slot):
                continue  # *args / defaults: never differentiable here
            node = self.node(slot)
            if p in self.jrule.nondiff:  # an argument that is active itself must not land here
                assert not (isinstance(node, ast.Name) and node.id in active), f"{p!r} is nondiff"
            elif p in self.jrule.zero_in:
                continue  # no term: the finite differences check that its derivative is zero
            elif _names(node) & active:
                out[p] = node
        return out


def tangent_of(node: ast.expr, case: Case, tangents: dict):
    """The tangent of an operand expression: a name, or list/tuple literals of names (else zero)."""
    if isinstance(node, (ast.List, ast.Tuple)):
        elts = [tangent_of(e, case, tangents) for e in node.elts]
        return elts if isinstance(node, ast.List) else tuple(elts)
    if isinstance(node, ast.Dict):  # {"a": a, "b": b}: a dict of the values' tangents
        keys = [_ev(k, BASE_NS | case.args) for k in node.keys]
        return {k: tangent_of(v, case, tangents) for k, v in zip(keys, node.values)}
    if isinstance(node, ast.Name) and node.id in tangents:
        return tangents[node.id]
    assert not _names(node) & set(tangents), f"operand too complex to differentiate: {node}"
    return runtime.zeros_like(_ev(node, BASE_NS | case.args))


def jvp_value(run: CaseRun, params: dict, ans, dparams: dict):
    rule = run.jrule
    if rule.zero:
        return runtime.zeros_like(ans)
    if rule.linear:
        (p,) = dparams
        pos, kw = run.operands(BASE_NS | run.case.args)
        key = run.slots[p].key
        if isinstance(key, int):
            pos[key] = dparams[p]
        else:
            kw[key] = dparams[p]
        return run.call.fn(*pos, **kw)
    env = _template_env(params, ans)
    if rule.joint is not None and len(dparams) == 1 and next(iter(dparams)) in rule.single:
        (p,) = dparams  # the template the transform picks for one active parameter
        return eval(rule.single[p], env | {f"d{p}": dparams[p]})
    if rule.joint is not None:
        for p in rule.diff_params:
            env[f"d{p}"] = dparams[p] if p in dparams else runtime.zeros_like(params[p])
        return eval(rule.joint, env)
    total = None
    for p, dp in dparams.items():
        assert p in rule.terms, f"{rule.prim}: no JVP term for active {p!r}"
        term = eval(rule.terms[p], env | {f"d{p}": dp})  # other tangents are not in scope
        total = runtime.add(total, term)
    return total


def activity_sets(case: Case) -> list[set[str]]:
    names = case.wrt_names()
    sets = [{n} for n in names]
    if len(names) > 1:
        sets.append(set(names))
    return sets


def _copies(values):
    """Copies of the arrays and lists among `values` (helpers like add_at and drop_last_inplace
    update their first argument in place)."""
    return [v.copy() if isinstance(v, (np.ndarray, list)) else v for v in values]


def _case_params(cases):
    return [pytest.param(c, id=c.id) for c in cases]


@pytest.mark.parametrize("case", _case_params(CASES))
def test_rule(case: Case) -> None:
    run = CaseRun(case)
    rng = np.random.default_rng(0)
    ns = BASE_NS | case.args
    pos, kw = run.operands(ns)
    params = run.jrule.bind(pos, kw)
    ans = run.call.fn(*_copies(pos), **kw)  # copies: runtime helpers like add_at work in place
    assert activity_sets(case), f"{case.id}: nothing to differentiate"
    for active in activity_sets(case):
        tangents = {n: _rand_like(case.args[n], rng) for n in active}
        dparams = {
            p: tangent_of(node, case, tangents) for p, node in run.active_params(active).items()
        }
        if not dparams and any(
            p.kind is p.VAR_POSITIONAL for p in run.jrule.sig.parameters.values()
        ):
            pytest.skip("a *args rule (block_diag): checked end to end by test_rules_e2e")
        assert dparams, f"{case.id}: {active} reach no differentiable parameter"
        jv = jvp_value(run, params, ans, dparams)
        _check_structure(jv, ans, f"JVP of {case.id}")

        if case.jac is not None:  # a nondifferentiable point: the promised subgradient
            want = sum(np.asarray(case.jac[n]) @ _leaves(tangents[n]) for n in active)
            np.testing.assert_allclose(
                _leaves(_drop_keys(jv, ans)), want, rtol=1e-12, atol=1e-12,
                err_msg=f"JVP vs the expected Jacobian, active={active}",
            )  # fmt: skip
        elif case.fd:

            def shifted(h, active=active, tangents=tangents):
                sns = ns | {n: case.args[n] + h * tangents[n] for n in active}
                return _leaves(run.primal(sns))

            fd = (shifted(EPS) - shifted(-EPS)) / (2 * EPS)
            got = _leaves(_drop_keys(jv, ans))
            scale = 1.0 + np.max(
                np.abs(fd), initial=0.0, where=np.isfinite(fd)
            )  # (NaN outputs: NaN both)
            np.testing.assert_allclose(
                got, fd, rtol=1e-4, atol=1e-5 * scale, err_msg=f"JVP vs FD, active={active}"
            )

        u = _rand_like(ans, rng)
        venv = _template_env(params, ans) | {"g": u}
        rhs = 0.0
        for p, dp in dparams.items():
            assert p in run.vrule.terms, f"{run.vrule.prim}: no VJP term for active {p!r}"
            ct = eval(run.vrule.terms[p], dict(venv))
            _check_structure(ct, params[p], f"VJP of {case.id} for {p}")
            rhs += _vdot(ct, dp)
        lhs = _vdot(u, jv)
        rtol = 1e-7 if case.fd else 1e-3
        assert np.isclose(lhs, rhs, rtol=rtol, atol=1e-9 * (1 + abs(lhs))), (
            f"dot-product test, active={active}: <u, Jv> = {lhs}, <J^T u, v> = {rhs}"
        )


@pytest.mark.parametrize("case", _case_params(ZERO_CASES))
def test_zero_rule(case: Case) -> None:
    run = CaseRun(case)
    assert run.jrule.zero and run.vrule.zero
    ns = BASE_NS | case.args
    base = run.primal(ns)
    if np.asarray(base).dtype.kind not in "fc":
        return  # integer/boolean-valued
    rng = np.random.default_rng(0)
    for n in case.wrt_names():
        t = _rand_like(case.args[n], rng)
        moved = run.primal(ns | {n: case.args[n] + EPS * t})
        np.testing.assert_array_equal(_leaves(moved), _leaves(base))


# -- table-level checks ----------------------------------------------------------------------
def test_tables_agree() -> None:
    assert JVP.names() == VJP.names()
    for jr in JVP:
        vr = VJP.get(jr.prim)
        assert list(jr.sig.parameters) == list(vr.sig.parameters), jr.prim
        assert jr.zero == vr.zero, jr.prim
        assert jr.nondiff == vr.nondiff, jr.prim
        # a float parameter without a closed-form derivative (the shape of a gamma cdf) has no
        # term and is no nondiff: active, it is refused at transform time
        if not vr.zero:
            assert set(vr.terms) <= set(vr.diff_params), f"{vr.prim}: VJP terms {set(vr.terms)}"
        if not jr.zero and not jr.linear and jr.joint is None:
            assert set(jr.terms) == set(vr.terms), f"{jr.prim}: JVP terms {set(jr.terms)}"


def test_every_rule_has_a_case() -> None:
    covered = {canonical(c.prim) for c in CASES}
    missing = [r.prim for r in JVP if not r.zero and r.prim not in covered]
    assert not missing, f"rules without a test case: {missing}"
    zero_covered = {canonical(c.prim) for c in ZERO_CASES}
    assert zero_covered <= {r.prim for r in JVP if r.zero}


def test_zero_rules_name_real_callables() -> None:
    results = (np.linalg.eigh, np.linalg.svd, np.linalg.qr, np.linalg.slogdet)  # namedtuples
    KINDS = (np.ndarray, str, list, dict, *(type(f(np.eye(1))) for f in results))  # noqa: N806
    ops = set(OPERATOR_FNS) | {"lshift", "rshift", "bitor", "bitxor", "bitand", "in", "not_in"}
    for rule in JVP:
        name = rule.prim
        if name.startswith(("method.", "attr.")):
            attr = name.split(".", 1)[1]
            assert any(hasattr(t, attr) for t in KINDS), name
        elif "." in name:
            assert _lookup(name) is not None, name
        else:
            assert name in ops or hasattr(builtins, name), name


ALLOWED_NODES = (
    ast.Expression, ast.Name, ast.Constant, ast.Call, ast.keyword, ast.Attribute, ast.Subscript,
    ast.Slice, ast.Tuple, ast.List, ast.BinOp, ast.UnaryOp, ast.Compare, ast.IfExp, ast.Load,
    ast.operator, ast.unaryop, ast.cmpop,
)  # fmt: skip


def _templates(rule):
    yield from rule.terms.values()
    if rule.joint is not None:
        yield rule.joint


def test_templates_stay_in_the_lowered_subset() -> None:
    for table in (JVP, VJP):
        for rule in table:
            allowed = set(rule.sig.parameters) | {"ans", "np", "math", "_srcad"}
            allowed |= {"g"} if table.mode == "vjp" else {f"d{p}" for p in rule.sig.parameters}
            for template in _templates(rule):
                tree = ast.parse(template, mode="eval")
                for node in ast.walk(tree):
                    assert isinstance(node, ALLOWED_NODES), f"{rule.prim}: {ast.dump(node)}"
                    if isinstance(node, ast.Name):
                        assert node.id in allowed, f"{rule.prim}: unknown name {node.id!r}"
                    if (
                        isinstance(node, ast.Attribute)
                        and getattr(node.value, "id", "") == "_srcad"
                    ):
                        assert hasattr(runtime, node.attr), f"{rule.prim}: _srcad.{node.attr}"


def test_rule_counts() -> None:
    counts = {t.mode: (len(t), sum(1 for r in t if not r.zero)) for t in (JVP, VJP)}
    n_checked = len({canonical(c.prim) for c in CASES})
    print(f"\nchecked {n_checked} rules on {len(CASES)} cases ({len(ZERO_CASES)} zero cases)")
    for mode, (total, nonzero) in counts.items():
        print(f"{mode}: {total} rules ({nonzero} non-zero, {total - nonzero} zero)")
        assert total >= 150


# -- runtime helpers the transforms call directly --------------------------------------------
def test_unbroadcast_and_zeros() -> None:
    g = np.ones((3, 4))
    assert runtime.unbroadcast(2.0, 1.0) == 2.0
    assert runtime.unbroadcast(g, g) is g
    np.testing.assert_array_equal(runtime.unbroadcast(g, np.zeros(4)), np.full(4, 3.0))
    np.testing.assert_array_equal(runtime.unbroadcast(g, np.zeros((3, 1))), np.full((3, 1), 4.0))
    assert runtime.unbroadcast(g, 1.0) == 12.0 and type(runtime.unbroadcast(g, 1.0)) is float
    assert runtime.zeros_like(3) == 0.0 and type(runtime.zeros_like(3)) is float
    z = runtime.zeros_like((np.arange(3), [1.0, np.ones(2)], {"a": 2}))
    assert z[0].dtype == float and z[1][0] == 0.0 and z[2] == {"a": 0.0}
    assert runtime.add(None, 1.0) == 1.0 and runtime.add((1.0, None), (2.0, 3.0)) == (3.0, 3.0)
    assert runtime.add({"a": 1.0}, {"a": 2.0, "b": 1.0}) == {"a": 3.0, "b": 1.0}


@pytest.mark.parametrize(
    "x, idx",
    [
        (np.arange(12.0).reshape(3, 4), (1, slice(None, 3))),
        (np.arange(12.0).reshape(3, 4), np.array([0, 2, 0])),
        (np.arange(12.0).reshape(3, 4), (slice(None), [1, 1, 3])),
        (np.arange(12.0).reshape(3, 4), np.arange(12.0).reshape(3, 4) > 5),
        (np.arange(5.0), -1),
    ],
)
def test_getitem_setitem_helpers(x, idx) -> None:
    rng = np.random.default_rng(1)
    dx = rng.standard_normal(x.shape)
    u = rng.standard_normal(np.shape(x[idx]))
    # getitem is linear: <u, dx[idx]> == <getitem_vjp(u), dx>
    assert np.isclose(np.vdot(u, dx[idx]), np.vdot(runtime.getitem_vjp(u, x, idx), dx))
    # setitem(x, idx, v) is linear in (x, v)
    v = rng.standard_normal(np.shape(x[idx]))
    y = runtime.setitem(x, idx, v)
    hits = np.zeros(x.shape)
    np.add.at(hits, idx, 1)
    unique = hits.max() == 1  # with repeated indices the last write wins
    assert y is not x and (np.array_equal(y[idx], v) or not unique)
    dv = rng.standard_normal(v.shape)
    w = rng.standard_normal(x.shape)
    lhs = np.vdot(w, runtime.setitem(dx, idx, dv))
    rhs = np.vdot(runtime.setitem_vjp_x(w, idx), dx) + np.vdot(runtime.setitem_vjp_v(w, idx, v), dv)
    if unique:
        assert np.isclose(lhs, rhs)


def test_sequence_helpers() -> None:
    xs = [1.0, np.ones(2), 3.0]
    ct = runtime.getitem_vjp(2.0, xs, 2)
    assert ct[0] is None and ct[2] == 2.0 and ct[1] is None  # None: a symbolic zero
    out = runtime.getitem_vjp([1.0, 2.0], xs, slice(0, 3, 2))
    assert out[0] == 1.0 and out[2] == 2.0 and out[1] is None
    assert np.array_equal(runtime.elem(ct, 1, xs[1]), np.zeros(2))
    assert runtime.setitem([1.0, 2.0], 0, 5.0) == [5.0, 2.0]
    assert runtime.setitem_vjp_x([1.0, 2.0], 1) == [1.0, None]  # the overwritten slot: None
    assert runtime.setitem_vjp_v([1.0, 2.0], 1, 0.0) == 2.0
    ct = runtime.split_vjp([None, np.ones(2), None], np.zeros(6), 3)
    np.testing.assert_array_equal(ct, [0, 0, 1, 1, 0, 0])
    np.testing.assert_array_equal(runtime.slogdet_vjp((1.0, None), np.eye(2)), np.zeros((2, 2)))


def test_digamma() -> None:
    for x in (0.1, 0.7, 3.0, 12.5, -1.5, -0.3):
        h = 1e-6
        fd = (math.lgamma(x + h) - math.lgamma(x - h)) / (2 * h)
        assert math.isclose(runtime.digamma(x), fd, rel_tol=1e-7, abs_tol=1e-7)
