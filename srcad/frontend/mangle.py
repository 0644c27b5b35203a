"""Private names of a class body, mangled as Python compiles them: a method's gast tree -> the
same tree with ``self.__x`` read as ``self._C__x``.

Input: a function object and its gast tree (frontend/source.py, once per `get_source`). Output:
the tree changed in place. Inside a class body Python rewrites every identifier ``__x`` (not
``__x__``) into ``_C__x``, C the class (leading underscores dropped): ``self.__g`` reads the
attribute ``_A__g``, a subclass's ``self.__g`` is another attribute, ``_B__g``. srcad reads source
text, so without this a method's ``self.__g`` named an attribute no object has (an
AttributeError in the generated code) and a base class's and a subclass's ``__g`` were one
field of the object srcad models (a wrong value and derivative). The class comes from the
function's qualified name and every renamed identifier is checked against the names its code
object holds (nested code included), so a renamed or re-wrapped function is left as it is::

    class A:                            class A:
        def m(self):           ->           def m(self):
            return self.__g                     return self._A__g
"""

from __future__ import annotations

import types
from typing import Any

from srcad import lazy

gast = lazy.module("gast")  # (`import srcad` loads `mangled`, through srcad/trees.py)


def mangle_private(fn: types.FunctionType, node: Any) -> None:
    """Rename ``__x`` attributes and names in `node` (`fn`'s tree) as `fn`'s code names them."""
    prefix = _prefix(fn.__qualname__)
    if prefix is None:
        return
    names = _code_names(fn.__code__)
    for n in gast.walk(node):
        if isinstance(n, gast.Attribute) and _private(n.attr) and prefix + n.attr in names:
            n.attr = prefix + n.attr
        elif isinstance(n, gast.Name) and _private(n.id) and prefix + n.id in names:
            n.id = prefix + n.id


def mangled(qualname: str, name: str) -> str:
    """`name` as Python compiles it in the body of the function named `qualname` (``__x`` in a
    method of C -> ``_C__x``; other names as they are)."""
    prefix = _prefix(qualname)
    return prefix + name if prefix is not None and _private(name) else name


def _private(name: str) -> bool:
    return name.startswith("__") and not name.endswith("__") and "." not in name


def _prefix(qualname: str) -> str | None:
    """``_C`` for the innermost class around a function (`C.m.<locals>.f` -> C), else None."""
    parts = qualname.split(".")[:-1]
    cls = None
    for i, p in enumerate(parts):
        if p != "<locals>" and (i + 1 == len(parts) or parts[i + 1] != "<locals>"):
            cls = p
    if cls is None or not cls.lstrip("_"):
        return None
    return "_" + cls.lstrip("_")


def _code_names(code: types.CodeType) -> set[str]:
    """The global, attribute and variable names of `code` and the code objects nested in it."""
    out = set(code.co_names) | set(code.co_varnames) | set(code.co_freevars)
    out |= set(code.co_cellvars)
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            out |= _code_names(c)
    return out
