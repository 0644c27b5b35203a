"""The cotangents of a reverse sweep: `Adj`, a dict Var -> cotangent that journals its writes.

Input: the writes ``adj[v] = c`` of the reverse sweep (`VJP.acc`, `vjp_if`, `vjp_loops`, the
structural rules: every write goes through `Adj.__setitem__`, the other ways to change a dict
are refused). Output: between `open_journal` and `close_journal`, the keys written in write order
with the value each had before; `close_journal` gives the values written and restores the dict
(same keys, values and order). The reverse sweep of an ``if`` (`vjp_if.py`) reverses each branch
on the one dict this way instead of copying every cotangent so far for each branch and scanning
all of them for the ones the branch changed: its cost is what the branch wrote, not the number
of cotangents (once quadratic in the number of ``if`` statements).

    log = open_journal(adj)
    ...                                       # adj[x] = c, ... (nested journals allowed)
    written, got = close_journal(adj, log)    # adj as before; got: {x: c, ...}
    rebound(adj, written, got)                # [x, ...]: what a copy of adj would show changed
"""

from __future__ import annotations

from itertools import count
from typing import Any, NoReturn

MISSING: Any = object()  # (the value before of a key the journal saw inserted)
_tick = count().__next__  # insertion ticks: the order of a dict's keys is the order of theirs


class Adj(dict):
    """A dict of cotangents; `log` the open journal (None when none), `born` each key's tick."""

    __slots__ = ("log", "born")

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.log: dict | None = None
        self.born: dict = {k: _tick() for k in self}

    def __setitem__(self, key: Any, value: Any) -> None:
        log = self.log
        if key in self:
            if log is not None and key not in log:
                log[key] = dict.__getitem__(self, key)
        else:
            self.born[key] = _tick()
            if log is not None and key not in log:
                log[key] = MISSING
        dict.__setitem__(self, key, value)

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("Adj: cotangents are written with `adj[v] = c` only (journaled)")

    update = setdefault = pop = popitem = clear = __delitem__ = __ior__ = _refuse


def open_journal(adj: Adj) -> dict | None:
    """Start recording `adj`'s writes; -> the journal that was open (give it to `close_journal`)."""
    outer = adj.log
    adj.log = {}
    return outer


def close_journal(adj: Adj, outer: dict | None) -> tuple[dict, dict]:
    """Stop recording, reopen `outer`; -> (key -> value before, key -> value written), `adj` put
    back as it was when the journal opened (keys inserted since removed, the others rebound)."""
    log = adj.log
    assert log is not None
    adj.log = outer
    get, put, drop = dict.__getitem__, dict.__setitem__, dict.__delitem__
    got = {k: get(adj, k) for k in log}
    for k, old in log.items():
        if old is MISSING:
            drop(adj, k)
        else:
            put(adj, k, old)
    return log, got


def rebound(adj: Adj, log: dict, got: dict) -> list:
    """The keys whose value the journaled writes changed (a new value; a key inserted with a
    value not None), in the order of a copy of `adj` that took the writes: the keys `adj` held
    in its order, then the new ones in the order they were inserted."""
    born = adj.born
    held = sorted((k for k, old in log.items() if old is not MISSING and got[k] is not old),
                  key=born.__getitem__)  # fmt: skip
    held.extend(k for k, old in log.items() if old is MISSING and got[k] is not None)
    return held
