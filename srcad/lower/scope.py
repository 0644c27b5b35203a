"""Syntactic name analyses on gast statements, used to pick loop carries and guard early exits.

Input: lists of gast statements. Output: sets of names (sorted lists where order matters).

- `assigned(stmts)`: names a statement list may bind (targets, for-targets, augmented assignments,
  `x.append(...)` receivers, nested `def` names). Nested function bodies are not entered.
- `reads(stmts)`: names read anywhere (nested function bodies included: closures read them later).
- `exposed(stmts)`: names that may be read before being bound on some path through `stmts`
  (upward-exposed uses): a loop carries a name only if the next iteration can see it.
- `may_exit(stmts)` / `always_exits(stmts)`: whether `return`/`break`/`continue` (at this loop level)
  can / must end the list early.
- lower/survey.py: a function's locals, nested functions, one-name assignments, whether it has
  a `try`, and the attribute names it stores to, in one walk that also caches every statement's
  reads (the lowering's entry).

`reads` and the walrus/`xs.pop()` bindings `assigned` needs are computed bottom-up once per node
and cached while a lowering runs (`caching`).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator

import gast

# Pseudo-names used for control-flow flags in the lowering environment (not valid identifiers).
BRK, CONT, RET, RETVAL = "$brk", "$cont", "$ret", "$retval"

_MUTATORS = frozenset({"append", "extend"})
# lower/idioms.LIST_UPDATES
_UPDATES = frozenset(
    {"pop", "insert", "update", "setdefault", "sort", "reverse", "remove", "clear"}
)
# lower/inplace_np: NumPy calls that write into their first argument (`np.add.at`, ...)
_WRITERS = frozenset({"at", "fill_diagonal", "copyto", "place", "putmask", "put_along_axis"})


def written_by_call(n: gast.Call) -> str | None:
    """The name a NumPy call writes into, which lower/inplace_np rebinds: ``out=y``,
    ``y.fill(v)``, ``np.add.at(y, ...)``, ``np.fill_diagonal(y, ...)``, ``np.copyto(y, ...)``;
    the iterator ``next(it)`` advances (lower/iterstate.py)."""
    for kw in n.keywords:
        if kw.arg == "out" and isinstance(kw.value, gast.Name):
            return kw.value.id
        if kw.arg == "out" and isinstance(kw.value, gast.Subscript):  # `out=u[1:]`: into u
            if isinstance(kw.value.value, gast.Name):
                return kw.value.value.id
    f = n.func
    if isinstance(f, gast.Attribute) and f.attr == "fill" and isinstance(f.value, gast.Name):
        return f.value.id
    name = f.attr if isinstance(f, gast.Attribute) else getattr(f, "id", None)
    if name in ("put", "partition") and isinstance(f, gast.Attribute):  # np.put(y, i, v), y.put
        if isinstance(f.value, gast.Name) and len(n.args) < (3 if name == "put" else 2):
            return f.value.id  # `y.put(i, v)`, `y.partition(k)` (lower/inplace_np.method)
        if name == "put" and n.args and isinstance(n.args[0], gast.Name):
            return n.args[0].id
    if name in _WRITERS and n.args and isinstance(n.args[0], gast.Name):
        return n.args[0].id
    if name == "copyto" and n.args and isinstance(n.args[0], gast.Subscript):
        if isinstance(n.args[0].value, gast.Name):  # `np.copyto(u[::2], v)` (lower/inplace_np.py)
            return n.args[0].value.id
    if name == "next" and n.args and isinstance(n.args[0], gast.Name):  # lower/iterstate.py
        return n.args[0].id
    return None


def _target_names(t: gast.AST, out: set[str]) -> None:
    if isinstance(t, gast.Name):
        out.add(t.id)
    elif isinstance(t, (gast.Tuple, gast.List)):
        for e in t.elts:
            _target_names(e, out)
    elif isinstance(t, gast.Starred):
        _target_names(t.value, out)
    elif isinstance(t, (gast.Subscript, gast.Attribute)):
        base = t
        while isinstance(base, (gast.Subscript, gast.Attribute)):
            base = base.value
        if isinstance(base, gast.Name):
            out.add(base.id)


def changed(stmts: Iterable[gast.stmt]) -> set[str]:
    """The names `stmts` may rebind or update: `assigned` (``xs = ...``, ``xs[i] = v``) and the
    receivers of method calls (``xs.append(v)``; a module's function counts too: harmless)."""
    out = assigned(stmts)
    for n in (m for s in stmts for m in gast.walk(s)):
        f = n.func if isinstance(n, gast.Call) else None
        if isinstance(f, gast.Attribute) and isinstance(f.value, gast.Name):
            out.add(f.value.id)
    return out


def assigned(stmts: Iterable[gast.stmt]) -> set[str]:
    out: set[str] = set()
    for s in stmts:
        _assigned_stmt(s, out)
    return out


def _assigned_stmt(s: gast.stmt, out: set[str]) -> None:
    if isinstance(s, gast.Assign):
        for t in s.targets:
            _target_names(t, out)
    elif isinstance(s, (gast.AugAssign, gast.AnnAssign)):
        _target_names(s.target, out)
    elif isinstance(s, gast.For):
        _target_names(s.target, out)
        out |= assigned(s.body)
        out |= assigned(s.orelse)
    elif isinstance(s, (gast.While, gast.If)):
        out |= assigned(s.body)
        out |= assigned(s.orelse)
    elif isinstance(s, (gast.FunctionDef, gast.ClassDef)):
        out.add(s.name)
    elif isinstance(s, gast.Delete):  # `del xs[i]`: lower/idioms.delete rebinds xs
        for t in s.targets:
            _target_names(t, out)
    elif isinstance(s, (gast.Import, gast.ImportFrom)):
        for a in s.names:
            out.add((a.asname or a.name).split(".")[0])
    elif isinstance(s, gast.Expr):
        call = s.value
        if (
            isinstance(call, gast.Call)
            and isinstance(call.func, gast.Attribute)
            and call.func.attr in _MUTATORS
        ):
            _target_names(call.func.value, out)
    # walrus targets and `v = xs.pop()` receivers (lower/idioms.py rebinds xs): in the
    # statement's own expressions (nested bodies were visited above); cached per node (`_fill`)
    if isinstance(s, (gast.If, gast.While)):
        out |= _facts(s.test)[1]
    elif isinstance(s, gast.For):
        out |= _facts(s.iter)[1]
    elif not isinstance(s, (gast.FunctionDef, gast.ClassDef)):
        out |= _facts(s)[1]


_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}
_NAME, _CONSTANT = gast.Name, gast.Constant
# fields holding expression contexts or operators: BinOp/UnaryOp/BoolOp/AugAssign.op, Compare.ops
_NO_CHILD = frozenset({"ctx", "op", "ops"})


def children(node: gast.AST) -> list[gast.AST]:
    """The nodes `gast.iter_child_nodes(node)` gives, in its order, but the expression contexts
    and the operators (`ctx`: `Load`, `Store`, ...; `op`/`ops`: `Add`, `Lt`, ...: no fields,
    they bind or read nothing). Several times faster: the analyses here walk every node of a
    function."""
    t = type(node)
    if t is _NAME:  # the commonest nodes: a name has a child only as an annotated parameter
        a = node.annotation
        return [a] if isinstance(a, gast.AST) else []
    if t is _CONSTANT:  # a Python constant, never a node
        return []
    fields = _CHILD_FIELDS.get(t)
    if fields is None:
        fields = _CHILD_FIELDS[t] = tuple(f for f in t._fields if f not in _NO_CHILD)
    d = node.__dict__
    out = []
    for f in fields:
        v = d.get(f)
        if isinstance(v, gast.AST):
            out.append(v)
        elif isinstance(v, list):
            for x in v:  # (a loop: a comprehension per field cost more)
                if isinstance(x, gast.AST):
                    out.append(x)
    return out


def walk(node: gast.AST) -> list[gast.AST]:
    """`node` and every node below it (as `gast.walk`, but the expression contexts), breadth
    first."""
    out = [node]
    for n in out:
        out += children(n)
    return out


# per thread, while a lowering runs (`caching`): id(node) -> (node, its reads, the names its
# expressions rebind: walrus targets, `xs.pop()`); the entry keeps the node alive, so its id
# stays unique. Dropped when the outermost lowering ends (it would keep every tree alive).
_local = threading.local()
_NONE: frozenset[str] = frozenset()


@contextlib.contextmanager
def caching() -> Iterator[None]:
    """Cache `reads` and the expression bindings per node while the block runs (nested uses
    share the outermost one's cache)."""
    if getattr(_local, "cache", None) is not None:
        yield
        return
    _local.cache = {}
    try:
        yield
    finally:
        _local.cache = None


def current_cache() -> dict | None:
    """The cache `caching` keeps while a lowering runs (None outside one): lower/survey.py
    fills it."""
    return getattr(_local, "cache", None)


def forget() -> None:
    """Drop what `caching` holds (the trees changed)."""
    cache = getattr(_local, "cache", None)
    if cache is not None:
        cache.clear()


def reads(nodes: Iterable[gast.AST]) -> set[str]:
    out: set[str] = set()
    for node in nodes:
        out |= _facts(node)[0]
    return out


def _facts(node: gast.AST) -> tuple[frozenset[str], frozenset[str]]:
    cache = getattr(_local, "cache", None)
    if cache is None:
        cache = {}  # outside a lowering: nothing kept
    hit = cache.get(id(node))
    if hit is None or hit[0] is not node:
        return _fill(node, cache)  # one bottom-up pass caches every node below too
    return hit[1], hit[2]


def _own(node: gast.AST) -> tuple[set[str], frozenset[str]]:
    """What `node` itself reads and rebinds (not its children)."""
    own: set[str] = set()
    t = type(node)
    if t is gast.Name:
        if isinstance(node.ctx, gast.Load):
            own.add(node.id)
    elif t is gast.AugAssign:
        _target_names(node.target, own)
    elif t is gast.Subscript or t is gast.Attribute:
        if isinstance(node.ctx, gast.Store):
            _target_names(node, own)  # x[i] = v reads the old x
    elif t is gast.Call:
        f = node.func
        if isinstance(f, gast.Attribute):
            _target_names(f.value, own)
            if f.attr in _UPDATES and isinstance(f.value, gast.Name):
                return own, frozenset((f.value.id,))
        written = written_by_call(node)  # np.add.at(y, ...), out=y: lower/inplace_np rebinds y
        if written is not None:
            return own, frozenset((written,))
    elif t is gast.NamedExpr:
        b: set[str] = set()
        _target_names(node.target, b)
        return own, frozenset(b)
    return own, _NONE


COMPREHENSIONS = (gast.ListComp, gast.SetComp, gast.DictComp, gast.GeneratorExp)


def _fill(node: gast.AST, cache: dict) -> tuple[frozenset[str], frozenset[str]]:
    """Reads of `node` and the names its expressions rebind, computed bottom-up; caches both
    for every node it visits into `cache`."""
    own, binds = _own(node)
    for child in children(node):
        hit = cache.get(id(child))
        r, cb = hit[1:] if hit is not None and hit[0] is child else _fill(child, cache)
        own |= r
        if cb:
            binds = binds | cb
    if type(node) in COMPREHENSIONS:  # its targets are its own names (Python 3), but for
        targets: set[str] = set()  # reads of the first iterable, evaluated outside
        for g in node.generators:
            targets |= {n.id for n in walk(g.target) if type(n) is _NAME}
        first = node.generators[0].iter
        own = (own - targets) | set(cache[id(first)][1])
    elif type(node) in _FUNCTIONS:  # its parameters are its own names, its defaults,
        own = function_reads(node)  # annotations and decorators read outside
    result = frozenset(own)
    cache[id(node)] = (node, result, binds)
    return result, binds


_FUNCTIONS = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda)


def function_reads(node: gast.AST) -> set[str]:
    """The names a nested def/lambda reads from its scope: its body's but its parameters (a
    parameter `y` never reads the enclosing `y`), and those its default values, annotations and
    decorators read (evaluated where it is defined)."""
    a = node.args
    params = {n.id for n in (*a.posonlyargs, *a.args, *a.kwonlyargs) if type(n) is _NAME}
    params |= {n.id for n in (a.vararg, a.kwarg) if type(n) is _NAME}
    body = node.body if isinstance(node.body, list) else [node.body]
    inner: set[str] = set()
    for b in body:
        inner |= _facts(b)[0]
    out = inner - params
    outside = [a, *getattr(node, "decorator_list", ()), getattr(node, "returns", None)]
    for o in outside:
        if isinstance(o, gast.AST):
            out |= _facts(o)[0]
    return out


def exposed(stmts: list[gast.stmt], bound: frozenset[str] = frozenset()) -> set[str]:
    """Names possibly read before being bound, walking `stmts` in order, with the names `bound`
    bound before them: the reads exposed with nothing bound, minus `bound` (each name's
    exposure depends on that name alone: the walk only unions, intersects and subtracts sets
    of names), so one walk of a list answers every `bound` (a loop body is asked for by the
    walk of each statement list around it, by its carries and by its next round)."""
    return set(_list_facts(stmts)[0] - bound)


def exposed_stmt(s: gast.stmt) -> set[str]:
    """``exposed([s])``, the statement's nested lists' walks shared (`stmts` asks it for each
    compound statement of each list it lowers)."""
    return set(_stmt_facts(s)[0])


def _list_facts(stmts: list[gast.stmt]) -> tuple[frozenset[str], frozenset[str]]:
    """(the reads exposed in `stmts` with nothing bound before, the names surely bound after
    them). Kept while a lowering runs (`caching`), per statement list: the entry holds the list
    (its id stays unique) and its statements (a list changed in place is walked again);
    nothing edits a tree's lists in place meanwhile, and a rewrite that changes a tree drops
    the cache (`forget`), as for `reads`."""
    cache = getattr(_local, "cache", None)
    key = (_EXPOSED, id(stmts))
    hit = cache.get(key) if cache is not None else None
    if hit is not None and hit[0] is stmts and hit[1] == tuple(stmts):
        return hit[2]
    out: set[str] = set()
    bound: set[str] = set()
    for s in stmts:
        e, b = _stmt_facts(s)
        out |= e - bound
        bound |= b
    got = (frozenset(out), frozenset(bound))
    if cache is not None:
        cache[key] = (stmts, tuple(stmts), got)
    return got


_EXPOSED = "exposed"  # (the cache's other keys are node ids: ints)


def _stmt_facts(s: gast.stmt) -> tuple[set[str] | frozenset[str], set[str] | frozenset[str]]:
    """`_list_facts` of ``[s]`` (not kept: its nested lists' are)."""
    if isinstance(s, gast.If):
        e1, b1 = _list_facts(s.body)
        e2, b2 = _list_facts(s.orelse)
        return reads([s.test]) | e1 | e2, b1 & b2
    if isinstance(s, (gast.For, gast.While)):
        out = reads([s.iter] if isinstance(s, gast.For) else [s.test])
        target: set[str] = set()
        if isinstance(s, gast.For):
            _target_names(s.target, target)
        # The body may run zero times (its bindings are not definite after it), and a later
        # round sees earlier ones' bindings: a read in the body before the body binds the name
        # is exposed (a name the body binds before reading it in every round is not: `for q in
        # ps: d = q.pos` in a loop body)
        out |= _list_facts(s.body)[0] - target
        out |= _list_facts(s.orelse)[0]
        return out, frozenset()
    if isinstance(s, gast.FunctionDef):
        # (its own name, read when it runs: after this binds it)
        return reads(s.body) - {a.id for a in s.args.args} - {s.name}, {s.name}
    bound: set[str] = set()
    _assigned_stmt(s, bound)
    return reads([s]), bound


def next_round(body: list[gast.stmt], target: gast.AST | None = None) -> set[str]:
    """The names the next iteration of a loop with `body` (and a ``for`` `target`) may read
    before binding them (lower/livekill.py); all it reads when the target is an item/field."""
    bound: set[str] = set()
    if target is not None:
        if any(isinstance(n, (gast.Subscript, gast.Attribute)) for n in gast.walk(target)):
            return reads(body)
        _target_names(target, bound)
    return exposed(body, frozenset(bound))


_NO_EXIT = frozenset({gast.Assign, gast.Expr, gast.AugAssign, gast.AnnAssign})  # (no body)


def _exits(s: gast.stmt, loop_level: bool) -> bool:
    """Does `s` contain a return, or a break/continue that leaves the enclosing loop body?"""
    if type(s) in _NO_EXIT:  # the commonest statements: none of the kinds below
        return False
    if isinstance(s, gast.Return):
        return True
    if isinstance(s, (gast.Break, gast.Continue)):
        return loop_level
    if isinstance(s, (gast.FunctionDef, gast.ClassDef)):
        return False
    if isinstance(s, (gast.For, gast.While, gast.If)):
        # kept while a lowering runs (`caching`), as `reads`: a compound statement is asked
        # again for each statement list around it (`stmts`, a loop's carries)
        cache = getattr(_local, "cache", None)
        key = (_EXITS, id(s), loop_level)
        hit = cache.get(key) if cache is not None else None
        if hit is not None and hit[0] is s and hit[1] is s.body and hit[2] is s.orelse:
            return hit[3]
        if isinstance(s, gast.If):
            out = any(_exits(c, loop_level) for c in s.body + s.orelse)
        else:  # a break in the `else` leaves the outer loop
            out = any(_exits(c, False) for c in s.body) or any(
                _exits(c, loop_level) for c in s.orelse
            )
        if cache is not None:
            cache[key] = (s, s.body, s.orelse, out)
        return out
    return False


_EXITS = "exits"


def may_exit(stmts: Iterable[gast.stmt]) -> bool:
    for s in stmts:  # (a loop: a generator per call cost more)
        if _exits(s, True):
            return True
    return False


def always_exits(stmts: list[gast.stmt]) -> bool:
    """Every path through `stmts` ends in return/break/continue/raise."""
    for s in stmts:
        if isinstance(s, (gast.Return, gast.Break, gast.Continue, gast.Raise)):
            return True
        if isinstance(s, gast.If) and always_exits(s.body) and always_exits(s.orelse):
            return True
    return False


def has_break_or_return(body: list, in_nested_loop: bool = False) -> bool:
    """`body` holds a `return`, or a `break` of the loop it is the body of (`in_nested_loop`: of a
    loop inside it)."""
    for s in body:
        if isinstance(s, gast.Return):
            return True
        if isinstance(s, gast.Break) and not in_nested_loop:
            return True
        if isinstance(s, (gast.For, gast.While)):
            if has_break_or_return(s.body, True) or has_break_or_return(s.orelse, in_nested_loop):
                return True
        elif isinstance(s, gast.If):
            if has_break_or_return(s.body, in_nested_loop) or has_break_or_return(
                s.orelse, in_nested_loop
            ):
                return True
    return False
