"""Dict keys carry no derivative: a differentiated function whose dict keys are floats that depend
on the inputs is refused at transform time.

Input: the function, its varied Vars and the kinds of its values (`ad/seqs.py`). Output: nothing,
or a `DiffError` at the ``{k: v}`` literal or ``d[k] = v`` whose key `k` is varied and known to be
a float (or a tuple of floats). srcad's dicts hold tangents of their values only, so ``sum(d)``,
``max(d)``, ``for k in d`` over such keys gave a zero derivative (``d = {x[0]: 1.0}; sum(d)``:
grad 0, Python's derivative is 1). Keys of unknown kind are not refused: a string key read out of
a varied container (``dict(zip(names, x))``, ``d.items()``) is varied for the activity analysis.
"""

from __future__ import annotations

from srcad.ad.common import diff_error
from srcad.ssa.census import ops_with
from srcad.ssa.core import Function, Var

_HINT = "use keys that do not depend on the differentiated inputs (ints, strings), or keep the "
_HINT += "numbers in a list"
_FLOAT = frozenset({"f", "a"})
_READ = frozenset({"tuple", "dict", "setitem", "srcad.runtime.setitem"})  # (the ops looked at)


def refuse_varied_keys(fn: Function, varied: set[Var], kinds: dict) -> None:
    """Refuse a dict literal or a store into a dict whose key is a varied float (or a tuple
    holding one: its kind joins the float with its other elements', so they are looked at)."""
    parts: dict[Var, list] = {}  # tuples made so far (a key is defined before the op using it)
    for op in ops_with(fn.body, _READ):  # (in walk order, picked in C)
        if op.prim == "tuple" and op.results:
            parts[op.results[0]] = op.args
            continue
        if op.prim == "dict":
            keys = op.args[0::2]
        elif op.prim in ("setitem", "srcad.runtime.setitem") and len(op.args) == 3:
            kind = kinds.get(op.args[0])
            keys = [op.args[1]] if isinstance(kind, tuple) and kind[0] == "d" else []
        else:
            continue
        for k in keys:
            elems = [k, *parts.get(k, ())] if isinstance(k, Var) else []
            if any(isinstance(e, Var) and e in varied and _floats(kinds.get(e)) for e in elems):
                raise diff_error(
                    fn, op, "a dict key that depends on the differentiated inputs: srcad's "
                    "dicts carry derivatives of their values, not of their keys", _HINT
                )  # fmt: skip


def _floats(kind: object) -> bool:
    """A float, an array, or a tuple holding them."""
    if isinstance(kind, tuple):
        return kind[0] == "s" and _floats(kind[1])
    return kind in _FLOAT
