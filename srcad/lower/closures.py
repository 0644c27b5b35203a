"""Nested functions called where they are defined: their bodies inlined at the call, and the
enclosing function's variables they rebind (``nonlocal``) or update (``xs.append(v)``,
``d[k] = v``) written back into the caller's environment.

Input: a `NestedFn` and the call node, with the lowering state (`lw`). Output: the call's value;
`lw.env` holds the enclosing variables as the call left them, exactly as if the body had been
written at the call (Python runs it there, on the same objects). `enclosing_writes` names the
variables some nested function may write, so a loop whose body calls one carries them (the
call site shows no assignment).

    acc = 0.0
    def add(v):
        nonlocal acc
        acc += v * w
    for v in vs:       # `acc` is carried
        add(v)

A nested function that writes an enclosing variable is still refused where srcad must make it a
function of its own (lower/lift.py) and when the variable is not a local of a function srcad is
lowering (a closure cell of the transformed function: the write would leave the transform).
"""

from __future__ import annotations

import types
from typing import Any

import gast

from srcad import lazy
from srcad.lower import (
    argwrites,
    genglobals,
    genzip,
    laterflow,
    nestedargs,
    objseq,
    objstate,
    oneshot,
    scope,
    unbound,
)
from srcad.lower.lift import bind_nested, declared_nonlocal
from srcad.lower.nestedfields import writable
from srcad.lower.scope import RET, RETVAL
from srcad.lower.values import NestedFn, locals_and_nested, same
from srcad.ssa.core import Const, Operand, Var

_fnargs = lazy.module("srcad.lower.fnargs")  # (it imports this module)


def own_locals(fnode: Any) -> set[str]:
    """The names local to the nested def/lambda `fnode` (its `nonlocal` names are not)."""
    inner, _ = locals_and_nested(fnode)
    if not isinstance(fnode, gast.FunctionDef):
        return inner
    return inner - declared_nonlocal(fnode)


def enclosing_writes(fnode: Any) -> set[str]:
    """Names of enclosing functions the nested def `fnode`, or a function nested in it, may rebind
    or update in place (syntactically: `scope.assigned` of its body that are not its locals)."""
    if not isinstance(fnode, gast.FunctionDef):
        return set()
    inner, nested = locals_and_nested(fnode)
    own = inner - declared_nonlocal(fnode)
    out = scope.assigned(fnode.body) - own
    for g in nested:
        out |= enclosing_writes(g) - own
    return out


def _nested_writes(fnode: Any) -> frozenset[str]:
    """The names the functions nested in the def `fnode` may write (its own variables among
    them); none for a lambda."""
    if not isinstance(fnode, gast.FunctionDef):
        return frozenset()
    return frozenset().union(*map(enclosing_writes, locals_and_nested(fnode)[1]))


def carried_writes(lw: Any, stmts: list) -> set[str]:
    """The enclosing variables a nested function called in `stmts` may write (a loop over
    `stmts` carries them): every name some nested function writes, when `stmts` call anything,
    that has a value here."""
    if not lw.enclosing_writes or not any(
        isinstance(n, gast.Call) for s in stmts for n in scope.walk(s)
    ):
        return set()
    return {n for n in lw.enclosing_writes if isinstance(lw.env.get(n), (Var, Const))}


def walrus_targets(node: Any) -> set[str]:
    """Names a ``:=`` in the comprehension `node` binds: Python binds them in the enclosing
    function (PEP 572), not in the comprehension; a lambda's own ``:=`` binds in the lambda."""
    out: set[str] = set()
    todo = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, gast.NamedExpr) and isinstance(n.target, gast.Name):
            out.add(n.target.id)
        todo += [c for c in scope.children(n) if not isinstance(c, _OWN_SCOPE)]
    return out


_OWN_SCOPE = (gast.Lambda, gast.FunctionDef)
_COMPREHENSIONS = (gast.ListComp, gast.SetComp, gast.GeneratorExp, gast.DictComp)


def comprehension_writes(lw: Any, node: Any) -> set[str]:
    """The enclosing variables the comprehension `node` may write: those of the nested functions
    it calls (`carried_writes`) and its ``:=`` targets, which must have a value before it."""
    writes = carried_writes(lw, [node]) | objstate.object_writes(lw, [node])
    genglobals.check_comprehension(lw, node)  # (a module-level object a helper it calls updates)
    for n in sorted(walrus_targets(node)):
        if n not in lw.env:  # `[y := f(v) for v in xs]; y`: the last item's, as a `for` loop's
            lw.env[n] = unbound.placeholder(n)  # (Python's UnboundLocalError after no item)
        if not isinstance(lw.env.get(n), (Var, Const)):
            raise lw.error(
                node,
                f"a `:=` in this comprehension binds `{n}` in the function, which has no value "
                "before it",
                f"assign `{n}` before the comprehension, or write a `for` loop",
            )
        writes.add(n)
    return writes


# calls that consume an iterable argument at once and whole (a generator or `map` given to one
# runs now); not `any`/`all`, which stop at the first true/false item: Python skips the rest
CONSUMERS = frozenset({"builtins.list", "builtins.tuple", "sum", "max", "min", "sorted",
                       "builtins.dict", "math.fsum", "math.prod"})  # fmt: skip


# library calls returning an iterator over their argument: they do not consume it at once
LAZY_CALLS = frozenset({"iter", "enumerate", "zip", "map", "filter", "reversed"})


EARLY_STOP = frozenset({"any", "all", "next", "builtins.any", "builtins.all", "builtins.next"})


def note_consumer(lw: Any, name: str, node: gast.Call) -> None:
    """The arguments of a call of the library function `name` that takes iterators whole when it
    is called (`sum`, `list`, `np.fromiter`; not `enumerate`, `zip`, `itertools.*`) are consumed
    at once (`lw.eager`); those of `any`/`all`/`next` are read at once, perhaps in part
    (`lw.now`: a generator's writes are refused, not its reads, see `check_later`)."""
    short = name[len("builtins.") :] if name.startswith("builtins.") else name
    if short in objseq.READERS:  # `max(ms)`, `sorted(ms, key=f)`: `ms` read, not escaped
        lw.readers.update(map(id, node.args[:1]))
    if short in LAZY_CALLS or name.startswith("itertools.") or name == "functools.partial":
        return
    (lw.now if name in EARLY_STOP and name not in CONSUMERS else lw.eager).update(
        map(id, node.args)
    )


def check_lazy(lw: Any, node: Any, what: str, eager: bool, now: bool = True) -> None:
    """Refuse `node` (a generator expression, a `map`/`filter` call), which Python runs item by
    item when it is consumed, when it calls a nested function that writes an enclosing variable
    (or binds one with ``:=``) and is not consumed at once (`eager`): the writes would happen
    when srcad evaluates it."""
    if now and not eager and id(node) not in lw.now:
        check_later(lw, node, what)
    writes = comprehension_writes(lw, node)
    if writes and not eager:
        raise lw.error(
            node,
            f"this {what} runs its items when it is consumed, and it writes "
            f"{objstate.pretty(sorted(writes)[0])} (a `:=` or a function it calls); srcad evaluates it "
            "where it is written",
            "build a list (`[...]`) or pass it straight to `list`/`sum`/...",
        )


def check_later(
    lw: Any, node: Any, what: str, at: Any = None, extra: frozenset[str] = frozenset()
) -> None:
    """`node`, a generator expression or `map`/`filter` computed at `at` (default: where it is
    written) although Python runs its items later (it is not consumed at once: passed to a
    helper, stored, annotated, unpacked, the argument of `enumerate`/`zip`): refused when a
    statement that may run after that point rebinds or updates a name it reads (or one of
    `extra`: what a generator's body reads from this scope), or another name of the same value
    (``ys = xs; ...; ys[0] = v``), in this function or in a caller inlining it.
    In a ``for`` loop's iterable, only the loop's body runs before the loop has taken it all.
    A name only a generator expression's first iterable reads (``x`` and ``k`` of
    ``enumerate(x * k)``) is evaluated when it is made, in Python too: rebinding it later is
    harmless, only an update of its object in place counts (`_updated`)."""
    made = _made_names(node) - extra
    names = (free_names(node) | extra) - made
    vals = [v for v in (lw.env.get(n) for n in names) if isinstance(v, Var)]
    made_vals = [v for v in (lw.env.get(n) for n in made) if isinstance(v, Var)]
    _check_comprehensions(lw, node, names, what)
    at = node if at is None else at
    objs = genglobals.expr_reads(lw, node)  # module-level objects: a helper called may update
    ended = None  # the inline depth whose function has returned after `at` (lower/laterflow.py)
    for s, rest, depth, env in reversed(lw.later):
        if depth == ended and not laterflow.stops(s):
            continue
        ended = None
        header = s.test if isinstance(s, (gast.If, gast.While)) else None
        header = s.items if isinstance(s, gast.With) else header
        if isinstance(s, gast.For) and _inside(at, s.iter):
            stmts, last = s.body, True
        elif isinstance(s, (gast.For, gast.While)) or _inside(at, header):
            stmts, last = [s, *rest], False  # a loop runs again; an `if` runs its body
        else:
            stmts, last = rest, False
        same_scope = depth == lw.inline_depth
        # (a helper updating an argument in place shows no assignment: argwrites.carried)
        changed = sorted(scope.changed(stmts) | argwrites.carried(lw, stmts))
        if objs:  # (``bump()`` updating a module-level list the items read: any scope)
            hit = genglobals.overlap(objs, genglobals.stmt_writes(lw, stmts))
            changed = hit + changed
            names = names | set(hit)
            same_scope = same_scope or bool(hit)
        updated = _updated(stmts) if made else set()
        held = _held_updates(stmts) if vals or made_vals else set()
        for c in changed:
            if genzip.module_call_only(lw, c, stmts, node):
                continue  # (``np.sum(..)`` in a later statement rebinds no name the items read)
            v = (lw.env if same_scope else env).get(c)
            hit = (same_scope and c in names) or (isinstance(v, Var) and any(v is u for u in vals))
            if not hit and c in held:  # (``holder[0][1] = v``: holder may hold what it reads)
                hit = _may_hold(lw, v)
            # the object a first iterable read, changed in place (a module's function called,
            # ``np.f(..)``, changes no object that iterable holds)
            if not hit and c in updated and not _module(lw, c):
                hit = (same_scope and c in made) or (
                    isinstance(v, Var) and any(v is u for u in made_vals)
                )
            if hit:
                raise lw.error(
                    node,
                    f"this {what} runs its items when it is consumed, after `{c}` is rebound "
                    "or updated by a later statement; srcad computes them where it is written",
                    "pass it straight to `sum`/`list`/..., or build a list (`[...]`) where you "
                    "mean the values of that moment",
                )
        if last:
            return
        if laterflow.returns(rest):
            ended = depth


def _module(lw: Any, name: str) -> bool:
    """`name` reads a module (``np``, ``itertools``): a call of its function is no update of
    an object a first iterable read (the iterable is never the module itself)."""
    if name in lw.py_locals:
        return False
    return isinstance(lw.ns.lookup(name)[1], types.ModuleType)


def _check_comprehensions(lw: Any, node: Any, names: set[str], what: str) -> None:
    """Refuse `node`, made inside a comprehension whose target it reads when its items run
    (``[(v * i for v in x) for i in range(3)]``): the comprehension moves the target on before
    they run, so Python's items all see its last value; srcad's, the value of their turn."""
    for frame, targets, _, depth in getattr(lw, "comp_frames", ()):
        hit = sorted(targets & names) if depth == lw.inline_depth and frame is not node else []
        if hit:
            raise lw.error(
                node,
                f"this {what} runs its items when it is consumed, after the comprehension "
                f"around it has moved `{hit[0]}` on (Python's items see its last value); srcad "
                "computes them where it is written",
                "consume it in the comprehension (`[sum(...) for ...]`), or build a list "
                "(`[...]`) where you mean the values of that turn",
            )


def _made_names(node: Any) -> set[str]:
    """The names only the first iterable of the generator expression `node` reads (Python
    evaluates it when the generator is made); empty for other nodes."""
    if not isinstance(node, gast.GeneratorExp):
        return set()
    first = node.generators[0].iter
    mine = {id(n) for n in gast.walk(first)}
    rest = {n.id for n in gast.walk(node) if isinstance(n, gast.Name) and id(n) not in mine}
    return free_names(first) - rest


def _updated(stmts: list) -> set[str]:
    """The names whose objects `stmts` may change in place: the base of a subscript or
    attribute target (``xs[i] = v``, ``del xs[i]``), an augmented target, a method call's
    receiver (``xs.append(v)``), a name passed to a call (``np.copyto(xs, v)``, a helper)."""
    out: set[str] = set()
    for n in (m for s in stmts for m in gast.walk(s)):
        if isinstance(n, (gast.Subscript, gast.Attribute)) and not isinstance(n.ctx, gast.Load):
            scope._target_names(n, out)
        elif isinstance(n, gast.AugAssign):
            scope._target_names(n.target, out)
        elif isinstance(n, gast.Call):
            if isinstance(n.func, gast.Attribute) and isinstance(n.func.value, gast.Name):
                out.add(n.func.value.id)
            args = [*n.args, *(k.value for k in n.keywords)]
            out |= {a.id for a in args if isinstance(a, gast.Name)}
            out |= {a.value.id for a in args if isinstance(a, gast.Starred)
                    and isinstance(a.value, gast.Name)}  # fmt: skip
    return out


def _held_updates(stmts: list) -> set[str]:
    """The names through whose items or attributes `stmts` may change another object in place
    (``holder[0][1] = v``, ``holder[0] += v``, ``h.a.sort()``, ``np.copyto(holder[0], v)``):
    the object may be one a pending iterator reads under another name."""
    out: set[str] = set()
    for n in (m for s in stmts for m in gast.walk(s)):
        if isinstance(n, (gast.Subscript, gast.Attribute)) and not isinstance(n.ctx, gast.Load):
            if isinstance(n.value, (gast.Subscript, gast.Attribute)):
                scope._target_names(n, out)
        elif isinstance(n, gast.AugAssign) and isinstance(
            n.target, (gast.Subscript, gast.Attribute)
        ):
            scope._target_names(n.target, out)
        elif isinstance(n, gast.Call):
            f = n.func
            if isinstance(f, gast.Attribute) and isinstance(
                f.value, (gast.Subscript, gast.Attribute)
            ):
                scope._target_names(f.value, out)
            for a in [*n.args, *(k.value for k in n.keywords)]:
                if isinstance(a, (gast.Subscript, gast.Attribute)):
                    scope._target_names(a, out)
    return out


def _may_hold(lw: Any, v: Any) -> bool:
    """May the value `v` hold other objects (a list, dict, object, argument)? Not an array a
    NumPy call made (``out = np.zeros(n)``: its items are numbers)."""
    if not isinstance(v, Var):
        return True
    for ops in (lw.b.block.ops, *reversed(lw.outer_ops)):
        for op in ops:
            if v in op.results:
                return not op.prim.startswith("numpy.")
    return True


def _inside(node: Any, tree: Any) -> bool:
    if tree is None:
        return False
    trees = tree if isinstance(tree, list) else [tree]
    # ``zip(a, b)`` as a value is lowered as ``($t for $t in zip(a, b))``, a new node evaluated
    # where the call is written (lower/idioms_more.zip_value): the call's own place counts
    mine = {id(node)}
    if isinstance(node, gast.GeneratorExp) and getattr(node, "srcad_wraps", False):
        mine.add(id(node.generators[0].iter))
    return any(id(n) in mine for t in trees for n in gast.walk(t))


def free_names(node: Any) -> set[str]:
    """The names `node` reads from its scope: not the targets of its comprehensions or the
    parameters of its lambdas."""
    own: set[str] = set()
    for n in gast.walk(node):
        if isinstance(n, gast.comprehension):
            scope._target_names(n.target, own)
        elif isinstance(n, gast.Lambda):
            own |= {a.id for a in n.args.args}
    return {n.id for n in gast.walk(node) if isinstance(n, gast.Name)} - own


def _module(lw: Any, name: str) -> bool:
    return isinstance(lw.ns.lookup(name)[1], types.ModuleType)


def inline(lw: Any, f: NestedFn, node: gast.Call, max_depth: int, wrap: Any = None) -> Operand:
    """Lower a call to a nested def/lambda by lowering its body in place (closures read the
    caller's current environment, like Python's late binding); the enclosing variables it
    writes, and the caller's variables passed for parameters it updates in place
    (lower/argwrites.py), are rebound in the caller's environment afterwards. `wrap`: given what
    the body returns, in the body's environment, the call's value or None (lower/factories.py)."""
    fnode = f.node
    a = fnode.args
    if lw.inline_depth >= max_depth:
        lw.too_deep = fnode  # (a recursive function is then lifted: lower/recursion.py)
        raise lw.error(
            node,
            f"the nested function `{f.name}` is recursive (or nested too deeply)",
            "move recursive functions to module level",
        )
    names = [p.id for p in a.posonlyargs + a.args]
    oneshot.check_inlined(lw, fnode, names, node)
    plain = nestedargs.plain(f)  # else *args, keyword-only, **kwargs: lower/nestedargs.py
    given = _function_args(lw, f, node) if plain else None
    bound = bind_nested(lw, f, names, node, given) if plain else nestedargs.bind(lw, f, node)
    inner_locals = own_locals(fnode)
    outer_env, outer_locals, outer_ok, outer_keep, outer_writes = (
        lw.env,
        lw.py_locals,
        lw.nonlocal_ok,
        lw.keep_refs,
        lw.enclosing_writes,
    )
    # (`np.sort(v)`, `np.insert(...)` look like list updates of a name: not of a module)
    writes = {n for n in enclosing_writes(fnode) if n in outer_env or not _module(lw, n)}
    if writes:
        for n in sorted(writes):
            if not writable(outer_env, fnode, n):  # (lower/nestedfields.py)
                raise lw.error(
                    node,
                    f"the nested function `{f.name}` writes `{n}`, which is not a variable of "
                    "the function srcad transforms (or has no value at this call)",
                    f"assign `{n}` before the call, or return the new value from `{f.name}`",
                )
    back = argwrites.writes_back(lw, f, node)  # `put(a)` writing `v[0] = ...`: a updated
    env = {k: v for k, v in outer_env.items() if not k.startswith("$")}
    unshadow(lw, fnode, env)
    for n in inner_locals:
        env.pop(n, None)
    for n in sorted(unbound.free_unbound(lw, outer_env, inner_locals)):  # NameError, not a global
        env[n] = unbound.placeholder(n)
    env.update(bound)
    env[RET], env[RETVAL] = Const(False), Const(None)
    # the variables it writes are the body's to rebind (and live after it: written back)
    lw.env, lw.py_locals = env, inner_locals | writes
    lw.nonlocal_ok = declared_nonlocal(fnode) if isinstance(fnode, gast.FunctionDef) else set()
    # the functions nested in this one may write its own variables (``nonlocal tot`` in a def
    # inside it): a loop of its body calling one carries them (`carried_writes`)
    lw.enclosing_writes = outer_writes | _nested_writes(fnode)
    lw.inline_depth += 1
    lw.keep_refs = wrap is not None
    try:
        if isinstance(fnode, gast.Lambda) and wrap is None:
            result = lw.value(fnode.body)
        elif isinstance(fnode, gast.Lambda):  # `lambda b: (lambda x: ...)`: carried by `wrap`
            body = lw.expr(fnode.body)
            made = wrap(body)
            result = made if made is not None else lw.operand(body, fnode.body)
        else:
            lw.stmts(fnode.body, set(writes))
            ret = lw.env[RETVAL]
            made = wrap(ret) if wrap is not None else None
            result = made if made is not None else lw.operand(ret, node)
        inner_env = lw.env
    finally:
        lw.inline_depth -= 1
        lw.env, lw.py_locals, lw.nonlocal_ok, lw.keep_refs, lw.enclosing_writes = (
            outer_env,
            outer_locals,
            outer_ok,
            outer_keep,
            outer_writes,
        )
    for n, v in inner_env.items():  # the enclosing variables the body rebound or updated
        if n[0] != "$" and n not in inner_locals and n in outer_env and not same(outer_env[n], v):
            outer_env[n] = v
    argwrites.write_back(lw, back, inner_env)  # (lw.env is outer_env again)
    return result


def enter_comprehension(lw: Any, node: Any, targets: set[str], outer_env: dict) -> dict:
    """The environment of a comprehension's body (a copy of `outer_env`), its targets recorded:
    a nested function of the enclosing scope called inside reads that scope's bindings of them
    (Python gives a comprehension a scope of its own), not the comprehension's (`unshadow`)."""
    frames = getattr(lw, "comp_frames", None)
    if frames is None:
        frames = lw.comp_frames = []
    frames.append((node, frozenset(targets), outer_env, lw.inline_depth))
    return dict(outer_env)


def leave_comprehension(lw: Any, outer_env: dict) -> dict:
    """Undo `enter_comprehension`; `outer_env`, for the caller to rebind."""
    lw.comp_frames.pop()
    return outer_env


def unshadow(lw: Any, fnode: Any, env: dict) -> None:
    """In `env` (a nested function's call inside comprehensions of its defining scope), the
    comprehensions' targets rebound to their values outside them, from the innermost
    comprehension out to the one that holds the function's definition: ``sum(g(x) for i in r)``
    with ``g`` reading the function's ``i``."""
    for node, targets, outer, depth in reversed(getattr(lw, "comp_frames", ())):
        if depth != lw.inline_depth or _inside(fnode, node):
            break
        for t in targets:
            if t in outer:
                env[t] = outer[t]
            else:
                env.pop(t, None)


def _function_args(lw: Any, f: NestedFn, node: gast.Call) -> Any:
    """The call's arguments with the functions among them as themselves (a nested one carried
    with the environment of this moment: lower/fnargs.carry), when `node` passes one to the
    nested function `f` (``scan(step, c0, xs)`` of two nested functions): the caller is
    suspended while `f` runs, so that environment is the one Python's closure reads, unless `f`
    or a nested function it may call writes the caller's variables (then None: lowered as
    before). None for other calls."""
    if any(isinstance(a, gast.Starred) for a in node.args) or any(
        k.arg is None for k in node.keywords
    ):
        return None
    parts = [*node.args, *(k.value for k in node.keywords)]
    if not any(_fnargs._is_fn_arg(lw, a) for a in parts):
        return None
    if enclosing_writes(f.node) or lw.enclosing_writes:  # (`f` may call one that writes)
        return None
    return _fnargs.call_args(lw, node)
