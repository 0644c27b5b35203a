"""More expressions of the array generator: shape functions, indexing, products, linalg, sorts.

Input: the generator's state (see gen_arrays.ArrayGen). Output: guarded expression text; `Reject`
when a choice does not fit the operands at hand.
"""

from __future__ import annotations

import string
from typing import Any

import numpy as np

from .gen_arrays_stmts import Reject, Stmts

__all__ = ["MoreOps", "Reject", "perm"]


def perm(src: tuple[int, ...], dst: tuple[int, ...], r: Any) -> tuple[int, ...] | None:
    """Axes `p` with src[p[k]] == dst[k] (a random one among equal sizes), or None."""
    free = list(range(len(src)))
    out = []
    for k in dst:
        cands = [i for i in free if src[i] == k]
        if not cands:
            return None
        i = r.pick(cands)
        free.remove(i)
        out.append(i)
    return tuple(out)


def factor(n: int, r: Any) -> tuple[int, ...]:
    """A random shape of rank 1-3 with `n` elements."""
    dims = []
    for _ in range(r.int(0, 2)):
        ds = [k for k in range(2, n) if n % k == 0]
        if not ds:
            break
        k = r.pick(ds)
        dims.append(k)
        n //= k
    dims.append(n)
    return tuple(dims)


class MoreOps(Stmts):
    """Expression generators, continued; the host is gen_arrays.ArrayGen."""

    def x_shape(self, d: int) -> str:
        r = self.r
        a, va = self.arr(d - 1, 1)
        nd, sh = va.ndim, va.shape
        kinds = ["reshape", "T", "swap", "move", "expand", "ravel", "flip", "roll", "tile"]
        kinds += ["repeat", "concat", "stack", "split", "broadcast", "pad", "squeeze", "tri"]
        kind = r.pick(kinds)
        self.use(f"shape_{kind}")
        ax = r.int(-nd, nd - 1)
        if kind == "reshape":
            new = factor(va.size, r)
            return r.pick([f"{a}.reshape({new})", f"np.reshape({a}, (-1,) + {new[1:]})"])
        if kind == "T":
            return r.pick([f"{a}.T", f"np.transpose({a})", f"np.transpose({a}, {perm(sh, sh, r)})"])
        if kind == "swap":
            return f"np.swapaxes({a}, {ax}, {r.int(0, nd - 1)})"
        if kind == "move":
            return f"np.moveaxis({a}, {ax}, {r.int(-nd, nd - 1)})"
        if kind == "expand":
            if nd >= 3:
                raise Reject("rank")
            return r.pick(
                [f"np.expand_dims({a}, {r.int(0, nd)})", f"{a}[None]", f"{a}[..., None]"]
                + ([f"{a}[:, None]"] if nd >= 1 else [])
            )
        if kind == "ravel":
            return r.pick([f"{a}.ravel()", f"np.ravel({a})", f"{a}.flatten()", f"{a}.reshape(-1)"])
        if kind == "flip":
            return r.pick([f"np.flip({a}, axis={ax})", f"{a}[::-1]", f"np.flip({a})"])
        if kind == "roll":
            s = r.int(-2, 2)
            return r.pick([f"np.roll({a}, {s}, axis={ax})", f"np.roll({a}, {s})"])
        if kind == "tile":
            reps = r.pick([2, (1, 2), (2, 1)])
            return f"np.tile({a}, {reps})"
        if kind == "repeat":
            return r.pick([f"np.repeat({a}, 2, axis={ax})", f"np.repeat({a}, 2)"])
        if kind in ("concat", "stack"):
            if kind == "stack":
                b = self.shaped(sh, d - 1)
                return f"np.stack([{a}, {b}], axis={r.int(-nd - 1, nd)})"
            other = list(sh)
            other[ax] = r.pick(self.dims + [1])
            b = self.shaped(tuple(other), d - 1)
            if nd <= 2 and r.chance(0.3):
                f = "np.vstack" if ax % nd == 0 else "np.hstack"
                if nd == 1 and f == "np.vstack":
                    raise Reject("vstack of vectors needs equal sizes")
                return f"{f}([{a}, {b}])"
            return f"np.concatenate([{a}, {b}], axis={ax})"
        if kind == "split":
            k = r.pick([2, 3])
            if sh[ax] % k:
                return f"np.array_split({a}, {k}, axis={ax})[{r.int(-1, k - 1)}]"
            return f"np.split({a}, {k}, axis={ax})[{r.int(0, k - 1)}]"
        if kind == "broadcast":
            new = (r.pick(self.dims),) + sh
            if len(new) > 3:
                raise Reject("rank")
            return f"np.broadcast_to({a}, {new})"
        if kind == "pad":
            return f"np.pad({a}, 1)" if r.chance(0.5) else f"np.pad({a}, (1, 0))"
        if kind == "squeeze":
            ones = [k for k in range(nd) if sh[k] == 1]
            if not ones:
                raise Reject("no axis of size 1")
            return r.pick([f"np.squeeze({a}, axis={r.pick(ones)})", f"{a}.squeeze()"])
        if nd != 2:
            raise Reject("tri needs a matrix")
        return r.pick(
            [f"np.triu({a})", f"np.tril({a}, -1)", f"np.diagonal({a})", f"np.trace({a})"]
            + ([f"np.diag({a})"] if nd == 2 else [])
        )

    def basic_index(self, sh: tuple[int, ...]) -> str:
        r = self.r
        parts = []
        for k in range(r.int(1, len(sh))):
            n = sh[k]
            kind = r.pick(["int", "slice", "slice", "all"]) if n else "all"
            if kind == "int":
                parts.append(str(r.int(-n, n - 1)))
            elif kind == "slice":
                step = r.pick([None, None, 2, -1, -2])
                lo = r.pick([None, 0, 1, -2, -1])
                hi = r.pick([None, n - 1, -1])
                txt = f"{'' if lo is None else lo}:{'' if hi is None else hi}"
                parts.append(txt + (f":{step}" if step else ""))
            else:
                parts.append(":")
        if r.chance(0.2):
            self.use("index_newaxis")
            parts.insert(r.int(0, len(parts)), "None")
        if r.chance(0.2):
            self.use("index_ellipsis")
            parts = ["...", parts[-1]] if len(parts) > 1 else ["..."] + parts
        return ", ".join(parts)

    def int_list(self, n: int) -> str:
        r = self.r
        return "[" + ", ".join(str(r.int(-n, n - 1)) for _ in range(r.int(1, 4))) + "]"

    def x_index(self, d: int) -> str:
        r = self.r
        a, va = self.arr(d - 1, 1)
        sh = va.shape
        kind = r.pick_w([(4, "basic"), (2, "ints"), (1, "ints2"), (1.5, "mask"), (1.5, "take")])
        self.use(f"index_{kind}")
        if kind == "basic":
            return f"{a}[{self.basic_index(sh)}]"
        if kind == "ints":
            if len(sh) > 1 and r.chance(0.5):
                return f"{a}[:, {self.int_list(sh[1])}]"
            idx = self.int_list(sh[0])
            return f"{a}[np.array({idx})]" if r.chance(0.3) else f"{a}[{idx}]"
        if kind == "ints2":
            if len(sh) < 2:
                raise Reject("rank")
            k = r.int(1, 3)
            i = [r.int(0, sh[0] - 1) for _ in range(k)]
            j = [r.int(-sh[1], sh[1] - 1) for _ in range(k)]
            return f"{a}[{i}, {j}]"
        if kind == "mask":
            t = self.r.pick(["0.0", "0.3", "-0.4"])
            c = a if r.chance(0.5) else self.shaped(sh, d - 1)
            return f"{a}[_kne({c}, {t}) > {t}]"
        ax = r.int(-len(sh), len(sh) - 1)
        return f"np.take({a}, {self.int_list(sh[ax])}, axis={ax})"

    def x_sortish(self, d: int) -> str:
        r = self.r
        a, va = self.arr(d - 1, 1)
        ax = r.int(-va.ndim, va.ndim - 1)
        kind = r.pick(["sort", "along", "argmax", "argsort_index", "max_index"])
        self.use(f"sort_{kind}")
        if kind == "sort":
            return r.pick([f"np.sort(_kgap({a}, {ax}), axis={ax})", f"np.sort(_kgap({a}, -1))"])
        if kind == "along":
            c = self.shaped(va.shape, d - 1)
            return f"np.take_along_axis({a}, np.argsort(_kgap({c}, {ax}), axis={ax}), axis={ax})"
        c = self.shaped((va.shape[0],), d - 1)
        if kind == "argmax":
            f = r.pick(["argmax", "argmin"])
            return f"{a}[np.{f}(_kgap({c}))]"
        if kind == "max_index":
            return f"{a}[np.argmax(_kgap({c}, 0), axis=0)]"
        return f"{a}[np.argsort(_kgap({c}))]"

    def x_product(self, d: int) -> str:
        r = self.r
        a, va = self.arr(d - 1, 1)
        sh = va.shape
        kind = r.pick(["matmul", "matmul", "dot", "einsum", "einsum", "tensordot", "outer", "kron"])
        kind = "einsum" if kind == "kron" and va.size > 8 else kind
        self.use(f"product_{kind}")
        if kind in ("matmul", "dot"):
            k = sh[-1]
            out = r.pick([(), (r.pick(self.dims),)])
            if kind == "dot" and len(sh) > 2:
                raise Reject("dot of a stack")
            b = self.shaped((k,) + out, d - 1)
            if kind == "dot":
                return r.pick([f"np.dot({a}, {b})", f"{a}.dot({b})"])
            if r.chance(0.25) and len(sh) >= 1:
                bl = self.shaped((r.pick(self.dims),) + sh[:1], d - 1)
                return f"{bl} @ {a}" if len(sh) <= 2 else f"np.matmul({a}, {b})"
            return r.pick([f"{a} @ {b}", f"np.matmul({a}, {b})"])
        if kind == "tensordot":
            k = sh[-1]
            b = self.shaped((k, r.pick(self.dims)), d - 1)
            axes = r.pick(["1", f"([{len(sh) - 1}], [0])"])
            return f"np.tensordot({a}, {b}, axes={axes})"
        if kind == "outer":
            b = self.shaped((r.pick(self.dims),), d - 1)
            return r.pick([f"np.outer({a}, {b})", f"np.multiply.outer({b}, {a})"])
        if kind == "kron":
            b = self.shaped((2,) * len(sh), d - 1)
            return f"np.kron({a}, {b})"
        return self.einsum(a, sh, d)

    def einsum(self, a: str, sh: tuple[int, ...], d: int) -> str:
        r = self.r
        letters = list(string.ascii_lowercase[: len(sh)])
        size = dict(zip(letters, sh))
        sb, bl = [], []
        for _ in range(r.int(1, 2)):
            shared = [c for c in letters if c not in bl]
            if shared and r.chance(0.7):
                c = r.pick(shared)
            else:
                c = string.ascii_lowercase[10 + len(size)]
                size[c] = r.pick(self.dims)
            bl.append(c)
            sb.append(size[c])
        allc = list(dict.fromkeys(letters + bl))
        out = [c for c in allc if r.chance(0.5)]
        if r.chance(0.5):
            out = out[::-1]
        b = self.shaped(tuple(sb), d - 1)
        la, lb = "".join(letters), "".join(bl)
        if len(sh) >= 2 and sh[0] == sh[1] and r.chance(0.3):
            self.use("einsum_diagonal")
            return f"np.einsum('{la[0] * 2}{la[2:]}->{r.pick([la[0], ''])}{la[2:]}', {a})"
        if len(sh) >= 2 and letters[0] not in bl and letters[0] not in out and r.chance(0.3):
            self.use("einsum_ellipsis")  # the first axis under `...`, kept in the output
            spec = f"...{la[1:]},{lb}->...{''.join(out)}"
            return f"np.einsum('{spec}', {a}, {b})"
        return f"np.einsum('{la},{lb}->{''.join(out)}', {a}, {b})"

    def x_linalg(self, d: int) -> str:
        r = self.r
        spd = sorted(n for n in self.spd if n in self.env)
        if not spd:
            raise Reject("no SPD matrix yet")
        s = r.pick(spd[-1:] if r.chance(0.5) else spd)
        sh = np.shape(self.env[s])  # (n, n) or a stack (k, n, n)
        n, batch = sh[-1], sh[:-2]
        kind = r.pick(["solve", "solve", "inv", "det", "slogdet", "cholesky", "eigvalsh", "power"])
        self.use(f"linalg_{kind}" + ("_stack" if batch else ""))
        if kind == "solve":
            # NumPy 2: b is a vector only when 1-D; otherwise (..., n, m)
            bs = r.pick([(n,), batch + (n, r.pick(self.dims))])
            b = self.shaped(bs, d - 1)
            m = s if r.chance(0.6) else f"({s} + 0.2 * {self.shaped(sh, d - 1)})"
            return f"np.linalg.solve({m}, {b})"
        if kind == "inv":
            return f"np.linalg.inv({s})"
        if kind == "det":
            return f"np.linalg.det({s} / {float(n)})"
        if kind == "slogdet":
            return r.pick([f"np.linalg.slogdet({s})[1]", f"np.linalg.slogdet({s}).logabsdet"])
        if kind == "cholesky":
            return f"np.linalg.cholesky({s})"
        if kind == "eigvalsh":
            return f"_kgap(np.linalg.eigvalsh({s}), -1)"
        return f"np.linalg.matrix_power({s} / {float(n + 2)}, {r.int(0, 3)})"

    def spd_matrix(self, d: int) -> str:
        """``B @ B.T + n I``, or a stack of them (``B`` of rank 3, ``np.swapaxes``)."""
        r = self.r
        n = r.pick(self.dims)
        if r.chance(0.3):
            self.use("spd_stack")
            b = self.shaped((r.int(2, 3), n, r.pick(self.dims)), d)
            bt = r.pick([f"np.swapaxes({b}, -1, -2)", f"np.transpose({b}, (0, 2, 1))"])
            return f"{b} @ {bt} + {float(n)} * np.eye({n})"
        b = self.shaped((n, r.pick(self.dims)), d)
        return f"{b} @ ({b}).T + {float(n)} * np.eye({n})"
