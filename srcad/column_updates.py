"""Does a derivative computed column by column run a method that updates an argument's object?

Input: a `Compiled` derivative (its generated source), the call's arguments and the number of
columns. Output: `refuse_column_updates`, a located `SrcadError` when the generated code calls
a method that Python runs as written (``m.step()``: not differentiated, so not inlined) and the
class of an object the arguments hold defines it as a function that may update the object
(`shadowed_methods.may_update`: it assigns to an attribute or item of ``self``, or calls an
updating method of it). A Jacobian by columns (`srcad.jacfwd`, `srcad.hessian`) runs the
generated function once per input element on the same objects: the second column would see the
first one's update (``m.w`` doubled once per column), where Python's function runs once. The
writes srcad itself makes into arguments are applied once (srcad/columns.py); a method Python
runs is not under its control.
"""

from __future__ import annotations

import ast
import inspect
from typing import Any

import numpy as np

from srcad.errors import DiffError
from srcad.passes.shadowed_methods import may_update

_MODULES = frozenset({"_srcad", "np", "numpy", "math", "scipy", "cmath", "operator"})
_PLAIN = (int, float, complex, str, bytes, bool, type(None), np.ndarray, np.generic)
_MAX_OBJECTS = 256


def refuse_column_updates(c: Any, pyfunc: Any, full: list, ncols: int, what: str) -> None:
    """Raise when `what` runs `c`'s generated code `ncols` > 1 times and it calls a method
    that may update an object of the arguments `full` (module docstring)."""
    if ncols < 2:
        return
    found = _updating_method(c, full)
    if found is None:
        return
    cls, name = found
    filename, line, src = _located(pyfunc, name)
    raise DiffError(
        f"{what} runs `{getattr(pyfunc, '__name__', 'f')}` once per column ({ncols} here), "
        f"and `.{name}()` of a `{cls}` may update the object: every column after the first "
        "would start from the object the previous one updated, not from the caller's (a "
        f"counter it keeps would advance {ncols} times for one call, where Python's call, and a "
        "traced JAX function, advance it once; an updated value read later would be wrong)",
        filename=filename,
        line=line,
        col=src.find(f".{name}(") + 1 if src and line else None,
        source_line=src,
        hint="use srcad.jacrev or srcad.hvp (they run the function once), or make the "
        f"update outside the differentiated function (or `{name}` a pure method)",
    )


def _updating_method(c: Any, full: list) -> tuple[str, str] | None:
    names = _called_methods(c)
    if not names:
        return None
    for obj in _objects(full):
        cls = type(obj)
        for n in names:
            if may_update(inspect.getattr_static(cls, n, None), cls):
                return cls.__name__, n
    return None


def _called_methods(c: Any) -> tuple[str, ...]:
    """The names of the methods the generated code calls on values (not on modules), sorted;
    cached on `c`."""
    names = getattr(c, "_srcad_called_methods", None)
    if names is None:
        found = set()
        for n in ast.walk(ast.parse(c.source)):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute):
                root = n.func.value
                while isinstance(root, (ast.Attribute, ast.Subscript, ast.Call)):
                    root = root.func if isinstance(root, ast.Call) else root.value
                if not (isinstance(root, ast.Name) and root.id in _MODULES):
                    found.add(n.func.attr)
        names = tuple(sorted(found))
        try:
            c._srcad_called_methods = names
        except AttributeError:  # (a Compiled that takes no new attributes: not cached)
            pass
    return names


def _objects(full: list) -> list:
    """The user objects the arguments hold: themselves, the items of their lists, tuples and
    dicts and the values of their attributes, a few levels deep (at most `_MAX_OBJECTS`)."""
    out, seen, todo = [], set(), [(a, 0) for a in full]
    while todo and len(out) < _MAX_OBJECTS:
        v, depth = todo.pop(0)
        if isinstance(v, _PLAIN) or id(v) in seen or depth > 3:
            continue
        seen.add(id(v))
        if isinstance(v, (list, tuple)):
            todo.extend((e, depth + 1) for e in v)
        elif isinstance(v, dict):
            todo.extend((e, depth + 1) for e in v.values())
        elif not callable(v) or hasattr(v, "__dict__"):
            out.append(v)
            d = getattr(v, "__dict__", None)
            if isinstance(d, dict):
                todo.extend((e, depth + 1) for e in d.values())
    return out


def _located(pyfunc: Any, name: str) -> tuple[str | None, int | None, str | None]:
    """(file, line, source line) of the first ``.name(`` in `pyfunc`'s source, else its
    ``def`` line."""
    try:
        lines, first = inspect.getsourcelines(pyfunc)
        filename = inspect.getsourcefile(pyfunc)
    except (OSError, TypeError):
        return None, None, None
    for k, text in enumerate(lines):
        if f".{name}(" in text:
            return filename, first + k, text.rstrip("\n")
    return filename, first, lines[0].rstrip("\n") if lines else None
