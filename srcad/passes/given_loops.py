"""Where `passes/shapes_matmul._given` looks through loops: a loop's carried state and the items of
its tape, and the bounded values an RNN's state is made of.

Input: a value of the function and `passes/shapes.py`'s `_Ctx`. Output: the operands the value is
made from, for `_given` to ask about in turn, or None when this module cannot tell:

- `carry_sources`: a carry of a ``for`` loop's body (``h.1`` of ``for t in range(n)
  carry(h.1 = h)``) is, in every iteration, the initial value or what the previous iteration
  yielded; so it is finite if both are, given that it is finite (induction over the
  iterations: `_given` assumes it while asking about them);
- `taped_items`: item ``j`` of a loop's tape entry (``saved = tape[k]; h.4 = saved[j]``, `k` a
  loop's counter or an int, never a slice), the tape a list made empty here that only appends
  and reads touch (shape inference's tracked list, ``("list", facts, op)``), is one of the
  values item ``j`` of every appended tuple was;
- `bounded`: a value that is finite for every operand but nan (``np.tanh(c)``, the logistic
  ``1.0 / (1.0 + np.exp(-z))``: at most 1 in size), so a product of such values is finite too
  (an LSTM's ``h = o * np.tanh(c)``).

So the tape's ``h`` of an LSTM or an RNN (``h = np.tanh(xs[t] @ Wx + h @ Wh + b)``) is finite
wherever the arguments are, and its reverse sweep's ``matmul_vjp(g, h_k, Wh, 1)`` is ``h_k.T @
g``, no finiteness sum per step (issue 11).
"""

from __future__ import annotations

from typing import Any

from srcad.ssa.core import Const, Op, Var, walk_ops

# finite for every operand but nan (`shapes_matmul._BOUNDED`), by size at most pi / 2 (np.sin and
# np.cos of an overflowed inf are nan)
_BOUNDED = frozenset(("numpy.tanh", "numpy.arctan"))  # (not sin, cos: nan at +-inf)


def carry_sources(x: Var, c: Any) -> tuple[Any, Any] | None:
    """(initial value, yielded value) of the ``for`` loop carry `x` (a body's parameter)."""
    carries = getattr(c, "carries", None)
    if carries is None:
        carries = c.carries = {}
        if c.fn is not None:
            for o in walk_ops(c.fn.body):
                if o.prim != "for" or len(o.blocks) != 1:
                    continue
                body = o.blocks[0]
                inits = o.args[3:]
                ps = body.params[1:]
                if len(ps) != len(inits) or len(body.yields) < len(ps):
                    continue
                for k, p in enumerate(ps):
                    carries[p] = (inits[k], body.yields[k])
    return carries.get(x)


def taped_items(d: Op, c: Any, made: dict) -> list | None:
    """The values item j of the tape entries was (`d`: ``getitem(saved, j)`` of ``saved =
    getitem(tape, k)``), or None."""
    if d.prim != "getitem" or len(d.args) != 2 or d.kwargs:
        return None
    saved, j = d.args
    if type(j) is not Const or type(j.value) is not int or type(saved) is not Var:
        return None
    ds = made.get(saved)
    if ds is None or ds.prim != "getitem" or len(ds.args) != 2 or ds.kwargs:
        return None
    k = ds.args[1]  # (an entry: by a loop's counter or an int, never a slice of the list)
    if not (type(k) is Var and k in c.sh.ints) and not (type(k) is Const and type(k.value) is int):
        return None
    lst = _list_op(ds.args[0], c)
    if lst is None:
        return None
    out = []
    for o in walk_ops(c.fn.body):
        if o.prim == "list_append" and len(o.args) == 2 and _list_op(o.args[0], c) is lst:
            t = made.get(o.args[1])
            if t is None or t.prim != "tuple" or t.kwargs:
                return None
            if not -len(t.args) <= j.value < len(t.args):
                return None
            out.append(t.args[j.value])
    return out or None


def bounded(a: Any, made: dict) -> list | None:
    """The operands of `a`'s op when `a` is finite for every one of them but nan (`_BOUNDED`,
    the logistic ``1.0 / (1.0 + np.exp(u))`` of a constant numerator and positive constant
    addend: between 0 and the numerator), else None."""
    if type(a) is not Var:
        return None
    d = made.get(a)
    if d is None or d.blocks or len(d.results) != 1 or d.kwargs:
        return None
    if d.prim in _BOUNDED:
        return list(d.args)
    if d.prim != "truediv" or len(d.args) != 2 or not _finite_const(d.args[0]):
        return None
    den = made.get(d.args[1]) if type(d.args[1]) is Var else None
    if den is None or den.prim != "add" or len(den.args) != 2 or den.kwargs:
        return None
    for k in (0, 1):
        e, other = den.args[k], den.args[1 - k]
        de = made.get(e) if type(e) is Var else None
        if _positive_const(other) and de is not None and de.prim == "numpy.exp" and not de.kwargs:
            return list(de.args) if len(de.args) == 1 else None
    return None


def _finite_const(a: Any) -> bool:
    """A number of at most 1e150 in size (over an addend of at least 1e-150: finite)."""
    return type(a) is Const and type(a.value) in (int, float) and abs(a.value) <= 1e150


def _positive_const(a: Any) -> bool:
    return type(a) is Const and type(a.value) in (int, float) and 1e-150 <= a.value <= 1e150


def _list_op(v: Any, c: Any) -> Any:
    p = c.sh.of(v).parts
    return p[2] if type(p) is tuple and len(p) == 3 and p[0] == "list" else None
