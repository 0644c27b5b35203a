"""A nested function that writes fields of an enclosing object built here: ``def step(v):
o.v = o.v + v`` with ``o = C(...)`` in the function srcad transforms.

Input: the caller's environment, the nested def's node and an enclosing name it writes
(lower/closures.enclosing_writes counts ``o.v = ...`` as writing `o`). Output: whether the
name is a variable (a `Var` or `Const` there: rebound as before) or the write is to fields
only: the name is bound to an object built here (lower/objects.py) and no
statement of the def (or of a function nested in it) binds or deletes the name itself. The
fields live in the environment (lower/objstate.py, names ``%...``): lower/closures.inline hands
them to the body and rebinds those the body wrote, as for a method inlined on the object.
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower.values import LocalObj
from srcad.ssa.core import Const, Var


def writable(env: dict, fnode: Any, name: str) -> bool:
    """See the module docstring."""
    if isinstance(env.get(name), (Var, Const)):
        return True
    if not isinstance(env.get(name), LocalObj):
        return False
    return not any(
        isinstance(x, gast.Name) and x.id == name and not isinstance(x.ctx, gast.Load)
        for x in gast.walk(fnode)
    )
