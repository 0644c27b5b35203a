"""A dataclass with ``__post_init__``: its ``__init__`` as the statements it runs, for an object
built here (lower/objects.py, lower/objinit.py).

Input: a class. Output: None, or a stand-in for its generated ``__init__``: the same function
(signature, defaults) carrying (``__srcad_source__``) a body that stores each field from its
parameter, then runs ``__post_init__``'s statements::

    @dataclass                                  def __init__(self, w, scale=1.0):
    class Model:                                    self.w = w
        w: np.ndarray                    ->          self.scale = scale
        scale: float = 1.0                           self.norm = np.sqrt(np.sum(self.w ** 2))
        norm: float = field(init=False)
        def __post_init__(self):
            self.norm = np.sqrt(np.sum(self.w ** 2))

Taken: the generated ``__init__`` of a dataclass that is not frozen (a frozen one stores through
``object.__setattr__``), fields without ``default_factory`` or with ``list``/``dict`` as one (a
new empty one per object, as Python's ``__init__`` calls the factory), ``init=False`` fields with a number,
string, bool or None default (stored as a constant) or none (``__post_init__`` sets it), and a
``__post_init__`` taking ``self`` only (no ``InitVar``) whose source srcad reads. The statements
are then checked and lowered as any ``__init__``'s (lower/objinit.py); error locations point at
``__post_init__``'s lines. Anything else: None (the class is called when the code runs).
"""

from __future__ import annotations

import dataclasses
import types
from typing import Any

import gast

from srcad.frontend.source import Source, get_source, namespace_of

_CONSTANT = (int, float, str, bool, type(None))
# ``field(default_factory=list)``: each object built without the argument gets a new empty one
# (lower/objects.py binds the parameter to it; an ``init=False`` field is stored from a call)
FACTORIES = {list: "list", dict: "dict"}


def factory_params(fn: Any) -> dict[str, type]:
    """The parameters of a stand-in ``__init__`` (`stand_in`) whose default is a dataclass
    ``default_factory`` of `FACTORIES` -> that factory; {} for other functions."""
    return getattr(fn, "__srcad_factories__", {})


def stand_in(cls: type, bare: bool = False) -> Any:
    """The stand-in ``__init__`` of `cls` (see the module docstring), or None. `bare`: a
    dataclass without ``__post_init__`` (its stores only; locations at its first method's
    source: lower/objinit.py builds one here when its methods call its fields' methods)."""
    post = cls.__dict__.get("__post_init__")
    init = cls.__dict__.get("__init__")
    params = getattr(cls, "__dataclass_params__", None)
    if bare and post is None:
        post = next((f for f in vars(cls).values() if isinstance(f, types.FunctionType)), None)
    if not isinstance(post, types.FunctionType) or not isinstance(init, types.FunctionType):
        return None
    if params is None or params.frozen or init.__code__.co_filename != "<string>":
        return None
    own = "__post_init__" in cls.__dict__  # (else `post` is a method: its `self` named only)
    if post.__code__.co_argcount != 1 and own or post.__code__.co_flags & 0x0C:
        return None
    if post.__code__.co_argcount < 1:
        return None
    try:
        src = get_source(post)  # (noted: a changed __post_init__ makes a new transform)
    except Exception:  # noqa: BLE001 - no source: the class is called when the code runs
        return None
    me = src.node.args.args[0].id
    stores = _stores(cls, me)
    if stores is None or init.__code__.co_varnames[:1] != (me,):
        return None
    body = list(src.node.body) if own else []
    if body and isinstance(body[0], gast.Expr) and isinstance(body[0].value, gast.Constant):
        body = body[1:]
    names = init.__code__.co_varnames[: init.__code__.co_argcount]
    args = gast.arguments(
        args=[gast.Name(n, gast.Param(), None, None) for n in names], posonlyargs=[],
        vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[],
    )  # fmt: skip
    fdef = gast.FunctionDef(name="__init__", args=args, body=stores + body, decorator_list=[],
                            returns=None, type_comment=None, type_params=[])  # fmt: skip
    for sub in gast.walk(fdef):
        if hasattr(sub, "lineno") and getattr(sub, "lineno", None) is None:
            gast.copy_location(sub, src.node)
    fn = types.FunctionType(init.__code__, init.__globals__, "__init__", init.__defaults__,
                            init.__closure__)  # fmt: skip
    fn.__kwdefaults__ = init.__kwdefaults__
    fn.__qualname__ = init.__qualname__
    here = Source(fdef, "__init__", src.filename, src.firstline, src.lines)
    fn.__srcad_source__ = (here, namespace_of(post))  # type: ignore[attr-defined]
    fn.__srcad_init__ = init  # type: ignore[attr-defined]
    fn.__srcad_factories__ = {  # type: ignore[attr-defined]
        f.name: f.default_factory
        for f in dataclasses.fields(cls)
        if f.init and f.default_factory is not dataclasses.MISSING
    }
    return fn


def _stores(cls: type, me: str) -> list | None:
    """``self.f = f`` for each field the ``__init__`` takes, ``self.f = <constant>`` for an
    ``init=False`` field with a default; None when a field is of another kind."""
    out = []
    for f in dataclasses.fields(cls):
        if f.default_factory is not dataclasses.MISSING and f.default_factory not in FACTORIES:
            return None
        if f.init:
            value: Any = gast.Name(f.name, gast.Load(), None, None)
        elif f.default_factory is not dataclasses.MISSING:  # a new empty list / dict
            value = gast.Call(gast.Name(FACTORIES[f.default_factory], gast.Load(), None, None),
                              [], [])  # fmt: skip
        elif f.default is dataclasses.MISSING:
            continue  # set by __post_init__ (or never: an AttributeError when read, as in Python)
        elif type(f.default) in _CONSTANT:
            value = gast.Constant(f.default, None)
        else:
            return None
        target = gast.Attribute(gast.Name(me, gast.Load(), None, None), f.name, gast.Store())
        out.append(gast.Assign(targets=[target], value=value, type_comment=None))
    return out
