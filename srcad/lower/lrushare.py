"""Whether an object a cached nested function reads may be changed between its calls through
another name (lower/lrucache.py): the gast of the enclosing function -> a yes/no answer.

lrucache checks that a name the cached function reads is bound once and never written into;
an alias escapes that check: ``v = w; v[0] = 1.0``, ``for row in w: row[0] = 1.0``,
``np.copyto(w[:1], 7.0)``, ``r = list(w); r[0][0] = 1.0``, or a module-level helper appending to
a global list the function reads. Python's cache then answers the old value where the plain
call reads the new one. `unshared` follows every read of such a name in the enclosing function
outside the cached one: each must be consumed into a fresh value (arithmetic, a comparison, a
ufunc, a reduction, an index, ``len``, ...); a read bound to another name (``=``, a ``for``
target) makes that name followed the same way; any other use (handed to a call that may write
into it or return it, stored in a container that escapes, read by another nested function)
answers no. A global or enclosing-scope object that is mutable is kept only when the
function calls nothing that could reach it (only builtins, module functions and the cached
function itself).
"""

from __future__ import annotations

import math
import types
from typing import Any

import gast
import numpy as np

from srcad.lower.withs import _resolve

# builtins whose value is fresh (never the argument or one of its items)
_FRESH_BUILTINS = frozenset(
    "abs all any bool complex divmod float hash int isinstance len pow range round sum".split()
)
# builtins whose value holds the argument's items (a shallow copy) or one of them
_SHALLOW_BUILTINS = frozenset("enumerate list max min reversed sorted tuple zip".split())
_FRESH_ATTRS = frozenset({"shape", "ndim", "size", "dtype"})
FRESH_METHODS = frozenset(
    "sum mean std var prod max min copy tolist item all any argmax argmin cumsum cumprod index count".split()
)
_FRESH_NUMPY = frozenset(
    "sum mean std var prod max min amax amin dot vdot inner outer tensordot einsum trace cumsum "
    "cumprod copy array concatenate stack vstack hstack allclose isclose norm linspace argmax "
    "argmin diff kron cross".split()
)
_IMMUTABLE = (int, float, complex, str, bytes, bool, type(None), types.ModuleType, types.FunctionType,
              types.BuiltinFunctionType, type, np.generic, np.ufunc)  # fmt: skip


def unshared(name: str, root: Any, s: Any, parents: dict, ns: Any, seen: set | None = None) -> bool:
    """Every read of `name` in `root` outside the cached function `s` leaves no other way to its
    object (module docstring); `name` bound in `root` (`seen`: the names already followed)."""
    seen = set() if seen is None else seen
    if name in seen:
        return True
    seen.add(name)
    inner = {id(n) for n in gast.walk(s)}
    for n in gast.walk(root):
        if id(n) in inner or not (isinstance(n, gast.Name) and n.id == name):
            continue
        if isinstance(n.ctx, gast.Load) and not _consumed(n, root, s, parents, ns, seen):
            return False
    return True


def outer_ok(name: str, root: Any, s: Any, parents: dict, ns: Any) -> bool:
    """`name`, read by `s` and not bound in `root`, names an object nothing in `root` may change:
    an immutable value, or a mutable one `root` reads only plainly and calls nothing user-written
    that could reach (module docstring)."""
    kind, obj = ns.lookup(name)
    if kind not in ("global", "free") or _immutable(obj):
        return True
    if not unshared(name, root, s, parents, ns):
        return False
    inner = {id(n) for n in gast.walk(s)}
    for n in gast.walk(root):
        if id(n) in inner or not isinstance(n, gast.Call):
            continue
        f = n.func
        if isinstance(f, gast.Name) and (f.id == s.name or ns.lookup(f.id)[0] == "builtin"):
            continue
        if not isinstance(
            _resolve(f, ns), (types.BuiltinFunctionType, np.ufunc)
        ) and not fresh_numpy(f, ns):
            return False
    return True


def _immutable(obj: Any) -> bool:
    if isinstance(obj, (tuple, frozenset)):
        return all(_immutable(v) for v in obj)
    if isinstance(obj, np.ndarray):
        return not obj.flags.writeable
    return isinstance(obj, _IMMUTABLE)


def fresh_numpy(f: Any, ns: Any) -> bool:
    """`f` is a function of a NumPy/math module that returns a fresh value (`_FRESH_NUMPY`, a
    ufunc, anything of ``math``)."""
    obj = _resolve(f, ns)
    if isinstance(obj, np.ufunc):
        return True
    mod = getattr(obj, "__module__", None) or ""
    if getattr(obj, "__self__", None) is math or mod == "math":
        return True
    return mod.split(".")[0] == "numpy" and getattr(obj, "__name__", "") in _FRESH_NUMPY


def fresh_call(call: Any, ns: Any) -> bool:
    """`call` is of a `fresh_numpy` function given no output: no ``out=``, no positional output
    (a ufunc's arguments past its inputs, ``np.sum(a, 0, None, w)``: at most 2 positional
    arguments), no ``copy=`` (``np.array(w, copy=False)`` may be `w`)."""
    if not fresh_numpy(call.func, ns) or any(k.arg in ("out", "copy") for k in call.keywords):
        return False
    obj = _resolve(call.func, ns)
    if isinstance(obj, np.ufunc):
        return len(call.args) <= obj.nin
    n = len(call.args)
    return getattr(obj, "__name__", "") == "einsum" or n <= (1 if obj in (np.array, np.copy) else 2)


def _inside_other_def(n: Any, root: Any, parents: dict) -> bool:
    up = parents.get(id(n))
    while up is not None and up is not root:
        if isinstance(up, (gast.FunctionDef, gast.Lambda)):
            return True
        up = parents.get(id(up))
    return False


def _consumed(n: Any, root: Any, s: Any, parents: dict, ns: Any, seen: set) -> bool:
    """The value of the expression `n` (holding the followed object or a part of it) reaches no
    other name, call or container that outlives it, except through `unshared` names."""
    if _inside_other_def(n, root, parents):
        return False
    p = parents.get(id(n))
    if isinstance(p, (gast.UnaryOp, gast.Compare, gast.Expr, gast.Return, gast.FormattedValue)):
        return True
    if isinstance(p, gast.BinOp):  # (a list's + and * copy only the outer list)
        return not isinstance(p.op, (gast.Add, gast.Mult)) or _consumed(
            p, root, s, parents, ns, seen
        )
    if isinstance(p, gast.AugAssign):  # (``s += w`` of lists: `s` holds `w`'s items)
        if p.value is not n:
            return False
        if not isinstance(p.op, (gast.Add, gast.Mult)):
            return True
        t = p.target
        return isinstance(t, gast.Name) and unshared(t.id, root, s, parents, ns, seen)
    if isinstance(p, gast.Subscript):
        if p.value is not n:
            return True  # (an index)
        return isinstance(p.ctx, gast.Load) and _consumed(p, root, s, parents, ns, seen)
    if isinstance(p, gast.Attribute):
        if not isinstance(p.ctx, gast.Load):
            return False
        if p.attr in _FRESH_ATTRS:
            return True
        call = parents.get(id(p))
        return p.attr in FRESH_METHODS and isinstance(call, gast.Call) and call.func is p
    if isinstance(p, (gast.IfExp, gast.BoolOp, gast.Tuple, gast.List, gast.Starred)):
        return (isinstance(p, gast.IfExp) and p.test is n) or _consumed(
            p, root, s, parents, ns, seen
        )
    if isinstance(p, gast.keyword):
        return p.arg != "out" and _call_arg(parents.get(id(p)), root, s, parents, ns, seen)
    if isinstance(p, gast.Call):
        return p.func is not n and _call_arg(p, root, s, parents, ns, seen)
    if isinstance(p, gast.Assign) and p.value is n:
        return all(
            isinstance(t, gast.Name) and unshared(t.id, root, s, parents, ns, seen)
            for t in p.targets
        )
    if isinstance(p, (gast.For, gast.comprehension)) and p.iter is n:
        t = p.target
        return isinstance(t, gast.Name) and unshared(t.id, root, s, parents, ns, seen)
    return False


def _call_arg(call: Any, root: Any, s: Any, parents: dict, ns: Any, seen: set) -> bool:
    """A part of the followed object handed to `call` reaches nothing else."""
    f = call.func
    if isinstance(f, gast.Name) and f.id == s.name:
        return True
    if isinstance(f, gast.Name) and ns.lookup(f.id)[0] == "builtin":
        if f.id in _FRESH_BUILTINS:
            return True
        return f.id in _SHALLOW_BUILTINS and _consumed(call, root, s, parents, ns, seen)
    return fresh_call(call, ns)
