"""Trees of values: dicts, lists, tuples, namedtuples, dataclasses and small user objects.

Input: user values (arguments, derivatives). Output: their records' fields, rebuilt records of the
same class, the float leaves of a tree in order and the tree rebuilt from new leaves. One module
for what the public API (`srcad.args`, `srcad.testing`, `srcad.higher`, which passes its own
leaf notion and JAX's tuple layout) and the runtime helpers (`srcad.rules.trees`) walk, so a
derivative keeps its input's structure::

    >>> P = namedtuple("P", "w b")
    >>> rebuild(P(np.zeros(2), 1.0), iter([np.ones(2), 2.0]))
    P(w=array([1., 1.]), b=2.0)

A *record* is a namedtuple, a dataclass whose ``__init__`` is the generated one (no
``__post_init__``), or an instance of a plain user class whose ``__init__`` only assigns its
parameters to attributes (``self.a = a``, ``self.a, self.b = a, b``, ``super().__init__(a)`` of
such a base class): its fields are its attributes, and a record of the same class with other
field values is built without running ``__init__`` (a derivative of a ``Dual`` is a ``Dual`` of
derivatives).
"""

from __future__ import annotations

import ast
import collections
import dataclasses
import inspect
import textwrap
import types
from collections.abc import Callable
from typing import Any

import numpy as np

from srcad.frontend.mangle import mangled
from srcad.objtrees import dynamic_names, open_class, open_fields

_INITS: dict[type, Any] = {}


def simple_init(cls: type) -> tuple[tuple[str, str], ...] | None:
    """``(attribute, parameter)`` pairs of a user class whose ``__init__`` only assigns its
    parameters to attributes of ``self`` (a docstring and ``pass`` allowed), else None."""
    if cls in _INITS:
        return _INITS[cls]
    _INITS[cls] = out = _simple_init(cls)
    return out


def slots(cls: type) -> frozenset[str] | None:
    """The attributes instances of `cls` can hold when every class of its MRO declares
    ``__slots__`` (no ``__dict__``), else None (any attribute)."""
    names: set[str] = set()
    for k in cls.__mro__[:-1]:
        s = k.__dict__.get("__slots__")
        if s is None:
            return None
        s = (s,) if isinstance(s, str) else tuple(s)
        if "__dict__" in s:
            return None
        names.update(s)
    return frozenset(names)


def slot_member(cls: type, k: type, name: str) -> bool:
    """Is ``k.__dict__[name]`` (`k` in `cls`'s MRO) the descriptor of a slot `name`, an
    instance attribute like any other?"""
    return type(k.__dict__.get(name)) is types.MemberDescriptorType and name in (slots(cls) or ())


def _simple_init(cls: type) -> tuple[tuple[str, str], ...] | None:
    if type(cls) is not type:
        return None
    for name in ("__setattr__", "__getattr__", "__getattribute__", "__new__"):
        owner = next((k for k in cls.__mro__ if name in k.__dict__), object)
        if owner is not object:
            return None
    init = inspect.getattr_static(cls, "__init__", None)
    if not isinstance(init, types.FunctionType):
        return None
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(init)))
    except (OSError, TypeError, SyntaxError):
        return None
    fdef = tree.body[0]
    if not isinstance(fdef, ast.FunctionDef) or fdef.decorator_list:
        return None
    a = fdef.args
    if a.vararg or a.kwarg or a.posonlyargs or not a.args:
        return None
    self_name = a.args[0].arg
    params = {p.arg for p in a.args[1:] + a.kwonlyargs}
    pairs: list[tuple[str, str]] = []
    for k, stmt in enumerate(fdef.body):
        if isinstance(stmt, ast.Pass) or (
            k == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
        ):
            continue
        stored = _stores(stmt, self_name, params)
        if stored is not None:  # `self.__g = g` stores `_C__g`
            stored = [(mangled(init.__qualname__, a), p) for a, p in stored]
        if stored is None:
            stored = _super_init(cls, init, stmt, params)
        if stored is None:
            return None
        for attr, param in stored:
            if any(attr in k.__dict__ and not slot_member(cls, k, attr) for k in cls.__mro__):
                return None  # a property or class attribute
            pairs = [p for p in pairs if p[0] != attr] + [(attr, param)]
    room = slots(cls)
    if room is not None and not {a for a, _ in pairs} <= room:
        return None  # (Python raises AttributeError)
    return tuple(pairs) if pairs else None


def _stores(stmt: ast.stmt, self_name: str, params: set) -> list[tuple[str, str]] | None:
    """``self.a = a`` -> [("a", "a")]; ``self.a, self.b = a, b`` (the right side's names all
    read before any attribute is stored, the same as one statement each) -> both pairs in
    order; None for other statements."""
    if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1:
        return None
    tgt, val = stmt.targets[0], stmt.value
    if isinstance(tgt, ast.Tuple) and isinstance(val, ast.Tuple) and len(tgt.elts) == len(val.elts):
        pairs = list(zip(tgt.elts, val.elts))
    else:
        pairs = [(tgt, val)]
    out = []
    for t, v in pairs:
        if not (
            isinstance(t, ast.Attribute)
            and isinstance(t.value, ast.Name)
            and t.value.id == self_name
            and isinstance(v, ast.Name)
            and v.id in params
        ):
            return None
        out.append((t.attr, v.id))
    return out


def _super_init(cls: type, init: Any, stmt: ast.stmt, params: set) -> list | None:
    """``super().__init__(a, b)`` (parameters passed by position, single inheritance) calling
    a base ``__init__`` that only stores its arguments -> its (attribute, parameter) pairs in
    terms of this ``__init__``'s parameters; None for other statements."""
    call = stmt.value if isinstance(stmt, ast.Expr) else None
    if not (
        isinstance(call, ast.Call)
        and not call.keywords
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "__init__"
        and isinstance(call.func.value, ast.Call)
        and isinstance(call.func.value.func, ast.Name)
        and call.func.value.func.id == "super"
        and not call.func.value.args
        and not call.func.value.keywords
        and all(isinstance(a, ast.Name) and a.id in params for a in call.args)
    ):
        return None
    mro = cls.__mro__
    owner = next((k for k in mro if k.__dict__.get("__init__") is init), None)
    if owner is None or any(len(k.__bases__) > 1 for k in mro) or mro.index(owner) + 1 >= len(mro):
        return None
    base = mro[mro.index(owner) + 1]
    pairs = simple_init(base) if base is not object else None
    fdef = inspect.getattr_static(base, "__init__", None)
    code = getattr(fdef, "__code__", None)
    if pairs is None or code is None or code.co_argcount != len(call.args) + 1:
        return None
    names = dict(zip(code.co_varnames[1 : code.co_argcount], (a.id for a in call.args)))
    return [(attr, names[p]) for attr, p in pairs] if all(p in names for _, p in pairs) else None


def _dataclass_ok(cls: type) -> bool:
    # (a subclass without its own @dataclass inherits the generated __init__ and the fields)
    init = next((k.__dict__["__init__"] for k in cls.__mro__ if "__init__" in k.__dict__), None)
    code = getattr(init, "__code__", None)
    return (
        code is not None
        and code.co_filename == "<string>"  # the generated __init__
        and not hasattr(cls, "__post_init__")
        and all(f.init for f in dataclasses.fields(cls))
    )


def record_fields(cls: type) -> tuple[str, ...] | None:
    """The fields of a record class (see the module docstring), None for other classes."""
    if issubclass(cls, tuple) and hasattr(cls, "_fields") and hasattr(cls, "_make"):
        return tuple(cls._fields)
    if dataclasses.is_dataclass(cls):
        return tuple(f.name for f in dataclasses.fields(cls)) if _dataclass_ok(cls) else None
    init = simple_init(cls)
    return None if init is None else tuple(dict(init))


def class_constant(cls: type, name: str) -> bool:
    """Is ``x.name``, for a record `x` of class `cls` with no field `name`, a constant of the
    class body (``scale = 2.0`` in `cls` or a base: a number, string, None, NumPy value or a tuple
    of them)? Its derivative is zero. An instance attribute of the same name shadows it: the
    run-time helpers check that too (`_srcad.field`)."""
    if name.startswith("__") or name in (record_fields(cls) or ()):
        return False
    own = [k for k in cls.__mro__ if k is not object and k is not tuple]
    if any("__getattribute__" in k.__dict__ or "__getattr__" in k.__dict__ for k in own):
        return False
    for k in cls.__mro__:
        if name in k.__dict__:
            return _constant(k.__dict__[name])
    return False


_CONSTANTS = (int, float, complex, str, bytes, type(None), np.generic, np.ndarray)


def _constant(v: Any) -> bool:
    return isinstance(v, _CONSTANTS) or (type(v) is tuple and all(_constant(e) for e in v))


def replaces_fields(cls: type, how: str) -> bool:
    """Does ``record_replace(x, how, ...)`` (``x._replace(...)`` for `how` "namedtuple",
    ``dataclasses.replace(x, ...)`` for "dataclass") rebuild an `x` of class `cls` as a record of
    `cls`: a class whose ``_replace`` is the namedtuple's, a dataclass record?"""
    if how == "namedtuple":
        return getattr(getattr(cls, "_replace", None), "__code__", None) is _NT_REPLACE
    return dataclasses.is_dataclass(cls) and record_fields(cls) is not None


_NT_REPLACE = collections.namedtuple("_NT", "a")._replace.__code__


def is_record(x: Any) -> bool:
    t = type(x)
    if t in _PLAIN or isinstance(x, (np.ndarray, np.generic, type)):
        return False
    return record_fields(t) is not None or (open_class(t) and open_fields(x) is not None)


def fields_of(x: Any) -> tuple[str, ...]:
    """The fields of the record `x`: its class's, or an open object's attributes
    (srcad.objtrees)."""
    fields = record_fields(type(x))
    return fields if fields is not None else open_fields(x) or ()


_PLAIN = frozenset({float, int, bool, complex, str, bytes, list, tuple, dict, type(None)})


def values_of(x: Any) -> list[Any]:
    """A record's field values, in field order (a list's or tuple's items)."""
    if isinstance(x, (tuple, list)):
        return list(x)
    return [getattr(x, n) for n in fields_of(x)]


def make_record(cls: type, values: Any, names: tuple[str, ...] | None = None) -> Any:
    """A record of class `cls` with these field values (in field order), ``__init__`` not run:
    derivatives of records are records of derivatives (a None field: no derivative). An open
    object's (srcad.objtrees) field `names` are its primal's (`fields_of`)."""
    if issubclass(cls, tuple):
        return cls._make(values)
    if names is None:
        names = record_fields(cls)
        if names is None:  # an open object's fields are its instance's: never guessed
            raise TypeError(f"srcad: the fields of a {cls.__name__} are not known here")
    values = list(values)
    if len(values) != len(names):
        raise ValueError(f"srcad: {len(values)} values for the {len(names)} fields of {cls}")
    out = object.__new__(cls)
    for name, v in zip(names, values):
        object.__setattr__(out, name, v)  # frozen dataclasses too
    return out


def seq_like(x: Any, items: Any) -> Any:
    """A sequence of `x`'s type holding `items`: a list/tuple as ``type(x)(items)``, a namedtuple
    through ``_make`` (its constructor takes the fields one by one): the cotangent of a sequence
    keeps its structure; an array (``math.prod(x)`` of an array iterates its rows) as an array
    of its shape; a range's, a tuple."""
    t = type(x)
    if isinstance(x, np.ndarray):
        items = list(items)
        return np.array(items, dtype=float).reshape(x.shape) if items else np.zeros(x.shape)
    if t is not tuple and isinstance(x, tuple) and hasattr(t, "_make"):
        return t._make(items)
    if t is range or t is bytes:  # their cotangents: tuples (rules/trees.zeros_like)
        return tuple(items)
    return t(items)


# -- trees of float leaves (the public API's inputs and derivatives) -------------------------------
def children(x: Any) -> list[Any] | None:
    """The subtrees of a container or record, None for a leaf."""
    if isinstance(x, dict):
        return list(x.values())
    if isinstance(x, (list, tuple)):
        return list(x)
    if is_record(x):  # an open object: its float-carrying fields only (srcad.objtrees)
        return [v for _, v in record_items(x)]
    return None


def leaves(x: Any, is_leaf: Callable[[Any], bool] | None = None) -> list[Any]:
    """The leaves of `x` (arrays, numbers, None, strings, ...), depth first in order; with
    `is_leaf`, the subtrees it accepts are leaves too (higher.py: a rectangular list of numbers
    is one Jacobian block)."""
    kids = None if is_leaf is not None and is_leaf(x) else children(x)
    if kids is None:
        return [x]
    return [leaf for e in kids for leaf in leaves(e, is_leaf)]


def rebuild(
    x: Any, items: Any, is_leaf: Callable[[Any], bool] | None = None, seq: type | None = None
) -> Any:
    """`x`'s structure with its leaves (as `leaves(x, is_leaf)` finds them) replaced by the next
    items of the iterator `items`; with `seq`, lists and tuples that are not records are rebuilt
    as `seq` (``tuple``: JAX's Jacobian layout for list inputs)."""
    kids = None if is_leaf is not None and is_leaf(x) else children(x)
    if kids is None:
        return next(items)
    new = [rebuild(e, items, is_leaf, seq) for e in kids]
    if isinstance(x, dict):
        return dict(zip(x, new))
    if is_record(x):
        names = [n for n, _ in record_items(x)]  # (an open object's others: kept, as JAX's
        return record_like(x, {**field_dict(x), **dict(zip(names, new))})  # static fields)
    return (seq or type(x))(new)


def record_items(x: Any) -> list[tuple[str, Any]]:
    """(field, value) pairs of the record `x`: those `children` gives (an open object's
    float-carrying fields only, srcad.objtrees)."""
    if record_fields(type(x)) is not None:
        return list(zip(fields_of(x), values_of(x)))
    d = x.__dict__
    return [(n, d[n]) for n in dynamic_names(x, leaves)]


def record_like(x: Any, given: dict) -> Any:
    """A record of the class and fields of the record `x` holding ``given[field]`` (None for
    a field not given: an open object's int, string or callable attributes)."""
    names = fields_of(x)
    return make_record(type(x), [given.get(n) for n in names], names)


def field_dict(t: Any) -> dict:
    """The fields of the record `t` by name."""
    return dict(zip(fields_of(t), values_of(t)))


def by_field(c: Any, out: Any) -> dict:
    """The fields of `c`, a derivative in the structure of the record `out`, by name (None:
    none; a namedtuple's may be a plain tuple); an open object's by its own attributes."""
    if c is None:
        return {}
    if record_fields(type(out)) is not None:
        return dict(zip(fields_of(out), values_of(c)))
    return field_dict(c)


def tree_map(fn: Any, x: Any) -> Any:
    """`x` with `fn` applied to each leaf."""
    return rebuild(x, iter([fn(leaf) for leaf in leaves(x)]))
