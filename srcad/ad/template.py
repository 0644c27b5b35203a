"""Expansion of rule templates into IR.

Input: a template string (``"dx * np.cos(x)"``), a mapping of template names to operands, and the block
to append to. Output: the operand holding the template's value, with the ops that compute it appended.
Templates are lowered by the same expression lowering as user code, in a namespace holding ``np``,
``math`` and ``_srcad`` (srcad.runtime).

A transform expands a few templates thousands of times, so the ops of a lowering are kept and
copied (fresh Vars each use) when the same template meets operands of the same kinds again. Only
templates whose lowering reads nothing but the template and what the key holds are kept
(`_plain`): products, differences, quotients, powers, unary operators, single comparisons,
attributes, names and constants, tuples of number constants (``(-1, 1)``: one `Const`), calls of
``np.``/``math.``/``_srcad.`` functions that the lowering does not rewrite, and conditional
expressions whose tests read constants only (the key holds them, so they decide which side is
lowered; a test on a value makes an ``if`` op, never kept). Such a lowering never looks at the
block it appends to (no search for the op defining an operand: that is done for ``+``, subscripts,
method calls, other tuples and rewritten NumPy calls, which are lowered every time). The key holds
the template, its names, which names are the same Var, and the constants' types and values; a kept
lowering is reused only while the module attributes it read are the same objects with the same
primitive names (a monkeypatched ``np.cos`` is lowered again), checked on the first use in each
transform (`new_epoch`: a transform runs no user code that could patch NumPy between two
expansions). The key holds only the names the template reads (a rule binds all its parameters, most
templates read two or three).
"""

from __future__ import annotations

import functools
import importlib
import itertools
import math
from typing import Any

import gast
import numpy

from srcad.ad.common import as_operand
from srcad.errors import DiffError
from srcad.frontend.resolve import prim_name
from srcad.frontend.source import Namespace
from srcad.lower import library
from srcad.lower.lower import lower_expression
from srcad.ssa.core import Block, Const, Loc, Op, Operand, Var


@functools.cache
def _parse(template: str) -> Any:
    tree = gast.parse(template.strip(), mode="eval")
    for node in gast.walk(tree):  # the ops keep the location of the op they differentiate
        if hasattr(node, "lineno"):
            node.lineno = None
    return tree.body


@functools.cache
def _namespace() -> Namespace:
    runtime = importlib.import_module("srcad.runtime")
    return Namespace(globals={"np": numpy, "math": math, "_srcad": runtime})


def new_epoch() -> None:
    """A transform starts: a kept lowering's module reads are checked again on its first use."""
    _EPOCH[0] += 1


def expand(template: str, names: dict[str, Operand], block: Block, loc: Loc | None) -> Operand:
    """Append the ops computing `template` (with `names` bound) to `block`; return its value."""
    key = _operand_key(template, names)
    if key is not None:
        kept = _KEPT.get(key)  # (a key is kept only when `_keepable`: no check on a hit)
        if kept is not None:
            if kept.checked == _EPOCH[0]:
                return kept.copy(names, block, loc)
            if _still(kept.reads, kept.keys):
                kept.checked = _EPOCH[0]
                return kept.copy(names, block, loc)
        if not _keepable(template, names):
            key = None
    before = len(block.ops)
    try:
        out = lower_expression(_parse(template), names, block, loc, _namespace(), template)
    except DiffError:
        raise
    except Exception as e:  # a broken template is our bug: say which one
        raise DiffError(f"internal error expanding the rule template {template!r}: {e}") from e
    if key is not None:
        kept = _record(template, names, block, before, out, loc)
        if kept is not None:
            if len(_KEPT) >= _KEPT_MAX:
                _KEPT.clear()
            _KEPT[key] = kept
    return out


def term_env(rule: Any, bound: dict[str, Any], b: Any) -> dict[str, Operand]:
    """The names `rule`'s templates are expanded with: the call's operands bound to its
    parameters (`Rule.bind`), each as an operand (`as_operand`, which may add a ``tuple`` op
    with `b`); a default (a number, a string, None) that no term reads is left out."""
    reads = rule.__dict__.get("_term_names")  # (kept on the rule, as `Rule._plan`)
    if reads is None:
        reads = frozenset(n for t in rule.terms.values() for n in _free(t))
        object.__setattr__(rule, "_term_names", reads)  # (frozen: not a field, not compared)
    env = {}  # (a loop, not a comprehension: `as_operand` inline for the operands)
    for k, v in bound.items():
        if type(v) is Var or type(v) is Const:
            env[k] = v
        elif k in reads or type(v) not in _PLAIN:
            env[k] = as_operand(v, b)
    return env


_PLAIN = frozenset((type(None), bool, int, float, complex, str))  # (`as_operand`: a `Const`)


# -- the cache of lowered templates ---------------------------------------------------------------

_KEPT: dict[tuple, _Lowered] = {}
_EPOCH = [0]  # bumped by each transform (`new_epoch`)
_KEPT_MAX = 4096
_MISSING = object()
_BY_VALUE = frozenset((int, bool, str, type(None), type(Ellipsis)))
_BY_REPR = frozenset((float, complex))
# binary operators whose lowering never searches the block (`+` asks whether an operand is a list)
_BINOPS = (gast.Sub, gast.Mult, gast.Div, gast.FloorDiv, gast.Mod, gast.Pow, gast.MatMult)
_ROOTS = frozenset(("numpy", "math", "srcad"))
# `_operand_key` of names each unbound or a Var no other name is: the key, by their types
_VARS = frozenset((Var, object))  # (`type(_MISSING)` is object)
_VARS_KEY = object()
_UNBOUND = itertools.repeat(_MISSING)


class _Lowered:
    """The ops of one lowering, with their operands as ``("n", name)``, ``("r", k)`` (the k-th
    result of these ops) or ``("c", Const)``, and the module attribute reads to re-check. Kept
    as keys of one table a copy fills (`_compile`): the names, k for ``("r", k)``, and
    ``("c", j)`` for the j-th constant (a new `Const` each use, as the lowering makes)."""

    __slots__ = ("ops", "out", "reads", "checked", "consts", "keys")

    def __init__(self, ops: list, out: tuple, reads: tuple) -> None:
        self.consts: list = []  # (key, Const) per constant operand
        self.ops = [
            (prim, [self._compile(a) for a in args],
             [(key, self._compile(a)) for key, a in kwargs.items()], hints, params)
            for prim, args, kwargs, hints, params in ops
        ]  # fmt: skip
        self.out = self._compile(out)
        self.reads = reads
        self.keys = frozenset(map(_read_key, reads))  # (`_still`: all found the same already?)
        self.checked = _EPOCH[0]  # the transform whose reads these are (or were checked in)

    def _compile(self, spec: tuple) -> Any:
        k, x = spec
        if k != "c":
            return x  # a name (a str) or a result's index (an int)
        key = ("c", len(self.consts))
        self.consts.append((key, x))
        return key

    def copy(self, names: dict[str, Operand], block: Block, loc: Loc | None) -> Operand:
        env: dict = dict(names)  # names, results by index, constants by key: one lookup each
        for key, c in self.consts:
            env[key] = Const(c.value)
        append = block.ops.append
        i = 0
        for prim, args, kwargs, hints, params in self.ops:
            operands = [env[x] for x in args]
            kw = {key: env[x] for key, x in kwargs} if kwargs else {}
            results = []
            for h in hints:
                v = _new_var(Var)  # `Var(h)` without the call of its __init__
                v.hint = h
                env[i] = v
                i += 1
                results.append(v)
            if _FAST_OP:  # the fields Op.__init__ would copy, made here once
                op = _new_op(Op)
                op.prim, op.args, op.kwargs, op.results = prim, operands, kw, results
                op.blocks, op.params, op.loc = [], dict(params) if params else {}, loc
            else:
                op = Op(prim, operands, kw, results, params=params, loc=loc)
            append(op)
        return env[self.out]


_new_op = Op.__new__
_new_var = Var.__new__
# Op's fields, all set by `_Lowered.copy` (else it calls Op(...))
_FAST_OP = Op.__slots__ == ("prim", "args", "kwargs", "results", "blocks", "params", "loc")


def _const_key(v: Any) -> Any:
    """A hashable key equal for two constants exactly when they are the same value of the same
    type (floats by repr: 0.0 and -0.0 differ), or _MISSING for other values (arrays, objects)."""
    t = type(v)
    if t in _BY_VALUE:
        return (t, v)
    if t in _BY_REPR:
        return (t, repr(v))
    if t is tuple:
        parts = tuple(_const_key(e) for e in v)
        return _MISSING if _MISSING in parts else (t, parts)
    return _MISSING


def _key(template: str, names: dict[str, Operand]) -> tuple | None:
    """The facts the lowering of a `_plain` template reads, or None (not kept): of the names it
    reads, which are bound, to which constants, and which are one Var."""
    key = _operand_key(template, names)
    return key if key is not None and _keepable(template, names) else None


def _operand_key(template: str, names: dict[str, Operand]) -> tuple | None:
    """`_key` without the `_keepable` test (a kept lowering's key passed it when kept): the
    template, then per name it reads (`_free`, sorted) None when unbound, the first such name
    bound to the same Var, or the constant's `_const_key` (a tuple); None when one is bound to
    something else or to a constant that is not keyed. One flat tuple (cheap to hash)."""
    free = _names_of(template)[0]
    get = names.get
    vals = list(map(get, free, _UNBOUND))  # (_MISSING for a name not bound: `np`)
    kinds = tuple(map(type, vals))
    if _VARS.issuperset(kinds):  # the common case: each name unbound or a Var of its own
        none = kinds.count(object)
        if len(set(vals)) == len(vals) - none + (none > 0):  # (the key below, told apart)
            return (template, _VARS_KEY, kinds)
    key = [template]
    first: dict[Var, str] = {}
    for name in free:
        v = get(name, _MISSING)
        t = type(v)
        if t is Var:
            key.append(first.setdefault(v, name))  # which names are one Var
        elif v is _MISSING:
            key.append(None)
        elif t is Const:
            k = _const_key(v.value)
            if k is _MISSING:
                return None
            key.append(k)
        else:
            return None
    return tuple(key)


def _keepable(template: str, names: dict[str, Operand]) -> bool:
    """The lowering of `template` with `names` bound reads nothing but the key (`_plain`), and
    the tests of its conditional expressions read constants only (a test on a value would lower
    to an `if` op)."""
    free, tests = _names_of(template)
    if not _plain(template, tuple(filter(names.__contains__, free))):
        return False
    return all(isinstance(names.get(name), Const) for name in tests)


@functools.cache
def _names_of(template: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(`_free`, `_test_names`) of `template`: one lookup per expansion."""
    return _free(template), (_test_names(template) if _free(template) else ())


@functools.cache
def _free(template: str) -> tuple[str, ...]:
    """The names the template reads (sorted); None-safe for templates that do not parse."""
    try:
        node = _parse(template)
    except SyntaxError:
        return ()
    return tuple(sorted({n.id for n in gast.walk(node) if isinstance(n, gast.Name)}))


@functools.cache
def _plain(template: str, bound: tuple[str, ...]) -> bool:
    """Whether the lowering of `template` (with `bound` names) reads nothing beyond the key: no
    ``+`` (which looks for the op defining an operand), no subscripts, method calls, tuples or
    chained comparisons; callees are module functions. Conditional expressions are kept only when
    their tests read constants (`_key`), which decide the side lowered."""
    try:
        node = _parse(template)
    except SyntaxError:
        return False
    return _plain_expr(node, set(bound))


@functools.cache
def _test_names(template: str) -> tuple[str, ...]:
    """The names the tests of the template's conditional expressions read."""
    tests = [n.test for n in gast.walk(_parse(template)) if isinstance(n, gast.IfExp)]
    return tuple(sorted({n.id for t in tests for n in gast.walk(t) if isinstance(n, gast.Name)}))


def _plain_expr(node: Any, bound: set[str]) -> bool:
    if isinstance(node, gast.Constant):
        return True
    if isinstance(node, gast.Name):
        return node.id in bound
    if isinstance(node, gast.BinOp):
        return (
            isinstance(node.op, _BINOPS)
            and _plain_expr(node.left, bound)
            and _plain_expr(node.right, bound)
        )
    if isinstance(node, gast.UnaryOp):
        return _plain_expr(node.operand, bound)
    if isinstance(node, gast.Compare):
        return (
            len(node.ops) == 1
            and _plain_expr(node.left, bound)
            and _plain_expr(node.comparators[0], bound)
        )
    if isinstance(node, gast.Attribute):  # an attribute of a value, or a module constant
        return _chain(node, bound) is not None or _plain_expr(node.value, bound)
    if isinstance(node, gast.Tuple):  # of number constants (``(-1, 1)``): lowered to one Const
        return all(_number(e) for e in node.elts)
    if isinstance(node, gast.IfExp):  # its test on constants only (`_key`): one side lowered
        return all(_plain_expr(n, bound) for n in (node.test, node.body, node.orelse))
    if isinstance(node, gast.Call):
        return (
            _chain(node.func, bound) is not None
            and all(not isinstance(a, gast.Starred) and _plain_expr(a, bound) for a in node.args)
            and all(k.arg is not None and _plain_expr(k.value, bound) for k in node.keywords)
        )
    return False


def _number(node: Any) -> bool:
    """`node` is a number literal, or its negation (``-1``)."""
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, (gast.USub, gast.UAdd)):
        node = node.operand
    return isinstance(node, gast.Constant) and type(node.value) in (int, float)


def _chain(node: Any, bound: set[str]) -> list[str] | None:
    """``["np", "linalg", "norm"]`` for an attribute chain rooted at a namespace module (not a
    bound name), else None."""
    parts = []
    while isinstance(node, gast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not parts or not isinstance(node, gast.Name) or node.id in bound:
        return None
    if node.id not in _namespace().globals:
        return None
    return [node.id, *reversed(parts)]


def _chains(node: Any, bound: set[str]) -> list[list[str]]:
    out = []
    for sub in gast.walk(node):
        if isinstance(sub, gast.Attribute):
            c = _chain(sub, bound)
            if c is not None:
                out.append(c)
    return out


def _reads(template: str, bound: set[str]) -> tuple | None:
    """The module attribute reads of the template's chains, as ``(container, attr, value,
    prim_name)``; None when a chain passes through a non-module or leaves NumPy/math/srcad, or a
    callee is one the call lowering rewrites (its lowering looks at the operands' definitions)."""
    rewrites = getattr(library, "REWRITES", {})
    out = []
    for c in _chains(_parse(template), bound):
        obj = _namespace().globals[c[0]]
        for attr in c[1:]:
            if not (isinstance(obj, type(numpy)) and obj.__name__.split(".")[0] in _ROOTS):
                return None
            value = getattr(obj, attr, _MISSING)
            if value is _MISSING:
                return None
            name = prim_name(value) if callable(value) else None
            if name is not None and (name in rewrites or name == "numpy.einsum"):
                return None
            out.append((obj, attr, value, name))
            obj = value
    return tuple(out)


def _read_key(read: tuple) -> tuple:
    """The key `_SAME` holds for a module read found the same: the identities of its container
    and value (held alive by the kept lowering whose read it is), the attribute, the name."""
    container, attr, value, name = read
    return (id(container), attr, id(value), name)


def _still(reads: tuple, keys: frozenset = frozenset()) -> bool:
    """Are the module reads `reads` (their `_read_key`s: `keys`) still the same objects with the
    same primitive names? Each read is looked at once per transform (`new_epoch`)."""
    same = _SAME[1] if _SAME[0] == _EPOCH[0] else set()
    _SAME[:] = [_EPOCH[0], same]
    if keys and same.issuperset(keys):  # every one found the same by another template already
        return True
    for read in reads:
        key = _read_key(read)
        if key in same:  # this transform found it the same for another template already
            continue
        container, attr, value, name = read
        now = getattr(container, attr, _MISSING)
        if now is not value or (name is not None and prim_name(now) != name):
            return False
        same.add(key)
    return True


# the module reads `_still` found the same in this transform (`new_epoch`: [epoch, their keys]);
# a key holds the container's and value's identities while a kept lowering's reads hold them
_SAME: list = [-1, set()]


def _record(
    template: str, names: dict[str, Operand], block: Block, before: int, out: Operand, loc: Any
) -> _Lowered | None:
    """The ops the lowering appended (after `before`), as a `_Lowered`; None when they are not
    all new single-block ops reading only the names, each other and constants, at `loc`."""
    free = [n for n in _free(template) if n in names]  # what `_key` holds
    reads = _reads(template, set(free))
    if reads is None or len(block.ops) < before:
        return None
    by_name = {}
    for name in free:
        by_name.setdefault(id(names[name]), name)
    made: dict[Var, int] = {}

    def spec(a: Any) -> tuple | None:
        if isinstance(a, Var):
            if a in made:
                return ("r", made[a])
            name = by_name.get(id(a))
            return ("n", name) if name is not None else None
        if isinstance(a, Const):
            name = by_name.get(id(a))
            return ("n", name) if name is not None else ("c", a)
        return None

    ops = []
    for op in block.ops[before:]:
        if op.blocks or op.loc != loc:
            return None
        args = [spec(a) for a in op.args]
        kwargs = {k: spec(v) for k, v in op.kwargs.items()}
        if None in args or None in kwargs.values():
            return None
        for r in op.results:
            if r in made or id(r) in by_name:
                return None
            made[r] = len(made)
        ops.append((op.prim, args, kwargs, [r.hint for r in op.results], dict(op.params)))
    result = spec(out)
    return None if result is None else _Lowered(ops, result, reads)
