"""Every runtime helper generated code may call has JVP and VJP rules of its own (so that generated
code can be differentiated again), or is declared in `srcad.rules.helpers.NO_RULES` with a reason.

Input: `srcad.runtime`, the default rule tables and every rule template. Output: failures naming
the helpers without rules (or with a stale declaration).
"""

from __future__ import annotations

import ast

import numpy as np
import pytest

import srcad
import srcad.runtime as _srcad
import srcad.runtime as runtime
from srcad.rules import default_registry, default_tables
from srcad.rules.helpers import HELPERS, NO_RULES, RUNTIME

JVP, VJP = default_tables()


def _template_helpers() -> set[str]:
    """Names ``X`` of every ``_srcad.X`` a rule template uses."""
    out = set()
    for table in (JVP, VJP):
        for rule in table:
            templates = [*rule.terms.values(), *rule.single.values()]
            templates += [rule.joint] if rule.joint else []
            for template in templates:
                for node in ast.walk(ast.parse(template, mode="eval")):
                    if (
                        isinstance(node, ast.Attribute)
                        and getattr(node.value, "id", "") == "_srcad"
                    ):
                        out.add(node.attr)
    return out


def test_runtime_is_the_helper_registry() -> None:
    exported = {n for n in dir(runtime) if callable(getattr(runtime, n)) and not n.startswith("_")}
    exported -= {"annotations"}
    assert exported == set(HELPERS)
    for name, fn in HELPERS.items():
        assert fn.__module__ == RUNTIME, name
        assert getattr(runtime, name) is fn


def test_templates_use_only_helpers() -> None:
    assert _template_helpers() <= set(HELPERS)


def test_every_helper_has_rules_or_a_reason() -> None:
    missing = []
    for name in sorted(set(HELPERS) | _template_helpers()):
        prim = f"{RUNTIME}.{name}"
        has = prim in JVP and prim in VJP
        if has == (prim in NO_RULES):
            missing.append(name)
    assert not missing, (
        f"runtime helpers with neither rules in both tables nor a NO_RULES reason, or with "
        f"both: {missing}"
    )


def test_reasons_are_one_line() -> None:
    for prim, reason in NO_RULES.items():
        assert prim.startswith(RUNTIME + ".") and prim[len(RUNTIME) + 1 :] in HELPERS, prim
        assert reason.strip() and "\n" not in reason, prim


def _uses_prod_others(x):
    return _srcad.prod_others(x, None).sum()


@pytest.mark.parametrize("mode", ["grad", "jvp"])
def test_a_helper_without_rules_is_refused(mode: str, monkeypatch) -> None:
    # Every helper has rules now: this test takes prod_others's away (as a NO_RULES declaration
    # would) and checks the refusal quotes the reason.
    rec = default_registry().lookup("srcad.runtime.prod_others")
    monkeypatch.setattr(rec, "jvp", None)
    monkeypatch.setattr(rec, "vjp", None)
    monkeypatch.setattr(rec, "no_rules", "the reason it has none")
    srcad.cache_clear()
    x = np.array([1.0, 2.0, 3.0])
    with pytest.raises(
        srcad.SrcadError, match="no derivative rule for `srcad.runtime.prod_others`"
    ):
        if mode == "grad":
            srcad.grad(_uses_prod_others)(x)
        else:
            srcad.jvp(_uses_prod_others, (x,), (np.ones(3),))


G = np.array([[1.0, -2.0, 0.5, 0.0], [0.5, 3.0, -1.0, 2.0], [2.0, 1.0, 0.0, -0.5]])
H = np.array([[1.0, 0.5], [-1.0, 2.0], [0.0, 1.5], [2.0, -0.5]])
Y, Z = np.zeros((2, 4)), np.zeros((4, 3))  # only their shapes matter


def _second_order(x):
    # pullbacks of `x @ y` as generated code writes them, differentiated again
    return np.sum(_srcad.matmul_vjp(G, x, Y, 1) ** 2) + np.sum(_srcad.matmul_vjp(H, Z, x, 0))


def test_derivative_code_differentiated_again() -> None:
    x = np.array([[1.0, 2.0], [-1.0, 0.5], [0.25, 3.0]])
    # f = |x.T @ G|^2 + sum(H @ x.T): df/dx = 2 G (x.T G).T + (column sums of H in every row)
    want = 2.0 * G @ (x.T @ G).T + np.ones((3, 1)) * H.sum(axis=0)
    np.testing.assert_allclose(want, [[24.5, 18.5], [-37.0, 11.75], [-1.375, 38.0]], rtol=1e-12)
    np.testing.assert_allclose(srcad.grad(_second_order)(x), want, rtol=1e-12)
    _, dout = srcad.jvp(_second_order, (x,), (np.ones_like(x),))
    np.testing.assert_allclose(dout, np.sum(want), rtol=1e-12)
    h = 1e-6
    fd = np.array([(_second_order(x + h * e) - _second_order(x - h * e)) / (2 * h)
                   for e in np.eye(6).reshape(6, 3, 2)]).reshape(3, 2)  # fmt: skip
    np.testing.assert_allclose(fd, want, rtol=1e-6)
