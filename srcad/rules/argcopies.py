"""The runtime helpers of a function that updates its own arguments in place (``x *= 2.0``,
``x[0] = v``, ``xs.append(v)``: lower/argcopy.py), with their rules.

Input: the `RuleTable` pair. Output: the tables filled with the rules of `entry_copy` (the
identity: a copy of the tangent, the cotangent itself) and the zero rules of the effects,
`layout_copy` (the copy a functional ``x[idx] = v`` writes into, emitted only; entry_copy's rules),
`args_unshared` (the run-time aliasing check), `copies_kept` (the copy held by the result or
another written-back object at the end, refused at run time), `write_back` (the final value written into the
caller's object) and `item_loop_check` (a loop over a list's items updated in place, rewritten
by lower/loopitems.py, refused at run time where the rewrite would not be Python's). A
derivative computed column by column (srcad.hessian, jacfwd, jacrev) runs its generated code
once per column: every column starts from the caller's unchanged object and the first column's
write-backs are applied once, after the last column (srcad/columns.py).
"""

from __future__ import annotations

import threading
import types
from typing import Any

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.arrays import is_duck_array
from srcad.columns import muted, pending, write_now
from srcad.errors import SrcadError
from srcad.rules.argitems import write_items
from srcad.rules.helpers import defzero_helper, helper, rt

_LEAVES = (int, float, complex, bool, str, bytes, type(None), np.generic)
_IMMUTABLE = (*_LEAVES, tuple, frozenset)
_COPIED = (np.ndarray, list, dict)
_OPAQUE = (types.ModuleType, type, types.FunctionType, types.BuiltinFunctionType, types.MethodType)


@helper
def entry_copy(x: Any) -> Any:
    """The private copy an updated argument is worked on (an array, a list or a dict; a number
    or tuple, which ``x op= v`` only rebinds, as it is)."""
    t = type(x)
    if t is np.ndarray:  # its layout kept, as `layout_copy`'s
        return x.copy(order="K")
    if t in _COPIED:
        return x.copy()
    if isinstance(x, _IMMUTABLE):
        return x
    raise SrcadError(
        f"a value of type {t.__name__} is an argument the function updates in place, or is "
        "copied by `copy.copy`: srcad copies (and writes updates back into) NumPy arrays, lists "
        "and dicts only",
        hint="pass a NumPy array, list or dict, return the new value instead of updating it, "
        "or build a new object from the fields instead of `copy.copy`",
    )


@helper
def args_unshared(labels: tuple, n: int, *values: Any) -> tuple:
    """Raise when one of the first `n` `values` (arguments the function updates in place) shares
    memory with another argument, a global or closure value the function reads, or an object
    inside one: Python's update would show through the other name, srcad works on a copy. ->
    their ids (`copies_kept` tells the caller's objects by them)."""
    for i in range(n):
        a = values[i]
        if type(a) not in _COPIED:
            continue
        for j, b in enumerate(values):
            if j != i and _reaches(b, a, set()):
                raise SrcadError(
                    f"the argument `{labels[i]}`, which the function updates in place, shares "
                    f"memory with {_label(labels[j])}; srcad updates a private copy and writes it "
                    "back at the end, so reads through the other name would differ from Python's",
                    hint=f"pass a copy (`{labels[i]}.copy()`) or separate objects",
                )
    return tuple(map(id, values[:n]))


@helper
def copies_kept(labels: tuple, n: int, where: tuple, ids: tuple, *values: Any) -> None:
    """``(labels, n, where, ids, *finals, result, *others)``, after the write-backs (`where`:
    the function's name and first line, for the message): raise when the
    function's result, the final value of another object it wrote back, or another argument or
    global/closure value it reads (`others`, as `args_unshared`'s; `ids`: what that returned)
    holds the private copy an updated argument (or global) ends in, or a view of it
    (``xs.append(x)``, ``return [x]``): Python's holds the caller's object there, srcad's
    another object with its values. For a final value `returned_arg` gave back (the caller's
    object: `ids`), the copy it stood for is looked for, the result aside; nothing when nothing
    is written back (`muted`); the result is not looked at inside a Jacobian's columns (their
    outputs are no primal objects)."""
    if muted():
        return
    finals, result, others = values[:n], values[n], values[n + 1 :]
    if pending() is not None:
        result = None
    named = [("the function's result", result)]
    named += [(f"the final value of {_label(labels[j])}", finals[j]) for j in range(n)]
    named += [(_label(labels[n + j]), h) for j, h in enumerate(others)]
    given = getattr(_GIVEN, "d", None) or {}
    try:
        _look_for_copies(labels, n, where, ids, finals, named, given)
    finally:
        given.clear()  # (what `returned_arg` recorded is this call's: never kept longer)


def _look_for_copies(
    labels: tuple, n: int, where: tuple, ids: tuple, finals: Any, named: list, given: dict
) -> None:
    for i in range(n):
        f, holders = finals[i], named
        if id(f) == ids[i]:  # given back (`returned_arg`): the copy it stood for, held elsewhere
            g = given.pop(id(f), None)
            if g is None or g[0] is not f:
                continue
            f, holders = g[1], [("", None), *named[1:]]  # (the result holds the caller's)
        if type(f) not in _COPIED:
            continue
        for k, (what, h) in enumerate(holders):
            if k != i + 1 and _reaches(h, f, set()):
                raise SrcadError(
                    f"{what} holds {_label(labels[i])} (or a view of it), which `{where[0]}` "
                    f"(line {where[1]}) updates in place: srcad updates a private copy and "
                    "writes its value back at the end, so that object would not be the "
                    "caller's, as in Python",
                    hint=f"store or return a copy (`{labels[i]}.copy()`), or do not update "
                    f"`{labels[i]}` in place",
                )


def _label(name: str) -> str:
    return f"the argument `{name}`" if not name.startswith("global ") else f"the {name}"


def _reaches(b: Any, a: Any, seen: set) -> bool:
    """`b` is `a`, shares memory with the array `a`, or holds such an object."""
    if b is a:
        return True
    if id(b) in seen or isinstance(b, _LEAVES) or isinstance(b, _OPAQUE):
        return False
    seen.add(id(b))
    if isinstance(b, np.ndarray):
        if b.dtype == object:
            return any(_reaches(e, a, seen) for e in b.ravel().tolist())
        return type(a) is np.ndarray and _shares(a, b)
    if isinstance(b, (list, tuple, set, frozenset)):
        return any(_reaches(e, a, seen) for e in b)
    if isinstance(b, dict):
        return any(_reaches(e, a, seen) for e in b.values())
    d = getattr(b, "__dict__", None)
    if isinstance(d, dict):
        return any(_reaches(e, a, seen) for e in d.values())
    return False


def _shares(a: np.ndarray, b: np.ndarray) -> bool:
    if not np.may_share_memory(a, b):
        return False
    try:
        return bool(np.shares_memory(a, b, max_work=100_000))
    except np.exceptions.TooHardError:
        return True


@helper
def write_back(dst: Any, src: Any, items: bool = False) -> None:
    """``dst[...] = src`` for an array (``dst[:] = src`` for a list, clear and update for a dict):
    the caller's object left as Python's in-place updates leave it; nothing for a number or a
    tuple. Inside a Jacobian's columns: recorded, applied once after the last column. `items`:
    the function updates only the items of `dst` with ``op=`` (rules/argitems.write_items)."""
    if items:
        return write_items(dst, src)
    if muted() or dst is src:  # (`src` is `dst` after `returned_arg`)
        return
    todo = pending()
    if todo is not None:
        todo.append((dst, src))
        return
    write_now(dst, src)


_INDEXED = (list, tuple, np.ndarray, range)  # read alongside: `xs[i]` is the i-th item iterated


@helper
def item_loop_check(spec: tuple) -> None:
    """``(kinds, *sources)`` of a loop over a list's items rewritten as a loop over positions
    (lower/loopitems.py): per source, "a" (its items updated with ``op=``) a list of NumPy
    arrays, which ``p op= v`` updates in place (a number would be rebound, the list left
    alone), "w" (written into) a list, "r" (read only) a list, tuple, array or range, which indexing
    walks as iteration does; an array of two dimensions or more for "a" and "w" (its rows are
    views: ``Z[i] -= v`` is ``row -= v``); "s"/"t" (lower/loopsource.py: the loop's iterable
    updated with ``op=`` / written into by the body) a NumPy array, "l" (written at single
    positions only) a NumPy array or a list; else a refusal, at the loop."""
    kinds, *sources = spec
    if kinds in ("A", "W"):  # `for k, v in d.items()`: a dict (of arrays, for `v op= u`)
        xs = sources[0]
        vals = list(xs.values()) if type(xs) is dict else [xs]
        kinds, sources = ("a" if kinds == "A" else "w"), [vals]
        if type(xs) is not dict:
            sources = [xs]
    for how, xs in zip(kinds, sources):
        if how in "stl":  # lower/loopsource.py: the loop's array itself updated in the body
            _source_check(xs, lists=how == "l")
            continue
        rows = type(xs) is np.ndarray and xs.ndim > 1  # (its items: views, updated in place)
        ok = type(xs) is list or rows if how != "r" else isinstance(xs, _INDEXED)
        if not ok:
            raise SrcadError(
                f"a `for` loop over a `{type(xs).__name__}` whose items the body updates: srcad "
                "rewrites it as a loop over positions, exact for a list updated through its items "
                "and lists, tuples or arrays read alongside (`zip`)",
                hint="make the iterated containers lists (`list(xs)`)",
            )
        bad = (
            ()
            if how != "a" or rows
            else [type(e).__name__ for e in xs if type(e) is not np.ndarray]
        )
        if bad:
            raise SrcadError(
                f"a `for` loop updates the items of a list with `op=`, and an item is a "
                f"`{bad[0]}`: `op=` rebinds it, leaving the list unchanged, where srcad's loop "
                "over positions (exact for NumPy arrays, updated in place) would change the list",
                hint="loop over `range(len(xs))` and write `xs[i] op= v` if the list should change",
            )


def _source_check(xs: Any, lists: bool = False) -> None:
    """`lists`: the body writes items of `xs` at single positions only (its length stays), so a
    list is iterated by positions exactly too."""
    if (type(xs) is not np.ndarray or xs.ndim == 0) and not (lists and type(xs) is list):
        raise SrcadError(
            f"a `for` loop over a `{type(xs).__name__}` that its body updates in place: srcad "
            "rewrites it as the loop over positions a NumPy array's iterator runs, exact for an "
            "array only (a list may change its length, `op=` rebinds a tuple or number while "
            "the loop goes on over the old object)",
            hint="loop over `range(len(xs))` and read `xs[i]`, or over a copy (`list(xs)`)",
        )


@helper
def returned_arg(src: Any, dst: Any) -> Any:
    """The value of ``return x`` for an argument `x` the function updates in place (lower/
    argreturn.py): the caller's object `dst`, holding the copy's value `src` now, as Python
    returns it; `src` itself for a number or tuple (rebound) and inside a Jacobian's columns
    (the write-backs wait for the last column)."""
    if src is dst or type(dst) not in _COPIED or type(src) is not type(dst):
        return src  # (`src is dst`: given back already; a dict's clear-and-update would empty it)
    if muted() or pending() is not None:
        return src
    write_now(dst, src)
    given = getattr(_GIVEN, "d", None)
    if given is None:
        given = _GIVEN.d = {}
    given[id(dst)] = (dst, src)  # (`copies_kept` looks for `src`, the copy, elsewhere)
    return dst


_GIVEN = threading.local()  # id(dst) -> (dst, src) of `returned_arg`, until `copies_kept`


_NUMBER_TYPES = (int, float, complex, np.generic)


@helper
def layout_copy(x: Any) -> Any:
    """The new object ``x_1`` of a functional ``x[idx] = v`` (``x_1 = _srcad.layout_copy(x);
    x_1[idx] = v``, backend/emit.py): a NumPy array keeps its memory layout (order 'K': NumPy's
    in-place write leaves a Fortran-ordered or transposed array so, and ``ravel``/``reshape``/
    ``flatten`` with order 'K' or 'A' read that layout), a list or dict is copied by its own
    ``.copy()``."""
    if type(x) is np.ndarray:
        return x.copy(order="K")
    if is_duck_array(x):  # a Dask/CuPy array: its own copy (its Python `__setitem__` is NumPy's)
        return x.copy()
    if isinstance(x, tuple):  # ``t[0].append(v)`` of a tuple the lowering could not see made
        raise SrcadError(  # (a loop's carry, a helper's result): lower/exprs.py refuses the rest
            "writing into an element of a tuple (`t[i][j] = v`, `t[i].append(v)`) is not "
            "supported: srcad writes items functionally into a copy of the tuple",
            hint="keep the rows in a list (`t = [row0, row1]`) or build the new tuple",
        )
    own = [m for m in ("__setitem__", "__getitem__") if _python_method(type(x), m)]
    out = x.copy() if not own else None
    if not own and type(out) is not type(x):  # `dict.copy` of a subclass: a plain dict
        own = [m for k in type(x).__mro__ for m in vars(k) if _own_dunder(k, m)]
    if own:  # Python calls the class's own methods, a copy's plain item write would not
        raise SrcadError(
            f"`obj[...] = v` of a `{type(x).__name__}` object, whose class defines "
            f"`{own[0]}` in Python: srcad writes items functionally into a copy and would skip it",
            hint="build the object in the function srcad transforms (its `__init__` computing "
            "its fields), or write to its fields (`obj.data[i] = v`)",
        )
    return out


def _python_method(cls: type, name: str) -> bool:
    return isinstance(getattr(cls, name, None), types.FunctionType)


def _own_dunder(cls: type, name: str) -> bool:
    """A special method (``__missing__``, ``__iter__``, ...) `cls` defines in Python, which a
    plain copy of its items would not have (the constructor and printing aside)."""
    quiet = ("__init__", "__new__", "__repr__", "__str__", "__init_subclass__")
    return name[:2] == "__" == name[-2:] and name not in quiet and _python_method(cls, name)


@helper
def items_in_place(spec: tuple) -> bool:
    """True when the items a rewritten loop updates with ``op=`` (lower/loopitems.py) are NumPy
    arrays, updated in place (a list or dict of arrays, an array's rows: the loop over positions,
    its other sources checked by `item_loop_check`); False otherwise (the loop as written, each
    such item checked by `as_number` to be a number, which ``op=`` rebinds)."""
    kinds, *sources = spec
    if kinds in ("A", "W"):
        if type(sources[0]) is not dict:
            return False
        kinds, sources = kinds.lower(), [list(sources[0].values())]
    for how, xs in zip(kinds, sources):
        rows = type(xs) is np.ndarray and xs.ndim > 1
        if how == "a" and not rows:
            if type(xs) is not list or not xs or any(type(e) is not np.ndarray for e in xs):
                return False
    item_loop_check(spec)
    return True


@helper
def as_number(x: Any) -> Any:
    """`x`, an item the loop as written updates with ``op=``, which rebinds it (the mutation
    check takes it for a number); else a refusal (an array would be updated in place, in a loop
    `items_in_place` did not find to hold arrays only)."""
    if isinstance(x, _NUMBER_TYPES) and not isinstance(x, np.ndarray):
        return x
    raise SrcadError(
        f"a `for` loop updates its items with `op=`, and an item is a `{type(x).__name__}` "
        "among items of other kinds (or from an iterable that is no list, dict or array): "
        "srcad follows lists and dicts of NumPy arrays, or of numbers",
        hint="loop over `range(len(xs))` and write `xs[i] op= v`",
    )


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the helpers' rules."""
    jvp.defjvp(rt(entry_copy), "x", x="_srcad.shallow_copy(dx)")
    vjp.defvjp(rt(entry_copy), "x", x="g")
    # (emitted after the transforms, so never differentiated today; its rules are entry_copy's)
    jvp.defjvp(rt(layout_copy), "x", x="_srcad.shallow_copy(dx)")
    vjp.defvjp(rt(layout_copy), "x", x="g")
    jvp.defjvp(rt(returned_arg), "src, dst", zero_in=("dst",), src="dsrc")
    vjp.defvjp(rt(returned_arg), "src, dst", zero_in=("dst",), src="g")
    defzero_helper(jvp, vjp, args_unshared, copies_kept, write_back, item_loop_check)
    defzero_helper(jvp, vjp, items_in_place)
    jvp.defjvp(rt(as_number), "x", x="dx")
    vjp.defvjp(rt(as_number), "x", x="g")
