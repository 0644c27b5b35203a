"""Numerical idioms and NumPy's in-place writers in the wild38 programs (tests/fuzz/gen_wild_38.py).

Input: the host's state (values in scope, the typed expressions of gen_wild_38e.py). Output:
expressions (`pattern`) of a target shape written as numerical code writes them, smooth although
made of kinked pieces: log-sum-exp and softmax shifted by a ``max`` (ties allowed: the shift
cancels), softplus ``maximum(z, 0) + log1p(exp(-|z|))`` (at ``z == 0`` too), sigmoids with a
numerator (``n / (1 + exp(v))``, ``(1 + exp(v)) ** -1``), squares of magnitudes (``abs(x) **
2``, ``norm(x, axis=) ** 2``), gate chains of consecutive slices (``z[:, :H]``, ``z[:, H:2*H]``,
``z[:, 2*H:]``); and statements (`s_inplace`, `s_recur`, `s_overlap`): ``np.add.at`` (repeated
indices accumulate), ``np.multiply.at``, ``np.put``, ``np.putmask``/``np.place`` (values cycled),
``np.copyto(.., where=)``, ``np.fill_diagonal``, ``.fill``, ``.put``, ``K[d][:, d] += v`` (a
copy: no effect); element recurrences in ``for`` loops (``p[k] = p[k - 1] * c + x[k]``, reversed,
rows and columns, ``p[k] += ..`` on fresh zeros); writes whose value overlaps the target
(``a[1:] = a[:-1]``, ``a[::-1] = a``, ``a[:, 1:] += a[:, :-1]``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gen_wild_calls import Reject


class Patterns38:
    """Mixin of `gen_wild_38.Gen38`: the forms of the module docstring."""

    r: Any
    env: dict[str, Any]

    def pattern(self, s: tuple, d: int) -> str:
        r = self.r
        e, P = self.expr, self._paren  # type: ignore[attr-defined]
        form = r.pick(
            ["lse", "softmax", "softplus", "sigmoid", "sq_abs", "sq_norm", "gates", "tied"]
        )
        self.use("pat_" + form)  # type: ignore[attr-defined]
        if form == "lse":
            if len(s) == 2:
                raise Reject("lse of a row")
            if s == ():
                x = P(e(r.pick([(self.n,), (self.n, self.m)]), d))  # type: ignore[attr-defined]
                return r.pick(
                    [
                        f"(np.log(np.sum(np.exp({x} - np.max({x})))) + np.max({x}))",
                        f"(np.max({x}) + np.log(np.exp({x} - {x}.max()).sum()))",
                    ]
                )
            (k,) = s
            x = P(e((k, r.int(1, 4)), d))
            return f"(np.log(np.sum(np.exp({x} - {x}.max(axis=1, keepdims=True)), axis=1)) + {x}.max(axis=1))"
        if form == "softmax":
            if s == ():
                raise Reject("softmax of a scalar")
            x = P(e(s, d))
            ax = -1 if len(s) == 1 else r.pick([0, 1, -1])
            ex = f"np.exp({x} - np.max({x}, axis={ax}, keepdims=True))"
            return f"({ex} / np.sum({ex}, axis={ax}, keepdims=True))"
        if form == "softplus":
            z = P(e(s, d) if r.chance(0.5) else f"{e(s, d)} * np.array(0.0)")
            return r.pick(
                [
                    f"(np.maximum({z}, 0) + np.log1p(np.exp(-np.abs({z}))))",
                    f"(np.log1p(np.exp(-np.abs({z}))) + np.maximum({z}, 0.0))",
                ]
            )
        if form == "sigmoid":
            n, v = P(e(s, d)), P(e(s, d))
            return r.pick(
                [
                    f"{n} / (1 + np.exp({v}))",
                    f"{n} * np.reciprocal(1.0 + np.exp(-{v}))",
                    f"(1 + np.exp({v})) ** -1",
                ]
            )
        if form == "sq_abs":
            x = P(e(s, d))
            return r.pick([f"np.abs({x}) ** 2", f"np.square(np.abs({x}))", f"abs({x}) * abs({x})"])
        if form == "sq_norm":
            if len(s) == 2:
                raise Reject("norm of a matrix's rows is 1-D")
            k = r.int(1, 4)
            if s == ():
                return f"np.linalg.norm({e((k,), d)}) ** 2"
            ax = r.pick([1, -1])
            kd = r.chance(0.4)
            src = f"np.linalg.norm({e((s[0], k), d)}, axis={ax}{', keepdims=True' if kd else ''}) ** 2"
            return f"({src})[:, 0]" if kd else src
        if form == "gates":
            H = s[-1] if s else 1
            z = P(e((s[0], 3 * H) if len(s) == 2 else (3 * H,), d))
            pre = ":, " if len(s) == 2 else ""
            g = f"np.tanh({z}[{pre}:{H}]) * (1 / (1 + np.exp(-{z}[{pre}{H}:{2 * H}]))) + {z}[{pre}{2 * H}:]"
            return g if s else f"({g}).sum()"
        # a tie on purpose, the same function either side: max(x, x), sorted duplicates
        x = P(e(s, d))
        return r.pick(
            [f"np.maximum({x}, {x})", f"np.fmin({x}, {x} + 0.0)", f"np.clip({x}, {x}, {x} + 1.0)"]
        )

    # -- statements -----------------------------------------------------------------------------

    def _local(self, ndim: int | None = None) -> str:
        names = [
            k
            for k in self.arrays(locals_only=True)  # type: ignore[attr-defined]
            if ndim is None or self.env[k].ndim == ndim
        ]
        if names and self.r.chance(0.5):
            return self.r.pick(names)
        raise Reject("no local array")

    def _fresh_copy(self, shape: tuple) -> tuple[str, list[str]]:
        w = self.fresh("w")  # type: ignore[attr-defined]
        src = self.expr(shape, 2)  # type: ignore[attr-defined]
        self.env[w] = np.array(self.val(src), dtype=float)  # type: ignore[attr-defined]
        return w, [
            f"    {w} = np.array({src}, dtype=float)"
            if self.r.chance(0.5)
            else f"    {w} = ({src}) * 1.0"
        ]

    def s_inplace(self) -> list[str]:
        r = self.r
        n, m = self.n, self.m  # type: ignore[attr-defined]
        form = r.pick(
            [
                "addat",
                "mulat",
                "subat",
                "put",
                "putmask",
                "place",
                "copyto",
                "filldiag",
                "fill",
                "mput",
                "copywrite",
            ]
        )
        self.use("inp_" + form)  # type: ignore[attr-defined]
        two = form in ("filldiag", "copywrite")
        shape = (n, n) if two else r.pick([(n,), (m,), (n, m)])
        w, lines = self._fresh_copy(shape)
        size = int(np.prod(shape))
        idx = [r.int(0, shape[0] - 1) for _ in range(r.int(1, 4))]
        e = self.expr  # type: ignore[attr-defined]
        dd = self.depth() - 1  # type: ignore[attr-defined]
        if form in ("addat", "subat", "mulat"):
            fn = {"addat": "np.add.at", "subat": "np.subtract.at", "mulat": "np.multiply.at"}[form]
            v = e((len(idx),) + shape[1:], dd) if r.chance(0.7) else e((), dd)
            if form == "mulat":
                v = f"np.tanh({v}) * 0.5 + 1.0"
            lines.append(f"    {fn}({w}, {idx!r}, {v})")
        elif form in ("put", "mput"):
            flat = [r.int(-size, size - 1) for _ in range(r.int(1, 4))]
            v = e((len(flat),), dd)
            lines.append(
                f"    np.put({w}, {flat!r}, {v})"
                if form == "put"
                else f"    {w}.put({flat!r}, {v})"
            )
        elif form in ("putmask", "place", "copyto"):
            mask = np.array([r.chance(0.5) for _ in range(size)]).reshape(shape)
            ms = f"np.array({mask.tolist()!r})"
            if form == "copyto":
                lines.append(
                    f"    np.copyto({w}, {e(shape if r.chance(0.6) else shape[-1:], dd)}, where={ms})"
                )
            else:
                k = r.int(1, max(1, int(mask.sum())))
                fn = "np.putmask" if form == "putmask" else "np.place"
                lines.append(f"    {fn}({w}, {ms}, {e((k,), dd)})")
        elif form == "filldiag":
            lines.append(f"    np.fill_diagonal({w}, {e(r.pick([(), (n,)]), dd)})")
        elif form == "fill":
            lines.append(f"    {w}.fill({e((), dd)})" if r.chance(0.5) else f"    {w}.fill(0.0)")
        else:
            dl = sorted({r.int(0, n - 1) for _ in range(2)})
            lines.append(f"    {w}[{dl!r}][:, {dl!r}] += {e((len(dl), len(dl)), dd)}")
        return lines

    def s_recur(self) -> list[str]:
        r = self.r
        L = r.int(2, 6)
        k, p = self.fresh("k"), self.fresh("p")  # type: ignore[attr-defined]
        x = self.expr((L,), 2)  # type: ignore[attr-defined]
        c = round(0.3 + abs(r.normal()) * 0.3, 3)
        form = r.pick(["fwd", "rev", "acc", "zeroed", "rows", "cols", "two"])
        self.use("rec_" + form)  # type: ignore[attr-defined]
        if form in ("rows", "cols"):
            j = r.int(1, 4)
            M = self.expr((L, j) if form == "rows" else (j, L), 2)  # type: ignore[attr-defined]
            rows = form == "rows"
            at = f"{p}[{k}]" if rows else f"{p}[:, {k}]"
            prev = f"{p}[{k} - 1]" if rows else f"{p}[:, {k} - 1]"
            Ms = self._paren(M)  # type: ignore[attr-defined]
            first, now = (f"{Ms}[0]", f"{Ms}[{k}]") if rows else (f"{Ms}[:, 0]", f"{Ms}[:, {k}]")
            return [
                f"    {p} = np.zeros({(L, j) if rows else (j, L)})",
                f"    {at.replace(k, '0')} = np.tanh({first})",
                f"    for {k} in range(1, {L}):",
                f"        {at} = {prev} * {c} + np.sin({now})",
            ]
        lines = [f"    {p} = np.zeros({L})"]
        xs = self._paren(x)  # type: ignore[attr-defined]
        if form == "fwd":
            lines += [
                f"    {p}[0] = {xs}[0]",
                f"    for {k} in range(1, {L}):",
                f"        {p}[{k}] = {p}[{k} - 1] * {c} + {xs}[{k}]",
            ]
        elif form == "rev":
            lines += [
                f"    {p}[-1] = {xs}[-1]",
                f"    for {k} in range({L - 2}, -1, -1):",
                f"        {p}[{k}] = np.tanh({p}[{k} + 1]) * {c} + {xs}[{k}]",
            ]
        elif form == "acc":
            lines += [
                f"    for {k} in range({L}):",
                f"        {p}[{k}] = {p}[{k}] + {xs}[{k}] ** 2",
            ]
        elif form == "zeroed":
            lines += [
                f"    for {k} in range({L}):",
                f"        {p}[{k}] += np.sin({xs}[{k}])",
                f"        {p}[{k}] *= {xs}[{L - 1} - {k}]",
            ]
        else:
            lines += [
                f"    {p}[:2] = {xs}[:2]",
                f"    for {k} in range(2, {L}):",
                f"        {p}[{k}] = {p}[{k} - 1] * {c} - {p}[{k} - 2] * 0.2 + {xs}[{k}]",
            ]
        return lines

    def s_overlap(self) -> list[str]:
        r = self.r
        n, m = self.n, self.m  # type: ignore[attr-defined]
        shape = r.pick([(n,), (n, m), (max(n, 2),)])
        try:
            w, lines = self._local(len(shape)), []
            shape = self.env[w].shape
        except Reject:
            w, lines = self._fresh_copy(shape)
        if shape[0] < 2:
            raise Reject("too short")
        one = len(shape) == 1
        forms = (
            [
                f"{w}[1:] = {w}[:-1]",
                f"{w}[::-1] = {w}",
                f"{w}[1:] += {w}[:-1] * 0.5",
                f"{w}[:-1] = {w}[1:] * 0.9 + {w}[:-1] * 0.1",
                f"{w}[::2] = {w}[::-1][::2]",
            ]
            if one
            else [
                f"{w}[:, 1:] += {w}[:, :-1]",
                f"{w}[1:] = {w}[:-1] * 0.5",
                f"{w}[::-1] = {w}",
                f"{w}.T[0] = {w}[0]" if shape[0] == shape[1] else f"{w}[0] = {w}[-1]",
            ]
        )
        self.use("ovl_" + str(len(shape)))  # type: ignore[attr-defined]
        return lines + ["    " + r.pick(forms)]

    def s_trifor(self) -> list[str]:
        """A ``for`` loop over positions whose slices grow, shrink or are empty (``w[:i]``)."""
        r = self.r
        L = r.int(2, 5)
        i, acc = self.fresh("i"), self.fresh("s")  # type: ignore[attr-defined]
        w, lines = self._fresh_copy((L,))
        v = self._paren(self.expr((L,), 2))  # type: ignore[attr-defined]
        M, mlines = self._fresh_copy((L, L))
        c = round(0.5 + abs(r.normal()) * 0.2, 3)
        bodies = [
            f"{acc} = {acc} + np.sum({w}[:{i} + 1] ** 2) * 0.1",
            f"{w}[{i}:] = {w}[{i}:] * {c} + np.sin({w}[{i}]) * 0.1",
            f"{acc} = {acc} + np.dot({w}[:{i}], {v}[:{i}])",
            f"{M}[{i}, :{i}] = {M}[:{i}, {i}] * 0.5",
            f"{w}[:{i}] += {w}[{i}] * 0.1",
            f"{acc} = {acc} + np.concatenate([{w}[{i}:], {w}[:{i}]]) @ {v}",
            f"{M}[{i}:, {i}] -= {M}[{i}, {i}:] * 0.25",
            f"{acc} = {acc} + {M}[{i}, {i}:].sum() * {w}[{L - 1} - {i}]",
            f"{w}[{i}:{i} + 2] = np.tanh({w}[{i}:{i} + 2] + {v}[{i}])",
        ]
        body = [r.pick(bodies) for _ in range(r.int(1, 3))]
        self.use("tri_" + str(len(body)))  # type: ignore[attr-defined]
        rng = r.pick([f"range({L})", f"range({L} - 1, -1, -1)", f"range(1, {L})"])
        return (
            lines
            + mlines
            + [f"    {acc} = 0.0", f"    for {i} in {rng}:"]
            + [f"        {b}" for b in body]
        )
