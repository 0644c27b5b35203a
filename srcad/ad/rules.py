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
A parameter without a term is one of two kinds, declared per rule:

- ``nondiff=("axis", ...)``: no derivative is defined (axis, shape, dtype, flags, and float
  parameters whose term nobody wrote). Such an argument is expected to be constant. One that
  depends on the differentiated inputs (is *varied*) gets a run-time check: an integer, flag or
  string carries no derivative and passes (the activity analysis cannot tell an axis read from
  a tuple that also holds floats), a float is refused (`DiffError`, at its line). A varied
  argument with no term and no mark at all is refused at transform time;
- ``zero_in=("y",)``: the derivative with respect to it is zero wherever it is defined
  (piecewise-constant dependence: ``math.copysign``'s sign source, ``np.where``'s condition; a
  helper's argument read only for its shape or indices). A varied one is dropped.

`Rule.active` is the one place JVP and VJP (term, joint and linear rules alike) make that decision.

Both tables are views of one `Registry` of `Primitive` records: a primitive's JVP rule, VJP rule
and its facts (pure, makes a new object, updates an operand in place, returns a container,
elementwise, ...) sit in one record, which every pass and transform asks
(``registry.get("numpy.zeros").mutable``). The facts are declared in `srcad.rules.facts`.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from srcad.ad.signatures import bind as _bind
from srcad.ad.signatures import parse_signature


@dataclass(frozen=True)
class Rule:
    """The derivative of one primitive in one mode."""

    prim: str
    sig: inspect.Signature
    # Per-argument templates (JVP: tangent contribution; VJP: cotangent of that argument).
    terms: dict[str, str] = field(default_factory=dict)
    # JVP only: one template for the whole tangent; tangents of inactive args are instantiated zeros.
    joint: str | None = None
    # no derivative defined: refused when varied (`active`)
    nondiff: frozenset[str] = frozenset()
    # the derivative with respect to these is zero where defined: dropped when varied
    zero_in: frozenset[str] = frozenset()
    # True when the output's derivative is zero whatever the inputs (comparisons, floor, argmax, ...).
    zero: bool = False
    # True when the primitive is linear in its differentiable args (JVP = the same call on tangents).
    linear: bool = False
    # JVP only, with `joint`: a template to use instead when only that one argument is active
    # (so `x + c` does not instantiate a zero tangent for `c`).
    single: dict[str, str] = field(default_factory=dict)
    # A rule written as a Python function over the transform instead of templates (structural
    # primitives, srcad.ad.structural): JVP ``fn(tr, op, b) -> tangent``, VJP ``fn(tr, op, g,
    # adj, b)`` adding the operands' cotangents.
    fn: Callable | None = None

    def bind(self, args: list, kwargs: dict) -> dict[str, object]:
        """Map the call's operands to parameter names, defaults filled in (as Python values)."""
        fast = _bind(self.sig, args, kwargs)
        if fast is not None:
            return fast
        try:
            bound = self.sig.bind(*args, **kwargs)
        except TypeError as e:
            raise TypeError(f"{self.prim}: {e}") from None
        bound.apply_defaults()
        return dict(bound.arguments)

    @property
    def diff_params(self) -> list[str]:
        """The parameters a varied argument of makes the result varied: all but `zero_in` (a
        varied `nondiff` one is refused by the transform, which therefore has to see it)."""
        return [p for p in self.sig.parameters if p not in self.zero_in]

    def has_term(self, k: str) -> bool:
        """A template covers parameter `k` (its own term, the joint template, or the same call
        on the tangent for a linear JVP rule)."""
        return k in self.terms or self.joint is not None or (self.linear and not self.terms)

    def active(
        self, bound: dict, varied: Callable[[object], bool]
    ) -> tuple[list[str], list[str], str | None]:
        """For the parameters whose argument `varied` says depends on the differentiated
        inputs, in signature order: those with a term; the `nondiff` ones (to check at run time:
        an int, flag or string carries no derivative, a float is refused); the first one with
        neither a term nor a mark (to refuse), else None. `zero_in` ones are skipped."""
        out, guarded = [], []
        plan = self.__dict__.get("_plan")
        if plan is None:  # per rule, once: (name, 0 nondiff / 1 no term / 2 a term), no zero_in
            plan = tuple(
                (k, 0 if k in self.nondiff else 2 if self.has_term(k) else 1)
                for k in self.sig.parameters
                if k not in self.zero_in
            )
            object.__setattr__(self, "_plan", plan)  # (frozen: not a field, not compared)
        for k, how in plan:
            if k not in bound or not varied(bound[k]):
                continue
            if how == 2:
                out.append(k)
            elif how == 0:
                guarded.append(k)
            else:
                return out, guarded, k
        return out, guarded, None


@dataclass
class Primitive:
    """Everything srcad knows about one primitive: its rules and the facts passes rely on.

    Facts (all False unless declared; `srcad.rules.facts` declares them, by name or by pattern):

    - `pure`: no effect besides its result (DCE drops it when the result is unused);
    - `new`: the result is a new object, never an operand or a view of one;
    - `owns`: the result shares no memory with the operands, elements included;
    - `mutable`: the result is a new object that code may later update in place (lists, dicts,
      ``np.zeros``): CSE never merges two, and a loop may own and update it in place;
    - `updates`: updates its first operand in place (reverse-mode accumulators);
    - `immutable`: the result is a number, flag, string, range or slice;
    - `copies`: a new container holding its argument's elements (``list(x)``);
    - `container`: returns a tuple or list (for some arguments);
    - `elementwise`: computed position by position, operands broadcast;
    - `merge`: CSE may merge two equal calls (default: pure, not mutable, updates nothing);
    - `complex_safe`: its rules hold for complex operands too (JAX's convention: holomorphic
      steps keep their real rule; docs/architecture.md, "Complex values in between"); a
      differentiated op of any other primitive with a possibly complex operand is refused
      (`srcad.passes.complex_taint`);
    - `complex_result`: may return complex values for real operands (``np.fft.fft``); with
      `varied_real` only where no operand is varied (``np.linalg.eig``: differentiated, it
      refuses complex eigenvalues when it runs);
    - `real_result`: returns real values for complex operands (``np.abs``, ``.real``);
    - `raises`: may raise for some operands of the types it takes (``1 / 0``, ``math.log(-1.0)``,
      ``[1.0][5]``, ``int("a")``): an unused one the program wrote is kept (passes/raising.py).
    """

    name: str
    jvp: Rule | None = None
    vjp: Rule | None = None
    # rule variants for special operand types: {"scalar": {"jvp": Rule, "vjp": Rule}, ...}
    variants: dict[str, dict[str, Rule]] = field(default_factory=dict)
    impl: Callable | None = None  # the Python function of a runtime helper
    no_rules: str | None = None  # why a runtime helper has no derivative rules (refused)
    pure: bool = False
    new: bool = False
    owns: bool = False
    mutable: bool = False
    updates: bool = False
    immutable: bool = False
    copies: bool = False
    container: bool = False
    elementwise: bool = False
    merge: bool | None = None
    complex_safe: bool = False
    complex_result: bool = False
    varied_real: bool = False
    real_result: bool = False
    raises: bool = False

    @property
    def mergeable(self) -> bool:
        if self.merge is not None:
            return self.merge
        return self.pure and not self.mutable and not self.updates


FACTS = ("pure", "new", "owns", "mutable", "updates", "immutable", "copies", "container",
         "elementwise", "merge", "complex_safe", "complex_result", "varied_real",
         "real_result", "raises")  # fmt: skip


class Registry:
    """The primitive records, keyed by canonical name. `default` gives the facts of a primitive
    nothing declared by name (``numpy.*`` functions are pure, ...).

    A record is made when it is first read: the definitions and declarations of a name are kept
    until then (`amend`), so that a process pays for the few records its programs use, not for
    the ~2500 the families declare (the first transform of a process built them all: a third
    of its time). Reading a record, or iterating, applies them in the order they were made."""

    def __init__(
        self,
        canonical: Callable[[str], str] | None = None,
        default: Callable[[str], dict[str, bool]] | None = None,
    ) -> None:
        self._records: dict[str, Primitive] = {}
        self._implicit: dict[str, Primitive] = {}
        # canonical name -> what the definitions and declarations so far do to its record
        self._pending: dict[str, list[Callable[[Primitive], None]]] = {}
        self._defined: set[tuple[str, str, str | None]] = set()  # (name, mode, variant)
        self._zero: list[str] = []  # names given a zero JVP rule (`zero_rules`)
        self._lock = threading.Lock()
        self.canonical = canonical or (lambda name: name)
        self._default = default or (lambda name: {})

    def _made(self, name: str, create: bool = False) -> Primitive | None:
        """The record of the canonical `name`, made now if it is pending (or `create`), else None."""
        with self._lock:
            rec = self._records.get(name)
            if rec is not None:
                return rec
            actions = self._pending.get(name)
            if actions is None and not create:
                return None
            rec = Primitive(name, **self._default(name))
            for action in actions or ():
                action(rec)
            self._records[name] = rec  # (before it leaves `_pending`: `get`, `lookup` read both)
            self._pending.pop(name, None)
            self._implicit.pop(name, None)
            return rec

    def amend(self, name: str, action: Callable[[Primitive], None]) -> None:
        """Apply `action` to the record of `name` (which it declares): now if the record has been
        made, else when it is."""
        name = self.canonical(name)
        with self._lock:
            rec = self._records.get(name)
            if rec is None:
                self._pending.setdefault(name, []).append(action)
                return
        action(rec)

    def define(self, name: str, mode: str, variant: str | None, action, zero: bool = False) -> None:
        """`amend` for a rule definition (`RuleTable`): a second rule of the same mode and variant
        for `name` is an error. `zero`: a zero JVP rule (`zero_rules`)."""
        key = (name, mode, variant)
        if key in self._defined:
            raise ValueError(f"{mode} rule for {name!r} defined twice")
        self._defined.add(key)
        if zero and mode == "jvp" and variant is None:
            self._zero.append(name)
        self.amend(name, action)

    def zero_rules(self) -> list[str]:
        """The names given a zero JVP rule so far (``defzero``), made or not."""
        return list(self._zero)

    def record(self, name: str) -> Primitive:
        """The record of `name`, created for a definition if there is none yet."""
        name = self.canonical(name)
        return self._records.get(name) or self._made(name, create=True)

    def declare(self, names: Iterable[str], **facts: bool) -> None:
        """Set `facts` on each primitive of `names` (a declaration overrides the default)."""
        unknown = set(facts) - set(FACTS)
        if unknown:
            raise ValueError(f"unknown facts {sorted(unknown)}")
        items = tuple(facts.items())

        def action(rec: Primitive) -> None:
            for k, v in items:
                setattr(rec, k, v)

        for name in names:
            self.amend(name, action)

    def get(self, name: str) -> Primitive:
        """The record of `name`; a primitive nothing declared gets its default facts, no rules."""
        rec = self._records.get(name)
        if rec is not None:
            return rec
        if name in self._pending:
            rec = self._made(name)
            if rec is not None:
                return rec
        rec = self._records.get(name)  # made by another thread since the first read
        if rec is not None:
            return rec
        rec = self._implicit.get(name)
        if rec is None:
            rec = self._implicit[name] = Primitive(name, **self._default(name))
        return rec

    def declared(self, name: str) -> bool:
        return name in self._records or name in self._pending

    def lookup(self, name: str) -> Primitive | None:
        """The declared record of `name`, or None."""
        rec = self._records.get(name)
        if rec is None and name in self._pending:
            rec = self._made(name)
        return rec if rec is not None else self._records.get(name)  # (made meanwhile: `get`)

    def __iter__(self) -> Iterator[Primitive]:
        for name in list(self._pending):
            self._made(name)
        return iter(sorted(self._records.values(), key=lambda r: r.name))

    def table(self, mode: str, variant: str | None = None) -> RuleTable:
        """The rules of one mode (and one variant, e.g. ``"scalar"``) as a `RuleTable` view."""
        return RuleTable(mode, self.canonical, registry=self, variant=variant)


class RuleTable:
    """Derivative rules of one mode (``"jvp"`` or ``"vjp"``), keyed by canonical primitive name:
    a view of the rules stored in a `Registry`'s records (its own registry if none is given)."""

    def __init__(
        self,
        mode: str,
        canonical: Callable[[str], str] | None = None,
        *,
        registry: Registry | None = None,
        variant: str | None = None,
    ) -> None:
        assert mode in ("jvp", "vjp")
        self.mode = mode
        self.registry = registry if registry is not None else Registry(canonical)
        self.variant = variant
        self._canonical = canonical or self.registry.canonical

    def _rule(self, rec: Primitive) -> Rule | None:
        if self.variant is None:
            return rec.jvp if self.mode == "jvp" else rec.vjp
        return rec.variants.get(self.variant, {}).get(self.mode)

    def _set(self, rec: Primitive, rule: Rule) -> None:
        if self.variant is None:
            setattr(rec, self.mode, rule)
        else:
            rec.variants.setdefault(self.variant, {})[self.mode] = rule

    @property
    def _rules(self) -> dict[str, Rule]:
        """The template rules (iteration, `names`, `len`); `get` also finds the function rules
        of the structural primitives, which programs test rather than the rule-case table."""
        out = {}
        for rec in self.registry:
            rule = self._rule(rec)
            if rule is not None and rule.fn is None:
                out[rec.name] = rule
        return out

    # -- definition helpers -------------------------------------------------------------------
    def _add(self, prim: str, sig: str, **fields) -> None:
        """Define the rule of `prim` (fields of `Rule`); it is made with its record (`Registry`)."""
        name = self._canonical(prim)
        action = functools.partial(self._install, name, sig, fields)
        self.registry.define(name, self.mode, self.variant, action, fields.get("zero", False))

    def _install(self, name: str, sig: str, fields: dict, rec: Primitive) -> None:
        rule = Rule(name, parse_signature(name, sig), **fields)
        if self._rule(rec) is not None:
            raise ValueError(f"{self.mode} rule for {name!r} defined twice")
        reserved = {"ans", "g"} & set(rule.sig.parameters)
        if reserved:  # templates use these names for the result and its cotangent
            raise ValueError(f"{name}: parameter names {sorted(reserved)} are reserved")
        unknown = (set(rule.terms) | rule.nondiff | rule.zero_in) - set(rule.sig.parameters)
        if unknown:
            raise ValueError(f"{name}: templates for unknown parameters {sorted(unknown)}")
        both = (set(rule.terms) | rule.nondiff) & rule.zero_in | set(rule.terms) & rule.nondiff
        if both:  # a term, nondiff and zero_in exclude each other
            raise ValueError(f"{name}: parameters {sorted(both)} declared twice")
        self._set(rec, rule)

    def defjvp(
        self, prim: str, sig: str, *, nondiff: tuple[str, ...] = (), zero_in: tuple[str, ...] = (),
        **terms: str,
    ) -> None:  # fmt: skip
        """JVP rule with one tangent term per differentiable argument; active terms are summed."""
        assert self.mode == "jvp"
        self._add(prim, sig, terms=terms, **_marks(nondiff, zero_in))

    def defjvp_joint(
        self,
        prim: str,
        sig: str,
        template: str,
        *,
        nondiff: tuple = (),
        zero_in: tuple = (),
        single: dict[str, str] | None = None,
    ) -> None:
        """JVP rule written as one template over all tangents (``d<param>``); `single` gives
        templates for when only one argument is active."""
        assert self.mode == "jvp"
        marks = _marks(nondiff, zero_in)
        self._add(prim, sig, joint=template, single=dict(single or {}), **marks)

    def defvjp(
        self, prim: str, sig: str, *, nondiff: tuple[str, ...] = (), zero_in: tuple[str, ...] = (),
        **terms: str,
    ) -> None:  # fmt: skip
        """VJP rule: for each differentiable argument, its cotangent given ``g``."""
        assert self.mode == "vjp"
        self._add(prim, sig, terms=terms, **_marks(nondiff, zero_in))

    def deflinear(
        self, prim: str, sig: str, *, nondiff: tuple[str, ...] = (), zero_in: tuple[str, ...] = (),
        **transposes: str,
    ) -> None:  # fmt: skip
        """A primitive linear in its (single) differentiable argument.

        JVP: the same call with the argument replaced by its tangent (no template needed).
        VJP: `transposes` gives the cotangent template per argument.
        """
        if self.mode == "jvp":
            assert not transposes, "deflinear in a jvp table takes no templates"
        self._add(prim, sig, terms=transposes, linear=True, **_marks(nondiff, zero_in))

    def defzero(self, prim: str, sig: str = "*args, **kwargs") -> None:
        """The output's derivative is zero (comparisons, floor, argmax, shape, len, ...)."""
        self._add(prim, sig, zero=True)

    # -- lookup --------------------------------------------------------------------------------
    def get(self, prim: str) -> Rule | None:
        rec = self.registry.lookup(prim)
        return None if rec is None else self._rule(rec)

    def __contains__(self, prim: str) -> bool:
        return self.get(prim) is not None

    def __iter__(self) -> Iterator[Rule]:
        return iter(sorted(self._rules.values(), key=lambda r: r.prim))

    def __len__(self) -> int:
        return len(self._rules)

    def names(self) -> list[str]:
        return sorted(self._rules)


def _marks(nondiff: Iterable[str], zero_in: Iterable[str]) -> dict[str, frozenset[str]]:
    return {"nondiff": frozenset(nondiff), "zero_in": frozenset(zero_in)}
