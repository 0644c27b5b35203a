"""A nested def/lambda passed to a user class's constructor or method, kept in the object built
here.

Input: the lowerer at ``C(...)`` (lower/objects.py binding ``__init__``'s arguments) and a
`NestedFn` argument (``Integrator(lambda t, y: -k * y, y0)``). Output: a `Kept` function (a
`lower/fnargs.Carried` with the environment of this moment) for ``self.f = f`` to store, so a
method's ``self.f(t, y)`` lowers its body there (lower/fnargs.call); or None (the class is called
when the code runs: refused as before, "the nested function is used as a value"). A method of
an object built here given one (``opt.minimize(lambda z: k * z, x0)``) gets it kept the same
way (`method_arguments`): the method may store it in the object, read after the call.

Python's closure reads the enclosing variables when the method calls it, maybe after the
function rebound one (``k = x[1]`` between ``C(...)`` and ``c.run()``); the kept environment
holds the values of the construction. So a function is kept only when each enclosing variable
it reads is fixed (lower/fnescape: a parameter of the lowered function it never assigns, or a
local assigned once outside loops, before the function was passed), it writes none, and it is
defined in the lowered function itself. Then both
read the same values. A function the lowered function made and passed into a helper that
gives it to the class (``make_model(lambda z: np.tanh(k * z))``) is kept by the same test: the
variables it reads are the lowered function's, fixed there; one a helper made, or one that
writes a factory's state, is not. A lambda or def the ``__init__`` of an object built here
makes and stores (``self.f = lambda v: v * self.a``) is kept by the same test in that
``__init__`` (`keep`'s `root`): its ``self`` is the object, whose fields it reads when called.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import gast

from srcad.lower import closures, fnescape
from srcad.lower.fnargs import Carried, carry
from srcad.lower.objargs import arguments
from srcad.lower.values import NestedFn


@dataclass(eq=False)
class Kept(Carried):
    """A nested function an object built here keeps, its enclosing variables fixed."""


def keep(lw: Any, f: Any, at: Any, root: Any = None) -> Kept | None:
    """`f` (an argument of a constructor) kept with the environment of now, or None (module
    docstring). `root`: the function whose variables `f` reads (default: the lowered one; an
    ``__init__`` being inlined for ``self.f = lambda v: v * a``)."""
    if isinstance(f, Kept):
        return f
    if not isinstance(f, NestedFn):
        return None
    if isinstance(f, Carried) and (f.state is not None or f.gone):
        return None  # (passed into a helper: kept below when what it reads is fixed in `root`)
    if closures.enclosing_writes(f.node):
        return None
    root = root if root is not None else getattr(lw, "root", None)
    c = carry(lw, f, at)
    for m in sorted(fnescape._reads(c.node)):
        if m.startswith("$"):
            continue
        if (m in c.env and not fnescape._fixed(root, c.node, m)) or fnescape._unbound(root, c, m):
            return None
    return Kept(**{x.name: getattr(c, x.name) for x in fields(c)})


def method_arguments(lw: Any, node: gast.Call) -> tuple[list, dict] | None:
    """A method call's arguments as `objargs.arguments` gives them (objects built here kept),
    a nested function `Kept` (one that cannot be: refused here, its arguments lowered); None
    as there."""
    got = arguments(lw, node, (NestedFn,))
    if got is None:
        return None
    args, kwargs = got
    for k, v in [*enumerate(args), *kwargs.items()]:
        if isinstance(v, NestedFn):
            kept = keep(lw, v, node)
            if kept is None:
                raise lw.error(
                    node,
                    f"the nested function `{v.name}` is used as a value: srcad keeps one an "
                    "object's method is given only when it assigns no variable of the function "
                    "around it and each one it reads is assigned once, outside loops",
                    "pass the values it reads as arguments, or call it directly",
                )
            if type(k) is int:
                args[k] = kept
            else:
                kwargs[k] = kept
    return args, kwargs
