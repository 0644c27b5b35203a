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

Both tables are views of one `Registry` of `Primitive` records: a primitive's JVP rule, VJP rule
and its facts (pure, makes a new object, updates an operand in place, returns a container,
elementwise, ...) sit in one record, which every pass and transform asks
(``registry.get("numpy.zeros").mutable``). The facts are declared in `srcad.rules.facts`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Iterator
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
    # A rule written as a Python function over the transform instead of templates (structural
    # primitives, srcad.ad.structural): JVP ``fn(tr, op, b) -> tangent``, VJP ``fn(tr, op, g,
    # adj, b)`` adding the operands' cotangents.
    fn: Callable | None = None

    def bind(self, args: list, kwargs: dict) -> dict[str, object]:
        """Map the call's operands to parameter names, defaults filled in (as Python values)."""
        if not kwargs:  # the common case: a plan per signature and number of operands
            plan = _positional_plan(self.sig, len(args))
            if plan is not None:
                names, rest = plan
                out = dict(zip(names, args))
                if rest:
                    out.update(rest)
                return out
        fast = _bind_plain(_plain_params(self.sig), args, kwargs)
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
        return [p for p in self.sig.parameters if p not in self.nondiff]


_EMPTY = inspect.Parameter.empty


_PLANS: dict[int, tuple[inspect.Signature, tuple | None]] = {}  # id(sig) -> (sig, plan)


def _plain_params(sig: inspect.Signature) -> tuple | None:
    """``((name, default, positional, by keyword), ...)`` when every parameter is positional-only,
    positional-or-keyword or keyword-only (no ``*args``, ``**kwargs``), else None. Kept per
    signature object, not per equal signature (``dx=1`` and ``dx=1.0`` compare equal)."""
    hit = _PLANS.get(id(sig))
    if hit is not None and hit[0] is sig:
        return hit[1]
    out: list | None = []
    for p in sig.parameters.values():
        if p.kind is p.POSITIONAL_ONLY:
            out.append((p.name, p.default, True, False))
        elif p.kind is p.POSITIONAL_OR_KEYWORD:
            out.append((p.name, p.default, True, True))
        elif p.kind is p.KEYWORD_ONLY:
            out.append((p.name, p.default, False, True))
        else:
            out = None
            break
    plan = None if out is None else tuple(out)
    _PLANS[id(sig)] = (sig, plan)
    return plan


_POSITIONAL: dict[tuple[int, int], tuple] = {}  # (id(sig), n) -> (sig, plan)


def _positional_plan(sig: inspect.Signature, n: int) -> tuple | None:
    """What `_bind_plain` does with `n` positional operands and no keywords, as (the names the
    operands bind, in order; the defaults of the other parameters, in order), or None when it
    would not bind them (then `_bind_plain` and `inspect` decide, and word the error)."""
    hit = _POSITIONAL.get((id(sig), n))
    if hit is not None and hit[0] is sig:
        return hit[1]
    params = _plain_params(sig)
    plan = None
    if params is not None and n <= sum(1 for p in params if p[2]):
        names = tuple(p[0] for p in params[:n])
        rest = tuple((name, default) for name, default, _, _ in params[n:])
        if all(p[2] for p in params[:n]) and all(d is not _EMPTY for _, d in rest):
            plan = (names, rest)
    _POSITIONAL[id(sig), n] = (sig, plan)
    return plan


def _bind_plain(params: tuple | None, args: list, kwargs: dict) -> dict[str, object] | None:
    """What ``sig.bind(*args, **kwargs)`` with defaults applied gives, for a plain signature and
    a call that binds without error; None otherwise (`Rule.bind` then asks `inspect`, which also
    words the error). Signature.bind cost about a tenth of a reverse sweep."""
    if params is None or len(args) > sum(1 for p in params if p[2]):
        return None  # too many positional arguments
    out: dict[str, object] = {}
    n = len(args)
    for i, (name, default, positional, keyword) in enumerate(params):
        if positional and i < n:
            if name in kwargs:
                return None  # given twice (or a positional-only one by keyword)
            out[name] = args[i]
        elif name in kwargs:
            if not keyword:
                return None  # a positional-only parameter passed by keyword
            out[name] = kwargs[name]
        elif default is _EMPTY:
            return None  # missing
        else:
            out[name] = default
    if any(k not in out for k in kwargs):
        return None  # an unknown keyword
    return out


def parse_signature(prim: str, sig: str) -> inspect.Signature:
    """``"x, axis=None, *, keepdims=False"`` -> `inspect.Signature` (defaults must be literals).
    One per text: the registry's ~1500 rules have ~300 signatures, and compiling each again was
    a third of building the registry (the first transform of every process). A `Signature` is
    immutable, and so are the literal defaults allowed (numbers, strings, None, tuples)."""
    got = _SIGNATURES.get(sig)
    if got is None:
        scope: dict = {}
        exec(compile(f"def _sig({sig}): pass", f"<rule {prim}>", "exec"), {}, scope)
        got = _SIGNATURES[sig] = inspect.signature(scope["_sig"])
        if any(_mutable(p.default) for p in got.parameters.values()):
            del _SIGNATURES[sig]  # a list or dict default: each rule gets its own
    return got


_SIGNATURES: dict[str, inspect.Signature] = {}


def _mutable(v: object) -> bool:
    if isinstance(v, tuple):
        return any(_mutable(e) for e in v)
    plain = (bool, int, float, complex, str, bytes)
    return not (v is None or v is inspect.Parameter.empty or isinstance(v, plain))


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
    - `real_result`: returns real values for complex operands (``np.abs``, ``.real``).
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

    @property
    def mergeable(self) -> bool:
        if self.merge is not None:
            return self.merge
        return self.pure and not self.mutable and not self.updates


FACTS = ("pure", "new", "owns", "mutable", "updates", "immutable", "copies", "container",
         "elementwise", "merge", "complex_safe", "complex_result", "varied_real",
         "real_result")  # fmt: skip


class Registry:
    """The primitive records, keyed by canonical name. `default` gives the facts of a primitive
    nothing declared by name (``numpy.*`` functions are pure, ...)."""

    def __init__(
        self,
        canonical: Callable[[str], str] | None = None,
        default: Callable[[str], dict[str, bool]] | None = None,
    ) -> None:
        self._records: dict[str, Primitive] = {}
        self._implicit: dict[str, Primitive] = {}
        self.canonical = canonical or (lambda name: name)
        self._default = default or (lambda name: {})

    def record(self, name: str) -> Primitive:
        """The record of `name`, created for a definition if there is none yet."""
        name = self.canonical(name)
        rec = self._records.get(name)
        if rec is None:
            rec = self._records[name] = Primitive(name, **self._default(name))
            self._implicit.pop(name, None)
        return rec

    def declare(self, names: Iterable[str], **facts: bool) -> None:
        """Set `facts` on each primitive of `names` (a declaration overrides the default)."""
        unknown = set(facts) - set(FACTS)
        if unknown:
            raise ValueError(f"unknown facts {sorted(unknown)}")
        for name in names:
            rec = self.record(name)
            for k, v in facts.items():
                setattr(rec, k, v)

    def get(self, name: str) -> Primitive:
        """The record of `name`; a primitive nothing declared gets its default facts, no rules."""
        rec = self._records.get(name)
        if rec is not None:
            return rec
        rec = self._implicit.get(name)
        if rec is None:
            rec = self._implicit[name] = Primitive(name, **self._default(name))
        return rec

    def declared(self, name: str) -> bool:
        return name in self._records

    def lookup(self, name: str) -> Primitive | None:
        """The declared record of `name`, or None."""
        return self._records.get(name)

    def __iter__(self) -> Iterator[Primitive]:
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
                rule.fn,
            )
        rec = self.registry.record(name)
        if self._rule(rec) is not None:
            raise ValueError(f"{self.mode} rule for {name!r} defined twice")
        reserved = {"ans", "g"} & set(rule.sig.parameters)
        if reserved:  # templates use these names for the result and its cotangent
            raise ValueError(f"{name}: parameter names {sorted(reserved)} are reserved")
        unknown = (set(rule.terms) | set(rule.nondiff)) - set(rule.sig.parameters)
        if unknown:
            raise ValueError(f"{name}: templates for unknown parameters {sorted(unknown)}")
        self._set(rec, rule)

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
