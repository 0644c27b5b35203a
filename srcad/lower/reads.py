"""What a transform read of objects known when it ran, and which objects are the user's.

Input: objects, classes, attribute names. Output: the attribute reads a transform depends on
(`recording_attrs` collects them while it runs, `note_attr` / `note_read` add one, `attrs_current`
checks them again on every cache hit), and the user objects srcad differentiates through
(`user_class`, `layout_class`: part of the cache key, `classify`: what ``obj.name`` is). No
import of the parser or the IR: a call served by the disk cache runs these
(`srcad.lower.values` re-exports them for the lowering). Example::

    >>> class Model: pass
    >>> user_class(Model()) is Model, user_class(1.0)
    (True, None)
"""

from __future__ import annotations

import builtins
import contextlib
import inspect
import threading
import types
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from srcad.arrays import is_duck_array_type
from srcad.errors import SrcadError
from srcad.frontend.functions import global_names

# -- attribute reads a transform depends on ---------------------------------------------------
_ATTRS = threading.local()  # .reads: (object, attribute, value) read while transforming
_LIBRARIES = ("numpy", "math", "cmath", "scipy", "builtins", "operator", "srcad")
_CONSTANTS = (bool, int, float, complex, str, type(None))


@contextlib.contextmanager
def recording_attrs() -> Iterator[list[tuple[Any, str, Any]]]:
    """Collect the callables and modules read as attributes of objects known at transform time
    (``mylib.f``, ``cfg.act``) in this thread meanwhile: the transform's result depends on them,
    so a cache entry is valid only while each attribute still holds the same object
    (`attrs_current`). Nested recordings add theirs to the outer one."""
    outer = getattr(_ATTRS, "reads", None)
    reads: list[tuple[Any, str, Any]] = []
    _ATTRS.reads = reads
    try:
        yield reads
    finally:
        _ATTRS.reads = outer
        if outer is not None:
            outer.extend(reads)


def note_attr(obj: Any, name: str, value: Any) -> None:
    """Record that a transform read ``obj.name`` (a callable or module; a user module's number or
    string) as `value`. Attributes of library modules (NumPy, SciPy, math) are not recorded: they
    are not rebound in practice."""
    reads = getattr(_ATTRS, "reads", None)
    if reads is None:
        return
    module = isinstance(obj, types.ModuleType)
    if not (callable(value) or isinstance(value, types.ModuleType)):
        # a number or string of a user module (``cfg.SCALE``, ``from cfg import P`` in the
        # function) is a constant of the transform: recorded, so rebinding it makes a new one
        if not (module and isinstance(value, _CONSTANTS)):
            return
    if module and obj.__name__.split(".")[0] in _LIBRARIES:
        return
    reads.append((obj, name, value))
    _note_cells(value, reads, set())


def _note_cells(value: Any, reads: list, seen: set[int]) -> None:
    """A function read through an object or a table (``cfg.act``, ``ACTS["a"]``) is inlined with
    its closure values: each cell's contents recorded too (and the cells of functions held
    there), so rebinding one through ``nonlocal`` makes a new transform."""
    f = getattr(value, "__func__", value)
    if not isinstance(f, types.FunctionType) or id(f) in seen or not f.__closure__:
        return
    seen.add(id(f))
    for cell in f.__closure__:
        try:
            v = cell.cell_contents
        except ValueError:  # an empty cell: the function could not run
            continue
        reads.append((cell, "cell_contents", v))
        _note_cells(v, reads, seen)


@dataclass(frozen=True)
class ItemRead:
    """The key of a recorded read ``obj[key]`` (a global's binding, a list's element); ``len``
    with ``length``: the list's length, compared by value."""

    key: Any = None
    length: bool = False

    def get(self, obj: Any) -> Any:
        try:
            return len(obj) if self.length else obj[self.key]
        except (LookupError, TypeError):
            return _MISSING


@dataclass(frozen=True)
class ClassRead(ItemRead):
    """The key of a recorded read of the class through which a transform resolved the methods of
    the user object `obj` bound in front of the arguments (``srcad.grad(model.loss)``): None
    once an attribute of the instance shadows one of them (``model.act = other``: Python calls
    that). (The lists of layers it holds are checked by the generated code.)"""

    def get(self, obj: Any) -> Any:
        cls = type(obj)
        return None if shadows_method(obj, cls) else cls


@dataclass(frozen=True)
class KindRead(ItemRead):
    """The key of a recorded read of the type of the class attribute `key` (a number a transform
    took for one: passes/classnums.py): current while ``type(obj.key)`` is the same."""

    def get(self, obj: Any) -> Any:
        return type(getattr(obj, self.key, None))


@dataclass(frozen=True)
class NumbersRead(ItemRead):
    """The key of a recorded read of a list or tuple of Python numbers (a global of int tags a
    helper takes: ``j = tags[i]; j += 1`` then only rebinds `j`, srcad.ad.callfacts): current
    while every item is still an int, float or bool (no more than `key` of them)."""

    def get(self, obj: Any) -> Any:
        return number_items(obj, self.key)


@dataclass(frozen=True)
class DictNumbersRead(ItemRead):
    """The key of a recorded read of a dict of Python numbers (a global configuration ``CFG =
    {"idx": 1, "lr": 0.1}``: ``b = w[CFG["idx"]]; b -= ...`` then only rebinds `b`,
    passes/classnums.global_boxes): current while every value is still an int, float or bool
    (no more than `key` of them)."""

    def get(self, obj: Any) -> Any:
        return number_values(obj, self.key)


def number_values(obj: Any, limit: int) -> bool:
    """`obj` is a dict of at most `limit` Python numbers (ints, floats, bools)."""
    if type(obj) is not dict or len(obj) > limit:
        return False
    return all(type(v) in (int, float, bool) for v in obj.values())


# id -> a module-global list, tuple or dict whose items some transform took for numbers
# (`NumbersRead`, `DictNumbersRead`): the generated code's own writes into module globals
# (rules/effects.py) check that they leave numbers there (`check_numbers_kept`), since the
# recorded reads are compared when a call starts only
_RELIED: dict[int, Any] = {}


def rely_on_numbers(obj: Any) -> None:
    """Note that a transform took the items of the global container `obj` for numbers."""
    _RELIED[id(obj)] = obj


def check_numbers_kept(obj: Any, name: str) -> None:
    """Raise a SrcadError when `obj`, whose items a transform took for numbers, now holds
    another object: the code made from that fact (``s = x[IDX[0]]; s *= v`` rebinds a number)
    would not do what Python does with the new item (``x[0:2]``, a view, updated in place)."""
    if _RELIED.get(id(obj)) is not obj:
        return
    if number_items(obj, len(obj)) or number_values(obj, len(obj)):
        return
    raise SrcadError(
        f"the global `{name}` held numbers only when srcad made this derivative, which reads "
        "its items as numbers (an index, a scale); this call stores another object in it",
        hint=f"keep numbers in `{name}`, or pass the new items as an argument",
    )


def number_items(obj: Any, limit: int) -> bool:
    """`obj` is a list or tuple of at most `limit` Python numbers (ints, floats, bools)."""
    if type(obj) not in (list, tuple) or len(obj) > limit:
        return False
    return all(type(v) in (int, float, bool) for v in obj)


def front_reads(front: tuple) -> tuple[tuple[Any, Any, Any], ...]:
    """The reads a fast path's guard compares for the arguments `front` bound in front (``self``
    of a bound method, a partial's): a user object's class and its methods not shadowed, which
    the fast path does not look at again."""
    return tuple((o, _CLASS, type(o)) for o in front if user_class(o) is not None)


def note_read(obj: Any, key: ItemRead | str, value: Any) -> None:
    """Record that a transform read ``obj[key.key]`` (``len(obj)``; ``obj.key`` for a str) as
    `value`."""
    reads = getattr(_ATTRS, "reads", None)
    if reads is not None:
        reads.append((obj, key, value))
        _note_cells(value, reads, set())


_FUNCTION_ATTRS = ("__code__", "__defaults__", "__kwdefaults__")


def function_reads(f: types.FunctionType) -> list[tuple[Any, Any, Any]]:
    """What the transform of a function whose source it read depends on besides the text: its
    code, defaults and the callables/modules its global names hold, as reads for
    `attrs_current`. A method reached through a class or an object, or a method of an object
    built in the function and inlined there, is not among the globals the cache key follows:
    rebinding a helper it calls (``act = other`` in its module) makes a new transform."""
    # (defaults given later do not change calls the transform bound without: not recorded)
    out: list[tuple[Any, Any, Any]] = [
        (f, n, v) for n in _FUNCTION_ATTRS if (v := getattr(f, n)) is not None
    ]
    # keyword-only defaults are a dict the user can update in place (``f.__kwdefaults__["p"] =
    # 3``): each value the transform bound is a read of its own
    for k, v in (f.__kwdefaults__ or {}).items():
        out.append((f.__kwdefaults__, ItemRead(k), v))
    g = f.__globals__
    for name in dict.fromkeys(global_names(f.__code__)):
        v = g.get(name)
        if v is not None and (callable(v) or isinstance(v, types.ModuleType)):
            out.append((g, ItemRead(name), v))
    return out


def note_function(f: Any) -> None:
    """Record that a transform read the source of the function `f` (`function_reads`, and its
    closure values)."""
    reads = getattr(_ATTRS, "reads", None)
    if reads is not None and isinstance(f, types.FunctionType):
        reads.extend(function_reads(f))
        _note_cells(f, reads, set())


def replay_attrs(reads: Any) -> None:
    """Record `reads` again (a cached result that depends on them is being reused)."""
    outer = getattr(_ATTRS, "reads", None)
    if outer is not None:
        outer.extend(reads)


def attrs_current(reads: Any) -> bool:
    """Does every recorded ``obj.name`` still hold the object it held (a bound method: the same
    function bound to the same object)?"""
    for obj, name, value in reads:
        if isinstance(name, ItemRead):
            now = name.get(obj)
            if now is value or (name.length and now == value):
                continue
            return False
        try:
            now = getattr(obj, name, _MISSING)
        except ValueError:  # a closure cell emptied since (`del` of a nonlocal)
            return False
        if now is value:
            continue
        if not (
            isinstance(now, types.MethodType)
            and isinstance(value, types.MethodType)
            and now.__self__ is value.__self__
            and now.__func__ is value.__func__
        ):
            return False
    return True


_MISSING = object()
_CLASS = ClassRead()


def _methods(cls: type) -> set[str]:
    return {n for k in cls.__mro__ for n, v in vars(k).items() if isinstance(v, types.FunctionType)}


def shadows_method(obj: Any, cls: type) -> bool:
    """Does an attribute of the instance `obj` hide a method of its class `cls`?"""
    inst = getattr(obj, "__dict__", None)
    if not isinstance(inst, dict):
        return False
    for n in inst:  # (a few attributes: this runs on every call with a user object argument)
        for k in cls.__mro__:
            if n in k.__dict__:
                if isinstance(k.__dict__[n], types.FunctionType):
                    return True
                break
    return False


# -- user objects: instances of classes srcad differentiates through --------------------------
LIBRARY_MODULES = ("builtins", "numpy", "srcad")  # classes whose methods rules describe
_HEAPTYPE = 1 << 9  # Py_TPFLAGS_HEAPTYPE: a class a `class` statement made, not a C type


def module_name(obj: Any) -> str:
    """`obj`'s ``__module__`` (a class or function; "" for none). A class a ``class`` statement
    made in a namespace without ``__name__`` (``exec(src, {})``) has the module "builtins": it
    is the user's (""), or its methods were taken for built-in ones (``3.0 * v``, ``v[i]``,
    ``zip(v, w)`` of such objects had wrong JVPs: their rules applied to the object's tangent)."""
    mod = getattr(obj, "__module__", "") or ""
    if mod == "builtins" and isinstance(obj, type) and obj.__flags__ & _HEAPTYPE:
        return mod if getattr(builtins, obj.__name__, None) is obj else ""
    return mod if isinstance(mod, str) else ""


def module_top(obj: Any) -> str:
    """The top package of `module_name(obj)`, which the `LIBRARY_MODULES` tests read."""
    return module_name(obj).split(".")[0]


def user_class(obj: Any) -> type | None:
    """The class of `obj` when it is an instance of a user-defined class (not numbers/arrays/containers)."""
    cls = type(obj)
    if module_top(cls) in LIBRARY_MODULES or isinstance(obj, type) or is_duck_array_type(cls):
        return None
    return cls


_LAYOUTS: dict = {}
_LAYOUT_MAX = 64
_FIELD_DEPTH = 3  # fields of fields of fields: ``self.a.b.c.f(x)``
_LAYOUTS_MAX = 1024
_FIELD_FNS = frozenset((types.FunctionType, types.BuiltinFunctionType, np.ufunc, type(np.sum)))
_NOT_OBJECTS = frozenset((int, float, bool, complex, str, type(None), np.ndarray))


def layout_class(obj: Any, depth: int = 0) -> type | None:
    """The class of the user object `obj`, or, when attributes of it hold non-empty lists/tuples
    of user objects (``self.layers``), a user object (``self.enc``, a field of its own layout
    class, `_FIELD_DEPTH` deep) or a function (``self.act``), a subclass of it standing for that
    structure: the attributes' names and their items' classes are in ``__srcad_layout__``, the
    fields' classes in ``__srcad_fields__``, the functions in ``__srcad_fns__`` (one subclass per
    structure, so the cache key and generated keys tell structures apart). None for no user
    object."""
    cls = user_class(obj)
    if cls is None or type(cls) is not type:
        return cls
    if shadows_method(obj, cls):  # ``obj.forward = f``: Python calls f, not the class's method
        return None
    layout, fields, fns = [], [], []
    for name, v in sorted((getattr(obj, "__dict__", None) or {}).items()):
        t = type(v)
        if t in _NOT_OBJECTS or not isinstance(name, str):
            continue
        if t in (list, tuple):
            if not 0 < len(v) <= _LAYOUT_MAX:
                continue
            items = tuple(user_class(e) for e in v)
            if any(c is not None and shadows_method(e, c) for e, c in zip(v, items)):
                continue  # ``layer.forward = f`` on an item: Python calls f, not the class's
            if all(c is not None and type(c) is type for c in items):
                layout.append((name, items))
        elif t in _FIELD_FNS:  # ``m.act = np.tanh``: ``m.act(x)`` calls it (ad/fieldfns.py)
            fns.append((name, v))
        elif depth < _FIELD_DEPTH and v is not obj and t not in (dict, set):
            c = layout_class(v, depth + 1)  # ``self.enc``: its methods are followed
            if c is not None and type(c) is type:
                fields.append((name, c))
    if not (layout or fields or fns) or any(
        "__init_subclass__" in k.__dict__ for k in cls.__mro__[:-1]
    ):
        return cls
    key = (cls, tuple(layout), tuple(fields), tuple(fns))
    sub = _LAYOUTS.get(key)
    if sub is None:
        if len(_LAYOUTS) >= _LAYOUTS_MAX:  # (a new lambda per object: no end of structures)
            _LAYOUTS.clear()
        attrs = {"__module__": cls.__module__, "__qualname__": cls.__qualname__}
        attrs.update(__srcad_layout__=dict(layout), __srcad_fields__=dict(fields))
        attrs.update(__srcad_fns__=dict(fns), __srcad_base__=cls)
        if "__slots__" in cls.__dict__:
            attrs["__slots__"] = ()
        sub = _LAYOUTS.setdefault(key, type(cls.__name__, (cls,), attrs))
    return sub


def library_owned(cls: type, name: str) -> bool | None:
    """Does ``cls.name`` come from a built-in or NumPy class (the rule describes it)? None when
    the class defines it itself (or computes attributes with ``__getattr__``)."""
    for k in cls.__mro__:
        if name in k.__dict__:
            return module_top(k) in LIBRARY_MODULES
    getattr_ = inspect.getattr_static(cls, "__getattr__", None)
    return getattr_ is None or library_owned(cls, "__getattr__") is True


def user_method(cls: type, name: str) -> Any:
    """The Python function ``cls.name`` (a plain or static method), or None."""
    f = inspect.getattr_static(cls, name, None)
    if isinstance(f, staticmethod):
        f = f.__func__
    return f if isinstance(f, types.FunctionType) else None


def classify(cls: type, name: str) -> str:
    """What ``obj.name`` is for an instance of the user class `cls`: ``"user"`` (a Python method,
    differentiated through its source), ``"rule"`` (inherited from a built-in or NumPy class, or
    missing: Python raises), ``"refuse"`` (anything else the class defines or computes). A class
    method is ``"user"`` too (but for operators)."""
    if user_method(cls, name) is not None:
        return "user"
    f = inspect.getattr_static(cls, name, None)
    if isinstance(f, classmethod) and isinstance(f.__func__, types.FunctionType):
        return "user" if not name.startswith("__") else "refuse"  # ad/callees binds the class
    for k in cls.__mro__:
        if name in k.__dict__:
            lib = module_top(k) in LIBRARY_MODULES
            return "rule" if lib else "refuse"
    if not name.startswith("__") and classify(cls, "__getattr__") == "user":
        return "refuse"
    return "rule"
