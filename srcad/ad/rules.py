"""Derivative rule tables: one `RuleTable` per mode, filled by small `def*` calls side by side.

Input: rule definitions written as Python *expression templates*. Output: `Rule` records the JVP/VJP
transforms look up by primitive name and expand into IR (the templates are lowered by the same
frontend as user code, so generated code is plain NumPy).

Names a template may use:

- the primitive's parameters, as named by the rule's signature (``"x, axis=None, keepdims=False"``);
  arguments the call left out are bound to their defaults;
- ``ans``: the primitive's result;
- JVP: ``d<param>``: the tangent of that parameter (``dx``);
- VJP: ``g``: the cotangent of the result;
- modules ``np``, ``math`` and the runtime helpers ``_srcad`` (``srcad.runtime``).

Example::

    jvp = RuleTable("jvp")
    jvp.defjvp("numpy.sin", "x", x="dx * np.cos(x)")          # one term per argument, summed
    jvp.defjvp("mul", "x, y", x="dx * y", y="x * dy")
    vjp = RuleTable("vjp")
    vjp.defvjp("numpy.sin", "x", x="g * np.cos(x)")
    vjp.defvjp("mul", "x, y", x="_srcad.unbroadcast(g * y, x)", y="_srcad.unbroadcast(g * x, y)")
    jvp.defzero("numpy.floor", "x"); vjp.defzero("numpy.floor", "x")

A JVP term is computed only for active arguments; a VJP term is computed only for active arguments.
Arguments listed in `nondiff` (axis, shape, dtype, ...) never carry a derivative. An active argument with
neither a term nor a `nondiff` mark is a `DiffError` at transform time.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rule:
    """The derivative of one primitive in one mode."""

    prim: str
    sig: inspect.Signature
    # Per-argument templates (JVP: tangent contribution; VJP: cotangent of that argument).
    terms: dict[str, str] = field(default_factory=dict)
    # JVP only: one template for the whole tangent; tangents of inactive args are instantiated zeros.
    joint: str | None = None
    nondiff: frozenset[str] = frozenset()
    # True when the output's derivative is zero whatever the inputs (comparisons, floor, argmax, ...).
    zero: bool = False
    # True when the primitive is linear in its differentiable args (JVP = the same call on tangents).
    linear: bool = False
    # JVP only, with `joint`: a template to use instead when only that one argument is active
    # (so `x + c` does not instantiate a zero tangent for `c`).
    single: dict[str, str] = field(default_factory=dict)

    def bind(self, args: list, kwargs: dict) -> dict[str, object]:
        """Map the call's operands to parameter names, defaults filled in (as Python values)."""
        try:
            bound = self.sig.bind(*args, **kwargs)
        except TypeError as e:
            raise TypeError(f"{self.prim}: {e}") from None
        bound.apply_defaults()
        return dict(bound.arguments)

    @property
    def diff_params(self) -> list[str]:
        return [p for p in self.sig.parameters if p not in self.nondiff]


def parse_signature(prim: str, sig: str) -> inspect.Signature:
    """``"x, axis=None, *, keepdims=False"`` -> `inspect.Signature` (defaults must be literals)."""
    scope: dict = {}
    exec(compile(f"def _sig({sig}): pass", f"<rule {prim}>", "exec"), {}, scope)
    return inspect.signature(scope["_sig"])


class RuleTable:
    """Derivative rules of one mode (``"jvp"`` or ``"vjp"``), keyed by canonical primitive name."""

    def __init__(self, mode: str, canonical: Callable[[str], str] | None = None) -> None:
        assert mode in ("jvp", "vjp")
        self.mode = mode
        self._rules: dict[str, Rule] = {}
        self._canonical = canonical or (lambda name: name)

    # -- definition helpers -------------------------------------------------------------------
    def _add(self, rule: Rule) -> None:
        name = self._canonical(rule.prim)
        if name != rule.prim:
            rule = Rule(
                name,
                rule.sig,
                rule.terms,
                rule.joint,
                rule.nondiff,
                rule.zero,
                rule.linear,
                rule.single,
            )
        if name in self._rules:
            raise ValueError(f"{self.mode} rule for {name!r} defined twice")
        reserved = {"ans", "g"} & set(rule.sig.parameters)
        if reserved:  # templates use these names for the result and its cotangent
            raise ValueError(f"{name}: parameter names {sorted(reserved)} are reserved")
        unknown = (set(rule.terms) | set(rule.nondiff)) - set(rule.sig.parameters)
        if unknown:
            raise ValueError(f"{name}: templates for unknown parameters {sorted(unknown)}")
        self._rules[name] = rule

    def defjvp(self, prim: str, sig: str, *, nondiff: tuple[str, ...] = (), **terms: str) -> None:
        """JVP rule with one tangent term per differentiable argument; active terms are summed."""
        assert self.mode == "jvp"
        self._add(Rule(prim, parse_signature(prim, sig), dict(terms), None, frozenset(nondiff)))

    def defjvp_joint(
        self,
        prim: str,
        sig: str,
        template: str,
        *,
        nondiff: tuple = (),
        single: dict[str, str] | None = None,
    ) -> None:
        """JVP rule written as one template over all tangents (``d<param>``); `single` gives
        templates for when only one argument is active."""
        assert self.mode == "jvp"
        sig_ = parse_signature(prim, sig)
        self._add(Rule(prim, sig_, {}, template, frozenset(nondiff), single=dict(single or {})))

    def defvjp(self, prim: str, sig: str, *, nondiff: tuple[str, ...] = (), **terms: str) -> None:
        """VJP rule: for each differentiable argument, its cotangent given ``g``."""
        assert self.mode == "vjp"
        self._add(Rule(prim, parse_signature(prim, sig), dict(terms), None, frozenset(nondiff)))

    def deflinear(
        self, prim: str, sig: str, *, nondiff: tuple[str, ...] = (), **transposes: str
    ) -> None:
        """A primitive linear in its (single) differentiable argument.

        JVP: the same call with the argument replaced by its tangent (no template needed).
        VJP: `transposes` gives the cotangent template per argument.
        """
        signature = parse_signature(prim, sig)
        if self.mode == "jvp":
            assert not transposes, "deflinear in a jvp table takes no templates"
            self._add(Rule(prim, signature, {}, None, frozenset(nondiff), linear=True))
        else:
            self._add(
                Rule(prim, signature, dict(transposes), None, frozenset(nondiff), linear=True)
            )

    def defzero(self, prim: str, sig: str = "*args, **kwargs") -> None:
        """The output's derivative is zero (comparisons, floor, argmax, shape, len, ...)."""
        self._add(Rule(prim, parse_signature(prim, sig), zero=True))

    # -- lookup --------------------------------------------------------------------------------
    def get(self, prim: str) -> Rule | None:
        return self._rules.get(prim)

    def __contains__(self, prim: str) -> bool:
        return prim in self._rules

    def __iter__(self) -> Iterator[Rule]:
        return iter(sorted(self._rules.values(), key=lambda r: r.prim))

    def __len__(self) -> int:
        return len(self._rules)

    def names(self) -> list[str]:
        return sorted(self._rules)
