"""The name a refused read is of, for the mutation check's message (passes/alias.py).

Input: a function, the op reading and the name the IR's value carries. Output: another name.
``c = b`` binds `c` to the value of `b` (one `Var`, hinted `b`), so a stale read of `c` would be
reported as of `b`; `copy_read` finds the copy the source reads there::

    c = b
    b[0] = 1.0
    return np.sum(c)     # "`c` (bound to `b`'s object) is read after ..."
"""

from __future__ import annotations

import re

from srcad.ssa.core import Function, Op


def copy_read(fn: Function, at: Op, own: str) -> str:
    """The name the source reads at `at` (up to an unmatched closing bracket) in place of `own`,
    bound by ``c = own``, ``own = c = ...`` or a copy of such a name (one value in the IR, named
    `own`), else ""."""
    loc = at.loc
    if loc is None or not 0 < loc.line <= len(fn.source_lines) or not own.isidentifier():
        return ""
    seg, depth = fn.source_lines[loc.line - 1][loc.col :], 0
    for k, ch in enumerate(seg):
        depth += (ch in "([{") - (ch in ")]}")
        if depth < 0:
            seg = seg[:k]
            break
    read = set(re.findall(r"[A-Za-z_]\w*", seg))
    if own in read:
        return ""
    text, names, todo = "\n".join(fn.source_lines), {own}, [own]
    while todo:
        n = todo.pop()
        got = re.findall(rf"^\s*(\w+)\s*=\s*{n}\s*(?:#.*)?$", text, re.M)
        for a, b in re.findall(rf"^\s*(?:{n}\s*=\s*(\w+)|(\w+)\s*=\s*{n})\s*=(?!=)", text, re.M):
            got.append(a or b)
        todo += [g for g in got if g not in names]
        names.update(got)
    found = sorted((names - {own}) & read)
    return found[0] if len(found) == 1 else ""


__all__ = ["copy_read"]
