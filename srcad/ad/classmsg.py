"""Why an object of a user class reached the transforms as a run-time value: the message and
hint of their refusal (ad/structural.record_call).

Input: the class. Output: (what is wrong, hint), most specific first:

- a subclass of a builtin container (``class Row(list)`` with its own ``__getitem__``): srcad
  follows plain lists, dicts and tuples, not a subclass's methods;
- a dataclass whose ``__post_init__`` lower/postinit.py does not take (frozen, ``InitVar``);
- an ``__init__`` that writes outside its object (``Layer.count += 1``, a ``global``): the
  lowering builds objects only where building one again has no effect;
- otherwise, where such objects are built while lowering and where they are not.

`not_plain`: a method the transforms cannot follow (ad/receivers.py), of a user class (a
property, class method, computed attribute) or of a library class (``deque.rotate``).
"""

from __future__ import annotations

import collections
import inspect

import gast

from srcad.frontend.source import get_source
from srcad.lower import postinit
from srcad.lower.reads import module_top
from srcad.lower.values import LIBRARY_MODULES

_CONTAINERS = (list, dict, tuple, set, frozenset, collections.OrderedDict,
               collections.defaultdict, collections.deque, collections.Counter)  # fmt: skip


def why(cls: type) -> tuple[str, str]:
    """(message, hint) for ``cls(...)`` the transforms cannot follow (see the module docstring)::

    >>> class Row(list): pass
    >>> why(Row)[0].split(":")[0]
    '`Row` subclasses the builtin `list`'
    """
    name = cls.__name__
    if cls.__module__ == "itertools":  # (``islice(it, 2)`` of ``it = iter(x)``: Python's)
        return (
            f"`{name}` is Python's lazy iterator, here over values that depend on the "
            "differentiated inputs: srcad keeps such an iterator as Python's and does not "
            "follow its items",
            "keep the values in a list and slice or index it (`xs[:2]` for `islice(iter(xs), 2)`)",
        )
    base = next((b for b in cls.__mro__[1:-1] if b in _CONTAINERS), None)
    if base is not None:
        return (
            f"`{name}` subclasses the builtin `{base.__name__}`: srcad follows plain lists, "
            "dicts, tuples, sets, deques and user classes, not a subclass of one of them",
            f"keep a plain `{base.__name__}` and write `{name}`'s methods as functions of it",
        )
    dataclass = getattr(cls, "__dataclass_params__", None) is not None
    if "__post_init__" in vars(cls) and dataclass and postinit.stand_in(cls) is None:
        return (
            f"`{name}` is a dataclass whose __post_init__ srcad does not run while lowering: "
            "it takes dataclasses that are not frozen, without InitVar fields, with no "
            "default_factory but list or dict, and a __post_init__ taking only self",
            f"compute the derived values outside `{name}.__post_init__` (in a method or the "
            "caller), or drop what is listed",
        )
    written = _outside_writes(cls)
    if written is not None:
        return (
            f"`{name}.__init__` writes `{written}`, outside the object: srcad builds objects "
            "while lowering only where building one again has no effect",
            f"update `{written}` in the caller, not in `{name}.__init__`",
        )
    return (
        "the object is a run-time value here: srcad builds objects of namedtuples, dataclasses "
        "and classes whose __init__ stores or computes fields while lowering, where their fields "
        "are read, their methods called or a list of them iterated (`for`, a comprehension); "
        "not where one is indexed in a list of run-time length, passed to a function srcad "
        "does not inline, or its __init__ mutates or has effects",
        "read the fields and call the methods where the objects are built, iterate over a "
        "list of them instead of indexing it, or pass a namedtuple/dataclass of the values",
    )


def _outside_writes(cls: type) -> str | None:
    """The first name or attribute ``cls.__init__`` assigns that is not its own object's field
    (``Layer.count``, a ``global`` name), or None (also when its source is not known)."""
    init = inspect.getattr_static(cls, "__init__", None)
    try:
        node = get_source(init).node
    except Exception:  # noqa: BLE001 - no source: the generic message
        return None
    me = node.args.args[0].id if node.args.args else None
    for n in gast.walk(node):
        if isinstance(n, (gast.Global, gast.Nonlocal)):
            return n.names[0]
        targets = n.targets if isinstance(n, gast.Assign) else []
        if isinstance(n, gast.AugAssign):
            targets = [n.target]
        for t in targets:
            if (
                isinstance(t, gast.Attribute)
                and isinstance(t.value, gast.Name)
                and t.value.id != me
            ):
                return f"{t.value.id}.{t.attr}"
    return None


def not_plain(cls: type, name: str) -> tuple[str, str]:
    """(message, hint) for ``obj.name(...)`` of a method of `cls` that is not a plain function."""
    if module_top(cls) in ("builtins", "collections", *LIBRARY_MODULES):
        return (
            f"`{cls.__name__}.{name}` has no derivative rule: srcad cannot follow what this "
            "method of a library class does to its receiver",
            "use a list: srcad follows a local deque only as a queue or ring buffer "
            "(append/appendleft/extend/pop/popleft, rotate by a step of names and numbers)"
            if cls is collections.deque
            else f"do the update on a plain list, dict or tuple built from the `{cls.__name__}`",
        )
    return (
        f"`{cls.__name__}.{name}` is not a plain method (a property, class method or computed "
        "attribute): srcad cannot differentiate through it",
        f"make `{name}` an ordinary method of `{cls.__name__}`",
    )
