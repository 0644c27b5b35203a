"""The two kinds of parameter without a derivative term, on every registered rule
(`srcad.ad.rules`: ``nondiff``, refused when its argument is varied; ``zero_in``, whose
derivative is zero wherever it is defined, dropped).

- every declaration names a real parameter of its rule, the two sets and the terms are
  disjoint, and a primitive's JVP and VJP rules (each variant too) declare the same sets, so
  that `Rule.active` decides the same in both modes;
- each `zero_in` parameter that a rule case (`tests/rules/rules_cases.py`) binds to a float
  operand: central differences of the primitive in that operand alone are zero. Parameters no
  case exercises with floats are listed in `UNSAMPLED`, each with the reason; a new `zero_in`
  parameter needs a case or an entry there.

End-to-end refusals of varied `nondiff` arguments: tests/soundness/test_nondiff14.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from srcad.frontend.resolve import canonical
from srcad.rules import load_all
from tests.rules.rules_cases import CASES
from tests.rules.test_rule_templates import (
    BASE_NS,
    CaseRun,
    _copies,
    _ev,
    _leaves,
    _rand_like,
    _Slot,
)

H = 1e-6


def _rules(rec):
    yield "", rec.jvp, rec.vjp
    for name, pair in rec.variants.items():
        yield name, pair.get("jvp"), pair.get("vjp")


def test_marks_name_parameters_and_agree_between_modes() -> None:
    bad = []
    n = 0
    for rec in load_all():
        for variant, jr, vr in _rules(rec):
            for rule in (jr, vr):
                if rule is None or rule.fn is not None:
                    continue
                n += 1
                params = set(rule.sig.parameters)
                if not (rule.nondiff | rule.zero_in) <= params:
                    bad.append(f"{rec.name}: marks {sorted(rule.nondiff | rule.zero_in)}")
                if rule.nondiff & rule.zero_in or set(rule.terms) & (rule.nondiff | rule.zero_in):
                    bad.append(f"{rec.name}: a parameter declared twice")
            if jr is None or vr is None or jr.fn is not None or vr.fn is not None:
                continue
            if (jr.nondiff, jr.zero_in) != (vr.nondiff, vr.zero_in):
                bad.append(
                    f"{rec.name}{variant and ':' + variant}: jvp nondiff {sorted(jr.nondiff)} "
                    f"zero_in {sorted(jr.zero_in)}, vjp {sorted(vr.nondiff)} {sorted(vr.zero_in)}"
                )
    assert n > 1000
    assert not bad, "\n".join(bad)


def _floats(v) -> bool:
    if isinstance(v, (list, tuple)):
        return bool(v) and all(_floats(e) for e in v)
    return type(v) is float or (isinstance(v, np.ndarray) and v.dtype.kind == "f" and v.size > 0)


def _shifted(v, t, h):
    if isinstance(v, (list, tuple)):
        items = [_shifted(a, b, h) for a, b in zip(v, t)]
        return type(v)(*items) if hasattr(v, "_fields") else type(v)(items)
    return v + h * t


def _zero_in_slots(case):
    """(run, [(parameter, operand key)]) for the `zero_in` parameters `case` binds to floats."""
    run = CaseRun(case)
    ns = BASE_NS | case.args
    out = []
    for p in sorted(run.jrule.zero_in):
        slot = run.slots.get(p)
        if isinstance(slot, _Slot) and _floats(_ev(run.node(slot), ns)):
            out.append((p, slot.key))
    return run, out


def _sampled_cases():
    out = []
    for case in CASES:
        if canonical(case.prim) in _NO_ZERO_IN:
            continue
        run, slots = _zero_in_slots(case)
        for p, key in slots:
            out.append(pytest.param(case, p, key, id=f"{case.id}:{p}"))
    return out


_NO_ZERO_IN = {
    rec.name for rec in load_all() if not any(r and r.zero_in for _, *rs in _rules(rec) for r in rs)
}
SAMPLED = _sampled_cases()


@pytest.mark.parametrize("case, param, key", SAMPLED)
def test_zero_in_has_zero_derivative(case, param, key) -> None:
    run = CaseRun(case)
    ns = BASE_NS | case.args
    pos, kw = run.operands(ns)
    v = pos[key] if isinstance(key, int) else kw[key]
    t = _rand_like(v, np.random.default_rng(1))
    if isinstance(v, list):
        t = list(t)

    def at(h):
        p2, k2 = _copies(pos), dict(kw)
        if isinstance(key, int):
            p2[key] = _shifted(v, t, h)
        else:
            k2[key] = _shifted(v, t, h)
        return _leaves(run.call.fn(*p2, **k2))

    scale = 1.0 + np.max(np.abs(at(0.0)), initial=0.0)
    step = at(H) - at(-H)
    # a jump (``np.heaviside`` at 0: no derivative there) keeps its size at a smaller step
    jump = np.isclose(step, at(H / 10) - at(-H / 10), rtol=1e-6, atol=0.0) & (step != 0)
    fd = np.where(jump, 0.0, step / (2 * H))
    np.testing.assert_allclose(fd, 0.0, atol=1e-6 * scale, err_msg=f"d/d{param} of {case.id}")


# (primitive, parameter) declared zero_in that no rule case binds to a float operand, and why
_MASK = "a boolean mask: NumPy refuses a float one (where=: no 'safe' cast to bool)"
_DICT = "a dict: the helper reads its keys and its values' shapes, not their values"
UNSAMPLED: dict[tuple[str, str], str] = {
    **{
        (f"{ns}.{name}", "where"): _MASK
        for ns in ("numpy", "method")
        for name in ("max", "min", "mean", "prod", "std", "sum", "var")
    },  # fmt: skip
    **{(f"numpy.{name}", "where"): _MASK for name in ("amax", "amin", "nanmax", "nanmin")},
    **{
        (f"srcad.runtime.{name}", "where"): _MASK
        for name in (
            "mean_vjp",
            "sum_vjp",
            "put_write",
            "put_write_vjp",
            "nanmean_vjp",
            "nan_unless",
            "hypot_reduce",
        )
    },  # fmt: skip
    ("numpy.select", "condlist"): "NumPy requires boolean conditions",
    ("srcad.runtime.select_vjp", "condlist"): "np.select's boolean conditions",
    ("srcad.runtime.check", "ok"): "a boolean flag (array): the check passes or raises",
    ("srcad.runtime.bincount_vjp", "x"): "integer bin indices",
    **{
        (f"srcad.runtime.{name}", "obj"): "np.insert's integer positions"
        for name in ("insert_values", "insert_vjp_arr", "insert_vjp_values")
    },  # fmt: skip
    ("srcad.runtime.choose_vjp", "a"): "integer choice indices",
    **{
        (f"srcad.runtime.histogram_{m}", "res"): "np.histogram's (int counts, edges): shapes only"
        for m in ("jvp", "vjp")
    },
    **{
        (f"srcad.runtime.{name}", "reds"): "the reductions' constant (axis, keepdims) pairs"
        for name in ("root_adj_check", "root_adj_back")
    },
    **{
        (f"srcad.runtime.{name}", "keep"): "the entries np.std counts: a boolean mask or None"
        for name in ("std_d2_check", "std_adj_check", "std_adj_back")
    },
    ("srcad.runtime.imag_vjp", "x"): "complex (a real x gives 0): read for its dtype only",
    ("srcad.runtime.fftn_apply", "like"): "read for its dtype and shape (the cases: complex)",
    ("srcad.runtime.iter_sum_vjp", "start"): "read for its type (list/tuple or number)",
    ("srcad.runtime.dict_entry_vjp", "t"): _DICT,
    **{
        (f"srcad.runtime.{name}", p): _DICT
        for name, ps in (
            ("dict_get_default_vjp", "x"),
            ("dict_get_jvp", "x"),
            ("dict_get_vjp", "x"),
            ("dict_items_vjp", "d"),
            ("dict_of_jvp", "src"),
            ("dict_of_vjp", "src"),
            ("dict_values_vjp", "d"),
            ("dict_or_jvp", "a b res"),
            ("dict_or_vjp", "a b res"),
            ("dict_or_vjp_t", "a b res"),
        )
        for p in ps.split()
    },  # fmt: skip
}


def test_every_zero_in_parameter_is_sampled_or_listed() -> None:
    sampled = {(canonical(p.values[0].prim), p.values[1]) for p in SAMPLED}
    missing = []
    for rec in load_all():
        rule = rec.jvp
        if rule is None or rule.fn is not None:
            continue
        for p in sorted(rule.zero_in):
            if (rec.name, p) not in sampled and (rec.name, p) not in UNSAMPLED:
                missing.append(f"({rec.name!r}, {p!r})")
    print(f"\n{len(sampled)} zero_in parameters sampled, {len(UNSAMPLED)} listed")
    assert not missing, "no float case for:\n" + "\n".join(missing)
