"""Runs of ``quiet`` statements under one ``with np.errstate(all="ignore"):`` (`emit.py`), or
under the user's ``with np.errstate(divide="ignore"):`` for ops marked with it (lower/withs.py).

Input: a block's statements in order, each with its op and whether it is quiet (a derivative's:
ad/maskemit.py). Output: the statements, each run of quiet ones inside one ``with`` statement,
unless none of its ops computes a floating-point value (`SILENT`: then no ``with`` is needed)::

    q = Quiet('with np.errstate(all="ignore"):')
    q.add(op, stmts, out)   # each quiet op's, in order; a loud one's: q.close(out), then them
    q.close(out)
"""

from __future__ import annotations

from srcad.backend.text import St
from srcad.ssa.core import Op

# prims that compute no floating-point value (they report nothing to NumPy's error state)
SILENT = frozenset(
    "len getitem tuple list global free numpy.shape numpy.where srcad.runtime.zeros_like "
    "srcad.runtime.where_mask srcad.runtime.owned_copy numpy.zeros_like numpy.zeros".split()
)


def errstate_line(np_: str, state: tuple = (("all", "ignore"),)) -> str:
    """``with np.errstate(all="ignore"):`` (numpy as `np_`, the name the factory binds it by),
    or of `state`, a user's ``(kind, mode)`` pairs."""
    return f"with {np_}.errstate(" + ", ".join(k + '="' + m + '"' for k, m in state) + "):"


class Quiet:
    """The open ``with`` statement of a block (see the module docstring)."""

    __slots__ = ("head", "group", "loud")

    def __init__(self, head: str) -> None:
        self.head = head
        self.group: St | None = None  # the open ``with``, in `out`
        self.loud = False  # an op of the open group may report

    def add(self, op: Op, stmts: list[St], out: list[St], head: str | None = None) -> None:
        """Append the quiet `op`'s statements `stmts` to `out`, inside the open ``with`` (a
        loud op's go to `out` after `close`); `head`: the ``with`` line of `op`'s (a user's
        ``np.errstate``: lower/withs.ignored) when not the default one."""
        head = head or self.head
        if self.group is not None and self.group.text != head:
            self.close(out)  # (another state)
        if self.group is None:
            self.group = St(head, [])
            self.group.line, self.group.col = stmts[0].line, stmts[0].col
            out.append(self.group)
        if op.prim not in SILENT and not op.prim.startswith("attr."):
            self.loud = True
        self.group.body += stmts  # type: ignore[operator]

    def close(self, out: list[St]) -> None:
        """End the open ``with``: its statements without it when none of its ops may report."""
        g = self.group
        if g is not None and not self.loud:
            i = len(out) - 1 - out[::-1].index(g)
            out[i : i + 1] = g.body  # type: ignore[assignment]
        self.group, self.loud = None, False
