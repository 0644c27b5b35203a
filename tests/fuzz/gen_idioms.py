"""Random programs in the idioms of users' code none of the other generators write: the fourth
generator (``--grammar idioms``).

Input: a decision source (`choice.Rand`). Output: a `gen.Program`, built like `gen_users.py`'s
(each candidate statement runs on the example arguments before it is kept, kinks guarded, the
guards stripped from the source) whose statements are mostly those of `gen_idioms_stmts.py` and
`gen_idioms_more.py`: `while` loops with data-dependent exits writing arrays, early returns from
nested loops, `for`/`else`, `break`/`continue` over `zip`/`enumerate`, closures over loop variables,
bounded recursion, dict/list accumulators, `try`/`except` around numeric code, integer-valued
intermediates used as indices, float32/complex mixed into float64 code, 2-D slices with negative
steps, in-place updates of views, `functools.reduce`, `key=` functions, `nonlocal`, `:=`, and any
statement of the generator inside a loop or a branch (`i_wrap`).
The rest are the user-style and array generators' own. The oracle also compares the output's
dtypes (`Program.check_dtypes`). Feature flags for `--exclude` (idioms srcad refuses today, which
hide the rest of a program from the check): `closure_value` (functions kept in lists, returned),
`recursion`, `try_flow` (raise inside try, finally).
"""

from __future__ import annotations

import collections
import functools
import math
from typing import Any

import numpy as np

from .gen import Program
from .gen_idioms_stmts import IdiomStmts
from .gen_users import UserGen

HEADER = "import collections\nimport functools\nimport math\n\nimport numpy as np\n"


class IdiomGen(IdiomStmts, UserGen):
    """One program per instance; `program()` builds it (gen_arrays.ArrayGen's driver)."""

    header = HEADER
    modules: dict[str, Any] = {
        "np": np,
        "math": math,
        "collections": collections,
        "functools": functools,
    }

    def statement(self) -> list[str]:
        opts: list[tuple[float, Any]] = [
            (2.5, super().statement),
            (1, self.i_while_write),
            (1, self.i_nested_return),
            (1, self.i_zip_break),
            (1, self.i_closure_loopvar),
            (0.8, self.i_recursion),
            (1, self.i_accumulate),
            (0.8, self.i_try),
            (1, self.i_int_valued),
            (0.7, self.i_dtypes),
            (0.8, self.i_slices2d),
            (0.8, self.i_pyiter),
            (0.7, self.i_reduce_axes),
            (0.8, self.i_inplace_view),
            (1.2, self.i_wrap),
        ]
        if self.owned:
            opts.append((0.6, self.i_inplace_view))
        return self.r.pick_w(opts)()


def generate(r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> Program:
    """One random program in users' idioms from the decision source `r`."""
    p = IdiomGen(r, exclude, size).program()
    p.check_dtypes = True
    return p
