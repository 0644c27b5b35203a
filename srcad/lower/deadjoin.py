"""Names a branch binds that nothing reads after the join: dropped there, not joined.

Input: the lowerer at the join of an ``if`` (lower/base.LowerBase.branch) and the names read
after it (`live_after`: the rest of the statement list, an enclosing loop's body, the names
nested functions read, the values lower/argcopy.py snapshots). Output: whether a name that
changed in a branch is dead there, so the join yields no value for it.

A view or alias bound in one branch (``if c: r = A[1]; A[1, 0] = v`` with `r` never read
again) would otherwise leave the branch as a value the mutation check (passes/alias.py) sees
read after its base changed. Only a function's own locals are dropped, at the top level of the
function being lowered (not in a helper inlined at a call, whose names may be read back by the
caller's write-back), and never a parameter: lower/argcopy.py writes a parameter's last value
back into the caller's object at the end, nor a name of a global or closure value (an array
the function updates in place is written back the same way).
"""

from __future__ import annotations

from typing import Any


def dead(lw: Any, name: str, live_after: set[str]) -> bool:
    """`name`, changed in a branch, is read nowhere after the join (module docstring)."""
    if name in live_after or lw.inline_depth or not name.isidentifier():
        return False
    root = getattr(lw, "root_node", None)
    if root is None or name not in lw.py_locals:
        return False
    a = root.args
    params = {p.id for p in (*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg) if p}
    # (a global or closure array the function updates is written back too: argcopy.enter)
    return name not in params and lw.ns.lookup(name)[0] not in ("global", "free")
