"""Python standard-library functions written as what they compute, so their derivatives follow:
``functools.reduce(f, xs[, init])`` and ``itertools.accumulate(xs[, f][, initial=])`` as loops
calling `f` (a lambda, a nested or module-level function, an operator), ``statistics.mean`` /
``fmean`` / ``variance`` / ``pvariance`` / ``stdev`` / ``pstdev`` of a sequence as sums over it
(the centre given: ``mu``/``xbar``; ``fmean``'s ``weights``);
``copy.deepcopy(v)`` as ``_srcad.deep_copy`` (a new object: the mutation check sees no sharing),
``copy.copy(v)`` as ``_srcad.entry_copy`` (an array's copy; a list's or dict's shallow copy, its
items shared as the mutation check knows; a number or tuple itself); of an object built here
either is a new such object (lower/objcopy.py; another object's ``copy.copy``: refused);
``heapq.nlargest(n, xs)`` / ``nsmallest`` (`n` a constant) as ``sorted(xs, reverse=True)[:n]``;
``logging.getLogger(name)`` of a name known now (``__name__``, a string) as that logger, a
constant (Python returns the one logger of that name wherever it is asked), so its ``.debug(...)``
is a message as a module-level logger's is (ad/callees.py).

Input: the called object (known at transform time) and the call node, with the lowering state
`lw`. Output: the call's value, or None when the call is not one of these forms (then it is
lowered as any call, and refused inside the library).

``accumulate`` gives a list (Python: an iterator) where it is consumed at once (``list(...)``,
``sum``, a ``for`` loop whose body changes nothing it reads: `iterlists.consumed_at_once`), which
reads the same items; bound to a name it is refused (Python's runs when read). The statistics
functions compute in floats (Python's in exact fractions): the values agree to rounding.
"""

from __future__ import annotations

import collections
import copy
import dataclasses
import functools
import heapq
import itertools
import logging
import operator
import sys
import types
from typing import Any

import gast

from srcad import lazy
from srcad.lower import (
    closures,
    dcfields,
    idioms,
    iterlists,
    iterzip,
    listedits,
    objcalls,
    objcopy,
    objects,
    partials,
    trys,
)
from srcad.lower.objseq import FnSeq
from srcad.lower.values import LocalObj
from srcad.rules.numpy_fns import try_error, try_which
from srcad.ssa.core import Const, Operand

# imported once a program has (`_LATER`)
array = lazy.module("array")
statistics = lazy.module("statistics")

ACC, ITEM, REST, OUT = "$fold_acc", "$fold_item", "$fold_rest", "$fold_out"


def lower_call(lw: Any, obj: Any, node: gast.Call) -> Operand | None:
    """`obj(...)` at `node` as the operations it performs, or None (see the module docstring)."""
    handler = _HANDLERS.get(_key(obj))
    if handler is None and isinstance(obj, types.FunctionType):  # `make(...)` of an object
        out = objects.factory_function(lw, obj, node)  # built here: lower/objects.py
        return out if out is not None else objcalls.helper_call(lw, obj, node)
    if handler is None:
        return None
    if handler is not iterzip.listed_chain and any(isinstance(a, gast.Starred) for a in node.args):
        return None  # (chain(*seqs): lower/iterzip.py spreads them)
    if any(kw.arg is None for kw in node.keywords):
        return None
    return handler(lw, node)


def _key(obj: Any) -> Any:
    for name in tuple(_LATER):
        if name in sys.modules:
            _HANDLERS.update(_LATER.pop(name, dict)())
            return _key(obj)
    try:
        return obj if obj in _HANDLERS else None
    except TypeError:  # unhashable
        return None


def _name(n: str, at: Any) -> gast.Name:
    return gast.copy_location(
        gast.Name(id=n, ctx=gast.Load(), annotation=None, type_comment=None), at
    )


def _fold(lw: Any, node: gast.Call, fn: Any, seq_node: Any, init: Any, keep: bool) -> Operand:
    """``acc = init (or xs[0]); for item in the rest: acc = fn(acc, item)`` (``acc + item``
    when `fn` is None); the final `acc`, or with `keep` the list of every `acc`."""
    listed = _listed(lw, seq_node)
    got = lw.expr(listed)
    if isinstance(got, FnSeq) and isinstance(fn, (gast.Name, gast.Attribute, gast.Lambda)):
        if not keep and (init is not None or got.items):  # `reduce(compose, fs)`
            return _fold_functions(lw, node, fn, list(got.items), init)
    seq = lw.as_seq(lw.operand(got, listed))
    lw.at(node)
    if init is None:
        lw.env[ACC] = lw.op("getitem", [seq, Const(0)])
        lw.env[REST] = lw.op("getitem", [seq, Const(slice(1, None))])
    else:
        lw.env[ACC] = lw.value(init)
        lw.env[REST] = seq
    carried = [ACC]
    if keep:
        lw.env[OUT] = lw.op("list", [lw.env[ACC]])
        carried.append(OUT)
    # enclosing variables the function writes (nonlocal): carried too (lower/closures.py)
    carried += sorted(closures.carried_writes(lw, [node]))

    def body(item: Operand) -> None:
        lw.env[ITEM] = item
        if fn is None:
            lw.env[ACC] = lw.op("add", [lw.env[ACC], item])
        else:
            call = gast.Call(func=fn, args=[_name(ACC, node), _name(ITEM, node)], keywords=[])
            lw.env[ACC] = lw.value(gast.copy_location(call, node))
        if keep:
            lw.env[OUT] = lw.op("list_append", [lw.env[OUT], lw.env[ACC]])

    lw.iterate(_name(REST, node), carried, body, False, node)
    out = lw.env[OUT if keep else ACC]
    for n in (ACC, ITEM, REST, OUT):
        lw.env.pop(n, None)
    return out


def _fold_functions(lw: Any, node: gast.Call, fn: Any, items: list, init: Any) -> Any:
    """``reduce(fn, fs[, init])`` of a list or tuple of functions known here (`FnSeq`):
    ``fn(fn(f0, f1), f2)``... called item by item, so a function it returns
    (``lambda f, g: lambda x: g(f(x))``) stays a function srcad follows. `fn` is a name, an
    attribute or a lambda: evaluating it again for each item is evaluating it once."""
    acc = lw.expr(init) if init is not None else items.pop(0)
    for item in items:
        lw.env[ACC], lw.env[ITEM] = acc, item
        call = gast.Call(func=fn, args=[_name(ACC, node), _name(ITEM, node)], keywords=[])
        acc = lw.expr(gast.copy_location(call, node))
    lw.env.pop(ACC, None)
    lw.env.pop(ITEM, None)
    return acc


def _listed(lw: Any, seq_node: Any) -> Any:
    """``reversed(xs)`` / ``zip(...)`` / ``enumerate(...)`` as the folded sequence: the list
    comprehension ``[t for t in reversed(xs)]`` holding the items Python's iterator yields
    (iterating them is lowered item by item; the iterator itself is no value srcad keeps)."""
    if not isinstance(seq_node, gast.Call) or not isinstance(seq_node.func, gast.Name):
        return seq_node
    if seq_node.func.id in lw.env or seq_node.func.id in lw.py_locals:
        return seq_node
    if getattr(lw.expr(seq_node.func), "name", None) not in ("zip", "enumerate", "reversed"):
        return seq_node
    if seq_node.keywords and not idioms.strict_only(seq_node):
        return seq_node
    t = listedits._temp(lw)
    gen = gast.comprehension(
        target=listedits._store(t, seq_node), iter=seq_node, ifs=[], is_async=0
    )
    return listedits._at(
        gast.ListComp(elt=listedits._load(t, seq_node), generators=[gen]), seq_node
    )


def _reduce(lw: Any, node: gast.Call) -> Operand | None:
    if node.keywords or len(node.args) not in (2, 3):
        return None
    init = node.args[2] if len(node.args) == 3 else None
    return _fold(lw, node, node.args[0], node.args[1], init, keep=False)


def _accumulate(lw: Any, node: gast.Call) -> Operand | None:
    if not iterlists.consumed_at_once(lw, node):  # Python's runs when read: `a = accumulate(xs)`
        return None
    kw = {k.arg: k.value for k in node.keywords}
    if not node.args or len(node.args) > 2 or set(kw) - {"func", "initial"}:
        return None
    fn = node.args[1] if len(node.args) == 2 else kw.get("func")
    if isinstance(fn, gast.Constant) and fn.value is None:
        fn = None
    init = kw.get("initial")
    if isinstance(init, gast.Constant) and init.value is None:
        init = None
    return _fold(lw, node, fn, node.args[0], init, keep=True)


_CENTRE = {"variance": "xbar", "stdev": "xbar", "pvariance": "mu", "pstdev": "mu"}


def _moments(lw: Any, node: gast.Call, what: str) -> Operand | None:
    """mean / variance (sample: n - 1, population: n) / their square roots, over a sequence;
    the centre given (``pvariance(xs, mu)``, ``variance(xs, xbar=m)``): the squared deviations
    from it, as Python's (no correction); ``fmean(xs, weights)`` (Python >= 3.11)."""
    name = _CENTRE.get(what, "weights" if what == "fmean" and sys.version_info >= (3, 11) else "")
    kw = {k.arg: k.value for k in node.keywords}
    if not node.args or len(node.args) > (2 if name else 1) or set(kw) - {name}:
        return None
    if len(node.args) == 2 and name in kw:  # (Python's TypeError)
        return None
    if name == "weights" and lw.ns.lookup("zip") != ("builtin", zip):  # (`_weighted_mean`'s)
        return None
    second = node.args[1] if len(node.args) == 2 else kw.get(name)
    if isinstance(second, gast.Constant) and second.value is None:
        second = None
    seq = lw.as_seq(lw.value(node.args[0]))
    centre = lw.value(second) if second is not None else None
    lw.at(node)
    n = lw.op("len", [seq], hint="n")
    if what == "fmean" and centre is not None:
        return _weighted_mean(lw, node, seq, lw.as_seq(centre), n)
    least = 2 if what in ("variance", "stdev") else 1  # Python raises StatisticsError below
    least_words = "two data points" if least == 2 else "one data point"
    lw.op(  # Python's error and message (rules/checks)
        "srcad.runtime.require",
        [lw.op("ge", [n, Const(least)]), Const(f"{what} requires at least {least_words}"),
         Const("StatisticsError")],
    )  # fmt: skip
    mean = lw.op("truediv", [lw.op("sum", [seq]), n], hint="mean") if centre is None else centre
    if what in ("mean", "fmean"):
        return mean
    # sum((x - mean)**2 for x in seq), as a list of the squared deviations
    lw.env[ACC] = Const(0.0)

    def body(item: Operand) -> None:
        dev = lw.op("sub", [item, mean])
        lw.env[ACC] = lw.op("add", [lw.env[ACC], lw.op("mul", [dev, dev])])

    lw.env[REST] = seq
    lw.iterate(_name(REST, node), [ACC], body, False, node)
    ss = lw.env.pop(ACC)
    lw.env.pop(REST, None)
    sample = what in ("variance", "stdev")
    var = lw.op("truediv", [ss, lw.op("sub", [n, Const(1)]) if sample else n], hint="var")
    return lw.op("math.sqrt", [var]) if what in ("stdev", "pstdev") else var


def _weighted_mean(lw: Any, node: gast.Call, seq: Operand, w: Operand, n: Operand) -> Operand:
    """``fmean(xs, weights)``: ``sum(x * w) / sum(w)``, with Python's two errors."""
    lw.op(
        "srcad.runtime.require",
        [lw.op("eq", [n, lw.op("len", [w])]), Const("data and weights must be the same length"),
         Const("StatisticsError")],
    )  # fmt: skip
    lw.env[ACC], lw.env[OUT] = Const(0.0), Const(0.0)
    lw.env[REST], lw.env[ITEM] = seq, w
    pairs = gast.Call(func=_name("zip", node), args=[_name(REST, node), _name(ITEM, node)],
                      keywords=[])  # fmt: skip

    def body(item: Operand) -> None:
        x, wk = lw.op("getitem", [item, Const(0)]), lw.op("getitem", [item, Const(1)])
        lw.env[ACC] = lw.op("add", [lw.env[ACC], lw.op("mul", [x, wk])])
        lw.env[OUT] = lw.op("add", [lw.env[OUT], wk])

    lw.iterate(gast.copy_location(pairs, node), [ACC, OUT], body, False, node)
    num, den = lw.env.pop(ACC), lw.env.pop(OUT)
    lw.env.pop(REST, None)
    lw.env.pop(ITEM, None)
    lw.op(
        "srcad.runtime.require",
        [lw.op("ne", [den, Const(0)]), Const("sum of weights must be non-zero"),
         Const("StatisticsError")],
    )  # fmt: skip
    return lw.op("truediv", [num, den], hint="mean")


def _deepcopy(lw: Any, node: gast.Call) -> Operand | None:
    """``copy.deepcopy(v)``: `_srcad.deep_copy`, a new object sharing nothing with `v`."""
    if len(node.args) != 1 or node.keywords:
        return None
    v = lw.expr(node.args[0])
    if isinstance(v, LocalObj) and (made := objcopy.copy_object(lw, v, node, True)) is not None:
        return made  # an object built here: a new one (lower/objcopy.py)
    v = lw.operand(v, node.args[0])
    lw.at(node)
    return lw.op("srcad.runtime.deep_copy", [v], hint="copy")


def _copy(lw: Any, node: gast.Call) -> Operand | None:
    """``copy.copy(v)``: `_srcad.entry_copy`, what Python's does to the values srcad lowers: an
    array copied in its layout (``ndarray.__copy__``: order 'K'), a list or dict shallowly (its
    items shared, as the mutation check knows: passes/alias_flow), a number or tuple itself."""
    if len(node.args) != 1 or node.keywords:
        return None
    v = lw.expr(node.args[0])
    if isinstance(v, LocalObj) and (made := objcopy.copy_object(lw, v, node, False)) is not None:
        return made  # an object built here: a new one sharing its fields (lower/objcopy.py)
    if not isinstance(v, Operand):  # an object built here (lower/objects.py), a function
        raise lw.error(
            node,
            "`copy.copy` of an object is not supported: srcad copies arrays, lists, dicts, "
            "numbers and tuples",
            "build a new object from the fields (`Cls(o.a, o.b)`), or use `copy.deepcopy`",
        )
    v = lw.operand(v, node.args[0])
    lw.at(node)
    return lw.op("srcad.runtime.entry_copy", [v], hint="copy")


def _n_extreme(lw: Any, node: gast.Call, largest: bool) -> Operand | None:
    """``heapq.nlargest(n, xs[, key=f])`` / ``nsmallest``, `n` a constant int: ``sorted(xs,
    [key=f, ]reverse=True)[:n]`` / ``sorted(xs[, key=f])[:n]``, which Python's documentation
    gives as their equivalent (the same items, in that order)."""
    args, kws = node.args, node.keywords
    if len(args) != 2 or any(k.arg != "key" for k in kws) or "sorted" in lw.py_locals:
        return None
    n = args[0]
    if not (isinstance(n, gast.Constant) and type(n.value) is int and n.value >= 0):
        return None
    if lw.ns.lookup("sorted")[1] is not sorted:
        return None
    flag = [gast.keyword(arg="reverse", value=gast.Constant(value=True, kind=None))]
    func = gast.Name(id="sorted", ctx=gast.Load(), annotation=None, type_comment=None)
    call = gast.Call(func=func, args=[args[1]], keywords=list(kws) + (flag if largest else []))
    head = gast.Slice(lower=None, upper=n, step=None)
    out = gast.Subscript(value=call, slice=head, ctx=gast.Load())
    for e in gast.walk(out):
        gast.copy_location(e, node)
    return lw.value(out)


def _array_array(lw: Any, node: gast.Call) -> Operand:
    raise lw.error(
        node,
        "`array.array` is not supported: srcad writes into its objects and differentiates "
        "them as lists or NumPy arrays, which they are not",
        "use a list or a NumPy array (`np.array(xs)`)",
    )


def _get_logger(lw: Any, node: gast.Call) -> Operand | None:
    """``logging.getLogger(name)`` with `name` known now: the logger (module docstring)."""
    if len(node.args) + len(node.keywords) > 1:
        return None
    names = [lw.static_object(lw.expr(a)) for a in [*node.args, *(k.value for k in node.keywords)]]
    if any(not known or not (v is None or isinstance(v, str)) for known, v in names):
        return None  # (a name computed when it runs: a call, as before)
    return Const(logging.getLogger(*(v for _, v in names)))


def _namedtuple(lw: Any, node: gast.Call) -> Operand | None:
    """``P = collections.namedtuple("P", ["a", "b"])`` in the function, its arguments written
    as constants (strings, a list/tuple display of strings, ``defaults=``/``rename=``
    constants): the class, made now (a constant of the generated code: Python makes an equal
    class on every call, which nothing outside the call can tell from this one but by
    identity)."""
    if any(k.arg not in ("defaults", "rename") for k in node.keywords) or len(node.args) != 2:
        return None
    vals = [_literal(a) for a in [*node.args, *(k.value for k in node.keywords)]]
    if any(v is _NOT for v in vals):
        return None
    name, fields, *kws = vals
    if not isinstance(name, str) or not (isinstance(fields, str) or _all(fields, str)):
        return None
    try:
        kw = {k.arg: v for k, v in zip(node.keywords, kws)}
        kw["module"] = lw.ns.globals.get("__name__")  # (Python's: the calling module's name)
        cls = collections.namedtuple(name, fields, **kw)
    except (TypeError, ValueError):
        return None  # (Python raises when it runs: the call, as before)
    return Const(cls)


_NOT = object()
_PLAIN = (str, int, float, bool, type(None))


def _literal(n: Any) -> Any:
    """The value of a constant or a list/tuple display of constants (`_PLAIN`), else `_NOT`."""
    if isinstance(n, gast.Constant) and isinstance(n.value, _PLAIN):
        return n.value
    if isinstance(n, (gast.List, gast.Tuple)):
        items = [_literal(e) for e in n.elts]
        return _NOT if any(v is _NOT for v in items) else items
    return _NOT


def _all(v: Any, t: type) -> bool:
    return isinstance(v, list) and all(isinstance(s, t) for s in v)


_HANDLERS: dict[Any, Any] = {
    collections.namedtuple: _namedtuple,
    logging.getLogger: _get_logger,
    copy.deepcopy: _deepcopy,
    copy.copy: _copy,
    heapq.nlargest: functools.partial(_n_extreme, largest=True),
    heapq.nsmallest: functools.partial(_n_extreme, largest=False),
    try_which: trys.which_call,  # what lower/trys.py rewrites a `try` into
    try_error: trys.error_call,  # the `e` of `except E as e` (lower/trys.py)
    functools.partial: partials.make,  # called later: lower/partials.py
    operator.itemgetter: partials.make_itemgetter,
    operator.attrgetter: partials.make_attrgetter,
    operator.methodcaller: partials.make_methodcaller,
    itertools.chain: iterzip.listed_chain,  # consumed at once (`sum(chain(a, b))`)
    itertools.islice: iterzip.listed_chain,
    itertools.chain.from_iterable: iterzip.listed_chain,  # as chain(*seqs) (a bound method: ==)
    functools.reduce: _reduce,
    dataclasses.asdict: dcfields.asdict,
    dataclasses.astuple: dcfields.astuple,
    itertools.accumulate: _accumulate,
    **iterlists.HANDLERS,  # pairwise, combinations, zip_longest, starmap, ...: consumed at once
}


def _statistics() -> dict[Any, Any]:
    return {
        getattr(statistics, name): functools.partial(_moments, what=kind)
        for name, kind in [
            ("mean", "mean"),
            ("fmean", "fmean"),
            ("variance", "variance"),
            ("pvariance", "pvariance"),
            ("stdev", "stdev"),
            ("pstdev", "pstdev"),
        ]
    }  # fmt: skip


def _array() -> dict[Any, Any]:
    return {array.array: _array_array}


# the handlers of modules that take long to import (`statistics` imports `fractions` and
# `decimal`: a tenth of the modules a first transform imported), added to `_HANDLERS` once the
# program has imported their module (a program calling `statistics.mean` has)
_LATER = {"statistics": _statistics, "array": _array}
