"""`Rule.bind` (srcad/ad/rules.py) maps a call's operands to the rule's parameter names without
`inspect.Signature.bind` for plain signatures (it cost about a tenth of a reverse sweep). The
result must be what `inspect` gives, defaults included and by identity (``dx=1`` and ``dx=1.0``
are equal signatures with different defaults), and every call it does not handle goes to
`inspect`, which raises the same errors as before."""

from __future__ import annotations

import gc
import inspect
import itertools

import numpy as np
import pytest

import srcad
from srcad.ad.rules import Rule, parse_signature
from srcad.rules import default_registry
from srcad.testing import check_grads


def _inspect_bind(rule: Rule, args: list, kwargs: dict) -> dict:
    bound = rule.sig.bind(*args, **kwargs)
    bound.apply_defaults()
    return dict(bound.arguments)


def _all_rules() -> list[Rule]:
    list(default_registry())  # (records are made when read: iterating makes them all)
    return [o for o in gc.get_objects() if isinstance(o, Rule)]


def test_every_rule_binds_as_inspect_does() -> None:
    checked = 0
    for rule in _all_rules():
        params = list(rule.sig.parameters.values())
        for k in range(len(params) + 1):
            rest = [p.name for p in params[k:]]
            for kws in itertools.chain.from_iterable(
                itertools.combinations(rest, m) for m in range(min(len(rest), 2) + 1)
            ):
                args, kwargs = [object() for _ in range(k)], {n: object() for n in kws}
                try:
                    want = _inspect_bind(rule, args, kwargs)
                except TypeError:
                    with pytest.raises(TypeError, match=rule.prim):
                        rule.bind(args, kwargs)
                    continue
                got = rule.bind(args, kwargs)
                assert list(got) == list(want), rule.prim
                # by identity (`*args` and `**kwargs` are new containers of the same objects)
                assert all(
                    got[n] is want[n] or (type(got[n]) in (tuple, dict) and got[n] == want[n])
                    for n in got
                ), rule.prim
                checked += 1
    assert checked > 1000


def test_equal_signatures_keep_their_own_defaults() -> None:
    a = Rule("a", parse_signature("a", "y, dx=1"))
    b = Rule("b", parse_signature("b", "y, dx=1.0"))
    assert a.sig == b.sig  # inspect compares defaults with ==
    assert type(a.bind([0.0], {})["dx"]) is int
    assert type(b.bind([0.0], {})["dx"]) is float
    with pytest.raises(TypeError, match="b: missing a required argument"):
        b.bind([], {})
    with pytest.raises(TypeError, match="multiple values"):
        b.bind([0.0], {"y": 1.0})
    with pytest.raises(TypeError, match="unexpected keyword"):
        b.bind([0.0], {"q": 1.0})
    pos = Rule("p", inspect.Signature([inspect.Parameter("x", inspect.Parameter.POSITIONAL_ONLY)]))
    assert pos.bind([1.0], {}) == {"x": 1.0}


def trap(y):
    return np.trapezoid(y * y) + np.trapezoid(y, dx=0.5)


def test_gradient_with_defaulted_arguments_numbers() -> None:
    y = np.array([0.5, -1.0, 2.0, 0.25])
    w = np.array([0.5, 1.0, 1.0, 0.5])
    assert trap(y) == pytest.approx(np.sum(w * y * y) + 0.5 * np.sum(w * y), rel=1e-15)
    np.testing.assert_allclose(srcad.grad(trap)(y), 2.0 * w * y + 0.5 * w, rtol=1e-15)
    check_grads(trap, (y,))
