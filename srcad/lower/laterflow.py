"""Which later statements may run after a point of a function: a ``return`` ends the rest.

Input: the statements after a point at each enclosing level (innermost first, as
lower/closures.check_later walks `lw.later`). Output: whether the function has returned on
every path from the point once a level's statements ran (`returns`), so the enclosing levels'
later statements of the same function never run after it::

    def _ss(data, c=None):
        if c is not None:
            T, ssd, count = _sum((d := x - c) * d for x in data)   # the point
            return (T, ssd, c, count)                              # the function ends here
        ...
        ssd = c = sx_partials[None]                                # never after the point

Taken only when a ``return`` is a statement of the level's own block and no ``break``,
``continue`` or ``yield`` is anywhere in it (a jump back into an enclosing loop); an enclosing
``try`` (a ``finally`` runs after the ``return``, an ``except`` goes on when a statement
before it raises) or ``with`` stops it (`stops`).
"""

from __future__ import annotations

from typing import Any

import gast

_JUMPS = (gast.Break, gast.Continue, gast.Yield, gast.YieldFrom, gast.Await)


def returns(rest: list) -> bool:
    """`rest`, run after the point, reaches a ``return`` of its own block, jumping nowhere."""
    if not any(isinstance(s, gast.Return) for s in rest):
        return False
    return not any(isinstance(n, _JUMPS) for s in rest for n in gast.walk(s))


def stops(s: Any) -> bool:
    """An enclosing statement that may run code after a ``return`` inside it (``finally``),
    or go on after it when a statement before the ``return`` raises (``except``, a ``with``
    whose context manager suppresses the exception)."""
    return isinstance(s, (gast.Try, gast.With, gast.AsyncWith))
