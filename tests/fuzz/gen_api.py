"""Random chains of NumPy calls with their real argument variety: the fourth generator
(``--grammar api``).

Input: a decision source (`choice.Rand`). Output: a `gen.Program`, built like `gen_arrays.py`'s
(each candidate statement runs on the example arguments before it is kept, kinks guarded, the
guards stripped from the source). Where `gen_arrays.py` composes a few shapes of each call, this
generator varies the API surface itself: axis None/int/negative/tuple with keepdims, ddof, `ord=`
of vector and matrix norms, nan-reductions over inputs holding NaNs, method forms (`x.sum(..)`,
`x.clip`, `x.reshape(-1, 2)`), out-of-order broadcasting ((n, 1) with (1, m), 0-d, (1,)), int,
bool, float32 and complex operands, reversed slices, `np.newaxis`/`...`, integer indices with
repeats, fancy writes (`u[idx] += v` that does not accumulate, `np.add.at` that does),
`put_along_axis`, `pad` modes, `gradient`, `split` by sections and indices, random `einsum`
subscripts (repeated letters, ellipses, implicit outputs), `tensordot` axes, `np.linalg`
(solve, inv, det, slogdet, cholesky, eigh, pinv, lstsq, matrix_power, the NumPy 2 norms) and the
numerically delicate functions (logaddexp, hypot, arctan2, sinc, i0, heaviside, fmod,
remainder). The statements are in `gen_api_ops.py`, `gen_api_select.py`, `gen_api_more.py` and
`gen_api_linalg.py`; a fifth of them are still the array generator's own.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gen import Program
from .gen_api_linalg import ApiLinalg
from .gen_arrays import ArrayGen


class ApiGen(ApiLinalg, ArrayGen):
    """One program per instance; `program()` builds it (gen_arrays.ArrayGen's driver)."""

    def statement(self) -> list[str]:
        opts: list[tuple[float, Any]] = [
            (1.2, super().statement),
            (1.5, self.a_reduce),
            (0.8, self.a_norm),
            (0.6, self.a_cum),
            (1.2, self.a_broadcast),
            (1.5, self.a_index),
            (1.0, self.a_where),
            (0.8, self.a_sort),
            (1.2, self.a_shape),
            (0.7, self.a_diff),
            (1.0, self.a_einsum),
            (0.8, self.a_products),
            (1.2, self.a_linalg),
            (0.8, self.a_stack),
            (1.2, self.a_delicate),
            (0.8, self.a_dtype),
            (0.6, self.a_stats),
            (1.2, self.a_write),
            (1.0, self.a_misc),
        ]
        return self.r.pick_w(opts)()

    def output(self) -> tuple[list[str], str]:
        """The array generator's return statement; sometimes also an intermediate array, so that
        the primal check sees its values, shape and dtype."""
        lines, kind = super().output()
        arrays = [n for n in self.floats(lambda a: a.ndim > 0 and a.size > 0)][-3:]
        if kind == "f" and arrays and self.r.chance(0.15):
            self.features.add("out_pair")
            ret = lines[0].split("return ", 1)[1]
            return [f"    return ({ret}, {self.r.pick(arrays)})"], "v"
        return lines, kind


def generate(r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> Program:
    """One random NumPy-API program from the decision source `r`."""
    g = ApiGen(r, exclude, size)
    p = g.program()
    p.features |= g.features
    p.check_dtypes = True
    return p


__all__ = ["ApiGen", "generate", "np"]
