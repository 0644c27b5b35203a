"""Python builtins: ``abs min max sum float`` and the integer-valued ones; the runtime helpers of
``sum``/``min``/``max``/``math.prod`` over iterables.

Input: the `RuleTable` pair. Output: the tables filled with the builtins' rules, and the helpers
(generated code calls them as ``_srcad.<name>``).

``min``/``max`` take two values or one iterable (``y`` is None then); ``sum`` takes an iterable of
values whose tangent is a list of tangents. (``pow`` shares its primitive with ``**``: see
`srcad.rules.operators`; ``list``/``tuple``/``dict``/``sorted``: `srcad.rules.containers`.)
Example (``abs(x)``)::

    jvp: dx * _srcad.sign(x)
    vjp: bx = g * _srcad.sign(x)
"""

from __future__ import annotations

import types

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.arrays import is_duck_array, real_operand, refuse_user_object
from srcad.errors import DiffError
from srcad.rules.containers import _refuse_endless, _refuse_user_iterable
from srcad.rules.helpers import deflinear_helper, helper, rt
from srcad.rules.indexing import getitem_vjp
from srcad.rules.reductions import prod_others_tangent
from srcad.rules.trees import unbroadcast, zeros_like
from srcad.trees import seq_like

# Integer/bool-valued or structural builtins: zero derivative.
ZERO = (
    "int",
    "bool",
    "round",
    "len",
    "range",
    "isinstance",
    "hasattr",
    "hash",
    "id",
    "type",
    "print",
    "str",
    "repr",
    "any",
    "all",
)


_DIVMOD_PLAIN = (bool, int, float, np.ndarray, np.generic)


@helper
def divmod_operand(a, b):
    """`a`, after checking that ``divmod(a, b)`` is ``(a // b, a % b)``, the form srcad
    differentiates (lower/library.py): true of numbers and arrays, not of a class's own
    ``__divmod__``/``__rdivmod__`` (which Python calls instead: refused, never run as ``//``)."""
    for v in (a, b):
        if not isinstance(v, _DIVMOD_PLAIN) and not is_duck_array(v):
            raise DiffError(
                f"divmod of a {type(v).__name__} object: srcad differentiates divmod(a, b) as "
                "(a // b, a % b) of numbers and arrays, not a class's own __divmod__",
                hint="call the method itself: `a.__divmod__(b)` (or `b.__rdivmod__(a)`)",
            )
    return a


# Methods of str/list/dict whose results carry no derivative (names, flags, positions).
ZERO_METHODS = ("startswith", "endswith", "lower", "upper", "strip", "split", "join", "replace",
                "find", "isdigit", "isalpha", "count", "index", "keys", "format")  # fmt: skip


_NO_G = "_srcad.zeros_like(g)"


_ITER = (
    "`iter(xs)` stays Python's iterator (read by `next`, `islice`, `for`), whose items srcad "
    "does not follow when they depend on the differentiated inputs: keep `xs` a list and index "
    "or slice it (`xs[:2]` for `islice(iter(xs), 2)`)"
)


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the builtins' rules."""
    jvp.registry.record("iter").no_rules = _ITER
    for name in ZERO_METHODS:
        jvp.defzero(f"method.{name}")
        vjp.defzero(f"method.{name}")
    jvp.defjvp(rt(divmod_operand), "a, b", zero_in=("b",), a="da")  # (a check of the types)
    vjp.defvjp(rt(divmod_operand), "a, b", zero_in=("b",), a="g")
    jvp.defjvp("abs", "x, /", x="dx * _srcad.sign(x)")
    vjp.defvjp("abs", "x, /", x="g * _srcad.sign(x)")

    # max(x, y) is x unless y > x (Python returns the first maximal value); same for min. The
    # side not taken gets a zero cotangent, not 0 * g: g may be inf (`max(v, 0.0) ** 0.5` at 0).
    jvp.defjvp(
        "max", "x, y=None, /",
        x="_srcad.iter_ext_jvp(dx, x, True) if y is None else (dx if not y > x else _srcad.zeros_like(dx))",
        y="dy if y > x else _srcad.zeros_like(dy)",
    )  # fmt: skip
    vjp.defvjp(
        "max", "x, y=None, /",
        x=f"_srcad.iter_ext_vjp(g, x, True) if y is None else (g if not y > x else {_NO_G})",
        y=f"g if y > x else {_NO_G}",
    )  # fmt: skip
    jvp.defjvp(
        "min", "x, y=None, /",
        x="_srcad.iter_ext_jvp(dx, x, False) if y is None else (dx if not y < x else _srcad.zeros_like(dx))",
        y="dy if y < x else _srcad.zeros_like(dy)",
    )  # fmt: skip
    vjp.defvjp(
        "min", "x, y=None, /",
        x=f"_srcad.iter_ext_vjp(g, x, False) if y is None else (g if not y < x else {_NO_G})",
        y=f"g if y < x else {_NO_G}",
    )  # fmt: skip

    # sum(rows, []) concatenates: each term is the whole result's tangent (start's part first)
    jvp.defjvp(
        "sum", "x, /, start=0",
        x="_srcad.iter_sum(dx, _srcad.zeros_like(start))",
        start="_srcad.iter_sum(_srcad.zeros_like(x), dstart)",
    )  # fmt: skip
    vjp.defvjp(
        "sum", "x, /, start=0",
        x="_srcad.iter_sum_vjp(g, x, start)", start="_srcad.iter_sum_start_vjp(g, x, start)",
    )  # fmt: skip

    jvp.deflinear("float", "x=0.0, /")
    vjp.deflinear("float", "x=0.0, /", x="_srcad.scalar_vjp(g, x)")

    for prim in ZERO:
        jvp.defzero(prim)
        vjp.defzero(prim)
    _helper_rules(jvp, vjp)


_ADD, _MUL = ("__add__", "__radd__"), ("__mul__", "__rmul__")


def _refuse_user_operators(xs, names: tuple, what: str) -> None:
    """Refuse, at the user's line, a sequence `xs` holding an instance of a user class that
    defines one of the operator methods `names` in Python: the rule of `what` adds (multiplies)
    the items as numbers, where Python runs the class's methods (``0 + o`` its ``__radd__``).
    Reached only for a list whose items' class the transform could not see (a helper's list it
    does not follow: ad/objsumloop.py rewrites the sums of the lists it sees)."""
    if not isinstance(xs, (list, tuple)):
        return
    for e in xs:
        t = type(e)
        if t is float or t is int or t is np.ndarray or t.__module__ in ("builtins", "numpy"):
            continue
        name = next((n for n in names if isinstance(getattr(t, n, None), types.FunctionType)), None)
        if name is not None and not is_duck_array(e):
            raise DiffError(
                f"`{what}` of a list holding `{t.__name__}` objects runs their `{name}`, which "
                "srcad's rule for the reduction does not follow (the list comes from code whose "
                "items srcad does not know when it transforms)",
                hint="add the objects in a loop (`acc = acc + o`) or sum the numbers they hold",
            )


@helper
def plain_items(xs, what):
    """`xs` itself, checked: a list or tuple a helper returned (ad/objsumloop.py puts this
    before `what`, ``np.sum``/``np.array``/..., when the transform could not tell what it holds)
    holds no object of a user class (nested lists too: `arrays.refuse_user_object`). Kept for
    its refusal (effects: never dropped)."""
    if isinstance(xs, (list, tuple)):
        for e in xs:
            if isinstance(e, (list, tuple)):
                plain_items(e, what)
            elif type(e) is not float:
                refuse_user_object(e, what)
    return xs


@helper
def rest_of(it):
    """``list(it)``: the items the iterator `it` has left, taken from it (lower/oneshot.py: a read
    of an ``it = iter(xs)`` name that takes all of it, where the name is read again or in a
    loop). Declared with effects: never merged, moved or dropped, so each read takes what the
    reads before it left, as in Python (an exhausted iterator gives ``[]``). The rules are
    ``list(x)``'s (an ``iter()`` of a varied value is refused: they serve lists and arrays)."""
    _refuse_endless(it)
    return list(it)


@helper
def iter_sum(xs, start=0.0):
    """``sum(xs, start)`` of tangents (a list/tuple of tangents, or an array summed over axis 0)."""
    total = start
    if isinstance(xs, dict):  # the keys: no derivative (srcad.ad.dictkeys)
        return total
    _refuse_user_iterable(xs)  # (its tangent object listed by its `__iter__`: not the tangents)
    _refuse_user_operators(xs, _ADD, "sum")  # (a user object's tangent: a record of its class)
    for t in xs:
        total = total + t
    return total


@helper
def iter_sum_vjp(g, xs, start=0.0):
    """Cotangent of `xs` for ``sum(xs, start)``: `g` for every element, in the structure of
    `xs`; of lists or tuples concatenated onto a list/tuple `start`, each one's part of `g`."""
    if isinstance(xs, np.ndarray):
        return np.broadcast_to(g, xs.shape).copy()
    if isinstance(xs, dict):  # the keys: no derivative (srcad.ad.dictkeys)
        return zeros_like(xs)
    _refuse_user_iterable(xs)  # (`g` for each field would be wrong: ``yield 2.0 * self.v``)
    _refuse_user_operators(xs, _ADD, "sum")
    if isinstance(start, (list, tuple)):
        out, n = [], len(start)
        for x in xs:
            part = None if g is None else g[n : n + len(x)]
            out.append(zeros_like(x) if part is None else seq_like(x, part))
            n += len(x)
        return seq_like(xs, out)
    return seq_like(xs, [unbroadcast(g, x) for x in xs])


@helper
def iter_sum_start_vjp(g, xs, start):
    """Cotangent of `start` for ``sum(xs, start)``: `g` summed to its shape, or of a list/tuple
    `start` (the elements concatenated after it) its first entries."""
    if isinstance(start, (list, tuple)):
        return zeros_like(start) if g is None else seq_like(start, g[: len(start)])
    return unbroadcast(g, start)


def _iter_argext(xs, largest: bool) -> int:
    _refuse_user_iterable(xs)
    best = 0
    for i in range(1, len(xs)):
        if (xs[i] > xs[best]) if largest else (xs[i] < xs[best]):
            best = i
    return best


@helper
def iter_ext_jvp(dxs, xs, largest):
    """Tangent of ``max(xs)`` / ``min(xs)``: the tangent of the first extreme element."""
    if isinstance(xs, dict):  # a key: no derivative (srcad.ad.dictkeys)
        return 0.0
    return dxs[_iter_argext(xs, largest)]


@helper
def iter_ext_vjp(g, xs, largest):
    """Cotangent of `xs` for ``max(xs)`` / ``min(xs)``: `g` at the first extreme element."""
    if isinstance(xs, dict):  # a key: no derivative (srcad.ad.dictkeys)
        return zeros_like(xs)
    return getitem_vjp(g, xs, _iter_argext(xs, largest))


@helper
def iter_prod_jvp(dxs, xs):
    """Tangent of ``math.prod(xs)`` (exact when some elements are zero)."""
    _refuse_user_iterable(xs)
    _refuse_user_operators(xs, _MUL, "math.prod")
    total = 0.0
    for i, dx in enumerate(dxs):
        total = total + dx * _prod_except(xs, i)
    return total


@helper
def iter_prod_vjp(g, xs):
    """Cotangent of `xs` for ``math.prod(xs)`` (each summed to its element's shape)."""
    _refuse_user_iterable(xs)
    _refuse_user_operators(xs, _MUL, "math.prod")
    return seq_like(xs, [unbroadcast(g * _prod_except(xs, i), xs[i]) for i in range(len(xs))])


@helper
def iter_stack(xs):
    """The elements of `xs` broadcast together and stacked along a new first axis."""
    _refuse_user_iterable(xs)
    return np.stack(np.broadcast_arrays(*[real_operand(x, "math.prod") for x in xs]))


@helper
def iter_unstack(t, xs):
    """The transpose of `iter_stack`: the rows of `t`, each summed to its element's shape (Python
    numbers give Python floats), in the sequence type of `xs`."""
    return seq_like(xs, [unbroadcast(t[i], x) for i, x in enumerate(xs)])


def _prod_except(xs, i):
    p = 1.0
    for j, x in enumerate(xs):
        if j != i:
            p = p * x
    return p


def _helper_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    """Rules of the iterable helpers."""
    jvp.defjvp(rt(plain_items), "xs, what", nondiff=("what",), xs="dxs")  # (the identity)
    vjp.defvjp(rt(plain_items), "xs, what", nondiff=("what",), xs="g")
    jvp.defjvp(rt(rest_of), "it", it="_srcad.as_list(dit)")  # (list(it)'s)
    vjp.defvjp(rt(rest_of), "it", it="_srcad.to_list_vjp(g, it)")
    jvp.defjvp(
        rt(iter_sum), "xs, start=0.0",
        xs="_srcad.broadcast_like(_srcad.iter_sum(dxs, _srcad.zeros_like(start)), ans)",
        start="_srcad.broadcast_like(_srcad.iter_sum(_srcad.zeros_like(xs), dstart), ans)",
    )  # fmt: skip
    vjp.defvjp(
        rt(iter_sum), "xs, start=0.0",
        xs="_srcad.iter_sum_vjp(g, xs, start)", start="_srcad.iter_sum_start_vjp(g, xs, start)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, iter_sum_vjp, "t, xs, start=0.0",
        "_srcad.iter_sum_vjp(dt, xs, start)",
        "_srcad.broadcast_like(_srcad.iter_sum(g, _srcad.zeros_like(start)), t)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, iter_sum_start_vjp, "t, xs, start",
        "_srcad.iter_sum_start_vjp(dt, xs, start)",
        "_srcad.broadcast_like(_srcad.iter_sum(_srcad.zeros_like(xs), g), t)",
    )  # fmt: skip
    # math.prod: iter_stack/iter_unstack are each other's transpose; the product's derivatives
    # are those of prod_others over the stacked elements (exact with zeros, closes at every order).
    deflinear_helper(
        jvp, vjp, iter_stack, "xs", "_srcad.iter_stack(dxs)", "_srcad.iter_unstack(g, xs)"
    )
    deflinear_helper(
        jvp, vjp, iter_unstack, "t, xs", "_srcad.iter_unstack(dt, xs)", "_srcad.iter_stack(g)"
    )
    s = "_srcad.iter_stack(xs)"
    jvp.defjvp(
        rt(iter_prod_jvp), "t, xs",
        t="_srcad.iter_prod_jvp(dt, xs)",
        xs=f"np.sum(_srcad.iter_stack(t) * {prod_others_tangent(s, '_srcad.iter_stack(dxs)', '0')}, "
           "axis=0)",
    )  # fmt: skip
    vjp.defvjp(
        rt(iter_prod_jvp), "t, xs",
        t="_srcad.iter_prod_vjp(g, xs)",
        xs=f"_srcad.iter_unstack({prod_others_tangent(s, 'g * _srcad.iter_stack(t)', '0')}, xs)",
    )  # fmt: skip
    d_xs = f"t * {prod_others_tangent(s, '_srcad.iter_stack(dxs)', '0')}"
    jvp.defjvp_joint(  # one template: the terms are sequences, which `+` would concatenate
        rt(iter_prod_vjp), "t, xs",
        f"_srcad.iter_unstack(dt * _srcad.prod_others({s}, 0) + {d_xs}, xs)",
        single={"t": "_srcad.iter_prod_vjp(dt, xs)", "xs": f"_srcad.iter_unstack({d_xs}, xs)"},
    )  # fmt: skip
    vjp.defvjp(
        rt(iter_prod_vjp), "t, xs",
        t="_srcad.iter_prod_jvp(g, xs)",
        xs=f"_srcad.iter_unstack({prod_others_tangent(s, 't * _srcad.iter_stack(g)', '0')}, xs)",
    )  # fmt: skip
    # the position of the extreme element is locally constant
    deflinear_helper(
        jvp, vjp, iter_ext_jvp, "t, xs, largest",
        "_srcad.iter_ext_jvp(dt, xs, largest)", "_srcad.iter_ext_vjp(g, xs, largest)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, iter_ext_vjp, "t, xs, largest",
        "_srcad.iter_ext_vjp(dt, xs, largest)", "_srcad.iter_ext_jvp(g, xs, largest)",
    )  # fmt: skip
