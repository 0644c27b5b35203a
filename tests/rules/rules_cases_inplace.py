"""Rule cases of `srcad.rules.numpy_inplace` and `srcad.rules.numpy_fns` (``np.add.at``,
``np.fill_diagonal``, ``out=``/``np.copyto``/``.fill``, ``np.vectorize``, ``np.apply_along_axis``).

Part of `tests/rules/rules_cases.py`, imported at its end.
Cases are added to `rules_cases.CASES` with `rules_cases.case`, the same as there."""

from __future__ import annotations

import numpy as np

from tests.rules.rules_cases import case, randn

I4 = np.array([0, 2, 0, 1])
case("srcad.runtime.scatter_add", "_srcad.scatter_add(a, i, v)", a=randn(3), i=I4, v=randn(4))
case("srcad.runtime.scatter_add", "_srcad.scatter_add(a, i, v)", a=randn(3), i=I4, v=randn())
case("srcad.runtime.scatter_add", "_srcad.scatter_add(a, (i, j), v)", a=randn(3, 3), i=I4,
     j=np.array([1, 1, 1, 2]), v=randn(4))  # fmt: skip
case("srcad.runtime.scatter_add", "_srcad.scatter_add(a, i, v)", a=randn(3, 2), i=I4,
     v=randn(4, 2))  # fmt: skip
case("srcad.runtime.scatter_add_vjp", "_srcad.scatter_add_vjp(t, a, i, v)", ("t",), t=randn(3),
     a=randn(3), i=I4, v=randn(4))  # fmt: skip
# np.put_along_axis / np.put: a repeated index's last write wins, values broadcast / repeat
PUT_I = np.array([[0, 0], [3, 1], [2, 2]])
case("srcad.runtime.put_write", "_srcad.put_write(a, i, v, 1, 'along')", a=randn(3, 4), i=PUT_I,
     v=randn(3, 2))  # fmt: skip
case("srcad.runtime.put_write", "_srcad.put_write(a, i, v, 1, 'along')", a=randn(3, 4), i=PUT_I,
     v=randn(3, 1))  # fmt: skip
case("srcad.runtime.put_write", "_srcad.put_write(a, [0, 5, 5, -1], v, 'raise', 'flat')",
     a=randn(2, 3), v=randn(3))  # fmt: skip
case("srcad.runtime.put_write", "_srcad.put_write(a, [1, 7], v, 'wrap', 'flat')", a=randn(4),
     v=randn())  # fmt: skip
case("srcad.runtime.put_write_vjp", "_srcad.put_write_vjp(t, a, i, v, 1, 'along')", ("t",),
     t=randn(3, 4), a=randn(3, 4), i=PUT_I, v=randn(3, 2))  # fmt: skip
case("srcad.runtime.put_write_vjp", "_srcad.put_write_vjp(t, a, [0, 2, 2], v, 'clip', 'flat')",
     ("t",), t=randn(5), a=randn(5), v=randn(2))  # fmt: skip
case("srcad.runtime.fill_diag", "_srcad.fill_diag(a, v, False)", a=randn(3, 3), v=randn(3))
case("srcad.runtime.fill_diag", "_srcad.fill_diag(a, v, False)", a=randn(4, 3), v=randn())
case("srcad.runtime.fill_diag", "_srcad.fill_diag(a, v, True)", a=randn(7, 2), v=randn(2))
case("srcad.runtime.fill_diag", "_srcad.fill_diag(a, v, False)", a=randn(2, 2, 2), v=randn(2))
# into an integer array: NumPy truncates `v`, no derivative reaches it (hunt31b)
case("srcad.runtime.fill_diag", "_srcad.fill_diag(a, v, False)", ("v",), a=np.zeros((3, 3), int),
     v=randn(3) * 10)  # fmt: skip
case("srcad.runtime.fill_diag_vjp", "_srcad.fill_diag_vjp(t, v, True)", ("t",), t=randn(7, 2),
     v=randn(3))  # fmt: skip
case("srcad.runtime.out_write", "_srcad.out_write(y, r, 'same_kind')", ("r",), y=randn(2, 3),
     r=randn(3))  # fmt: skip
case("srcad.runtime.out_write", "_srcad.out_write(y, r, 'unsafe')", ("r",), y=randn(4), r=randn())
case("srcad.runtime.out_tangent", "_srcad.out_tangent(t, y)", ("t",), t=randn(2, 1),
     y=randn(2, 3))  # fmt: skip
# a value with leading length-1 axes, which NumPy's copy drops (`np.copyto(y, v.reshape(1, 2))`)
case("srcad.runtime.out_tangent", "_srcad.out_tangent(t, y)", ("t",), t=randn(1, 1, 3),
     y=randn(2, 3))  # fmt: skip
# -- np.vectorize / np.apply_along_axis (srcad.rules.numpy_fns) --------------------------------
case("srcad.runtime.vectorized", "_srcad.vectorized([a, b, c], (3,), None)", a=randn(), b=randn(),
     c=randn())  # fmt: skip
case("srcad.runtime.vectorized", "_srcad.vectorized([a, b, c, a], (2, 2), 'd')", a=randn(),
     b=randn(), c=randn())  # fmt: skip
case("srcad.runtime.vectorized_t", "_srcad.vectorized_t([a, b], [p, q], (2,), None)", ("a", "b"),
     a=randn(), b=randn(), p=randn(), q=randn())  # fmt: skip
case("srcad.runtime.vectorized_ct", "_srcad.vectorized_ct(t, [p, q, p], (float,))", ("t",),
     t=randn(3), p=randn(), q=randn())  # fmt: skip
case("srcad.runtime.deep_copy", "_srcad.deep_copy(a)", a=randn(3))
# (distinct arrays: one object held twice is refused, as Python's copy shares it)
case("srcad.runtime.deep_copy", "_srcad.deep_copy({'a': [a, b], 'b': c})", ("a", "b", "c"),
     a=randn(3), b=randn(2), c=randn(2))  # fmt: skip
case("srcad.runtime.own_items", "_srcad.own_items({'w': a, 'b': b, 'n': 2})", ("a", "b"),
     a=randn(3), b=randn(2, 2))  # fmt: skip
case("srcad.runtime.own_items", "_srcad.own_items([a, b])", ("a", "b"), a=randn(3), b=randn())
case("srcad.runtime.along_axis_rows", "_srcad.along_axis_rows(a, 1)", a=randn(2, 3, 4))
case("srcad.runtime.along_axis_rows_t", "_srcad.along_axis_rows_t(t, a, 0)", ("t",),
     t=randn(12, 2), a=randn(2, 3, 4))  # fmt: skip
case("srcad.runtime.along_axis_result", "_srcad.along_axis_result(r, a, 1)", ("r",), r=randn(8, 5),
     a=randn(2, 3, 4))  # fmt: skip
case("srcad.runtime.along_axis_result", "_srcad.along_axis_result(r, a, -1)", ("r",), r=randn(6),
     a=randn(2, 3, 4))  # fmt: skip
case("srcad.runtime.along_axis_result_t", "_srcad.along_axis_result_t(t, r, a, 0)", ("t",),
     t=randn(5, 2, 3, 4), r=randn(12, 5, 2), a=randn(3, 3, 4))  # fmt: skip
