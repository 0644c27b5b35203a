"""Where a rebound parameter's object is kept (lower/argcopy.py's snapshots).

Input: a function's top-level statements and, per parameter the function updates in place and
later rebinds, the index of the first top-level statement rebinding it (`argcopy.candidates`).
Output: the statements with ``_srcad_entry_x = x`` before that statement, and before every
``return`` among the statements ahead of it (in nested blocks too, not in nested functions or
classes): the value the caller's object holds on each path that leaves the function, which
`argcopy.leave` writes back. Ahead of that statement `x` is never rebound, so `x` there is
the object itself. Compound statements holding such a ``return`` are copied, never changed
(the tree is the parsed source's)::

    def f(x, c):                      def f(x, c):
        x *= 2.0                          x *= 2.0
        if c > 0.5:                       if c > 0.5:
            return np.sum(x)                  _srcad_entry_x = x
        x = np.tanh(x)                        return np.sum(x)
        return np.sum(x)                  _srcad_entry_x = x
                                          x = np.tanh(x)
                                          return np.sum(x)

A snapshot an update after it leaves stale (``try: return v finally: x[0] = 1``) is refused by
the mutation check (passes/alias.py), as for the top-level one.
"""

from __future__ import annotations

import copy
from typing import Any

import gast

SNAP = "_srcad_entry_"  # the variable holding a rebound parameter's object

_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")
_SCOPES = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef)


def keep(name: str, at: Any) -> Any:
    """``_srcad_entry_<name> = <name>``, located at the statement `at`."""
    node = gast.Assign(
        targets=[gast.Name(SNAP + name, gast.Store(), None, None)],
        value=gast.Name(name, gast.Load(), None, None),
        type_comment=None,
    )
    return gast.copy_location(node, at)


def with_snapshots(stmts: list, snap_at: dict[str, int]) -> list:
    """`stmts` with the snapshots of the names in `snap_at` (name -> index of the first
    top-level statement rebinding it) inserted (module docstring)."""
    out: list = []
    for k, st in enumerate(stmts):
        out += [keep(n, st) for n in sorted(snap_at) if snap_at[n] == k]
        ahead = sorted(n for n, at in snap_at.items() if at > k)
        out += _before_returns([st], ahead) if ahead else [st]
    return out


def _before_returns(stmts: list, names: list[str]) -> list:
    """`stmts` with ``_srcad_entry_n = n`` for each of `names` before each ``return``; the
    same list (and nodes) when none holds one."""
    out: list = []
    changed = False
    for st in stmts:
        if isinstance(st, gast.Return):
            out += [keep(n, st) for n in names]
            changed = True
        elif not isinstance(st, _SCOPES) and _holds_return(st):
            st = copy.copy(st)
            for f in _BLOCKS:
                part = getattr(st, f, None)
                if part:
                    setattr(st, f, _before_returns(part, names))
            changed = True
        out.append(st)
    return out if changed else stmts


def _holds_return(st: Any) -> bool:
    todo = [st]
    while todo:
        n = todo.pop()
        if isinstance(n, gast.Return):
            return True
        if isinstance(n, _SCOPES):
            continue
        for f in _BLOCKS:
            todo.extend(getattr(n, f, None) or ())
    return False
