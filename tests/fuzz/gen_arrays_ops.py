"""Expressions of the array generator (`gen_arrays.py`): float arrays of rank 0-3 and their shapes.

Input: the generator's state (locals with their values, a decision source). Output: guarded
expression text (`ex`, or `shaped` for an exact shape); a choice that cannot apply to the operands
at hand raises `Reject` (the caller tries another). Shapes are read from values (`self.ev`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .gen_arrays_more import MoreOps, Reject, perm

SMOOTH = [
    "np.sin({})",
    "np.cos({})",
    "np.tanh({})",
    "np.arctan({})",
    "np.exp(np.tanh({}))",
    "np.square({})",
    "({} ** 2)",
    "({} ** 3)",
    "np.log1p({0} * {0})",
    "np.hypot({}, 0.5)",
    "np.logaddexp({}, 0.3)",
    "(-{})",
    "np.expm1(np.sin({}))",
    "np.sinh({})",
    "np.arcsin(0.9 * np.tanh({}))",
]
GUARDED = [
    "np.abs(_kz({}))",
    "abs(_kz({}))",
    "np.log(_kpos({}))",
    "np.sqrt(_kpos({}))",
    "(1.0 / _kz({}))",
    "np.power(_kpos({}), 1.5)",
    "np.clip(_kin({}, -0.5, 0.5), -0.5, 0.5)",
    "np.maximum(_kne({}, 0.1), 0.1)",
    "np.minimum(_kne({}, -0.2), -0.2)",
    "np.cbrt(_kz({}))",
    "(np.sign(_kz({0})) * {0})",
    "np.fmax(_kne({}, 0.0), 0.0)",
]
BINOPS = ["+", "-", "*", "/", "max", "min", "hypot", "pow"]


def const(r: Any) -> str:
    return r.pick(["0.5", "1.5", "-0.7", "2.0", "0.3", "-1.2"])


class ArrayOps(MoreOps):
    """Expression generators; the host is gen_arrays.ArrayGen."""

    def ex(self, d: int) -> str:
        """A float expression of any shape."""
        if d <= 0 or self.r.chance(0.25):
            return self.leaf()
        op = self.r.pick_w(
            [
                (3, self.x_unary),
                (4, self.x_binary),
                (3, self.x_reduce),
                (1, self.x_cum),
                (4, self.x_shape),
                (4, self.x_index),
                (3, self.x_product),
                (3 if self.spd else 0.2, self.x_linalg),
                (1, self.x_where),
                (1, self.x_sortish),
                (1, self.x_meta),
            ]
        )
        return op(d)

    def leaf(self) -> str:
        names = self.floats()
        if names and not self.r.chance(0.08):
            return self.r.pick(names)
        return const(self.r)

    def val(self, text: str) -> np.ndarray:
        return np.asarray(self.ev(text))

    def arr(self, d: int, min_rank: int = 1, max_rank: int = 3) -> tuple[str, np.ndarray]:
        """A parenthesised array expression of rank in [min_rank, max_rank], with its value."""
        for _ in range(6):
            t = self.ex(d)
            v = self.val(t)
            if min_rank <= v.ndim <= max_rank and v.size:
                return f"({t})" if not t.isidentifier() else t, v
        raise Reject("no array of that rank")

    def shaped(self, shape: tuple[int, ...], d: int) -> str:
        """An expression of exactly `shape`."""
        r = self.r
        shape = tuple(shape)
        size = math.prod(shape)
        cands = self.floats()
        same = [n for n in cands if np.shape(self.env[n]) == shape]
        perms = [
            n
            for n in cands
            if np.ndim(self.env[n]) == len(shape) > 1
            and sorted(np.shape(self.env[n])) == sorted(shape)
            and np.shape(self.env[n]) != shape
        ]
        sized = [n for n in cands if np.size(self.env[n]) == size and np.ndim(self.env[n]) > 0]
        bigger = [
            n
            for n in cands
            if np.ndim(self.env[n]) == len(shape) > 0
            and all(a >= b for a, b in zip(np.shape(self.env[n]), shape))
        ]
        opts: list[tuple[float, Any]] = [(1, "lin")]
        if same:
            opts.append((6, "same"))
        if perms:
            opts.append((2, "perm"))
        if sized and shape:
            opts.append((2, "reshape"))
        if bigger:
            opts.append((2, "slice"))
        if d > 0:
            opts.append((2, "expr"))
        kind = r.pick_w(opts)
        if kind == "same":
            t = r.pick(same)
            return self.unary_of(t) if r.chance(0.3) else t
        if kind == "perm":
            n = r.pick(perms)
            src = np.shape(self.env[n])
            axes = perm(src, shape, r)
            if axes is None:
                raise Reject("no permutation")
            if len(shape) == 2 or axes == tuple(reversed(range(len(shape)))):
                self.use("transpose")
                return r.pick([f"{n}.T", f"np.transpose({n})"])
            self.use("transpose_axes")
            return f"np.transpose({n}, {axes})"
        if kind == "reshape":
            self.use("reshape")
            n = r.pick(sized)
            dims = list(shape)
            if r.chance(0.4):
                dims[r.int(0, len(dims) - 1)] = -1
            return f"{n}.reshape({tuple(dims)})" if r.chance(0.5) else f"np.reshape({n}, {dims})"
        if kind == "slice":
            self.use("slice_to_shape")
            n = r.pick(bigger)
            parts = []
            for a, b in zip(np.shape(self.env[n]), shape):
                lo = r.int(0, a - b)
                parts.append(":" if a == b else f"{lo}:{lo + b}")
            return f"{n}[{', '.join(parts)}]"
        if kind == "expr":
            for _ in range(4):
                t = self.ex(d - 1)
                if np.shape(self.val(t)) == shape:
                    return t
                if np.broadcast_shapes(np.shape(self.val(t)), ()) == () and shape:
                    self.use("broadcast_to")
                    return f"np.broadcast_to({t}, {shape}) * 1.0"
        if not shape:
            return const(r)
        lo, hi = sorted([float(const(r)), float(const(r))])
        return f"np.linspace({lo}, {hi + 0.5}, {size}).reshape({shape})"

    def unary_of(self, t: str) -> str:
        r = self.r
        if r.chance(0.7):
            return r.pick(SMOOTH).format(t)
        self.use("kink_guarded")
        return r.pick(GUARDED).format(t)

    # -- elementwise -----------------------------------------------------------------------------

    def x_unary(self, d: int) -> str:
        return self.unary_of(self.ex(d - 1))

    def x_binary(self, d: int) -> str:
        r = self.r
        a = self.ex(d - 1)
        sa = np.shape(self.val(a))
        how = r.pick_w([(2, "scalar"), (3, "same"), (2, "suffix"), (2, "ones"), (1, "outer")])
        if how == "scalar" or not sa:
            b = self.shaped((), d - 1) if r.chance(0.5) else const(r)
        elif how == "same":
            b = self.shaped(sa, d - 1)
        elif how == "suffix":
            self.use("broadcast_suffix")
            b = self.shaped(sa[r.int(1, len(sa)) :], d - 1)
        elif how == "ones":
            self.use("broadcast_ones")
            sb = tuple(1 if r.chance(0.5) else k for k in sa)
            b = self.shaped(sb[r.int(0, len(sb) - 1) :], d - 1)
        else:
            if len(sa) != 1:
                raise Reject("outer needs a vector")
            self.use("broadcast_outer")
            b = self.shaped((r.pick(self.dims),), d - 1)
            a, b = f"({a})[:, None]", f"({b})[None, :]"
        op = r.pick(BINOPS)
        if op == "/":
            return f"({a}) / _kz({b})"
        if op in ("max", "min"):
            self.use("maximum")
            f = {"max": "np.maximum", "min": "np.minimum"}[op]
            return f"{f}(_kne({a}, {b}), {b})"
        if op == "hypot":
            return f"np.hypot({a}, {b})"
        if op == "pow":
            return f"_kpos({a}) ** np.tanh({b})"
        return f"({a}) {op} ({b})"

    def x_where(self, d: int) -> str:
        self.use("where")
        a, va = self.arr(d - 1, 0)
        c = self.shaped(va.shape, d - 1)
        t = const(self.r)
        b = self.shaped(va.shape if self.r.chance(0.6) else (), d - 1)
        if self.r.chance(0.3):
            return f"({a}) * (_kne({c}, {t}) > {t})"
        return f"np.where(_kne({c}, {t}) > {t}, {a}, {b})"

    # -- reductions --------------------------------------------------------------------------------

    def axis_arg(self, nd: int, tuples: bool = True) -> Any:
        r = self.r
        opts: list[tuple[float, str]] = [(1, "none"), (3, "int")]
        if nd >= 2 and tuples:
            opts.append((1, "tuple"))
        kind = r.pick_w(opts)
        if kind == "none" or nd == 0:
            return None
        if kind == "int":
            ax = r.int(0, nd - 1)
            if r.chance(0.35):
                self.use("negative_axis")
                ax -= nd
            return ax
        self.use("tuple_axis")
        axes = sorted(r.pick([(0, 1), (0, 2), (1, 2), (0, 1, 2)]))
        return tuple(a for a in axes if a < nd) if len([a for a in axes if a < nd]) >= 2 else 0

    def x_reduce(self, d: int) -> str:
        r = self.r
        a, va = self.arr(d - 1, 1)
        ax = self.axis_arg(va.ndim)
        kd = r.chance(0.35)
        if kd:
            self.use("keepdims")
        tail = f", axis={ax}" + (", keepdims=True" if kd else "")
        fn = r.pick(["sum", "sum", "mean", "max", "min", "prod", "std", "var", "norm", "median"])
        self.use(f"reduce_{fn}")
        if fn in ("sum", "mean", "prod", "max", "min") and r.chance(0.3):
            g = f"_kgap({a}, {ax})" if fn in ("max", "min") else a
            return f"({g}).{fn}({tail[2:]})"
        if fn in ("max", "min", "median"):
            return f"np.{fn}(_kgap({a}, {ax}){tail})"
        if fn == "std":
            return f"np.std(_kgap({a}, {ax}){tail})"
        if fn == "norm":
            if isinstance(ax, tuple) and len(ax) > 2:
                ax = None
            kd_txt = ", keepdims=True" if kd else ""
            return f"_kpos(np.linalg.norm({a}, axis={ax}{kd_txt}))"
        if fn == "prod":
            return f"np.prod(np.tanh({a}) + 1.5{tail})"
        return f"np.{fn}({a}{tail})"

    def x_cum(self, d: int) -> str:
        r = self.r
        a, va = self.arr(d - 1, 1)
        ax = r.int(-va.ndim, va.ndim - 1)
        kind = r.pick(["cumsum", "cumprod", "diff", "flatcum"])
        self.use(kind)
        if kind == "cumsum":
            return r.pick([f"np.cumsum({a}, axis={ax})", f"{a}.cumsum(axis={ax})"])
        if kind == "cumprod":
            return f"np.cumprod(0.5 + 0.5 * np.cos({a}), axis={ax})"
        if kind == "flatcum":
            return f"np.cumsum({a})"
        n = r.pick([1, 1, 2])
        if va.shape[ax] <= n:
            raise Reject("too short to diff")
        return f"np.diff({a}, n={n}, axis={ax})" if n > 1 else f"np.diff({a}, axis={ax})"

    def x_meta(self, d: int) -> str:
        """Values read through shapes and Python numbers: ``a.shape[0]``, ``len``, ``.size``,
        ``np.ones_like``, ``float(...)``, ``.item()``, ``math.*`` of a reduction."""
        r = self.r
        a, va = self.arr(d - 1, 1)
        kind = r.pick(["shape", "len", "size", "like", "float", "item", "math", "ndim"])
        self.use(f"meta_{kind}")
        ax = r.int(0, va.ndim - 1)
        if kind == "shape":
            return f"{a} / {a}.shape[{ax}]"
        if kind == "len":
            return f"{a} * (len({a}) - 0.5)"
        if kind == "size":
            return f"np.sum({a}) / {a}.size"
        if kind == "like":
            f = r.pick(["np.ones_like({})", "np.full_like({}, 0.5)", "np.zeros({}.shape) + 1.0"])
            return f"{f.format(a)} * np.sin({a})"
        if kind == "float":
            return f"float(np.sum({a})) * {a}"
        if kind == "item":
            return f"np.sum({a}).item() + np.cos({a})"
        if kind == "math":
            return f"math.sin(float(np.mean({a}))) * {a}"
        return f"{a} * {a}.ndim"
