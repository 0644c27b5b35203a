"""Random programs in the style of users' code: the third generator (``--grammar users``).

Input: a decision source (`choice.Rand`). Output: a `gen.Program`, built like `gen_arrays.py`'s
(each candidate statement runs on the example arguments before it is kept, kinks guarded, the
guards stripped from the source), whose statements are mostly the idioms that generator never
writes: `while True` with data-dependent `break`/`continue`, helpers returning early from inside a
loop or returning tuples and dicts the caller unpacks, closures over locals, comprehensions with
conditions, `zip`/`enumerate`/`reversed`, `try`/`except`, chained comparisons and ternaries,
`np.select`/`np.clip` with array bounds, keepdims normalisations, (n, 1) against (1, n),
0-d and empty arrays, integer indices with repeats, boolean masks, and writes through views of
views and subscripts of subscripts (`gen_users_stmts.py`). A third of the statements are still
the array generator's own.
"""

from __future__ import annotations

from typing import Any

from .gen import Program
from .gen_arrays import ArrayGen
from .gen_users_stmts import UserStmts


class UserGen(UserStmts, ArrayGen):
    """One program per instance; `program()` builds it (gen_arrays.ArrayGen's driver)."""

    def statement(self) -> list[str]:
        r = self.r
        opts: list[tuple[float, Any]] = [
            (3, super().statement),
            (1, self.u_while_break),
            (1, self.u_while_continue),
            (1.5, self.u_helper_early),
            (1, self.u_helper_dict),
            (1, self.u_closure),
            (1.2, self.u_comprehension),
            (1, self.u_zip_loop),
            (0.5, self.u_try),
            (1, self.u_ternary),
            (1, self.u_select),
            (1.2, self.u_keepdims),
            (0.8, self.u_outer),
            (0.7, self.u_zero_d),
            (0.5, self.u_empty),
            (0.8, self.u_int_repeat),
            (0.8, self.u_mask),
            (0.8, self.u_pyidiom),
            (0.6, self.u_list_state),
        ]
        if self.owned:
            opts += [(1.5, self.u_nested_write), (1, self.u_view_chain), (0.5, self.u_add_at)]
        return r.pick_w(opts)()


def generate(r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> Program:
    """One random user-style program from the decision source `r`; a quarter of them take their
    arrays packed in one tuple, list or dict argument (unpacked in the first line of `f`), and
    a fifth of those with several arguments are differentiated with respect to some only."""
    p = UserGen(r, exclude, size).program()
    n = len(p.args)
    if r.chance(0.25):
        return pack(p, r.pick(["tuple", "list", "dict"]))
    if n > 1 and r.chance(0.2):
        p.wrt = tuple(sorted({r.int(0, n - 1) for _ in range(n - 1)}))
        p.features.add("wrt_subset")
    return p


def pack(p: Program, how: str) -> Program:
    """`p` with its arguments packed into one container argument `params`."""
    names = [f"x{k}" for k in range(len(p.args))]
    head = f"def f({', '.join(names)}):\n"
    if how == "dict":
        unpack = "".join(f"    {x} = params[{x!r}]\n" for x in names)
        args: Any = {x: a for x, a in zip(names, p.args)}
    else:
        unpack = f"    {', '.join(names)}{',' if len(names) == 1 else ''} = params\n"
        args = tuple(p.args) if how == "tuple" else list(p.args)
    if head not in p.source:
        return p
    src = p.source.replace(head, "def f(params):\n" + unpack, 1)
    return Program(src, (args,), ("c",), (0,), p.out, p.features | {f"packed_{how}"})
