"""Lists, tuples and dicts: concatenation, repetition, conversions, dict views, ``sorted``: the
runtime helpers generated code calls for them, with their rules and those of ``list()``,
``tuple()``, ``dict()`` and ``sorted()``.

Input: primal values and (co)tangents (None entries are symbolic zeros). Output: plain values;
``register(jvp, vjp)`` fills the rule tables. ``x + y`` and ``x * y`` on values that may be lists
at run time go through `concat` and `mul` (`srcad.ad.seqs`), whose rules dispatch on the actual
values::

    >>> concat_vjp([1.0, 2.0, 3.0], [0.0], [0.0, 0.0], 1)
    [2.0, 3.0]
"""

from __future__ import annotations

import itertools
import operator

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.arrays import is_duck_array
from srcad.errors import DiffError
from srcad.lower.reads import module_name
from srcad.rules.helpers import deflinear_helper, defzero_helper, helper, marks, rt
from srcad.rules.trees import add, broadcast_like, unbroadcast, zeros_like
from srcad.trees import seq_like


@helper
def as_sequence(x):
    """`x` itself when it can be indexed by position, else `list(x)` (dicts, views, generators)."""
    if isinstance(x, (list, tuple, np.ndarray, range, str)):
        return x
    _refuse_endless(x)
    return list(x)


def _refuse_endless(x):
    """``itertools.count()``, ``cycle(s)`` and ``repeat(v)`` never end: listing one would fill
    memory (``for k in count(): ... break``, ``zip(count(), xs)``). Refused when it runs."""
    endless = isinstance(x, (itertools.count, itertools.cycle))
    if endless or isinstance(x, itertools.repeat) and operator.length_hint(x, -1) < 0:
        raise DiffError(
            f"`itertools.{type(x).__name__}` never ends; srcad lists what a loop iterates",
            hint="iterate a range of the length you need (`zip(range(1, len(xs) + 1), xs)`)",
        )


@helper
def as_sequence_vjp(g, x):
    """Cotangent of `x` for ``as_sequence(x)``: `g`, or none for a dict (its keys were listed)."""
    if isinstance(x, dict):
        return None
    _refuse_user_iterable(x)
    return g


def _refuse_user_iterable(x):
    """Iterating an object of a user class lists it with its ``__iter__``, which need not map its
    fields to the listed elements by position (``iter((self.b, self.a))``): its cotangent (and
    tangent) cannot be the list's. Refused when it runs, at the user's line."""
    if (
        not isinstance(x, (list, tuple, np.ndarray, range, str))
        and module_name(type(x)) not in ("builtins", "numpy")
        and not is_duck_array(x)  # a Dask/CuPy array's rows, as NumPy's
    ):
        raise DiffError(
            f"iterating a `{type(x).__name__}` object (its `__iter__`) has no derivative in srcad",
            hint="iterate a list or tuple the class builds (`for e in g.items_list()`)",
        )


@helper
def plain_list(x):
    """`x` itself when it is a builtin list; else a located refusal. ``xs.append(v)``, ``.pop()``
    (lower/anykind.py) on a receiver whose kind the lowering cannot see (an argument, a helper's
    result) is lowered as a list's (``xs + [v]``, slices), which a list subclass, a deque or a
    user class with its own methods would not do."""
    if type(x) is not list:
        raise DiffError(
            f"`.append()`/`.pop()`/`del`... of a `{type(x).__name__}` object: srcad lowers them as a "
            "list's (`xs + [v]`, slices), which this type does not do",
            hint="build a plain list (`xs = []`, `xs.append(v)`) and convert it at the end",
        )
    return x


@helper
def concat(a, b):
    """``a + b``: lists/tuples concatenated (``lst += tup`` extends `lst`), else plain ``+``."""
    return a + list(b) if type(a) is list and type(b) is tuple else a + b


@helper
def concat_vjp(g, a, b, which):
    """Cotangent of `a` (which=0) or `b` (which=1) for ``concat(a, b)``: the cotangent split
    where two lists/tuples were concatenated, else `g` summed to the operand's shape (``a + b``
    of numbers and arrays, also of a list and an array)."""
    if not (isinstance(a, (list, tuple)) and isinstance(b, (list, tuple))):
        return unbroadcast(g, a if which == 0 else b)
    if g is None:
        return None
    n = len(a)
    part = g[:n] if which == 0 else g[n:]
    return seq_like(a if which == 0 else b, part) if isinstance(part, (list, tuple)) else part


@helper
def dict_get_jvp(dx, ddefault, x, key, default=None):
    """Tangent of ``x.get(key, default)``: the entry's tangent when `key` is in `x`, else the
    default's (None entries and tangents are zeros)."""
    if key in x:
        t = None if dx is None else dx.get(key)
        return zeros_like(x[key]) if t is None else t
    return zeros_like(default) if ddefault is None else ddefault


@helper
def dict_get_vjp(c, x, key):
    """Cotangent of the dict `x` for ``x.get(key, default)``: `c` under `key` when it is there
    (the other entries get none)."""
    out = dict.fromkeys(x)
    if key in x:
        out[key] = c
    return out


@helper
def dict_get_default_vjp(c, x, key, default):
    """Cotangent of `default` for ``x.get(key, default)``: `c` when `key` is missing, else zero."""
    return zeros_like(default) if key in x else c


@helper
def zip_len(rows):
    """How many tuples ``zip(*rows)`` makes: the shortest row's length (0 for no rows)."""
    return min((len(r) for r in rows), default=0)


@helper
def dict_values(d):
    """``list(d.values())`` (what iterating over ``d.values()`` sees)."""
    return list(d.values())


@helper
def dict_items(d):
    """``list(d.items())``."""
    return list(d.items())


@helper
def dict_values_vjp(g, d):
    """Cotangent of the dict `d` for ``dict_values(d)``: the list `g` back under `d`'s keys."""
    return {k: (None if g is None else g[i]) for i, k in enumerate(d)}


@helper
def dict_items_vjp(g, d):
    """Cotangent of `d` for ``dict_items(d)`` (the keys get none)."""
    out = {}
    for i, k in enumerate(d):
        pair = None if g is None else g[i]
        out[k] = None if pair is None else pair[1]
    return out


@helper
def dict_items_jvp(dd):
    """Tangent of ``dict_items(d)`` given the dict of tangents `dd`: the keys' tangents are 0
    (a tuple of zeros for a tuple key: ``for (a, b), v in d.items()`` unpacks it)."""
    return [(zeros_like(k) if type(k) is tuple else 0.0, v) for k, v in dd.items()]


def _last_positions(keys) -> dict:
    """key -> the last position it appears at (the entry a dict built from them keeps)."""
    return {k: i for i, k in enumerate(keys)}


def _in_structure(cts, like):
    """Per-element cotangents (None: zero) in the structure of the sequence `like`."""
    if isinstance(like, np.ndarray):
        return np.array([0.0 if c is None else c for c in cts] + [0.0] * (len(like) - len(cts)))
    cts = list(cts) + [None] * (len(like) - len(cts))
    return tuple(cts) if isinstance(like, tuple) else cts


@helper
def dict_of_jvp(dsrc, src):
    """Tangent of ``dict(src)`` given the tangent `dsrc` of `src` (a mapping, or a sequence of
    pairs: decided at run time, as ``dict`` does)."""
    if isinstance(src, dict):
        return {k: dsrc[k] for k in src}
    return {pair[0]: dp[1] for pair, dp in zip(_refuse_user_iterable(src) or src, dsrc)}


@helper
def dict_of_vjp(g, src):
    """Cotangent of `src` for ``dict(src)``."""
    if isinstance(src, dict):
        return {k: None if g is None else g.get(k) for k in src}
    pairs = [tuple(p) for p in _refuse_user_iterable(src) or src]
    last = _last_positions(k for k, _ in pairs)
    cts = [
        None if g is None or last[k] != i else (None, g.get(k)) for i, (k, _) in enumerate(pairs)
    ]
    return _in_structure(cts, src if isinstance(src, (list, tuple)) else pairs)


def _sort_perm(x, reverse, key=None):
    """The positions of `x` in the order Python's stable `sorted` puts them (`key` applied to
    the elements, as `sorted` does: it only decides the order)."""
    _refuse_user_iterable(x)
    at = x.__getitem__ if key is None else (lambda i: key(x[i]))
    return sorted(range(len(x)), key=at, reverse=bool(reverse))


@helper
def key_order(keys, reverse=False):
    """Positions in the order ``sorted(xs, key=f, reverse=reverse)`` puts `xs`, from the keys
    ``[f(v) for v in xs]`` (lower/idioms.py: a lambda key is inlined, only its values reach here)."""
    return _sort_perm(keys, reverse)


@helper
def key_pick(keys, largest):
    """Position ``max(xs, key=f)`` (largest) / ``min(xs, key=f)`` picks from the keys: the first
    extreme one, as Python."""
    return (max if largest else min)(range(len(keys)), key=keys.__getitem__)


@helper
def sorted_jvp(dx, x, reverse=False, key=None):
    """Tangent of ``sorted(x, key=key, reverse=reverse)``: the tangents in the sorted order."""
    if isinstance(x, dict):  # sorted keys: no derivative
        return [0.0] * len(x)
    return [dx[i] for i in _sort_perm(x, reverse, key)]


@helper
def sorted_vjp(g, x, reverse=False, key=None):
    """Cotangent of `x` for ``sorted(x, key=key, reverse=reverse)``: `g` put back in `x`'s order."""
    if isinstance(x, dict):
        return None
    out = [None] * len(_refuse_user_iterable(x) or x)
    for j, i in enumerate(_sort_perm(x, reverse, key)):
        out[i] = None if g is None else g[j]
    if isinstance(x, np.ndarray):
        return np.array([0.0 if v is None else v for v in out])
    return tuple(out) if isinstance(x, tuple) else out


@helper
def to_list_vjp(g, x):
    """Cotangent of `x` for ``list(x)`` / ``tuple(x)``: back in `x`'s structure."""
    if g is None:
        return None
    if isinstance(x, dict):  # list(d) is its keys: no derivative reaches the values
        return dict.fromkeys(x)
    if isinstance(x, np.ndarray):
        return np.array([zeros_like(x[i]) if v is None else v for i, v in enumerate(g)])
    if isinstance(x, (list, tuple)):
        return seq_like(x, g)
    return _refuse_user_iterable(x)  # (a user class's __iter__: no cotangent; None for range)


def _keys_zero(d):
    """The tangent of ``list(d)`` for a dict `d`: its keys, which have no derivative (0.0 for
    numbers), not the tangent dict's keys (the same keys, taken as tangents)."""
    return [0.0 if isinstance(k, (int, float, np.number)) else None for k in d]


@helper
def as_list(x):
    """``list(x)`` (the tangent of ``list(x)``; of a dict: zeros for its keys)."""
    return _keys_zero(x) if isinstance(x, dict) else _refuse_user_iterable(x) or list(x)


@helper
def as_tuple(x):
    """``tuple(x)`` (the tangent of ``tuple(x)``; of a dict: zeros for its keys)."""
    return tuple(_keys_zero(x)) if isinstance(x, dict) else _refuse_user_iterable(x) or tuple(x)


@helper
def as_sequence_t(t):
    """The tangent of ``as_sequence(x)``: `t` as `as_sequence` lists it (of a dict: zeros for
    its keys)."""
    if isinstance(t, dict):
        return _keys_zero(t)
    _refuse_user_iterable(t)
    return as_sequence(t)


@helper
def seq_repeat(a, n):
    """``a * n`` for a list/tuple `a` and an int `n` (repetition); plain ``*`` otherwise."""
    return a * n


@helper
def seq_repeat_vjp(g, a, n):
    """Cotangent of the list/tuple `a` for ``a * n``: the sum over the repeated copies."""
    if not isinstance(a, (list, tuple)):
        return unbroadcast(g * n, a)
    k = len(a)
    out = [None] * k
    for j in range(len(g)):
        out[j % k] = add(out[j % k], g[j])
    return seq_like(a, out)


@helper
def mul(x, y):
    """``x * y``: a list/tuple times an int repeats it, anything else multiplies."""
    return x * y


@helper
def mul_vjp(g, a, other, ans):
    """Cotangent of `a` for ``a * other`` or ``other * a`` with result `ans`: when `ans` is a
    list/tuple, the repeated sequence's cotangent sums the copies and the repeat count gets
    zero; otherwise ``g * other`` summed to `a`'s shape."""
    if isinstance(ans, (list, tuple)):
        if isinstance(a, (list, tuple)):
            if g is None:
                return None
            return seq_repeat_vjp(g, a, len(ans) // len(a) if len(a) else 0)
        return 0.0
    return unbroadcast(g * other, a)


@helper
def drop_last_inplace(g):
    """The cotangent of a list before an `append`: `g` without its last entry, in place when `g`
    is a list the caller owns (a copy otherwise)."""
    if type(g) is list:
        del g[-1]
        return g
    return g[:-1]


@helper
def concat_vjp_t(c, t, a, b, which):
    """The transpose of ``concat_vjp(t, a, b, which)`` in its cotangent: the operand's cotangent
    `c` back in its place of the concatenation (None for the other operand's entries), or
    broadcast like `t` when `a` and `b` were not both lists/tuples."""
    if not (isinstance(a, (list, tuple)) and isinstance(b, (list, tuple))):
        return broadcast_like(c, t)
    own, other = (a, b) if which == 0 else (b, a)
    part = [None] * len(own) if c is None else list(c)
    out = part + [None] * len(other) if which == 0 else [None] * len(other) + part
    return list(out) if isinstance(a, list) else tuple(out)  # a + b of a namedtuple: a tuple


@helper
def mul_vjp_t(c, t, a, other, res):
    """The transpose of ``mul_vjp(t, a, other, res)`` in `t`: the cotangent `c` of `a` repeated
    (a repeated sequence), zero (the repeat count), or ``c * other`` in the shape of `t`."""
    if isinstance(res, (list, tuple)):
        if isinstance(a, (list, tuple)) and c is not None:
            return seq_repeat(c, len(res) // len(a) if len(a) else 0)
        return zeros_like(t)
    return broadcast_like(c * other, t)


@helper
def mul_vjp_other(c, other, t, res):
    """The transpose of ``mul_vjp(t, a, other, res)`` in `other`: ``c * t`` summed to the shape
    of `other`, zero when `res` is a sequence (`mul_vjp` is then constant in `other`)."""
    if isinstance(res, (list, tuple)):
        return zeros_like(other)
    return unbroadcast(c * t, other)


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Rules of ``list()``, ``tuple()``, ``dict()``, ``sorted()`` and the container helpers."""
    jvp.defjvp_joint(rt(concat), "a, b", "_srcad.concat(da, db)")
    vjp.defvjp(
        rt(concat), "a, b",
        a="_srcad.concat_vjp(g, a, b, 0)", b="_srcad.concat_vjp(g, a, b, 1)",
    )  # fmt: skip
    # builtin sorted() of numbers; a `key=` function (a module-level one: lambdas are inlined)
    # only decides the order, which the helpers recompute with it
    jvp.defjvp(
        "sorted", "iterable, /, *, key=None, reverse=False", nondiff=("key", "reverse"),
        iterable="_srcad.sorted_jvp(diterable, iterable, reverse, key)",
    )  # fmt: skip
    vjp.defvjp(
        "sorted", "iterable, /, *, key=None, reverse=False", nondiff=("key", "reverse"),
        iterable="_srcad.sorted_vjp(g, iterable, reverse, key)",
    )  # fmt: skip
    defzero_helper(jvp, vjp, key_order, key_pick, zip_len)  # positions, counts: constant
    for conv in ("builtins.list", "builtins.tuple"):  # list(x), tuple(x) of active values
        jvp.defjvp(conv, "iterable=()", iterable=f"_srcad.as_{conv[9:]}(diterable)")
        vjp.defvjp(conv, "iterable=()", iterable="_srcad.to_list_vjp(g, iterable)")
    # `x * y` when either may be a list/tuple (srcad.ad.seqs): repetition or multiplication
    jvp.defjvp(rt(mul), "x, y", x="_srcad.inf0(dx * y, dx, y)", y="_srcad.inf0(x * dy, dy, x)")
    vjp.defvjp(
        rt(mul), "x, y",
        x="_srcad.mul_vjp(g, x, y, ans)", y="_srcad.mul_vjp(g, y, x, ans)",
    )  # fmt: skip
    jvp.defjvp(rt(seq_repeat), "a, n", nondiff=("n",), a="_srcad.seq_repeat(da, n)")
    vjp.defvjp(rt(seq_repeat), "a, n", nondiff=("n",), a="_srcad.seq_repeat_vjp(g, a, n)")
    # d.get(key, default): the entry's derivative when key is in d, else the default's
    get_sig = "x, key, default=None, /"
    jvp.defjvp_joint(
        "method.get", get_sig, "_srcad.dict_get_jvp(dx, ddefault, x, key, default)",
        nondiff=("key",),
    )  # fmt: skip
    vjp.defvjp(
        "method.get", get_sig, nondiff=("key",), x="_srcad.dict_get_vjp(g, x, key)",
        default="_srcad.dict_get_default_vjp(g, x, key, default)",
    )  # fmt: skip
    jvp_sig = "dx, ddefault, x, key, default=None"
    jvp.defjvp_joint(
        rt(dict_get_jvp), jvp_sig, "_srcad.dict_get_jvp(ddx, dddefault, x, key, default)",
        nondiff=('key',), zero_in=('x', 'default'),
    )  # fmt: skip
    vjp.defvjp(
        rt(dict_get_jvp), jvp_sig, nondiff=('key',), zero_in=('x', 'default'),
        dx="_srcad.dict_get_vjp(g, x, key)",
        ddefault="_srcad.dict_get_default_vjp(g, x, key, default)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, dict_get_vjp, "c, x, key",
        "_srcad.dict_get_vjp(dc, x, key)", "_srcad.dict_get_jvp(g, None, x, key, c)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, dict_get_default_vjp, "c, x, key, default",
        "_srcad.dict_get_default_vjp(dc, x, key, default)",
        "_srcad.dict_get_default_vjp(g, x, key, c)",
    )  # fmt: skip
    jvp.defjvp(rt(dict_values), "d", d="_srcad.dict_values(dd)")
    vjp.defvjp(rt(dict_values), "d", d="_srcad.dict_values_vjp(g, d)")
    jvp.defjvp(rt(dict_items), "d", d="_srcad.dict_items_jvp(dd)")
    vjp.defvjp(rt(dict_items), "d", d="_srcad.dict_items_vjp(g, d)")
    # dict(src) of a mapping or of (key, value) pairs (known only at run time)
    jvp.defjvp("builtins.dict", "src, /", src="_srcad.dict_of_jvp(dsrc, src)")
    vjp.defvjp("builtins.dict", "src, /", src="_srcad.dict_of_vjp(g, src)")
    jvp.defjvp(rt(plain_list), "x", x="dx")  # the identity on lists (or a refusal)
    vjp.defvjp(rt(plain_list), "x", x="g")
    jvp.defjvp(rt(as_sequence), "x", x="_srcad.as_sequence_t(dx)")
    vjp.defvjp(rt(as_sequence), "x", x="_srcad.as_sequence_vjp(g, x)")
    for fn, sig, tangent, transpose in (
        (concat_vjp, "t, a, b, which", "concat_vjp(dt, a, b, which)",
         "concat_vjp_t(g, t, a, b, which)"),
        (concat_vjp_t, "c, t, a, b, which", "concat_vjp_t(dc, t, a, b, which)",
         "concat_vjp(g, a, b, which)"),
        (seq_repeat_vjp, "t, a, n", "seq_repeat_vjp(dt, a, n)", "mul(g, n)"),
        (to_list_vjp, "t, x", "to_list_vjp(dt, x)", "as_list(g)"),
        (as_list, "x", "as_list(dx)", "to_list_vjp(g, x)"),
        (as_sequence_t, "t", "as_sequence_t(dt)", "as_sequence_vjp(g, t)"),
        (as_tuple, "x", "as_tuple(dx)", "to_list_vjp(g, x)"),
        (dict_values_vjp, "t, d", "dict_values_vjp(dt, d)", "dict_values(g)"),
        (dict_items_vjp, "t, d", "dict_items_vjp(dt, d)", "dict_items_jvp(g)"),
        (dict_items_jvp, "t", "dict_items_jvp(dt)", "dict_items_vjp(g, t)"),
        (dict_of_jvp, "t, src", "dict_of_jvp(dt, src)", "dict_of_vjp(g, src)"),
        (dict_of_vjp, "t, src", "dict_of_vjp(dt, src)", "dict_of_jvp(g, src)"),
        (as_sequence_vjp, "t, x", "as_sequence_vjp(dt, x)", "as_sequence_vjp(g, x)"),
        (sorted_jvp, "t, x, reverse=False, key=None", "sorted_jvp(dt, x, reverse, key)",
         "sorted_vjp(g, x, reverse, key)"),
        (sorted_vjp, "t, x, reverse=False, key=None", "sorted_vjp(dt, x, reverse, key)",
         "sorted_jvp(g, x, reverse, key)"),
    ):  # fmt: skip
        deflinear_helper(jvp, vjp, fn, sig, "_srcad." + tangent, "_srcad." + transpose)
    # mul_vjp(t, a, other, res): linear in t, and in `other` (arithmetic; constant for sequences)
    sig, nondiff = "t, a, other, res", ("a", "res")
    jvp.defjvp(
        rt(mul_vjp), sig, **marks(nondiff),
        t="_srcad.mul_vjp(dt, a, other, res)", other="_srcad.mul_vjp(t, a, dother, res)",
    )  # fmt: skip
    vjp.defvjp(
        rt(mul_vjp), sig, **marks(nondiff),
        t="_srcad.mul_vjp_t(g, t, a, other, res)", other="_srcad.mul_vjp_other(g, other, t, res)",
    )  # fmt: skip
    sig = "c, t, a, other, res"
    nondiff = ("t", "a", "res")
    jvp.defjvp(
        rt(mul_vjp_t), sig, **marks(nondiff),
        c="_srcad.mul_vjp_t(dc, t, a, other, res)", other="_srcad.mul_vjp_t(c, t, a, dother, res)",
    )  # fmt: skip
    vjp.defvjp(
        rt(mul_vjp_t), sig, **marks(nondiff),
        c="_srcad.mul_vjp(g, a, other, res)", other="_srcad.mul_vjp_other(g, other, c, res)",
    )  # fmt: skip
    sig, nondiff = "c, other, t, res", ("other", "res")
    jvp.defjvp(
        rt(mul_vjp_other), sig, **marks(nondiff),
        c="_srcad.mul_vjp_other(dc, other, t, res)", t="_srcad.mul_vjp_other(c, other, dt, res)",
    )  # fmt: skip
    vjp.defvjp(
        rt(mul_vjp_other), sig, **marks(nondiff),
        c="_srcad.mul_vjp(g, c, t, res)", t="_srcad.mul_vjp_t(g, t, c, c, res)",
    )  # fmt: skip
    # `del g[-1]` on a list cotangent the caller owns: the tangent is sliced, never updated
    deflinear_helper(
        jvp, vjp, drop_last_inplace, "t", "dt[:-1]", "_srcad.concat(_srcad.as_list(g), [None])"
    )
