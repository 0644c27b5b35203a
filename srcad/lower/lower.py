"""Lowering entry point: a Python function -> an SSA `Function`.

Input: a Python function object (or its `Source` and `Namespace`). Output: a verified-shape
`srcad.ssa.core.Function` whose body yields the return value.

    fn = lower_function(f)
    print(format_function(fn))

`lower_expression` lowers one expression into an existing block (rule templates).
"""

from __future__ import annotations

import keyword
import re
from typing import Any

import gast

import srcad.lower.attreffects as attreffects
import srcad.lower.generators as generators
import srcad.lower.lazygen as lazygen
from srcad.frontend import resolve
from srcad.frontend.source import Namespace, Source, get_source, namespace_of, unwrap
from srcad.lower import (
    argcopy,
    argreturn,
    attrconsts,
    attrloops,
    closures,
    combos,
    condreceiver,
    decorators,
    deques,
    dictlayers,
    entrynames,
    fnloops,
    fnrows,
    heaps,
    iterstate,
    listobjs,
    listrows,
    liveclosures,
    loopitems,
    loopnames,
    loopsource,
    mappedseq,
    nextgens,
    ordereddicts,
    scope,
    setattrs,
    setlits,
    sets,
    starcomp,
    tees,
    tryprep,
    tuplecopies,
    unbound,
    varargs,
    viewwrites,
    wrappers,
)
from srcad.lower.calls import CallLowerer
from srcad.lower.chained import copies_written
from srcad.lower.chained import rewrite as _chained_rewrite
from srcad.lower.flatiter import FlatIndexing
from srcad.lower.oneshot import check_one_shot, iter_reads, partly_read_names
from srcad.lower.scope import RET, RETVAL
from srcad.lower.survey import loops_write_items, survey
from srcad.lower.unbound import UnboundJoins
from srcad.passes.overlap import guard_overlaps
from srcad.passes.readonly import TRIGGERS, refuse_read_only_writes
from srcad.passes.slot_writes import forward_slot_writes
from srcad.ssa.builder import Builder
from srcad.ssa.census import ops_of
from srcad.ssa.core import Block, Const, Function, Loc, Operand, Var

_DECORATED = re.compile(r"^[ \t]*@", re.M)  # a decorator line (not `a @ b`: lower/decorators.py)
# `p = q = v` (lower/chained.py): `chained_text`
_CHAINED = re.compile(r"\b\w+\s*=\s*\w+\s*=(?!=)")
_CHAINED_TAIL = re.compile(r"=(?=\s*\w+\s*=(?!=))")  # its part from the first `=`


def chained_text(text: str) -> bool:
    """`_CHAINED.search(text)` is not None, in a tenth of its instructions: the regex engine
    scans for the first `=` (a literal: a fast scan, where `_CHAINED` starts a match at every
    word), the word before it (`\\w` after `\\s*`, as `str.isalnum`/`str.isspace` test those
    classes) is checked by hand. Every `=` is tried (the matches are one character long)."""
    for m in _CHAINED_TAIL.finditer(text):
        i = m.start() - 1
        while i >= 0 and text[i].isspace():
            i -= 1
        if i >= 0 and (text[i].isalnum() or text[i] == "_"):
            return True
    return False


class Lowerer(UnboundJoins, FlatIndexing, CallLowerer):
    """The complete lowering (statements, expressions, calls, loops)."""


def lower_function(f: Any) -> Function:
    """Lower the Python function `f` (a def, lambda, method or srcad-wrapped function)."""
    pyfunc = unwrap(f)
    src = get_source(pyfunc)
    fn = lower_source(src, namespace_of(pyfunc), pyfunc)
    fn.pyfunc = pyfunc
    a = src.node.args
    if a.vararg is not None or a.kwarg is not None:  # a decorator's wrapper: fn's parameters
        fn.defaults = wrappers.defaults(pyfunc)
    elif pyfunc.__defaults__:
        names = fn.param_names[len(fn.param_names) - len(pyfunc.__defaults__) :]
        fn.defaults = dict(zip(names, pyfunc.__defaults__))
    if pyfunc.__kwdefaults__:
        fn.defaults.update(pyfunc.__kwdefaults__)
    return fn


def lower_source(src: Source, ns: Namespace, pyfunc: Any = None) -> Function:
    with scope.caching(), resolve.session():  # (caches for this lowering only)
        fn = _lower_source(src, ns, pyfunc)
    ops = ops_of(fn.body)  # (what the two checks read: each runs where it can act; shared)
    prims = {op.prim for op in ops}
    if attreffects.PRIM in prims:  # `self.nfev += 1`: no other read of `nfev`
        attreffects.check_reads(fn, ops)
    ro, sets = prims & TRIGGERS, "setitem" in prims
    defs = {r: op for op in ops for r in op.results} if ro or sets else {}
    if ro:  # `d = np.diagonal(M); d *= 2.0` raises (passes/readonly.py)
        refuse_read_only_writes(fn, defs)
    if sets:  # `u[:, 2] = u[1, :]`: NumPy reads what it wrote (passes/overlap.py)
        guard_overlaps(fn, defs)
        forward_slot_writes(fn, defs)  # `d = {"w": u}; d["w"][0] = v`: `u` (slot_writes.py)
    return fn


def _lower_source(src: Source, ns: Namespace, pyfunc: Any) -> Function:
    node = src.node
    lw = Lowerer(src.filename, src.lines, ns)
    lw.root = node  # (lower/iterstate.py reads every use of an iterator's name)
    lw.pyfunc = pyfunc  # (lower/methodpick.py: the class of a method's first parameter)
    text = _text(src, node)  # (the rewrites keep the def's lines: joined once)
    # one walk for the locals, nested functions, one-shot candidates and `try` (a lambda holds
    # no statements)
    found = None if isinstance(node, gast.Lambda) else survey(node)
    if found is not None and found.has_try:
        tryprep.flatten_finally(node, ns)
        setlits.rewrite(node)  # `i in {0, 2}`: a tuple
        scope.forget()  # the reads cached for the statement lists it changed
        found = survey(node)
    pairs = found is not None and _names(text, "combinations", "permutations")
    if pairs and combos.rewrite(node, ns):  # `for a, b in combinations(bodies, 2)`: positions
        scope.forget()
        found = survey(node)
    if found is not None and listobjs.rewrite(node, ns, pyfunc):
        scope.forget()  # lists built here, shared and written in place: a variable per item
        found = survey(node)
    if found is not None and _names(text, "deque") and deques.rewrite(node, ns):  # lists
        scope.forget()
        found = survey(node)
    if found is not None and _names(text, "heappush") and heaps.rewrite(node, ns):
        scope.forget()  # a heapq priority queue: a sorted list
        found = survey(node)
    if found is not None and _names(text, "= {}", "={}") and dictlayers.rewrite(node, ns):
        scope.forget()  # `d = {}; d["fc1"] = Dense(w)`: `d = {"fc1": Dense(w)}`
        found = survey(node)
    if found is not None and _names(text, "next(") and nextgens.rewrite(node, ns):
        scope.forget()  # `g = (v * v for v in x)` read by `next(g)`: `g = iter([...])`
        found = survey(node)
    if found is not None and _names(text, "tee(") and tees.rewrite(node, ns):
        scope.forget()  # `a, b = tee(xs)`: two iterators over one list
        found = survey(node)
    if found is not None and _names(text, "OrderedDict") and ordereddicts.rewrite(node, ns):
        scope.forget()  # an LRU cache: a dict
        found = survey(node)
    if (
        found is not None
        and _names(text, ".add(", ".discard(", ".update(")
        and sets.rewrite(node, ns)
    ):  # `seen.add(k)` of a set only tested: `seen = seen | set((k,))`
        scope.forget()
        found = survey(node)
    if (
        found is not None
        and _names(text, "@")  # (the regex is slower than this test)
        and _DECORATED.search(text)
        and decorators.rewrite(node, ns)
    ):
        scope.forget()  # `@d def g`: `def g; g = d(g)`
        found = survey(node)
    if (
        found is not None
        and _names(text, "setattr(", "getattr(", "hasattr(")
        and attrloops.rewrite(node, ns)
    ):
        scope.forget()  # `for k in ("a", "b"): setattr(p, k, ...)`: unrolled
        found = survey(node)
    if found is not None and _names(text, "getattr(") and attrconsts.rewrite(node, ns):
        scope.forget()  # `getattr(x, "sum")()`: `x.sum()`
        found = survey(node)
    if (
        found is not None
        and _names(text, " else ")
        and _names(text, ").")
        and condreceiver.rewrite(node)
    ):
        scope.forget()  # `(a if c else b).append(v)`: an `if` statement
        found = survey(node)
    if found is not None and _names(text, "setattr(") and setattrs.rewrite(node, ns):
        scope.forget()  # `setattr(o, "a", v)`: `o.a = v`
        found = survey(node)
    params = found and tuplecopies.candidates(node, found.updates, found.written_into)
    if params is not None and tuplecopies.rewrite(node, found.written_into, params):
        scope.forget()  # `s, q = e, p`: `s = e; q = p` (tuplecopies.py), for chained.py
        found = survey(node)
    if (
        found is not None
        and (chained_text(text) or copies_written(found, node))
        and _chained_rewrite(node, ns)
    ):
        scope.forget()  # `p = q = np.zeros(3)`, `q = p`: p read as q (chained.py)
        found = survey(node)
    named = (  # `for p in [a, b]: np.clip(p, 0, 1, out=p)`: unrolled, `p` read as `a`, `b`
        found is not None and loopnames.candidate(text) and loopnames.rewrite(node)
    )
    if named:
        scope.forget()
        found = survey(node)
    loops = found is not None and loops_write_items(found)  # (else the next two change nothing)
    items = loops and loopitems.rewrite(node, ns)  # `for p in ps: p["v"] += a`
    if items:
        scope.forget()
        found = survey(node)
    if found is not None and viewwrites.rewrite(node, ns):  # `r = A[1]; r *= 2.0`
        scope.forget()
        found = survey(node)
    if found is not None and listrows.rewrite(
        node, ns, found.assigns, found.updates
    ):  # `Gi = G[i]; Gi[j] = v`
        scope.forget()
        found = survey(node)
    if found is not None and entrynames.candidates(found) and entrynames.rewrite(node, ns):
        scope.forget()  # `h = d["h"]; h.append(v)`: `h` read as `d["h"]` (entrynames.py)
        found = survey(node)
    if (  # `for v in A: A *= c`
        found is not None and loops_write_items(found) and loopsource.rewrite(node, ns)
    ):
        scope.forget()
        found = survey(node)
    if (
        found is not None
        and _names(text, ".append(")
        and (_names(text, "lambda") or text.count("def ") > 1)
        and fnloops.rewrite(node)
    ):  # `for c in x: fs.append(lambda t, c=c: ...)`: a comprehension, for fnrows.py
        scope.forget()
        found = survey(node)
    if found is not None and fnrows.rewrite(node, found.assigns):  # `fs = [lambda z, r=r: ...]`
        scope.forget()
        found = survey(node)
    if found is not None and _names(text, "(*") and starcomp.rewrite(node, ns):
        scope.forget()  # `[Dense(*p) for p in params]`: `for p_0, p_1 in params`
        found = survey(node)
    if found is not None and _names(text, ".append(") and _fold_appends(node, ns):
        scope.forget()  # `layers = []; for W in Ws: layers.append(Dense(W))`: lower/mappedseq.py
        found = survey(node)
    a = node.args
    names = [p.id for p in a.posonlyargs + a.args + a.kwonlyargs]
    params = [Var(n) for n in names]
    body = Block(params=list(params))
    lw.b.block = body
    lw.env = dict(zip(names, params))
    if items or named:
        loopitems.bind(lw)
    if pairs:
        combos.bind_env(lw.env)
    lw.param_set = frozenset(names)
    if a.vararg is not None or a.kwarg is not None:
        # a decorator's `def w(*a, **k): ... fn(*a, **k)`: lowered with fn's parameters
        sig = wrappers.forwarding(pyfunc, node, ns) if pyfunc is not None else None
        if sig is None:
            raise lw.error(
                a.vararg or a.kwarg,
                "functions with *args or **kwargs are not supported",
                "list the parameters explicitly (a decorator's wrapper is supported when it is "
                "made with functools.wraps(fn) and passes them on only as fn(*args, **kwargs))",
            )
        params = wrappers.bind(lw, node, sig)
        body.params = list(params)
        names = list(sig.parameters)
        lw.param_set = frozenset(p.id for p in (a.vararg, a.kwarg) if p is not None)
    lw.entry_vars = frozenset(body.params)
    lw.entry_defaults = varargs.param_defaults(pyfunc, a, dict(zip(names, body.params)))
    lw.env[RET], lw.env[RETVAL] = Const(False), Const(None)
    written: dict = {}
    if isinstance(node, gast.Lambda):
        lw.py_locals = set(names)
        if a.vararg is None and a.kwarg is None:  # `lambda x: fill(x)`, a helper updating `x`
            written = argcopy.enter(lw, node, pyfunc)
        lw.at(node)
        result = lw.value(node.body)
    else:
        # names read inside nested functions and lambdas: a closure reads a variable when it
        # is called, not when it is defined, so they stay live (and loop-carried) everywhere:
        # `q = lambda t: t * s; for ...: s = x; return q(2.0)` sees the last `s`
        assert found is not None
        # attr_stores: fields objects built here may see written (lower/objstate.py)
        lw.py_locals, nested, assigns, _, lw.attr_stores, updates = found[:6]
        lw.enclosing_writes = frozenset().union(*map(closures.enclosing_writes, nested))
        gens = {g.name for g in nested if generators.is_generator_def(g)}
        lw.shot_names = check_one_shot(node, lw.error, assigns, lazygen.generator_call(lw, gens))
        lw.partly_read = partly_read_names(assigns)
        pairs = (lambda: iterstate.names(lw), lambda n: iterstate.drop(lw, n))  # (its pairs)
        lw.iter_reads = iter_reads(node, assigns, lw.shot_names, lw.error, *pairs)
        lw.iter_reads |= iterstate.wholes(lw)  # (`sum(it)` of a pair: its rest)
        lw.root_node = node  # (lower/escapes.py: what the code it reaches may write)
        if a.vararg is None and a.kwarg is None:  # `x *= 2.0` of an argument, `GM[0] -= v`
            written = argcopy.enter(lw, node, pyfunc, (frozenset(lw.py_locals), updates))
        stmts, snaps = argcopy.body(node, written)  # `x[0] = v; x = ...`: the object kept
        # (lower/liveclosures.py: not those of a nested function nothing can call)
        closure_reads = liveclosures.closure_reads(stmts, nested)
        lw.pinned_live = frozenset(closure_reads | snaps)  # (never dead: lower/livekill.py)
        lw.stmts(stmts, closure_reads | snaps)
        result = argreturn.wrap(lw, node, written, lw.operand(lw.env[RETVAL], node))
    kept = result if isinstance(result, (Var, Const)) else None  # (what `copies_kept` checks)
    argcopy.leave(lw, node, written, names, pyfunc, kept)
    body.yields = [result]
    unbound.guard(lw, body)
    name = src.name if src.name.isidentifier() and not keyword.iskeyword(src.name) else "lambda_"
    if name == "lambda_" and src.name != "<lambda>":  # a `__name__` set to ``"f-2"``: the def's
        name = getattr(node, "name", name)
    return Function(
        name=name,
        params=params,
        param_names=names,
        body=body,
        filename=src.filename,
        firstline=src.firstline,
        namespace=ns,
        source_lines=src.lines,
        augmented=list(lw.augmented),
        item_augmented=list(lw.item_augmented),
        one_shot_args=dict(lw.shot_calls),
    )


def lower_expression(
    node: gast.expr,
    names: dict[str, Operand],
    block: Block,
    loc: Loc | None,
    ns: Namespace,
    label: str,
) -> Operand:
    """Append the ops computing the expression `node` to `block`, with `names` bound to operands
    (rule templates are expressions over a rule's parameters); return the operand of its value.
    `label` names the text in errors."""
    lw = Lowerer(label, [label], ns)
    lw.b = Builder(block, loc)
    lw.env = dict(names)
    return lw.value(node)


def _names(text: str, *words: str) -> bool:
    """The function's source `text` holds one of `words` (the rewrites look no further else;
    no word holds a line break)."""
    return any(w in text for w in words)


def _text(src: Source, node: Any) -> str:
    last = getattr(node, "end_lineno", None) or len(src.lines)
    return "".join(src.lines[node.lineno - 1 : last])


def _fold_appends(node: Any, ns: Any) -> bool:
    body = mappedseq.fold_appends(node.body, node, ns)
    if body is node.body:
        return False
    node.body = body
    return True
