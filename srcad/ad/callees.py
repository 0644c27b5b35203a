"""Callee resolution for `call` ops: which Python function does a call site invoke?

Input: a `Function` and one of its `call` ops. Output: the lowered callee `Function` and the Python
function object. Follows the op defining the callee operand (``global``/``free`` reads and attribute
chains) and looks the name up in the caller's namespace, as the generated code will at run time.
"""

from __future__ import annotations

import inspect
import itertools
import os
import types
from typing import Any

from srcad.ad.boundcalls import bound_method, star_shim, takes_star
from srcad.ad.common import diff_error
from srcad.custom import Custom, custom_of, custom_of_prim
from srcad.errors import SrcadError
from srcad.frontend.source import unwrap
from srcad.lower.values import (
    ItemRead,
    known_object,
    layout_class,
    note_attr,
    note_read,
    static_value,
    user_class,
)
from srcad.passes.prepare import lowered
from srcad.ssa.census import ops_of
from srcad.ssa.core import Block, Const, Function, Op, Var, walk_ops


def resolve_callee(
    fn: Function, op: Op, known: dict | None = None, derive: Any = None
) -> tuple[Function, types.FunctionType]:
    """The lowered IR and the Python function a `call` op invokes. `derive` makes the IR of a
    derivative srcad made (``srcad.grad(inner)`` called in a differentiated function: ad/compose.py),
    None where derivatives are not differentiated."""
    ok, obj = static_value(fn, op.args[0], known)
    if not ok:
        d = _defining_op(fn, op.args[0]) if isinstance(op.args[0], Var) else None
        item = d is not None and d.prim == "getitem"
        if d is not None and d.prim == "if":  # fn = np.sin if flag else np.cos
            raise diff_error(
                fn,
                op,
                "cannot tell which function this call invokes: a function chosen by a condition "
                "known only when the code runs",
                "call each function in its branch (`y = np.sin(x) if flag else np.cos(x)`)",
            )
        raise diff_error(
            fn,
            op,
            "cannot tell which function this call invokes"
            + (": an item of a list or dict known only when the code runs" if item else ""),
            _ITEM_HINT
            if item
            else "call module-level functions by name, or nested functions defined in this function",
        )
    why = getattr(obj, "__srcad_no_derivative__", None)  # a rule's own function (srcad/libode.py)
    if why is not None:
        raise diff_error(fn, op, f"cannot differentiate `{obj.__name__}` again", why)
    if getattr(obj, "__srcad_derivative__", False):
        target = derive(fn, op, obj) if derive is not None else None
        if target is not None:
            return target
        raise _derivative_refusal(fn, op, obj)
    ir = getattr(obj, "__srcad_ir__", None)
    if ir is not None:  # a generated function, differentiated again (ad/compose.py)
        return ir, obj
    try:
        pyfunc = unwrap(obj)
    except Exception:
        raise diff_error(
            fn,
            op,
            f"cannot differentiate through `{getattr(obj, '__name__', obj)!s}`: "
            "it is not a Python function and srcad has no derivative rule for it",
            _HEAP_HINT
            if getattr(obj, "__module__", None) in ("_heapq", "heapq")
            else _TEE_HINT
            if obj is itertools.tee
            else "use NumPy/math functions srcad knows, or a Python function whose source it can read",
        ) from None
    return _lower(fn, op, pyfunc), pyfunc


_TEE_HINT = (
    "srcad follows `a, b = itertools.tee(xs)` of a list, an array or a new sequence, each copy "
    "read once, whole; not of an iterator (`iter(...)`, a generator) or read item by item: tee "
    "the list itself (`tee([x0, x1])`), or copy it (`a = list(xs); b = list(xs)`)"
)
_HEAP_HINT = (
    "heapq's C functions update the list where srcad cannot follow: keep a plain list and take "
    "its smallest item (`pq.append((d, u))`; `d, u = min(pq); pq.remove((d, u))`), or use "
    "`heapq.nsmallest(k, xs)` / `sorted(xs)`"
)


_ITEM_HINT = (
    "srcad follows lists, tuples and dicts of functions or objects made in the function "
    "(`layers = [Dense(a), Dense(b)]`, `self.layers` of an object built there, "
    "`{'relu': relu}`) or at module level, and loops, indices and keys over them; not once "
    "such a list is appended to, passed to a helper or made in a loop"
)


def _lower(fn: Function, op: Op, pyfunc: types.FunctionType) -> Function:
    """`lowered(pyfunc)` for the call `op` of `fn`. A refusal inside a library's function
    (the standard library, site-packages) called from user code is reported at the user's call,
    naming the library's line in the message: the user can change the call, not the library.
    A user function taking ``*args``/``**kwargs`` (not a decorator's wrapper): None, lowered
    by `user_call` in the fixed-arity form of the call (`boundcalls.star_shim`)."""
    if takes_star(pyfunc):
        return None  # type: ignore[return-value]
    try:
        return lowered(pyfunc)
    except SrcadError as e:
        raise at_user_call(fn, op, pyfunc, e) from e


def at_user_call(fn: Function, op: Op, pyfunc: Any, e: SrcadError) -> SrcadError:
    """`e`, met while lowering or differentiating the library function `pyfunc` that `fn`
    calls at `op` (``dataclasses.astuple`` -> ``_astuple_inner``), located at that call when
    `fn` is the user's and `e` points into a library; else `e` itself."""
    if not _library_file(e.filename) or _library_file(fn.filename):
        return e
    name = f"{getattr(pyfunc, '__module__', '?')}.{getattr(pyfunc, '__qualname__', pyfunc)}"
    where = f"{e.filename}:{e.line}" if e.line is not None else e.filename
    return diff_error(
        fn,
        op,
        f"cannot differentiate through `{name}`: in its source ({where}): {e.message}",
        "compute this with NumPy (or a helper of your own) inside the function, or call "
        "the library outside the differentiated function and pass the result in",
    )


def _library_file(filename: str | None) -> bool:
    """Is `filename` a module of the standard library or of an installed package?"""
    if not filename:
        return False
    path = os.path.realpath(filename)
    parts = path.split(os.sep)
    return "site-packages" in parts or "dist-packages" in parts or path.startswith(_STDLIB)


# the standard library's directory (`os` is one of its modules; `sysconfig` would be one more
# module for every first transform to load: tests/test_first_call.py)
_STDLIB = os.path.dirname(os.path.realpath(os.__file__)) + os.sep


def _derivative_refusal(fn: Function, op: Op, obj: Any) -> Exception:
    """The refusal of a call of a derivative srcad made that `ad/compose.py` cannot follow."""
    name = getattr(obj, "__name__", obj)
    chain = getattr(obj, "__srcad_chain__", None)
    if chain is not None and len(chain.levels) > 1:  # srcad.grad(srcad.grad(f))(t)
        return diff_error(
            fn,
            op,
            f"`{name}` is a derivative of a derivative, called inside a function srcad "
            "differentiates, of a kind srcad cannot differentiate there: a tuple `wrt`, "
            "`value_and_grad`, `has_aux` or a bound method at one of its levels",
            "inside, each level must be srcad.grad/jacfwd/jacrev/hessian of a plain function "
            "with respect to one argument (`srcad.grad(srcad.grad(f))`, `srcad.hessian(f)`); or "
            "name the inner level as a module-level function (`def df(t): return "
            "srcad.grad(f)(t)`) and call `srcad.grad(df)(t)`",
        )
    return diff_error(
        fn,
        op,
        f"`{name}` is a derivative made by srcad of a kind that cannot be differentiated "
        "inside another derivative yet",
        "supported: srcad.grad(f) of a module-level f without has_aux; or differentiate the "
        "original function instead",
    )


def _defining_op(fn: Function, v: Var) -> Op | None:
    for op in walk_ops(fn.body):
        if v in op.results:
            return op
    return None


def _note_method(cls: type, name: str) -> None:
    """The transform read method `name` of `cls` (a class in the cache key, whose methods may be
    replaced later: ``Model.forward = g``): recorded, so the cache checks it on every hit."""
    value = getattr(cls, name, None)
    if value is not None:
        note_attr(cls, name, value)


def user_call(
    fn: Function,
    op: Op,
    types_of: dict | None = None,
    known: dict | None = None,
    derive: Any = None,
) -> tuple[Function, types.FunctionType, list, dict] | None:
    """A `call` (or a `method.*` op on an object known at transform time) of a user function.

    -> (lowered callee, Python function, positional operands incl. a bound `self`, keyword operands),
    or None for a method call that is not a user method. A function taking ``*args`` or
    ``**kwargs`` (``def __call__(self, *a, **k): return self.forward(*a, **k)``) is its
    fixed-arity form for this call's operands (`boundcalls.star_shim`), which calls it.
    """
    target = _user_call(fn, op, types_of, known, derive)
    if target is None or target[0] is not None:
        return target
    _, pyfunc, pos, kw = target
    shim = star_shim(pyfunc, len(pos), tuple(kw))
    return _lower(fn, op, shim), shim, pos, kw


def _user_call(
    fn: Function, op: Op, types_of: dict | None, known: dict | None, derive: Any
) -> tuple[Function, types.FunctionType, list, dict] | None:
    if op.prim.startswith("method."):
        name = op.prim[len("method.") :]
        cls = (types_of or {}).get(op.args[0]) if isinstance(op.args[0], Var) else None
        if cls is not None:  # `self.helper(x)` where the type of `self` is part of the cache key
            func = inspect.getattr_static(cls, name, None)
            _note_method(cls, name)
            if isinstance(func, types.FunctionType):
                return _lower(fn, op, func), func, list(op.args), dict(op.kwargs)
            if isinstance(func, staticmethod) and isinstance(func.__func__, types.FunctionType):
                return (
                    _lower(fn, op, func.__func__),
                    func.__func__,
                    list(op.args[1:]),
                    dict(op.kwargs),
                )
            if isinstance(func, classmethod) and isinstance(func.__func__, types.FunctionType):
                real = next(k for k in cls.__mro__ if "__srcad_layout__" not in k.__dict__)
                return (
                    _lower(fn, op, func.__func__),
                    func.__func__,
                    [Const(real), *op.args[1:]],
                    dict(op.kwargs),
                )
            if func is not None:
                return None
            # not the class's: an instance attribute, of an object known now (`shadowed`)
        ok, recv = static_value(fn, op.args[0], known)
        if not ok:
            return None
        meth = getattr(recv, name, None)
        note_attr(recv, name, meth)  # (an instance's own attribute: rebound or deleted later)
        if isinstance(meth, types.FunctionType):  # a staticmethod: no receiver argument
            return _lower(fn, op, meth), meth, list(op.args[1:]), dict(op.kwargs)
        if (
            not isinstance(meth, types.MethodType)
            or not isinstance(meth.__func__, types.FunctionType)
            or _message_fn(meth.__func__)
        ):
            return None
        return _lower(fn, op, meth.__func__), meth.__func__, list(op.args), dict(op.kwargs)
    cls = (types_of or {}).get(op.args[0]) if isinstance(op.args[0], Var) else None
    call = inspect.getattr_static(cls, "__call__", None) if cls is not None else None
    if cls is not None:
        _note_method(cls, "__call__")
    if cls is None and custom_call(fn, op, known) is not None:  # its primal body (custom.py)
        callee_fn, pyfunc = resolve_callee(fn, op, known, derive)
        return callee_fn, pyfunc, list(op.args[1:]), dict(op.kwargs)
    if isinstance(call, types.FunctionType):  # `net(x)` on a parameter of a known user class
        return _lower(fn, op, call), call, list(op.args), dict(op.kwargs)
    ok, obj = static_value(fn, op.args[0], known)
    if ok and isinstance(obj, types.MethodType) and _message_fn(obj.__func__):
        return None  # `log.info(...)` of a logging.Logger: as `logging.info` below
    if ok and isinstance(obj, types.MethodType) and isinstance(obj.__func__, types.FunctionType):
        d = _defining_op(fn, op.args[0]) if isinstance(op.args[0], Var) else None
        me = obj.__self__
        if d is not None and d.prim in ("global", "free") and _plain_object(me):
            # `H = model.__call__` as a global (its identity is in the cache key): the object it
            # is bound to, read now, is the receiver (its attributes are read when it runs)
            return (
                _lower(fn, op, obj.__func__),
                obj.__func__,
                [Const(me), *op.args[1:]],
                dict(op.kwargs),
            )
        if d is None or not d.prim.startswith("attr."):
            raise diff_error(fn, op, "cannot tell which object this method call is bound to")
        return (
            _lower(fn, op, obj.__func__),
            obj.__func__,
            [d.args[0], *op.args[1:]],
            dict(op.kwargs),
        )
    bound = bound_method(fn, op, types_of, known)  # `step = self._step_mid; step(x)`
    if bound is not None:
        return _lower(fn, op, bound[0]), bound[0], [bound[1], *op.args[1:]], dict(op.kwargs)
    call = type(obj).__dict__.get("__call__") if ok else None  # defined by the class itself
    if (
        ok
        and not isinstance(obj, (types.FunctionType, types.MethodType, type))
        and isinstance(call, types.FunctionType)
    ):  # an instance of a user class with __call__: `net(x)` is `Net.__call__(net, x)`
        return _lower(fn, op, call), call, list(op.args), dict(op.kwargs)
    if ok and callable(obj) and _message_fn(obj):
        return None  # `logging.info(...)`: no rule; nothing may read its result (ad/jvp.py)
    callee_fn, pyfunc = resolve_callee(fn, op, known, derive)
    return callee_fn, pyfunc, list(op.args[1:]), dict(op.kwargs)


def operand_types(fn: Function, args: list, types_of: dict) -> dict[int, type]:
    """User-class types of call operands (from typed parameters or transform-time values)."""
    out = {}
    for k, a in enumerate(args):
        if isinstance(a, Var) and a in types_of:
            out[k] = types_of[a]
            if hasattr(out[k], "__srcad_layout__"):
                continue
        ok, v = static_value(fn, a) if isinstance(a, Var) else (False, None)
        if ok and user_class(v) is not None and out.get(k, type(v)) is type(v):
            # an object known now (a global model): its methods are resolved through its class,
            # so its class and every method as the instance sees it are recorded (`known_object`:
            # ``MD.forward = g`` or ``MD.__class__ = Other`` later makes a new transform)
            if not known_object(v):
                out.pop(k, None)
                continue
            out[k] = layout_class(v)
            for name in getattr(out[k], "__srcad_layout__", ()):  # re-made when they change
                seq = getattr(v, name)
                note_read(v, name, seq)
                note_read(seq, ItemRead(length=True), len(seq))
                for j, e in enumerate(seq):
                    note_read(seq, ItemRead(j), e)
                    known_object(e)  # its methods: replaced on the class, the transform is re-made
            _note_fields(v, out[k])
    return out


def _note_fields(v: Any, cls: type) -> None:
    """The fields of the object `v` known now that its layout class `cls` names (``v.enc``,
    ``v.act``: lower/reads.layout_class) read for the cache: another object or function stored
    there later makes a new transform (the run-time checks of ad/layouts.py and ad/fieldfns.py
    would refuse it)."""
    fields = getattr(cls, "__srcad_fields__", None) or {}
    for name in (*fields, *(getattr(cls, "__srcad_fns__", None) or ())):
        e = getattr(v, name)
        note_read(v, name, e)
        if name in fields and known_object(e):
            _note_fields(e, fields[name])


# Modules whose functions report values (a log line, a warning) and compute nothing a derivative
# flows through: never read as user code; a call whose result nothing reads needs no derivative.
_MESSAGE_MODULES = ("logging", "warnings")


def _message_fn(func: Any) -> bool:
    """A function of `_MESSAGE_MODULES` (``log.info``, ``logging.warning``)."""
    return (getattr(func, "__module__", "") or "").split(".")[0].lstrip("_") in _MESSAGE_MODULES


def bind_user_call(pyfunc: Any, op: Op, kind_of: Any) -> tuple[Function, dict[Var, Any]] | None:
    """The lowered helper a `call` op invokes and its parameters' seeds: ``kind_of(operand)`` of
    each bound operand (operands are Vars/Consts, defaults are Python values passed to
    ``kind_of`` too). None when the helper is a derivative srcad made, or cannot be lowered or
    bound (the transform reports that where it matters)."""
    if getattr(pyfunc, "__srcad_derivative__", False):
        return None
    try:
        callee = lowered(unwrap(pyfunc))
        bound = inspect.signature(pyfunc).bind(*op.args[1:], **op.kwargs)
        bound.apply_defaults()
    except Exception:
        return None
    seeds = {}
    for p, name in zip(callee.params, callee.param_names):
        k = kind_of(bound.arguments.get(name))
        if k is not None and k != "_":
            seeds[p] = k
    return callee, seeds


def custom_call(fn: Function, op: Op, known: dict | None = None) -> tuple[Custom, list] | None:
    """A call of a function with rules of its own (`srcad.custom`: custom_vjp/custom_jvp,
    checkpoint, stop_gradient, a callable registered with srcad.defvjp/defjvp) -> (its record,
    the operands in parameter order, defaults filled in), or None."""
    if op.prim == "call":
        ok, obj = static_value(fn, op.args[0], known) if op.args else (False, None)
        c = custom_of(obj) if ok else None
        if c is None:
            return None
        pos = list(op.args[1:])
    else:
        c = custom_of_prim(op.prim)
        if c is None:  # (most ops: no list made)
            return None
        pos = list(op.args)
    try:
        if not isinstance(c.fun, types.FunctionType):  # a library callable: as called
            raise TypeError
        sig = c.signature or inspect.signature(c.fun)
    except (TypeError, ValueError):
        if op.kwargs:
            raise diff_error(fn, op, f"call `{c.name}` with positional arguments only") from None
        return c, pos
    try:
        bound = sig.bind(*pos, **op.kwargs)
    except TypeError as e:
        raise diff_error(fn, op, f"bad call of `{c.name}`: {e}") from None
    bound.apply_defaults()
    args: list = []
    for name, p in sig.parameters.items():
        v = bound.arguments[name]
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            packed = v.values() if isinstance(v, dict) else v
            if any(isinstance(e, Var) for e in packed):  # (a Const of Vars: no derivative)
                star = "*" if p.kind is p.VAR_POSITIONAL else "**"
                raise diff_error(
                    fn,
                    op,
                    f"`{c.name}` takes {star}{name}: srcad cannot apply its rule (or checkpoint) "
                    "to arguments passed through *args/**kwargs",
                    "give the function explicit parameters",
                )
            v = _unpacked(v)  # (constants: the values, as the callee receives them)
        args.append(v if isinstance(v, (Var, Const)) else Const(v))
    return c, args


def _unpacked(v: Any) -> Any:
    """A bound *args tuple or **kwargs dict of constant operands -> its plain values."""
    if isinstance(v, dict):
        return {k: e.value if isinstance(e, Const) else e for k, e in v.items()}
    return tuple(e.value if isinstance(e, Const) else e for e in v)


def refuse_varied_nondiff(src: Function, op: Op, c: Custom, args: list, varied: Any) -> None:
    """A `nondiff_argnums` argument that depends on the differentiated inputs: its derivative
    would silently be dropped, so it is refused (JAX refuses it too)."""
    if c.nondiff_zero:
        return
    for k in c.nondiff_argnums:
        if k < len(args) and varied(args[k]):
            raise diff_error(
                src,
                op,
                f"argument {k} of `{c.name}` is in nondiff_argnums but depends on the "
                "differentiated inputs",
                "remove it from nondiff_argnums and give it a cotangent in the rule, or wrap it "
                "in srcad.stop_gradient",
            )


def may_split(block: Block, user_ops: set) -> bool:
    """Some op of `block` (or of a block nested in it) is one the reverse mode may split into
    generated forward and backward calls (`vjp_calls.split_calls`): a ``call``, a method call, a
    user method standing for an operator, or a library callable with rules of its own."""
    seen: set[str] = set()  # primitives that are none of those, each asked about once
    for op in ops_of(block):
        if op in user_ops:
            return True
        p = op.prim
        if p in seen:
            continue
        if p == "call" or p.startswith("method.") or custom_of_prim(p) is not None:
            return True
        seen.add(p)
    return False


def _plain_object(v: Any) -> bool:
    """An instance of a user class (not a class, function or module)."""
    return user_class(v) is not None and not isinstance(
        v, (type, types.FunctionType, types.MethodType, types.ModuleType)
    )
