"""Mutation check: refuse programs whose meaning depends on Python's shared mutable objects.

Input: a lowered `Function` and how to get its callees' IR (`check_mutations`, at lowering time)
and, per transform, what the call site knows about the argument types (`check_transform`).
Output: nothing, or a `LoweringError` pointing at the read or the update.

The IR treats ``x[i] = v``, ``lst.append(v)`` and ``x op= v`` on arrays as functional updates (a
new value), which matches Python only if nothing reads the *old* object afterwards: another name
bound to it (``b = a``), a view of it (``v = a[1:3]``, ``a.T``), a container holding it (``t =
(a, 1)``, ``out.append(a)``), an element read back from such a container, or the same name in a
later loop iteration. Such a read would see the change in Python but not in srcad, so it is
refused. So is an update of an object the caller can see (an argument, a global, a closure value):
the generated code would leave it unchanged. passes/alias_flow.py does the analysis; a function
whose updates all act on objects it made and hands along linearly (`passes/alias_confined.py`:
building a list with `append`, filling a new array) needs none.

    b = a            # b and a are one array
    a[0] = 1.0       # srcad: a new `a`; Python: b changes too
    return b         # error: `b` is read after ... is modified at line 2

Whether ``x op= v`` updates in place (arrays) or rebinds (numbers), whether ``x[i]`` is a copy
(1-D arrays) or a view, and whether an argument holds other objects depend on the argument types:
a hazard that goes away when all three are assumed harmless is decided per transform, on a copy
of the IR taken before optimization (a dead update still changes what Python's aliases see).
"""

from __future__ import annotations

import functools
import inspect
import re
import threading
import types
from collections.abc import Callable

from srcad.errors import LoweringError, SrcadError
from srcad.frontend.source import unwrap
from srcad.lower import argitems
from srcad.lower.argcopy import WRITE_BACK
from srcad.lower.argreturn import RETURNED
from srcad.lower.values import static_value
from srcad.passes.alias_confined import confined
from srcad.passes.alias_dead import live_hazards
from srcad.passes.alias_flow import Facts, Flow
from srcad.passes.alias_index import dict_value
from srcad.passes.alias_model import MUTATORS
from srcad.passes.alias_names import copy_read
from srcad.passes.alias_nones import decide_nones
from srcad.passes.scalars import known_scalar_vars, one_d_vars, scalar_vars
from srcad.ssa.census import ops_of
from srcad.ssa.clone import snapshot
from srcad.ssa.core import Function, Op, Var, walk_ops

LowerCallee = Callable[[types.FunctionType], Function]
_busy = threading.local()  # code objects whose mutation check is running (recursive helpers)


def check_mutations(fn: Function, lower_callee: LowerCallee) -> None:
    """Raise the hazards no argument type can excuse; keep the others for `check_transform`.
    `lower_callee` gives the checked IR of a called user function (`srcad.passes.prepare.lowered`,
    which this module cannot import: it calls this check).

    Sets `fn.param_mutations` (which arguments a caller would see updated), `fn.return_aliases`
    (what the return value may be or hold, for callers' analyses) and `fn.alias_recheck`.
    The `rebound` keyword of the edit marks (lower/listedits._mark_updated) is for this check
    only: dropped from `fn` when it is done (its `alias_recheck` copy keeps it)."""
    try:
        _check_mutations(fn, lower_callee)
    finally:
        for op in fn.augmented:
            if op.kwargs and "rebound" in op.kwargs:
                op.kwargs = {}


def _check_mutations(fn: Function, lower_callee: LowerCallee) -> None:
    fn.alias_recheck = None
    fn.alias_deferred = False
    fn.return_aliases = None  # computed when a caller needs it (`_call_summary`)
    if MUTATORS.isdisjoint({op.prim for op in ops_of(fn.body)}) and not (  # (`ssa/census.py`)
        fn.augmented or fn.item_augmented
    ):
        fn.param_mutations = {}
        return  # nothing changes in place: no hazard
    fn.lower_callee = lower_callee  # `check_transform` runs the analysis again
    if confined(fn):  # passes/alias_confined.py: the analysis would find nothing
        fn.param_mutations = {}
        return  # `return_aliases` as for no update: computed when a caller needs it
    flow = _run(fn, Facts())
    fn.param_mutations = _param_mutations(fn, flow)
    fn.return_aliases = _return_aliases(flow)
    fn.alias_deferred = bool(flow.hazards or _global_effects(flow))
    if fn.alias_deferred:
        # every parameter a number: the most values known to be numbers any call can give
        sure = _run(fn, Facts(scalar_vars(fn, set(fn.params), None, "any"), optimistic=True))
        _raise_first(fn, sure, top=False, helper=False)
    if fn.alias_deferred or fn.param_mutations or (flow.copies_param and fn.item_augmented):
        fn.alias_recheck = snapshot(fn)  # (before optimization)


def check_transform(
    fn: Function,
    scalar_params: tuple = (),
    param_ndims: dict | None = None,
    param_seqs: dict | None = None,
    helper_ndims: dict | None = None,
    boxes: tuple | frozenset = (),
    nones: tuple | frozenset = (),
    f64: tuple = (),
) -> None:
    """Decide the hazards the lowering deferred, now that the argument types are known.

    `param_ndims` is None for a helper called by a differentiated function (its caller checks
    the arguments it updates; `helper_ndims`: the ranks of the float arrays its caller passes,
    `scalar_params` the numbers); otherwise `fn` is the differentiated function itself and
    updating an argument in place is refused too (the caller's object would not change);
    `boxes`: its list and dict arguments holding numbers only (`Spec.numbers`); `nones`: the
    arguments that are None (`passes/alias_nones.py`: immutable, their ``is None`` decided)."""
    pre = getattr(fn, "alias_recheck", None)
    if pre is None:
        return
    top = param_ndims is not None
    if not top and not fn.alias_deferred:
        return
    if nones:
        pre = decide_nones(pre, frozenset(pre.params[i] for i in nones if i < len(pre.params)))
        scalar_params = (*scalar_params, *(i for i in nones if i not in scalar_params))
    known = (*scalar_params, *(param_ndims or helper_ndims or {}), *boxes)
    pre = argitems.strip(pre, known)  # (items of arrays and numbers: no copies to follow)
    ndims = {pre.params[i]: n for i, n in (param_ndims or helper_ndims or {}).items()}
    kinds = param_seqs or {}
    seqs = frozenset(  # lists/tuples of numbers only: ``for th in thetas: x += th``
        pre.params[i] for i in boxes if type(kinds.get(i)) is tuple and kinds[i][0] == "s"
    )
    dicts = frozenset(  # dicts of numbers only: ``for k in keys: d[k] += v`` rebinds an item
        pre.params[i] for i in boxes if type(kinds.get(i)) is tuple and kinds[i][0] == "d"
    )
    scal = known_scalar_vars(pre, {pre.params[i] for i in scalar_params}, ndims, seqs, dicts, top)
    leaf = frozenset(scalar_params) | frozenset((param_ndims or helper_ndims or {}).keys())
    leaf |= frozenset(boxes)  # (a list of numbers holds no object: ``p[0] += v`` rebinds one)
    facts = Facts(scal, one_d_vars(pre, ndims, scal), leaf, ndims=ndims, top=top)
    facts.f64 = frozenset(pre.params[i] for i in f64 if i < len(pre.params))  # (alias_index)
    facts.box_params = frozenset(boxes)  # (a helper's: lists its caller made of numbers)
    if top:  # the lists/dicts among the arguments (`alias_nested.box_like`)
        kinds = (param_seqs or {}).items()
        facts.box_params |= frozenset(i for i, k in kinds if type(k) is tuple and k[0] in "sd")
        facts.dicts = frozenset(
            pre.params[i] for i, k in (param_seqs or {}).items() if type(k) is tuple and k[0] == "d"
        )
    _raise_first(pre, _run(pre, facts), top=top, helper=not top)


def typed_param_mutations(
    fn: Function, scalar_params: tuple, helper_ndims: dict | None, boxes: frozenset, seqs: frozenset
) -> dict[int, tuple[str, Op]]:
    """`fn.param_mutations` decided again knowing which arguments a caller passes are numbers
    (`scalar_params`), float arrays of a known rank (`helper_ndims`), lists, tuples or dicts of
    numbers (`boxes`; `seqs`: the lists and tuples): ``a = x[0]; a += v`` on a 1-D float array,
    a list of ints, or ``x[0, tags[0]]`` of a 2-D one only rebinds `a`, on a 2-D array ``x[0]``
    is a row it updates."""
    pre = getattr(fn, "alias_recheck", None)
    if pre is None or not (scalar_params or helper_ndims or boxes):
        return fn.param_mutations
    helper_ndims = helper_ndims or {}
    ndims = {pre.params[i]: n for i, n in helper_ndims.items()}
    items = frozenset(pre.params[i] for i in seqs)
    dicts = frozenset(pre.params[i] for i in boxes) - items  # (``d[k]`` a number, as top's)
    scal = scalar_vars(pre, {pre.params[i] for i in scalar_params}, ndims, "known", items, dicts)
    leaf = frozenset(scalar_params) | frozenset(helper_ndims) | frozenset(boxes)
    facts = Facts(scal, one_d_vars(pre, ndims, scal), leaf, ndims=ndims, top=False)
    facts.box_params = frozenset(boxes)
    return _param_mutations(pre, _run(pre, facts))


def _run(fn: Function, facts: Facts) -> Flow:
    code = getattr(fn.pyfunc, "__code__", None)
    busy = getattr(_busy, "codes", None)
    if busy is None:
        busy = _busy.codes = set()
    added = code is not None and code not in busy
    if added:
        busy.add(code)
    try:
        lower_callee = getattr(fn, "lower_callee", None)
        summary = functools.partial(_call_summary, lower_callee) if lower_callee else _no_summary
        return Flow(fn, facts, summary).run()
    finally:
        if added:
            busy.discard(code)


def _return_aliases(flow: Flow) -> tuple[frozenset, frozenset, str, tuple | None]:
    """(what the return value may be, may hold, "dict" when it is a dict made here, "box" when a
    list/tuple/dict made here, else "", which positions of a returned tuple of new arrays hold
    one: `alias_calls.fresh_positions`)."""
    given = _given_back(flow.fn)
    ret = flow.ret | given
    made_here = bool(ret) and all(o[0] in ("n", "o") for o in ret)
    box = "box" if made_here and all(o[1] in flow.boxes for o in ret) else ""
    dicts = box and all(o[1] in flow.dicts for o in ret)  # (the dict itself, not `d.items()`)
    box = "dict" if dicts and dict_value(flow, flow.fn.body.yields[0]) else box
    made = frozenset() if flow.ret_made is None else frozenset({("m", flow.ret_made)})
    fresh = flow.ret_fresh if not given else None
    return _summarize(ret), _summarize(flow.ret_reach | given) | made, box, fresh


def _given_back(fn: Function) -> frozenset:
    """The parameters whose caller's object a ``return`` gives back (``returned_arg``: lower/
    argreturn.py; the analysis takes its result for a new object)."""
    index = {p: i for i, p in enumerate(fn.params)}
    ops = walk_ops(fn.body)
    return frozenset(("p", index[op.args[1]]) for op in ops
                     if op.prim == RETURNED and op.args[1] in index)  # fmt: skip


def _summarize(objs: frozenset) -> frozenset:
    out = set()
    for o in objs:
        if o[0] in ("p", "pe"):
            out.add(o)
        elif o[0] in ("g", "ge", "x"):
            out.add(("x", 0))
    return frozenset(out)


def _global_effects(flow: Flow) -> list[tuple[Op, tuple]]:
    return [
        (m, o)
        for m, objs in flow.effects
        for o in sorted(objs, key=str)
        if o[0] in ("g", "ge", "x")
    ]


def _param_mutations(fn: Function, flow: Flow) -> dict[int, tuple[str, Op]]:
    """parameter index -> (kind, op): "always" (`x[i] = v`, `append`), "augmented" (`x op= v`,
    harmless on a number), "element" (an object inside the argument: harmless on an array)."""
    rank = {"always": 3, "augmented": 2, "element": 1}
    aug = {id(op) for op in fn.augmented}
    out: dict[int, tuple[str, Op]] = {}
    for m, objs in flow.effects:
        for o in objs:
            if o[0] == "p" and m.prim == WRITE_BACK:  # lower/argcopy.py: as its updates
                kind = m.params["kind"]
            elif o[0] == "p":
                kind = "augmented" if id(m) in aug else "always"
            elif o[0] == "pe":
                kind = "element"
            else:
                continue
            if rank[kind] > rank[out.get(o[1], ("element", m))[0]] or o[1] not in out:
                out[o[1]] = (kind, m)
    return dict(sorted(out.items()))


def _raise_first(fn: Function, flow: Flow, top: bool, helper: bool) -> None:
    """The first hazard of `flow`. `top`: `fn` is the differentiated function (its arguments'
    updates refused, its write-backs not); `helper`: a function it calls (a write-back into a
    global refused: the caller's reads of the global would carry no derivative of it)."""
    if top:
        for m, objs in flow.effects:
            for o in sorted(objs, key=str):
                if o[0] == "p" and m.prim == WRITE_BACK:
                    continue  # the copy's final value written back (lower/argcopy.py)
                if o[0] in ("p", "pe"):
                    whole, inside = ("p", o[1]) in objs, ("pe", o[1]) in objs
                    raise _argument_error(fn, m, o[1], whole, inside)
    for m, o in _global_effects(flow):
        if m.prim != WRITE_BACK or helper:
            raise _global_error(fn, m, flow, o)
    live = live_hazards(fn, flow.hazards)  # (reads nothing depends on pass when all are such)
    for m, v, at in flow.hazards if live else ():  # (else the first: the message it always had)
        raise _read_error(fn, v, at or m, m, flow.origin.get(v))


def _no_summary(fn: Function, op: Op) -> None:
    return None


def _call_summary(lower_callee: LowerCallee, fn: Function, op: Op) -> tuple | None:
    """(callee parameter index -> call operand, objects the return value may be, may hold, whether
    it is a container the callee made) for a call of a user function whose lowering is known;
    None when it is not (assume the worst)."""
    if op.prim != "call" or not op.args:
        return None

    try:
        ok, obj = static_value(fn, op.args[0])
        if not ok or isinstance(obj, types.MethodType) or not callable(obj):
            return None
        pyfunc = unwrap(obj)
    except Exception:
        return None
    if shares_results(obj):  # every call's result the same object: as a global's
        return {}, _SHARED, _SHARED, "", None
    if not isinstance(pyfunc, types.FunctionType):
        return None
    if pyfunc.__code__ in getattr(_busy, "codes", ()):
        return None  # recursion: the callee's own check is still running
    try:
        callee = lower_callee(pyfunc)
        sig = inspect.signature(pyfunc)
        bound = sig.bind(*op.args[1:], **op.kwargs)
    except (SrcadError, TypeError, ValueError):
        return None
    ra = callee.return_aliases
    if ra is None:  # no update in the callee: its optimized IR aliases like its source
        ra = callee.return_aliases = _return_aliases(_run(callee, Facts()))
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in sig.parameters.values()):
        return None
    binding = {
        i: bound.arguments[n] for i, n in enumerate(callee.param_names) if n in bound.arguments
    }
    return binding, ra[0], ra[1], ra[2], ra[3]


_SHARED = frozenset({("x", 0)})


def shares_results(obj: object) -> bool:
    """`obj` is a ``functools.lru_cache``/``cache`` wrapper: calls with the same arguments return
    the same object, which an update in place changes for every later call."""
    return isinstance(obj, functools._lru_cache_wrapper)


def return_sources(callee: Function) -> frozenset:
    """What `callee`'s return value may be or hold besides objects it made: ``("p", i)`` its
    argument `i` (or a view of it), ``("pe", i)`` an object inside that argument, ``("x", 0)``
    a global or closure object, ``("m", flags)`` (may hold only) objects the callee made
    (`alias_calls.made_flags`)."""
    ra = callee.return_aliases
    if ra is None:
        ra = callee.return_aliases = _return_aliases(_run(callee, Facts()))
    return ra[0] | ra[1]


# -- messages -------------------------------------------------------------------------------------


def _error(fn: Function, at: Op, m: Op, message: str, hint: str) -> LoweringError:
    loc = at.loc or m.loc
    line = loc.line if loc else None
    src = fn.source_lines[line - 1] if line and 0 < line <= len(fn.source_lines) else None
    return LoweringError(
        message,
        filename=fn.filename,
        line=line,
        col=loc.col if loc else None,
        source_line=src,
        hint=hint,
    )


def _what(fn: Function, m: Op) -> str:
    if m.prim in ("setitem", WRITE_BACK):
        return "modified"
    if m.prim == "list_append":
        return "appended to"
    if m.prim == "srcad.runtime.concat":
        return "extended"
    if m.params.get("method") == "__delitem__":  # `del xs[i]`: lower/idioms.py
        return "changed by `del`"
    if "method" in m.params and not m.params["method"].isidentifier():  # lower/inplace_np.py
        return f"written into by `{m.params['method']}`"
    if "method" in m.params:  # `xs.pop()`, `d.update(...)`: lower/idioms.py
        return f"updated by `.{m.params['method']}()`"
    return "updated with `op=`"


def _read_error(fn: Function, v: Var, at: Op, m: Op, box: Var | None = None) -> LoweringError:
    where = f" at line {m.loc.line}" if m.loc else ""
    if at.prim == WRITE_BACK:  # lower/argcopy.py: the name no longer holds the object's state
        name = f"`{v.hint}`" if v.hint else "an argument"
        return _error(
            fn,
            m,
            m,
            f"{name} is updated in place by the function and written back into the caller's "
            f"object at the end, but the object is also {_what(fn, m)} through another "
            f"name{where}; srcad cannot tell which value Python leaves there",
            f"update {name} through its own name only, or work on a copy",
        )
    own = v.hint if v.hint != "acc" else _subscripted(fn, at)  # (acc: a comprehension's list)
    other = copy_read(fn, at, own) if own and box is None else ""
    name = f"`{own}`" if own else "a list or dict built by a comprehension or `sorted(key=)`"
    name = name if own or v.hint else "a value"
    sym = _ARITH.get(_prim_of(fn, v) or "") if box is None else None
    why = (  # (a float in fact, as `b2m = m2 * mag` of n-body: say what srcad could not tell)
        f" ({name} is computed by `{sym}`, whose operands srcad cannot tell are numbers: "
        "if they are arrays, it is an array, which an update through another name changes in "
        "place; if lists or tuples, it may share their objects)"
        if sym is not None
        else ""
    )
    if other:  # (`c = b`: one value in the IR, named after `b`)
        name = f"`{other}` (bound to `{own}`'s object)"
    if box is not None:
        of = _subscripted(fn, at) or (box.hint if _user_name(box.hint) else "")
        name = f"an element of `{of}`" if of else "an element of a container"
        name += f" ({'`' + v.hint + '`' if v.hint else 'read here'})"
    hint = (
        "make the copy explicit (`b = a.copy()`), read the value before modifying it, or "
        "write `x = x + v` instead of `x += v` when you mean a new value"
        + ("; numbers made visible (`float(v)`) share nothing" if why else "")
    )
    if box is None and m.prim == "setitem" and _item_of(fn, m.args[0], v):  # `M[i][mask] -= v`
        hint = (
            f"if `{v.hint or 'M'}` is an array, index it once (`M[i, mask] -= v`, not "
            "`M[i][mask] -= v`): srcad could not tell that `M[i]` is a view of an array (its "
            "rank was not known), which a write through it changes; with one index the write "
            "is into the array"
        )
    if box is not None and _what(fn, m) in _WRITES:  # (`for p in m.parameters(): p -= g`)
        hint = (
            "to change what the container or object holds, store the new value there "
            "(`params[k] = params[k] - lr * g`, `self.w = self.w - lr * g`): `p = p - v` "
            "would only rebind the name"
        )
    return _error(
        fn,
        at,
        m,
        f"{name} is read after the object it shares with another name is {_what(fn, m)}{where}"
        f"{why}; Python would see the change, srcad treats values as immutable",
        hint,
    )


_WRITES = ("updated with `op=`", "modified")


def _user_name(hint: str) -> bool:
    """`hint` names a variable of the user's source (not a comprehension's list, `acc`, nor a
    name a lowering rewrite made up, ``srcad_items1_1``)."""
    return hint not in ("", "acc") and not hint.startswith("srcad_")


_ARITH = {"mul": "*", "add": "+", "srcad.runtime.seq_repeat": "*"}


def _item_of(fn: Function, t: object, v: Var) -> bool:
    """`t` is ``v[i]`` (a ``getitem`` of `v`), `v` not a list or tuple made here."""
    if _prim_of(fn, v) in ("list", "tuple", "list_append", "builtins.list", "builtins.tuple"):
        return False
    return any(
        op.prim == "getitem" and op.args[0] is v for op in walk_ops(fn.body) if t in op.results
    )


def _prim_of(fn: Function, v: Var) -> str | None:
    return next((op.prim for op in walk_ops(fn.body) if v in op.results), None)


def _subscripted(fn: Function, at: Op) -> str:
    """The name the source subscripts where `at` reads (``gip1`` of ``gip1[j]``), else "": the
    container's own hint may be the comprehension that made it (``acc``: lower/calls.py)."""
    loc = at.loc
    if at.prim != "getitem" or loc is None or not 0 < loc.line <= len(fn.source_lines):
        return ""
    m = re.match(r"[A-Za-z_][A-Za-z_0-9]*(?=\s*\[)", fn.source_lines[loc.line - 1][loc.col :])
    return m.group(0) if m else ""


def _argument_error(fn: Function, m: Op, i: int, whole: bool, inside: bool) -> LoweringError:
    name = fn.param_names[i] if i < len(fn.param_names) else f"#{i}"
    what = f"the argument `{name}`" if whole else f"an object inside the argument `{name}`"
    if whole and inside:
        what += " (or an object inside it)"
    return _error(
        fn,
        m,
        m,
        f"{what} is {_what(fn, m)} in place here; "
        f"Python would change the caller's object, srcad's generated code leaves it unchanged",
        f"work on a copy (`{name} = {name}.copy()` first, or `y = {name}.copy()`), or return "
        "the new value instead of updating the argument",
    )


def _global_error(fn: Function, m: Op, flow: Flow, o: tuple) -> LoweringError:
    name, short = _external_name(fn, flow, o)
    return _error(
        fn,
        m,
        m,
        f"{name} is {_what(fn, m)} in place here; Python would see the change (in this call "
        "and every later one), srcad's generated code leaves the object unchanged",
        f"work on a copy (`y = {short}.copy()`) or pass the array in as an argument and return "
        "the new value",
    )


def _external_name(fn: Function, flow: Flow, o: tuple) -> tuple[str, str]:
    name = flow.ext_names.get(o[1]) if o[0] in ("g", "ge") else None
    if name:
        inside = " (or an object inside it)" if o[0] == "ge" else ""
        return f"the global/closure object `{name}`{inside}", name
    return "an object shared with module globals (returned by a helper)", "W"


__all__ = ["check_mutations", "check_transform", "return_sources", "shares_results"]
