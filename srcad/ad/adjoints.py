"""The cotangent dicts of a reverse sweep (Var -> cotangent), their writes journaled.

Input: a reverse sweep `tr` (`ad/vjp.py`'s VJP: it holds, per dict, the insertion tick of each
key and the open journal) and its writes, all through `put` (`VJP.acc`, `vjp_if`, `vjp_loops`,
the structural rules; `tests/ad/test_adjoints.py` checks that no module of srcad/ad writes one
directly). Output: between `open_journal` and `close_journal`, the keys written in write order
with the value each had before; `close_journal` gives the values written and restores the dict
(same keys, values and order). The reverse sweep of an ``if`` (`vjp_if.py`) reverses each branch
on the one dict this way instead of copying every cotangent so far for each branch and scanning
all of them for the ones the branch changed: its cost is what the branch wrote, not the number
of cotangents (once quadratic in the number of ``if`` statements). The dicts stay plain dicts
(reads of a dict subclass's items cost more, and the sweep reads far more than it writes).

    adj = new_adj(tr)
    log = open_journal(tr, adj)
    put(tr, adj, x, c)                           # ... (nested journals allowed)
    written, got = close_journal(tr, adj, log)   # adj as before; got: {x: c, ...}
    rebound(tr, adj, written, got)               # [x, ...]: what a copy would show changed
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import count
from typing import Any

MISSING: Any = object()  # (the value before of a key the journal saw inserted)
_tick = count().__next__  # insertion ticks: the order of a dict's keys is the order of theirs


def new_adj(tr: Any, items: Iterable = ()) -> dict:
    """A new cotangent dict of `tr` holding `items`."""
    adj = dict(items)
    if "adj_born" not in tr.__dict__:
        tr.adj_born, tr.adj_logs = {}, {}
    tr.adj_born[id(adj)] = {k: _tick() for k in adj}  # (a dict's id reused: replaced here)
    return adj


def put(tr: Any, adj: dict, key: Any, value: Any) -> None:
    """``adj[key] = value``, journaled when a journal of `adj` is open."""
    log = tr.adj_logs.get(id(adj))
    if key in adj:
        if log is not None and key not in log:
            log[key] = adj[key]
    else:
        tr.adj_born[id(adj)][key] = _tick()
        if log is not None and key not in log:
            log[key] = MISSING
    adj[key] = value


def open_journal(tr: Any, adj: dict) -> dict | None:
    """Start recording the writes of `adj`; -> the journal of it that was open (give it to
    `close_journal`)."""
    logs = tr.adj_logs
    outer = logs.get(id(adj))
    logs[id(adj)] = {}
    return outer


def close_journal(tr: Any, adj: dict, outer: dict | None) -> tuple[dict, dict]:
    """Stop recording, reopen `outer`; -> (key -> value before, key -> value written), `adj` put
    back as it was when the journal opened (keys inserted since removed, the others rebound)."""
    logs = tr.adj_logs
    log = logs.pop(id(adj))
    if outer is not None:
        logs[id(adj)] = outer
    got = {k: adj[k] for k in log}
    for k, old in log.items():
        if old is MISSING:
            del adj[k]
        else:
            adj[k] = old
    return log, got


def rebound(tr: Any, adj: dict, log: dict, got: dict) -> list:
    """The keys whose value the journaled writes changed (a new value; a key inserted with a
    value not None), in the order of a copy of `adj` that took the writes: the keys `adj` held
    in its order, then the new ones in the order they were inserted."""
    born = tr.adj_born[id(adj)]
    held = sorted((k for k, old in log.items() if old is not MISSING and got[k] is not old),
                  key=born.__getitem__)  # fmt: skip
    held.extend(k for k, old in log.items() if old is MISSING and got[k] is not None)
    return held
