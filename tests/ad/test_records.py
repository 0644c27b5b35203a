"""Every primitive the lowering or a rule can emit has a record in the primitive registry.

The registry (`srcad.rules.default_registry`) is where passes and transforms learn what a
primitive does (facts) and how to differentiate it (rules); a primitive without a record would be
treated by each pass's default, which is how facts used to drift apart. Checked three ways:

- statically: the primitives the lowering emits for Python syntax (operators, structural ones);
- through every rule template: the IR a template expands to;
- through the build: every op of every function the driver generates for the corpus (primal,
  JVP and reverse mode), after the last IR stage.

Library callables (``numpy.*``, ``math.*``, ``method.*``, ``attr.*``) need no record of their own
unless they have rules: their family's default facts apply. A runtime helper (`srcad.runtime.*`)
in generated code always has one, with rules in both modes or the reason it has none.
"""

from __future__ import annotations

import pytest

from srcad.ad.template import expand
from srcad.backend.driver import Mode, Request, build, spec_of
from srcad.errors import SrcadError
from srcad.frontend.source import unwrap
from srcad.rules import default_registry, default_tables
from srcad.ssa.core import Block, Var, walk_ops
from srcad.ssa.prims import BINOPS, CMPOPS, STRUCTURAL, UNARYOPS
from tests.corpus import ALL_CASES

REG = default_registry()
JVP, VJP = default_tables()
LIBRARY = ("numpy.", "math.", "cmath.", "scipy.", "method.", "attr.")
RUNTIME = "srcad.runtime."


def _missing(prims: set[str]) -> list[str]:
    """The primitives among `prims` that lack what the registry must say about them."""
    out = []
    for p in sorted(prims):
        if p.startswith(RUNTIME):
            rec = REG.lookup(p)
            if rec is None or rec.impl is None:
                out.append(f"{p}: no record with its implementation")
            elif not rec.no_rules and (rec.jvp is None or rec.vjp is None):
                out.append(f"{p}: a helper with neither both rules nor a no_rules reason")
        elif not REG.declared(p) and not p.startswith(LIBRARY):
            out.append(f"{p}: no record")
    return out


def test_syntax_primitives_have_records() -> None:
    names = {*STRUCTURAL, *BINOPS.values(), *UNARYOPS.values(), *CMPOPS.values()}
    assert _missing(names) == []
    assert all(REG.declared(n) for n in names)
    for name in ("tuple", "list", "dict", "getitem", "setitem", "list_append"):
        rec = REG.get(name)
        assert rec.jvp is not None and rec.jvp.fn is not None, name
        assert rec.vjp is not None and rec.vjp.fn is not None, name
    for name in (*BINOPS.values(), *UNARYOPS.values(), *CMPOPS.values()):
        assert JVP.get(name) is not None and VJP.get(name) is not None, name


def test_every_helper_is_a_record_with_its_implementation() -> None:
    import srcad.runtime as runtime

    for name in runtime.__all__:
        rec = REG.lookup(RUNTIME + name)
        assert rec is not None and rec.impl is getattr(runtime, name), name


def _template_prims() -> set[str]:
    prims: set[str] = set()
    for table in (JVP, VJP):
        for rule in table:
            params = list(rule.sig.parameters)
            names = {p: Var(p) for p in params} | {"ans": Var("ans"), "g": Var("g")}
            names |= {f"d{p}": Var(f"d{p}") for p in params}
            templates = list(rule.terms.values()) + list(rule.single.values())
            templates += [rule.joint] if rule.joint else []
            for template in templates:
                block = Block()
                expand(template, names, block, None)
                prims.update(op.prim for op in walk_ops(block))
    return prims


def test_every_primitive_a_rule_template_emits_has_a_record() -> None:
    prims = _template_prims()
    assert len(prims) > 100
    assert _missing(prims) == []


def _corpus_requests() -> list:
    out = []
    for case in ALL_CASES:
        if "primal" in case.xfail:
            continue
        pyfunc = unwrap(case.fn)
        spec = spec_of(case.args)
        # the derivatives' code holds every primitive the primal's does, where they are built
        if not case.diff or {"fwd", "rev"} & set(case.xfail):
            out.append(
                pytest.param(Request(pyfunc, Mode.PRIMAL, (), spec), id=f"{case.name}-primal")
            )
        if case.diff:
            for mode in (Mode.JVP, Mode.VJP):
                req = Request(pyfunc, mode, tuple(case.diff), spec)
                out.append(pytest.param(req, id=f"{case.name}-{mode.value}"))
    return out


@pytest.mark.parametrize("request_", _corpus_requests())
def test_every_primitive_in_generated_code_has_a_record(request_: Request) -> None:
    try:
        b = build(request_, stop_after="inplace")
    except SrcadError:
        return  # refused: nothing is emitted
    prims = {op.prim for fn in b.fns for op in walk_ops(fn.body)}
    assert _missing(prims) == []
