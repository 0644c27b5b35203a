"""Cases of the runtime helpers' own rules (part of `tests/rules/rules_cases.py`, imported at its
end).

Most helpers are linear in a tangent or cotangent `t` (their first argument): the JVP applies the
helper to the tangent, the VJP its transpose, and the dot-product test checks the pair. Cases are
added to `rules_cases.CASES` with `rules_cases.case`, the same as there.
"""

from __future__ import annotations

import numpy as np

from tests.rules.rules_cases import _ab, _abc, _with_nan, case, pos, randn, spd, zero

# Linear helpers (a tangent or cotangent `t` first): the JVP is the helper on the tangent, the
# VJP its transpose; the dot-product test checks the pair.
case("srcad.runtime.owned_copy", "_srcad.owned_copy(x)", x=randn(3))
case("srcad.runtime.owned_copy", "_srcad.owned_copy([a, b])", ("a", "b"), a=randn(2), b=randn())
case("srcad.runtime.entry_copy", "_srcad.entry_copy(x)", x=randn(3))
case("srcad.runtime.entry_copy", "_srcad.entry_copy(x)", x=randn())
case("srcad.runtime.entry_copy", "_srcad.entry_copy([a, b])", ("a", "b"), a=randn(2), b=randn())
case("srcad.runtime.layout_copy", "_srcad.layout_copy(x)", x=randn(3))
case("srcad.runtime.layout_copy", "_srcad.layout_copy(x)", x=np.asfortranarray(randn(3, 2)))
case("srcad.runtime.layout_copy", "_srcad.layout_copy([a, b])", ("a", "b"), a=randn(2), b=randn())
# (lower/argreturn.py, lower/loopitems.py, `for k in d`: the identity on the value, on numbers;
# a dict's keys, which carry no derivative)
case("srcad.runtime.returned_arg", "_srcad.returned_arg(x, 1.5)", ("x",), x=randn(3))
case("srcad.runtime.returned_arg", "_srcad.returned_arg(x, 1.5)", ("x",), x=randn())
case("srcad.runtime.as_number", "_srcad.as_number(x)", x=randn())
# (ad/inplace_dtypes.py: `t op= v` in t's dtype; a float64 or number target: the value itself)
case("srcad.runtime.inplace_cast", "_srcad.inplace_cast(x, o, 'add')", ("x",), x=randn(3),
     o=randn(3))  # fmt: skip
case("srcad.runtime.inplace_cast", "_srcad.inplace_cast(x, 1.5, 'multiply')", ("x",), x=randn(2))
case("srcad.runtime.as_dtype_of", "_srcad.as_dtype_of(t, o)", ("t",), t=randn(3), o=randn(3))
case("srcad.runtime.dict_keys", "_srcad.dict_keys({1.5: a, 2.5: b})", ("a", "b"), **_ab)
case("srcad.runtime.array_vjp", "_srcad.array_vjp(t, [a, b])", ("t",), t=randn(2, 3),
     a=randn(3), b=randn(3))  # fmt: skip
case("srcad.runtime.array_vjp", "_srcad.array_vjp(t, [[a, b]])", ("t",), t=randn(1, 2),
     a=randn(), b=randn())  # fmt: skip
case("srcad.runtime.scalar_vjp", "_srcad.scalar_vjp(t, x)", ("t",), t=randn(), x=randn(3))
case("srcad.runtime.scalar_vjp", "_srcad.scalar_vjp(t, x)", ("t",), t=randn(), x=randn())
case("srcad.runtime.dict_entry_vjp", "_srcad.dict_entry_vjp(c, {'a': a, 'b': b}, 'a', ('b',))",
     ("c",), **_abc)  # fmt: skip
case("srcad.runtime.dict_entry_vjp", "_srcad.dict_entry_vjp(c, {'a': a, 'b': b}, 'a', ('a',))",
     ("c",), **_abc)  # fmt: skip
case("srcad.runtime.setitem_vjp_x_inplace", "_srcad.setitem_vjp_x_inplace(t, idx)",
     t=randn(4, 3), idx=np.array([0, 2]))  # fmt: skip
_lists = dict(a=[1.0, 2.0], b=[3.0], p=randn(), q=randn(2), r=randn())
case("srcad.runtime.concat_vjp", "_srcad.concat_vjp([p, q, r], a, b, 0)", ("p", "q", "r"),
     **_lists)  # fmt: skip
case("srcad.runtime.concat_vjp", "_srcad.concat_vjp(t, a, b, 1)", ("t",), t=randn(3, 4),
     a=randn(3, 4), b=randn(4))  # fmt: skip
case("srcad.runtime.concat_vjp_t", "_srcad.concat_vjp_t([p, q], t, a, b, 0)", ("p", "q"),
     t=[0.0, 0.0, 0.0], **_lists)  # fmt: skip
case("srcad.runtime.concat_vjp_t", "_srcad.concat_vjp_t([r], t, a, b, 1)", ("r",),
     t=[0.0, 0.0, 0.0], **_lists)  # fmt: skip
case("srcad.runtime.concat_vjp_t", "_srcad.concat_vjp_t(c, t, a, b, 1)", ("c",), c=randn(4),
     t=randn(3, 4), a=randn(3, 4), b=randn(4))  # fmt: skip
case("srcad.runtime.seq_repeat_vjp", "_srcad.seq_repeat_vjp([p, q, r, s], a, 2)",
     ("p", "q", "r", "s"), a=[1.0, 2.0], p=randn(), q=randn(2), r=randn(), s=randn(2))  # fmt: skip
case("srcad.runtime.seq_repeat_vjp", "_srcad.seq_repeat_vjp(t, a, 3)", ("t",), t=randn(3),
     a=randn(3))  # fmt: skip
case("srcad.runtime.to_list_vjp", "_srcad.to_list_vjp([p, q], x)", ("p", "q"), p=randn(),
     q=randn(2), x=(1.0, np.ones(2)))  # fmt: skip
case("srcad.runtime.to_list_vjp", "_srcad.to_list_vjp([p, q], x)", ("p", "q"), p=randn(),
     q=randn(), x=np.ones(2))  # fmt: skip
case("srcad.runtime.as_list", "_srcad.as_list(x)", x=randn(3))
case("srcad.runtime.as_list", "_srcad.as_list((a, b))", ("a", "b"), a=randn(2), b=randn())
case("srcad.runtime.as_sequence_t", "_srcad.as_sequence_t(t)", ("t",), t=randn(3, 2))
case("srcad.runtime.as_tuple", "_srcad.as_tuple([a, b])", ("a", "b"), a=randn(2), b=randn())
_d = {"a": randn(3), "b": randn(2)}
case("srcad.runtime.dict_values_vjp", "_srcad.dict_values_vjp([a, b], d)", ("a", "b"), d=_d,
     a=randn(3), b=randn(2))  # fmt: skip
case("srcad.runtime.dict_items_vjp", "_srcad.dict_items_vjp([(c, a), (c, b)], d)", ("a", "b"),
     d=_d, a=randn(3), b=randn(2), c=0.0)  # fmt: skip
case("srcad.runtime.dict_items_jvp", "_srcad.dict_items_jvp({'a': a, 'b': b})", ("a", "b"), **_ab)
case("srcad.runtime.dict_of_jvp", "_srcad.dict_of_jvp({'a': a, 'b': b}, d)", ("a", "b"), d=_d,
     **_ab)  # fmt: skip
case("srcad.runtime.dict_of_jvp", "_srcad.dict_of_jvp([(c, a), (c, b)], s)", ("a", "b"),
     s=[("a", 1.0), ("b", 2.0)], c=0.0, a=randn(), b=randn())  # fmt: skip
case("srcad.runtime.dict_of_vjp", "_srcad.dict_of_vjp({'a': a, 'b': b}, d)", ("a", "b"), d=_d,
     **_ab)  # fmt: skip
case("srcad.runtime.as_sequence_vjp", "_srcad.as_sequence_vjp(t, x)", ("t",), t=randn(3),
     x=randn(3))  # fmt: skip
_x3 = [0.3, -1.0, 2.0]
case("srcad.runtime.sorted_jvp", "_srcad.sorted_jvp([p, q, r], x)", ("p", "q", "r"), x=_x3,
     p=randn(), q=randn(), r=randn())  # fmt: skip
case("srcad.runtime.sorted_vjp", "_srcad.sorted_vjp([p, q, r], x, True)", ("p", "q", "r"),
     x=_x3, p=randn(), q=randn(), r=randn())  # fmt: skip
case("srcad.runtime.sorted_vjp", "_srcad.sorted_vjp(t, x, False, abs)", ("t",), t=randn(3),
     x=np.array(_x3))  # fmt: skip
case("srcad.runtime.drop_last_inplace", "_srcad.drop_last_inplace([a, b, c])", ("a", "b", "c"),
     a=randn(2), b=randn(), c=randn(3))  # fmt: skip
case("srcad.runtime.iter_sum", "_srcad.iter_sum([a, b], c)", a=randn(3), b=randn(3), c=randn())
case("srcad.runtime.iter_sum", "_srcad.iter_sum(x)", x=randn(4, 2))
case("srcad.runtime.iter_sum_vjp", "_srcad.iter_sum_vjp(t, [a, b])", ("t",), t=randn(3),
     a=randn(3), b=randn())  # fmt: skip
case("srcad.runtime.iter_sum_vjp", "_srcad.iter_sum_vjp(t, x)", ("t",), t=randn(3), x=randn(4, 3))
# sum(rows, start) of lists/tuples concatenates (hunt12)
case("srcad.runtime.iter_sum", "_srcad.iter_sum([[a], [b, c]], [x])", a=randn(), b=randn(),
     c=randn(), x=randn())  # fmt: skip
# (a list cotangent t: the pair is checked end to end, tests/soundness/test_hunt12.py)
case("srcad.runtime.iter_sum_start_vjp", "_srcad.iter_sum_start_vjp(t, [a, b], x)", ("t",),
     t=randn(3), a=randn(3), b=randn(3), x=randn())  # fmt: skip
_xs = np.array([0.5, 2.0, -1.0, 2.0])
case("srcad.runtime.iter_ext_jvp", "_srcad.iter_ext_jvp(t, xs, True)", ("t",), t=randn(4), xs=_xs)
case("srcad.runtime.iter_ext_vjp", "_srcad.iter_ext_vjp(t, xs, False)", ("t",), t=randn(), xs=_xs)
# sinc_d(x, k), the k-th derivative of np.sinc: both sides of the threshold |pi x| = 4 (x = 1.27),
# Python floats, and the 4th derivative at 0 (pi^4 / 5; exact values: tests/rules/test_sinc.py).
case("srcad.runtime.sinc_d", "_srcad.sinc_d(x, 1)", x=randn(4))
case("srcad.runtime.sinc_d", "_srcad.sinc_d(x, 2)", x=randn())
case("srcad.runtime.sinc_d", "_srcad.sinc_d(x, 3)", x=np.array([1e-8, -0.4, 1.2, 1.35, 2.5, 40.0]))
case("srcad.runtime.sinc_d", "_srcad.sinc_d(x, 8)", x=np.array([0.05, -0.7, 3.0]))
case("srcad.runtime.sinc_d", "_srcad.sinc_d(x, 3)", _jac={"x": np.array([[np.pi**4 / 5]])},
     x=np.zeros(1))  # fmt: skip
case("srcad.runtime.cumsum_vjp", "_srcad.cumsum_vjp(t, a, 1)", ("t",), t=randn(3, 4), a=randn(3, 4))
case("srcad.runtime.cumsum_vjp", "_srcad.cumsum_vjp(t, a)", ("t",), t=randn(12), a=randn(3, 4))
case("srcad.runtime.nanmean_vjp", "_srcad.nanmean_vjp(t, a, 1)", ("t",), t=randn(3),
     a=_with_nan.copy())  # fmt: skip
case("srcad.runtime.nanmean_vjp", "_srcad.nanmean_vjp(t, a, 0, True)", ("t",), t=randn(1, 4),
     a=_with_nan.copy())  # fmt: skip
# nanvar's where= items made NaN: the derivative is the product by `where` (a NaN item's too, so
# the expected Jacobian, not differences, where `where` leaves items out)
case("srcad.runtime.nan_unless", "_srcad.nan_unless(x, w)", ("x",), x=randn(3, 4),
     w=np.ones((3, 4), dtype=bool))  # fmt: skip
_w4 = np.array([True, False, True, True])
case("srcad.runtime.nan_unless", "_srcad.nan_unless(x, w)", ("x",), _fd=False,
     _jac={"x": np.diag(np.broadcast_to(_w4, (3, 4)).ravel() * 1.0)}, x=randn(3, 4), w=_w4)  # fmt: skip
case("srcad.runtime.std_scale", "_srcad.std_scale(x, None, False, s)", ("s",), x=randn(3, 4),
     s=pos())  # fmt: skip
case("srcad.runtime.std_scale", "_srcad.std_scale(x, 1, False, s)", ("s",), x=randn(3, 4),
     s=pos(3))  # fmt: skip
case("srcad.runtime.ddof_factor", "_srcad.ddof_factor(x, None, d)", ("d",), x=randn(3, 4), d=0.5)
case("srcad.runtime.ddof_factor", "_srcad.ddof_factor(x, 1, d, False, True)", ("d",),
     x=_with_nan.copy(), d=0.5)  # fmt: skip
for order in ("C", "F", "A"):
    case("srcad.runtime.reshape_order", f"_srcad.reshape_order(x, (2, 6), {order!r})",
         x=randn(3, 4))  # fmt: skip
case("srcad.runtime.reshape_order", "_srcad.reshape_order(x, -1, 'F')", x=randn(3, 4))
# ravel orders read the primal's layout: C, Fortran (a transpose), other strides ('K')
_strided = randn(4, 6)[::2, ::-2].T
for order in ("C", "F", "A", "K"):
    for a in (randn(3, 4), randn(4, 3).T, _strided):
        case("srcad.runtime.ravel_order", f"_srcad.ravel_order(t, a, {order!r})", ("t",),
             t=randn(*a.shape), a=a)  # fmt: skip
        case("srcad.runtime.ravel_order_vjp", f"_srcad.ravel_order_vjp(t, a, {order!r})",
             ("t",), t=randn(a.size), a=a)  # fmt: skip
case("srcad.runtime.concatenate_vjp", "_srcad.concatenate_vjp(t, [a, b])", ("t",), t=randn(5),
     a=randn(3), b=randn(2))  # fmt: skip
case("srcad.runtime.concatenate_vjp", "_srcad.concatenate_vjp(t, (a, b), None)", ("t",),
     t=randn(10), a=randn(2, 3), b=randn(4))  # fmt: skip
case("srcad.runtime.stack_vjp", "_srcad.stack_vjp(t, [a, b], 1)", ("t",), t=randn(3, 2),
     a=randn(3), b=randn(3))  # fmt: skip
case("srcad.runtime.stack_family_vjp", "_srcad.stack_family_vjp(t, [a, b], 'hstack')", ("t",),
     t=randn(5), a=randn(3), b=randn(2))  # fmt: skip
case("srcad.runtime.stack_family_vjp", "_srcad.stack_family_vjp(t, [a, b], 'column_stack')",
     ("t",), t=randn(3, 3), a=randn(3), b=randn(3, 2))  # fmt: skip
case("srcad.runtime.stack_family", "_srcad.stack_family([a, b], 'vstack')", a=randn(3), b=randn(3))
case("srcad.runtime.stack_family", "_srcad.stack_family((a, b), 'dstack')", a=randn(2, 3),
     b=randn(2, 3))  # fmt: skip
case("srcad.runtime.split_vjp", "_srcad.split_vjp([p, q], x, 2)", ("p", "q"), p=randn(3),
     q=randn(3), x=randn(6))  # fmt: skip
case("srcad.runtime.split_vjp", "_srcad.split_vjp([p, q], x, [1], 1)", ("p", "q"),
     p=randn(2, 1), q=randn(2, 2), x=randn(2, 3))  # fmt: skip
case("srcad.runtime.tile_vjp", "_srcad.tile_vjp(t, a, (2, 1))", ("t",), t=randn(4, 3),
     a=randn(2, 3))  # fmt: skip
case("srcad.runtime.repeat_vjp", "_srcad.repeat_vjp(t, a, 2)", ("t",), t=randn(6), a=randn(3))
case("srcad.runtime.repeat_vjp", "_srcad.repeat_vjp(t, a, 2, 1)", ("t",), t=randn(2, 6),
     a=randn(2, 3))  # fmt: skip
case("srcad.runtime.pad_vjp", "_srcad.pad_vjp(t, a, 1)", ("t",), t=randn(5), a=randn(3))
case("srcad.runtime.pad_vjp", "_srcad.pad_vjp(t, a, ((1, 0), (2, 1)), 'reflect')", ("t",),
     t=randn(4, 6), a=randn(3, 3))  # fmt: skip
case("srcad.runtime.pad_vjp", "_srcad.pad_vjp(t, a, 2, 'edge')", ("t",), t=randn(7), a=randn(3))
_idx = np.array([[0, 3], [1, 1], [2, 0]])
case("srcad.runtime.take_vjp", "_srcad.take_vjp(t, a, idx)", ("t",), t=randn(3), a=randn(2, 3),
     idx=np.array([0, 4, 4]))  # fmt: skip
case("srcad.runtime.take_vjp", "_srcad.take_vjp(t, a, idx, 1)", ("t",), t=randn(2, 3),
     a=randn(2, 3), idx=np.array([2, 0, 2]))  # fmt: skip
case("srcad.runtime.take_along_axis_vjp", "_srcad.take_along_axis_vjp(t, a, idx, 1)", ("t",),
     t=randn(3, 2), a=randn(3, 4), idx=_idx)  # fmt: skip
case("srcad.runtime.take_along_axis_vjp", "_srcad.take_along_axis_vjp(t, a, idx, 1)", ("t",),
     t=randn(3, 2), a=randn(3, 4), idx=np.array([[3, 0]]))  # fmt: skip
case("srcad.runtime.sort_vjp", "_srcad.sort_vjp(t, a)", ("t",), t=randn(3, 4), a=randn(3, 4))
case("srcad.runtime.sort_vjp", "_srcad.sort_vjp(t, a, 0)", ("t",), t=randn(3, 4), a=randn(3, 4))
case("srcad.runtime.diff_vjp", "_srcad.diff_vjp(t, a, 2, 0)", ("t",), t=randn(2, 3), a=randn(4, 3))
case("srcad.runtime.item", "_srcad.item(x, (1,))", x=randn(3))
case("srcad.runtime.item", "_srcad.item(x, ())", x=randn())
case("srcad.runtime.item_vjp", "_srcad.item_vjp(t, x, (1, 2))", ("t",), t=randn(), x=randn(3, 4))
case("srcad.runtime.item_vjp", "_srcad.item_vjp(t, x, (5,))", ("t",), t=randn(), x=randn(3, 4))
case("srcad.runtime.diag_vjp", "_srcad.diag_vjp(t, v, 1)", ("t",), t=randn(4, 4), v=randn(3))
case("srcad.runtime.diag_vjp", "_srcad.diag_vjp(t, v)", ("t",), t=randn(3), v=randn(3, 3))
case("srcad.runtime.diagonal_vjp", "_srcad.diagonal_vjp(t, a, 1)", ("t",), t=randn(3),
     a=randn(3, 4))  # fmt: skip
case("srcad.runtime.trace_vjp", "_srcad.trace_vjp(t, a)", ("t",), t=randn(), a=randn(3, 3))
case("srcad.runtime.trace_vjp", "_srcad.trace_vjp(t, a, 0, 1, 2)", ("t",), t=randn(2),
     a=randn(2, 3, 3))  # fmt: skip
_r = np.arange(0.3, 5.0, 0.7)
case("srcad.runtime.arange_tangent", "_srcad.arange_tangent(t, r, 5.0, None, 1)", ("t",),
     t=randn(), r=_r)  # fmt: skip
case("srcad.runtime.arange_tangent", "_srcad.arange_tangent(t, r, 5.0, None, 0)", ("t",),
     t=randn(), r=_r)  # fmt: skip
case("srcad.runtime.arange_vjp", "_srcad.arange_vjp(t, x, r, 5.0, None, 1)", ("t",),
     t=randn(len(_r)), x=0.7, r=_r)  # fmt: skip
case("srcad.runtime.linspace_tangent", "_srcad.linspace_tangent(t, 5, True, 0)", ("t",),
     t=randn(2))  # fmt: skip
case("srcad.runtime.linspace_vjp", "_srcad.linspace_vjp(t, x, 5, False, 1)", ("t",), t=randn(5),
     x=randn())  # fmt: skip
case("srcad.runtime.astype_tangent", "_srcad.astype_tangent(t, float)", ("t",), t=randn(3))
case("srcad.runtime.astype_tangent", "_srcad.astype_tangent(t, int)", ("t",), t=randn(3))
case("srcad.runtime.astype_vjp", "_srcad.astype_vjp(t, x, float)", ("t",), t=randn(3), x=randn(3))
case("srcad.runtime.astype_vjp", "_srcad.astype_vjp(t, x, bool)", ("t",), t=randn(3), x=randn(3))
case("srcad.runtime.c_item_vjp", "_srcad.c_item_vjp(t, a)", ("t",), t=randn(3, 1), a=randn(3))
case("srcad.runtime.c_item_vjp", "_srcad.c_item_vjp(t, a)", ("t",), t=randn(1, 1), a=randn())
# matmul_vjp(t, x, y, which): bilinear in t and the other operand
for sx, sy in [((3, 4), (4, 5)), ((4,), (4, 5)), ((3, 4), (4,)), ((4,), (4,)),
               ((2, 3, 4), (4, 5)), ((3, 4), (2, 4, 5))]:  # fmt: skip
    so = np.matmul(np.zeros(sx), np.zeros(sy)).shape
    for which in (0, 1):
        case("srcad.runtime.matmul_vjp", f"_srcad.matmul_vjp(t, x, y, {which})", t=randn(*so),
             x=randn(*sx), y=randn(*sy))  # fmt: skip
# matmul_vjp_checked(r, t, x, y, which): `r` where finite (the plain product passes/shapes_matmul.py
# writes), else matmul_vjp's value: both sides (an inf in `r`, the other operand larger than it)
for sx, sy, which in [((3, 4), (4, 5), 0), ((3, 4), (4, 5), 1), ((4,), (4, 5), 0),
                      ((3, 4), (4,), 1)]:  # fmt: skip
    so, sr = np.matmul(np.zeros(sx), np.zeros(sy)).shape, sx if which == 0 else sy
    case("srcad.runtime.matmul_vjp_checked", f"_srcad.matmul_vjp_checked(r, t, x, y, {which})",
         r=randn(*sr), t=randn(*so), x=randn(*sx), y=randn(*sy))  # fmt: skip
_r = randn(4, 3)
_r[1, 2] = np.inf
case("srcad.runtime.matmul_vjp_checked", "_srcad.matmul_vjp_checked(r, t, x, y, 1)",
     ("t", "x", "y"), r=_r, t=randn(5, 3), x=randn(5, 4), y=randn(4, 3))  # fmt: skip
_r = randn(5, 4)
_r[0, 0] = np.nan
case("srcad.runtime.matmul_vjp_checked", "_srcad.matmul_vjp_checked(r, t, x, y, 0)",
     ("t", "x", "y"), r=_r, t=randn(5, 6), x=randn(5, 4), y=randn(4, 6))  # fmt: skip
zero("srcad.runtime.plain_ok", "_srcad.plain_ok(r, x, y, 1)", r=randn(4, 5), x=randn(3, 4),
     y=randn(4, 5))  # fmt: skip
# add_matmul_vjp_into(acc, t, x, y, which) = add_into(acc, matmul_vjp(t, x, y, which)), in place
for which in (0, 1):
    case("srcad.runtime.add_matmul_vjp_into", f"_srcad.add_matmul_vjp_into(a, t, x, y, {which})",
         ("a", "t", "x", "y"), _fd=False, a=randn(*((3, 4) if which == 0 else (4, 5))),
         t=randn(3, 5), x=randn(3, 4), y=randn(4, 5))  # fmt: skip
# (the fallback, not matrices: in place too)
case("srcad.runtime.add_matmul_vjp_into", "_srcad.add_matmul_vjp_into(a, t, x, y, 1)",
     ("a", "t", "x", "y"), _fd=False, a=randn(4, 5), t=randn(2, 3, 5), x=randn(2, 3, 4),
     y=randn(4, 5))  # fmt: skip
# mul_vjp(t, a, other, res) and its transposes: arithmetic (broadcasting) and repetition
_a, _o = randn(2, 3), randn(3)
_m = dict(a=_a, o=_o, r=_a * _o)
case("srcad.runtime.mul_vjp", "_srcad.mul_vjp(t, a, o, r)", ("t", "o"), t=randn(2, 3), **_m)
case("srcad.runtime.mul_vjp", "_srcad.mul_vjp(t, o, a, r)", ("t", "a"), t=randn(2, 3), **_m)
case("srcad.runtime.mul_vjp", "_srcad.mul_vjp([p, q, r, s], a, 2, res)", ("p", "q", "r", "s"),
     a=[1.0, 2.0], res=[1.0, 2.0, 1.0, 2.0], p=randn(), q=randn(), r=randn(), s=randn())  # fmt: skip
case("srcad.runtime.mul_vjp", "_srcad.mul_vjp([p, q], 2, [u, v], res)", ("p", "q", "u", "v"),
     res=[1.0, 2.0] * 2, p=randn(), q=randn(), u=randn(), v=randn())  # fmt: skip
case("srcad.runtime.mul_vjp_t", "_srcad.mul_vjp_t(c, t, o, a, r)", ("c", "a"), c=randn(3),
     t=randn(2, 3), **_m)  # fmt: skip
case("srcad.runtime.mul_vjp_t", "_srcad.mul_vjp_t([p, q], t, a, 2, res)", ("p", "q"),
     t=[0.0] * 4, a=[1.0, 2.0], res=[1.0, 2.0] * 2, p=randn(), q=randn(2))  # fmt: skip
case("srcad.runtime.mul_vjp_other", "_srcad.mul_vjp_other(c, o, t, r)", ("c", "t"),
     c=randn(2, 3), t=randn(2, 3), **_m)  # fmt: skip
case("srcad.runtime.mul_vjp_other", "_srcad.mul_vjp_other(c, o, t, res)", ("c",), c=randn(),
     o=[1.0, 2.0], t=[0.0] * 4, res=[1.0, 2.0] * 2)  # fmt: skip
# -- second-order rules of the product helpers: linear in the cotangent and the other operand ---
for sa, sb in [((3, 4), (4, 5)), ((4,), (4, 2)), ((3, 4), (4,)), ((2,), ()), ((), (3,))]:
    so = np.dot(np.zeros(sa), np.zeros(sb)).shape
    for which in (0, 1):
        case("srcad.runtime.dot_vjp", f"_srcad.dot_vjp(t, a, b, {which})", t=randn(*so),
             a=randn(*sa), b=randn(*sb))  # fmt: skip
for sa, sb in [((3, 4), (2, 4)), ((4,), (4,)), ((2, 3), ())]:
    so = np.inner(np.zeros(sa), np.zeros(sb)).shape
    for which in (0, 1):
        case("srcad.runtime.inner_vjp", f"_srcad.inner_vjp(t, a, b, {which})", t=randn(*so),
             a=randn(*sa), b=randn(*sb))  # fmt: skip
for sa, sb, axes in [((2, 3, 4), (3, 4, 5), 2), ((2, 3), (3, 4), 1), ((2,), (3,), 0),
                     ((3, 2, 4), (2, 5, 3), ([1, 0], [0, 2]))]:  # fmt: skip
    so = np.tensordot(np.zeros(sa), np.zeros(sb), axes).shape
    for which in (0, 1):
        case("srcad.runtime.tensordot_vjp", f"_srcad.tensordot_vjp(t, a, b, {axes}, {which})",
             t=randn(*so), a=randn(*sa), b=randn(*sb))  # fmt: skip
case("srcad.runtime.vecdot_vjp", "_srcad.vecdot_vjp(t, o, x)", ("t", "o"), t=randn(3),
     o=randn(4), x=randn(3, 4))  # fmt: skip
case("srcad.runtime.vecdot_vjp", "_srcad.vecdot_vjp(t, o, x, 0)", ("t", "o"), t=randn(4),
     o=randn(3, 4), x=randn(3, 1))  # fmt: skip
for expr, shapes in [
    ("'ij,jk->ik'", [(3, 4), (4, 5)]),
    ("'ij,jk'", [(3, 4), (4, 5)]),
    ("'ii->i'", [(3, 3)]),
    ("'ij->'", [(3, 4)]),
    ("'...ij,...j->...i'", [(2, 3, 4), (2, 4)]),
    ("'ij,jk,kl->il'", [(2, 3), (3, 4), (4, 2)]),
]:
    names = ("a", "b", "c")[: len(shapes)]
    args = {n: randn(*s) for n, s in zip(names, shapes)}
    out = np.einsum(eval(expr), *args.values()).shape
    call = ", ".join(names)
    for i in range(len(names)):
        case("srcad.runtime.einsum_tangent", f"_srcad.einsum_tangent({expr}, {i}, t, {call})",
             t=randn(*shapes[i]), **args)  # fmt: skip
        case("srcad.runtime.einsum_vjp", f"_srcad.einsum_vjp(t, {expr}, {i}, {call})",
             t=randn(*out), **args)  # fmt: skip
# var_jvp / var_vjp / nanvar_jvp / nanvar_vjp (t, a, axis, ddof, keepdims): bilinear in (t, a),
# a float ddof too
for fn, red in (("var_jvp", True), ("var_vjp", False), ("nanvar_jvp", True), ("nanvar_vjp", False)):
    a = _with_nan.copy() if fn.startswith("nan") else randn(3, 4)
    for args, shape in (("None, 0, False", ()), ("1, 1, False", (3,)), ("0, 0, True", (1, 4)),
                        ("(0, 1), d, True", (1, 1))):  # fmt: skip
        t = randn(*((3, 4) if red else shape))
        extra = {"d": 0.5} if "d" in args else {}
        case(f"srcad.runtime.{fn}", f"_srcad.{fn}(t, a, {args})", t=t, a=a.copy(), **extra)
# prod_others and its layout helpers (exact with zeros)
_z = randn(3, 4)
_z[1, 2] = 0.0
_z2 = _z.copy()
_z2[1, 0] = 0.0
case("srcad.runtime.prod_others", "_srcad.prod_others(a)", a=randn(4))
case("srcad.runtime.prod_others", "_srcad.prod_others(a, 1)", a=_z.copy())
case("srcad.runtime.prod_others", "_srcad.prod_others(a, (0, 1))", a=_z2.copy())
case("srcad.runtime.prod_others", "_srcad.prod_others(a, 0)", a=randn(2, 3, 2))
case("srcad.runtime.prod_flat", "_srcad.prod_flat(a, (0, 2))", a=randn(2, 3, 2))
case("srcad.runtime.prod_flat", "_srcad.prod_flat(a)", a=randn(2, 3))
case("srcad.runtime.prod_unflat", "_srcad.prod_unflat(t, a, (0, 2))", ("t",), t=randn(3, 4),
     a=randn(2, 3, 2))  # fmt: skip
case("srcad.runtime.prod_unflat", "_srcad.prod_unflat(t, a, 1)", ("t",), t=randn(2, 3),
     a=randn(2, 3))  # fmt: skip
# digamma -> polygamma(1, .) -> polygamma(2, .) ...; pow_dx_dy (the mixed second derivative of x**y)
case("srcad.runtime.digamma", "_srcad.digamma(x)", x=np.array([0.3, 1.0, 2.5, 12.0, -0.5, -2.7]))
case("srcad.runtime.digamma", "_srcad.digamma(x)", x=3.7)
case("srcad.runtime.polygamma", "_srcad.polygamma(1, x)", x=np.array([0.3, 1.0, 2.5, 12.0, -2.7]))
case("srcad.runtime.polygamma", "_srcad.polygamma(2, x)", x=0.8)
case("srcad.runtime.polygamma", "_srcad.polygamma(4, x)", x=np.array([0.6, 3.0, 25.0]))
case("srcad.runtime.pow_dx_dy", "_srcad.pow_dx_dy(x, y)", x=pos(3), y=randn(3))
case("srcad.runtime.pow_dx_dy", "_srcad.pow_dx_dy(x, y)", x=pos(2, 3), y=randn(3))
case("srcad.runtime.pow_dx_dy", "_srcad.pow_dx_dy(x, y)", x=pos(), y=randn())
# pow_d2 (d^2 x**y / dx^2): 0 where y == 0, also at x == 0 (x ** 0 is constant)
case("srcad.runtime.pow_d2", "_srcad.pow_d2(x, y)", x=pos(3), y=randn(3))
case("srcad.runtime.pow_d2", "_srcad.pow_d2(x, 3)", x=randn(2, 3))
case("srcad.runtime.pow_d2", "_srcad.pow_d2(x, y)", ("x",), x=randn(4), y=np.array([0, 1, 2, 3]))
# -- second-order rules of the linalg helpers ---------------------------------------------------
_A = randn(3, 3) + 3 * np.eye(3)
_A2 = spd(3, (2,))
case("srcad.runtime.det_cofactor", "_srcad.det_cofactor(a, d)", a=_A, d=float(np.linalg.det(_A)))
case("srcad.runtime.det_cofactor", "_srcad.det_cofactor(a, d)", a=_A2, d=np.linalg.det(_A2))
case("srcad.runtime.det_vjp", "_srcad.det_vjp(t, a, d)", t=randn(), a=_A,
     d=float(np.linalg.det(_A)))  # fmt: skip
case("srcad.runtime.det_vjp", "_srcad.det_vjp(t, a, d)", t=randn(2), a=_A2, d=np.linalg.det(_A2))
case("srcad.runtime.slogdet_jvp", "_srcad.slogdet_jvp(t, a, s)", ("t", "a"), t=randn(3, 3), a=_A,
     s=tuple(np.linalg.slogdet(_A)))  # fmt: skip
case("srcad.runtime.slogdet_jvp", "_srcad.slogdet_jvp(t, a, s)", ("t", "a"), t=randn(2, 3, 3),
     a=_A2, s=tuple(np.linalg.slogdet(_A2)))  # fmt: skip
case("srcad.runtime.inv_nan", "_srcad.inv_nan(a)", a=_A)
case("srcad.runtime.inv_nan", "_srcad.inv_nan(a)", a=_A2)
case("srcad.runtime.slogdet_vjp", "_srcad.slogdet_vjp((p, q), a)", ("q", "a"), p=0.0, q=randn(),
     a=_A)  # fmt: skip
case("srcad.runtime.slogdet_vjp", "_srcad.slogdet_vjp((p, q), a)", ("p", "q", "a"), p=randn(2),
     q=randn(2), a=_A2)  # fmt: skip
for sa, sb in [((3, 3), (3,)), ((3, 3), (3, 2)), ((2, 3, 3), (2, 3, 2)), ((2, 3, 3), (3,)),
               ((3, 3), (2, 3, 2))]:  # fmt: skip
    a_ = spd(3, sa[:-2])
    b_ = randn(*sb)
    x_ = np.linalg.solve(a_, b_)
    case("srcad.runtime.solve_jvp_a", "_srcad.solve_jvp_a(t, a, b, x)", ("t", "a", "x"),
         t=randn(*sa), a=a_, b=b_, x=x_)  # fmt: skip
    case("srcad.runtime.solve_vjp_b", "_srcad.solve_vjp_b(t, a, b)", ("t", "a"),
         t=randn(*x_.shape), a=a_, b=b_)  # fmt: skip
    case("srcad.runtime.solve_vjp_a", "_srcad.solve_vjp_a(t, a, b, x)", ("t", "a", "x"),
         t=randn(*x_.shape), a=a_, b=b_, x=x_)  # fmt: skip
for up in (False, True):
    for batch in ((), (2,)):
        L_ = np.linalg.cholesky(spd(3, batch), upper=up)
        case("srcad.runtime.cholesky_jvp", f"_srcad.cholesky_jvp(t, a, {up})",
             t=randn(*batch, 3, 3), a=L_)  # fmt: skip
        case("srcad.runtime.cholesky_vjp", f"_srcad.cholesky_vjp(t, a, {up})",
             t=randn(*batch, 3, 3), a=L_)  # fmt: skip
# norm_grad / norm_jvp / norm_vjp (x, ord, axis, n): the smooth p-norms, the locally constant
# gradients (p == 1 cases) and the matrix 2, -2, 'nuc' norms (rules/norm_svd)
for xs, ordx, axis in [((5,), "None", "None"), ((5,), "3", "None"), ((5,), "1.5", "None"),
                       ((5,), "1", "None"), ((5,), "-1.0", "None"), ((3, 4), "'fro'", "None"),
                       ((3, 4), "None", "1"), ((3, 4), "2.5", "0"), ((3, 4), "'fro'", "(0, 1)"),
                       ((2, 3, 4), "None", "(1, 2)"), ((3, 4), "2", "None"), ((4, 3), "-2", "None"),
                       ((3, 4), "'nuc'", "None"), ((2, 3, 4), "2", "(2, 0)"),
                       ((2, 4, 3), "'nuc'", "(1, 2)")]:  # fmt: skip
    r_ = randn(*xs)
    x_ = np.sign(r_) * (0.3 + np.abs(r_))  # away from 0: ord -1 / 1 norms bend sharply there
    for kd in (False, True):
        n_ = np.linalg.norm(x_, eval(ordx), eval(axis), kd)
        case("srcad.runtime.norm_grad", f"_srcad.norm_grad(x, {ordx}, {axis}, n, {kd})",
             x=x_, n=n_)  # fmt: skip
        case("srcad.runtime.norm_jvp", f"_srcad.norm_jvp(t, x, {ordx}, {axis}, {kd}, n)",
             t=randn(*xs), x=x_, n=n_)  # fmt: skip
        case("srcad.runtime.norm_vjp", f"_srcad.norm_vjp(t, x, {ordx}, {axis}, {kd}, n)",
             t=randn(*np.shape(n_)), x=x_, n=n_)  # fmt: skip
# cumprod_jvp / cumprod_vjp (t, a, axis): bilinear in t and prod_others of the triangle (zeros too)
for a_, axis in [(randn(4), "None"), (_z.copy(), "1"), (_z2.copy(), "0"), (randn(2, 3), "None")]:
    out = np.cumprod(a_, axis=eval(axis)).shape
    case("srcad.runtime.cumprod_jvp", f"_srcad.cumprod_jvp(t, a, {axis})", t=randn(*a_.shape),
         a=a_.copy())  # fmt: skip
    case("srcad.runtime.cumprod_vjp", f"_srcad.cumprod_vjp(t, a, {axis})", t=randn(*out),
         a=a_.copy())  # fmt: skip
# math.prod's helpers: Python floats (a zero among them) and broadcasting arrays
case("srcad.runtime.iter_prod_jvp", "_srcad.iter_prod_jvp([p, q, r], [x, y, z])", p=randn(),
     q=randn(), r=randn(), x=randn(), y=0.0, z=randn())  # fmt: skip
case("srcad.runtime.iter_prod_jvp", "_srcad.iter_prod_jvp((p, q), (x, y))", p=randn(3),
     q=randn(2, 3), x=randn(3), y=randn(2, 3))  # fmt: skip
case("srcad.runtime.iter_prod_vjp", "_srcad.iter_prod_vjp(t, [x, y, z])", t=randn(), x=randn(),
     y=randn(), z=randn())  # fmt: skip
case("srcad.runtime.iter_prod_vjp", "_srcad.iter_prod_vjp(t, (x, y))", t=randn(2, 3),
     x=randn(3), y=randn(2, 3))  # fmt: skip
case("srcad.runtime.iter_stack", "_srcad.iter_stack([x, y])", x=randn(), y=randn(3))
case("srcad.runtime.iter_unstack", "_srcad.iter_unstack(t, [x, y])", ("t",), t=randn(2, 3),
     x=randn(), y=randn(3))  # fmt: skip
# np.average's helpers (t, a, axis, w, m, keepdims): weights along the axis or of a's shape
_AVG = [((3, 4), 1, (4,), False), ((3, 4), 0, (3, 4), False), ((3, 4), 0, (3,), True),
        ((3, 4), None, (3, 4), False), ((2, 3, 4), (2, 0), (4, 2), False),
        ((2, 3, 4), (-1, 1), (4, 3), True)]  # fmt: skip
for shape, axis, ws, kd in _AVG:
    a_, w_ = randn(*shape), pos(*ws)
    m_ = np.average(a_, axis, w_, keepdims=kd)
    case("srcad.runtime.average_jvp_w", f"_srcad.average_jvp_w(t, a, {axis}, w, m, {kd})",
         t=randn(*ws), a=a_, w=w_, m=m_)  # fmt: skip
    case("srcad.runtime.average_vjp_w", f"_srcad.average_vjp_w(t, a, {axis}, w, m, {kd})",
         t=randn(*np.shape(m_)), a=a_, w=w_, m=m_)  # fmt: skip
    case("srcad.runtime.average_vjp_a", f"_srcad.average_vjp_a(t, a, {axis}, w, {kd})",
         ("t", "w"), t=randn(*np.shape(m_)), a=a_, w=w_)  # fmt: skip
    case("srcad.runtime.average_weights", f"_srcad.average_weights(w, a, {axis})", ("w",), a=a_,
         w=w_)  # fmt: skip
    case("srcad.runtime.average_weights_t", f"_srcad.average_weights_t(t, w, a, {axis})", ("t",),
         t=randn(*shape), a=a_, w=w_)  # fmt: skip
case("srcad.runtime.average_vjp_a", "_srcad.average_vjp_a(t, a, 1, None)", ("t",), t=randn(3),
     a=randn(3, 4))  # fmt: skip
# ... with a float p that depends on the inputs (its derivative: grad * log(|x| / n))
for xs, p_, axis, kd in [
    ((5,), 2.5, "None", False),
    ((3, 4), 3.0, "1", True),
    ((4,), 1.0, "None", False),
]:
    x_ = randn(*xs)
    n_ = np.linalg.norm(x_, p_, eval(axis), kd)
    case("srcad.runtime.norm_grad", f"_srcad.norm_grad(x, p, {axis}, n, {kd})", x=x_, n=n_, p=p_)
    case("srcad.runtime.norm_jvp", f"_srcad.norm_jvp(t, x, p, {axis}, {kd}, n)", t=randn(*xs),
         x=x_, n=n_, p=p_)  # fmt: skip
    case("srcad.runtime.norm_vjp", f"_srcad.norm_vjp(t, x, p, {axis}, {kd}, n)",
         t=randn(*np.shape(n_)), x=x_, n=n_, p=p_)  # fmt: skip
# det_cofactor_d (the Hessian of det applied to t): also exact where det(a) == 0 (SVD)
_S1 = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]])  # rank 2
_S2 = np.outer([1.0, 2.0, 3.0], [0.5, -1.0, 2.0])  # rank 1
case("srcad.runtime.det_cofactor", "_srcad.det_cofactor(a, d)", ("a",), a=_S1.copy(), d=0.0)
case("srcad.runtime.det_cofactor", "_srcad.det_cofactor(a, d)", ("a",), a=_S2.copy(), d=0.0)
case("srcad.runtime.det_cofactor_d", "_srcad.det_cofactor_d(t, a, d)", t=randn(3, 3), a=_A,
     d=float(np.linalg.det(_A)))  # fmt: skip
case("srcad.runtime.det_cofactor_d", "_srcad.det_cofactor_d(t, a, d)", t=randn(2, 3, 3), a=_A2,
     d=np.linalg.det(_A2))  # fmt: skip
for _s in (_S1, _S2, np.zeros((3, 3)), np.zeros((2, 2))):
    case("srcad.runtime.det_cofactor_d", "_srcad.det_cofactor_d(t, a, d)", ("t",),
         t=randn(*_s.shape), a=_s.copy(), d=0.0)  # fmt: skip
# det_nz(d, a): d masked to 0 where a is numerically singular; det_d3_check(a, d): a where d != 0
case("srcad.runtime.det_nz", "_srcad.det_nz(d, a)", ("d",), d=randn(2),
     a=np.stack([_A, _S1]))  # fmt: skip
case("srcad.runtime.det_nz", "_srcad.det_nz(d, a)", ("d",), d=randn(), a=_A)
case("srcad.runtime.det_d3_check", "_srcad.det_d3_check(a, d)", ("a",), a=randn(3, 3), d=1.5)
# norm_d2_check(v, n, d): v where no zero norm n meets a nonzero direction d (rules/norm_at0.py)
case("srcad.runtime.norm_d2_check", "_srcad.norm_d2_check(v, n, d)", ("v",), v=randn(3),
     n=np.array([1.5, 0.5, 2.0]), d=np.array([0.3, 0.0, -1.0]))  # fmt: skip
# root_d2_check(v, sq, a, reds): v; its derivative in `a` refuses where sq == 0 and a moves
# (rules/root_at0.py): 0 elsewhere (a sum over axis 1, an elementwise base, a zero sq whose
# base's entries are fixed by the case's own direction: not reached)
case("srcad.runtime.root_d2_check", "_srcad.root_d2_check(v, s, a, ((1, False),))", ("v", "a"),
     v=randn(2), s=np.array([1.5, 0.5]), a=randn(2, 3))  # fmt: skip
case("srcad.runtime.root_d2_check", "_srcad.root_d2_check(v, s, a, ())", ("v", "a"),
     v=randn(3), s=np.array([0.7, 0.2, 2.0]), a=randn(3))  # fmt: skip
# at_tie(c, tie): c where tie == 0, else 0; tie_refuse(c, tie, moving): c where no tie moves
# (ad/kinkties.py: kinks of different conventions tied at one point)
case("srcad.runtime.at_tie", "_srcad.at_tie(c, t)", ("c",), c=randn(3),
     t=np.array([0.0, 0.5, 0.0]))  # fmt: skip
case("srcad.runtime.at_tie", "_srcad.at_tie(c, t)", ("c",), c=randn(), t=np.array([0.0, 1.0]))
case("srcad.runtime.tie_refuse", "_srcad.tie_refuse(c, t, m)", ("c",), c=randn(3),
     t=np.array([0.3, 0.5, 1.0]), m=np.array([0.0, 1.0, 0.0]))  # fmt: skip
# std_d2_check(v, a, axis, keepdims, sd): v; refuses where np.std takes its subgradient only
case("srcad.runtime.std_d2_check", "_srcad.std_d2_check(v, a, 1, False, np.std(a, axis=1))",
     ("v", "a"), v=randn(2), a=randn(2, 3))  # fmt: skip
_a23 = randn(2, 3)
case("srcad.runtime.std_vjp_scale", "_srcad.std_vjp_scale(t, a, 1, False, s)", ("t", "s"),
     t=randn(2), a=_a23, s=np.std(_a23, axis=1) + 0.3)  # fmt: skip
# session 48: the forward code's direction (dirn), the base-adjoint and std-adjoint checks (identity
# in their first operand away from a zero sum / constant data), the keep mask of nanstd/where
case("srcad.runtime.root_d2_check", "_srcad.root_d2_check(v, s, a, (), d)", ("v", "a"),
     v=randn(3), s=np.array([0.7, 0.2, 2.0]), a=randn(3), d=randn(3))  # fmt: skip
case("srcad.runtime.root_adj_check", "_srcad.root_adj_check(c, s, ((1, False),))", ("c",),
     c=randn(2, 3), s=np.array([1.5, 0.5]))  # fmt: skip
case("srcad.runtime.root_adj_back", "_srcad.root_adj_back(t, s, ())", ("t",),
     t=randn(3), s=np.array([0.7, 0.2, 2.0]))  # fmt: skip
case("srcad.runtime.std_d2_check",
     "_srcad.std_d2_check(v, a, 1, False, np.std(a, axis=1), d, np.ones((2, 3), bool))",
     ("v", "a"), v=randn(2), a=randn(2, 3), d=randn(2, 3))  # fmt: skip
case("srcad.runtime.std_adj_check", "_srcad.std_adj_check(c, a, 1, False, np.std(a, axis=1))",
     ("c", "a"), c=randn(2, 3), a=randn(2, 3))  # fmt: skip
case("srcad.runtime.std_adj_back", "_srcad.std_adj_back(t, a, 1, False, np.std(a, axis=1))",
     ("t",), t=randn(2, 3), a=randn(2, 3))  # fmt: skip
# norm_dord(x, p, axis, keepdims, f): the p-norm's derivative in p (a zero among the x)
_xz = randn(5)
_xz[2] = 0.0
for x_, p_, axis, kd in [(randn(5), 2.5, "None", False), (_xz, 3.0, "None", False),
                         (randn(3, 4), 1.5, "1", True), (randn(3, 4), 4.0, "0", False)]:  # fmt: skip
    f_ = np.linalg.norm(x_, p_, eval(axis), kd)
    case("srcad.runtime.norm_dord", f"_srcad.norm_dord(x, p, {axis}, {kd}, n)", x=x_, p=p_, n=f_)
_g = dict(a=randn(3), b=randn(2), c=randn(3), d={"a": randn(3), "b": randn(2)})
case("srcad.runtime.dict_get_jvp", "_srcad.dict_get_jvp({'a': a, 'b': b}, c, d, 'a', d['a'])",
     ("a", "b", "c"), **_g)  # fmt: skip
case("srcad.runtime.dict_get_jvp", "_srcad.dict_get_jvp({'a': a, 'b': b}, c, d, 'z', d['a'])",
     ("a", "b", "c"), **_g)  # fmt: skip
case("srcad.runtime.dict_get_vjp", "_srcad.dict_get_vjp(a, d, 'a')", ("a",), **_g)
case("srcad.runtime.dict_get_vjp", "_srcad.dict_get_vjp(a, d, 'z')", ("a",), **_g)
case("srcad.runtime.dict_get_default_vjp", "_srcad.dict_get_default_vjp(a, d, 'a', c)", ("a",),
     **_g)  # fmt: skip
case("srcad.runtime.dict_get_default_vjp", "_srcad.dict_get_default_vjp(a, d, 'z', c)", ("a",),
     **_g)  # fmt: skip
# records (srcad.trees): a namedtuple's field (its tangent given as a tuple, as some rules give
# it), a namedtuple of a cotangent in one field, and records built of tangents
_Rec = __import__("collections").namedtuple("_Rec", "w b")
_r = dict(a=randn(3), b=randn(), R=_Rec, x=_Rec(randn(3), randn()))
case("srcad.runtime.field", "_srcad.field((a, b), 'w', x)", ("a", "b"), **_r)
case("srcad.runtime.field", "_srcad.field((a, b), 'b', x)", ("a", "b"), **_r)
case("srcad.runtime.field_vjp", "_srcad.field_vjp(a, x, 'w')", ("a",), **_r)
case("srcad.runtime.record_of", "_srcad.record_of(R, (a, b))", ("a", "b"), **_r)
case("srcad.runtime.record_values", "_srcad.record_values((a, b), R, x)", ("a", "b"), **_r)
# p._replace(w=...) / dataclasses.replace (session 5): the record, its tangent, the new values'
# cotangent (every field active: the check reads all of a record's leaves)
case("srcad.runtime.record_replace", "_srcad.record_replace(x, 'namedtuple', ('b', 'w'), (b, a))", ("a", "b"),
     **_r)  # fmt: skip
case("srcad.runtime.record_replace_t", "_srcad.record_replace_t((a, b), x, ('b',), (c,))",
     ("a", "b", "c"), c=randn(), **_r)  # fmt: skip
case("srcad.runtime.record_replace_t", "_srcad.record_replace_t(None, x, ('w', 'b'), (a, b))",
     ("a", "b"), **_r)  # fmt: skip
case("srcad.runtime.record_pick", "_srcad.record_pick((a, b), x, ('b', 'w'))", ("a", "b"), **_r)
# x[i] = v into an array that may hold integers: v's derivative is kept only for float arrays
case("srcad.runtime.keep_if", "_srcad.keep_if(t, flag)", ("t",), t=randn(3), flag=True)
case("srcad.runtime.keep_if", "_srcad.keep_if(t, flag)", ("t",), t=randn(2, 2), flag=False)
# `a | b` of dicts (srcad/rules/dictops.py): a merge whose entries come from the operand giving them
_m1, _m2 = {"a": randn(3), "b": randn(2)}, {"b": randn(2), "c": randn()}
_mo = dict(d=_m1, e=_m2, r=_m1 | _m2, a=randn(3), b=randn(2), c=randn(2), s=randn())
case("srcad.runtime.dict_or", "_srcad.dict_or({'a': a, 'b': b}, {'b': c, 'c': s})",
     ("a", "b", "c", "s"), **_mo)  # fmt: skip
case("srcad.runtime.dict_or_jvp", "_srcad.dict_or_jvp({'a': a, 'b': b}, {'b': c, 'c': s}, d, e, r)",
     ("a", "b", "c", "s"), **_mo)  # fmt: skip
case("srcad.runtime.dict_or_jvp", "_srcad.dict_or_jvp(None, {'b': c, 'c': s}, d, e, r)",
     ("c", "s"), **_mo)  # fmt: skip
case("srcad.runtime.dict_or_vjp", "_srcad.dict_or_vjp({'a': a, 'b': b, 'c': s}, d, e, r, 0)",
     ("a", "b", "s"), **_mo)  # fmt: skip
case("srcad.runtime.dict_or_vjp", "_srcad.dict_or_vjp({'a': a, 'b': c, 'c': s}, d, e, r, 1)",
     ("a", "c", "s"), **_mo)  # fmt: skip
case("srcad.runtime.dict_or_vjp_t", "_srcad.dict_or_vjp_t({'a': a, 'b': b}, d, e, r, 0)",
     ("a", "b"), **_mo)  # fmt: skip
case("srcad.runtime.dict_or_vjp_t", "_srcad.dict_or_vjp_t({'b': c, 'c': s}, d, e, r, 1)",
     ("c", "s"), **_mo)  # fmt: skip
# chained slices (srcad/rules/slices.py): side by side, one by one when a cotangent is
# broadcast along the axis or the slices are not known to be chained (axis None), and the
# transpose
_cols = ((slice(None), slice(None, 2)), (slice(None), slice(2, None)))
case("srcad.runtime.slices_vjp", "_srcad.slices_vjp((p, q), x, 1, idxs)", ("p", "q"),
     p=randn(3, 2), q=randn(3, 3), x=randn(3, 5), idxs=_cols)  # fmt: skip
case("srcad.runtime.slices_vjp", "_srcad.slices_vjp((p, q), x, 1, idxs)", ("p", "q"),
     p=randn(3, 2), q=randn(3, 1), x=randn(3, 5), idxs=_cols)  # fmt: skip
case("srcad.runtime.slices_vjp", "_srcad.slices_vjp((p, q), x, None, idxs)", ("p", "q"),
     p=randn(2), q=randn(3), x=randn(4), idxs=(slice(None, 2), slice(1, None)))  # fmt: skip
case("srcad.runtime.slices_of", "_srcad.slices_of(t, idxs)", ("t",), t=randn(3, 5), idxs=_cols)
case("srcad.runtime.slices_of", "_srcad.slices_of(t, idxs, (p, q))", ("t",), t=randn(3, 5),
     idxs=_cols, p=randn(3, 2), q=randn(1, 3))  # fmt: skip
# `x[idx] = v` with repeated indices: the last write wins (hunt16: the transpose of
# setitem_vjp_v summed every copy, so a gradient's reverse sweep, differentiated again, was wrong)
case("srcad.runtime.setitem_vjp_v", "_srcad.setitem_vjp_v(t, idx, v)", ("t",), t=randn(5),
     idx=np.array([1, 1, 3, 1]), v=randn(4))  # fmt: skip
case("srcad.runtime.setitem_vjp_v", "_srcad.setitem_vjp_v(t, idx, v)", ("t",), t=randn(4, 2),
     idx=np.array([2, 0, 2]), v=randn(2))  # fmt: skip
# a value with leading length-1 axes NumPy's write drops (fuzz24 seed 24100088 crashed)
case("srcad.runtime.setitem_vjp_v", "_srcad.setitem_vjp_v(t, idx, v)", ("t",), t=randn(4),
     idx=slice(1, 3), v=randn(1, 1, 2))  # fmt: skip
case("srcad.runtime.setitem_vjp_v", "_srcad.setitem_vjp_v(t, idx, v)", ("t",), t=randn(4),
     idx=slice(1, 3), v=randn(1, 1))  # fmt: skip
case("srcad.runtime.last_writes", "_srcad.last_writes(c, x, idx)", ("c",), c=randn(4),
     x=randn(5), idx=np.array([1, 1, 3, 1]))  # fmt: skip
case("srcad.runtime.last_writes", "_srcad.last_writes(c, x, idx)", ("c",), c=randn(2),
     x=randn(5), idx=slice(1, 3))  # fmt: skip
# the gradient of `srcad.grad(f)` inside differentiated code, once f's output is checked to be a
# scalar (srcad.ad.compose; srcad.losses: an array output raises, as calling grad(f) does)
case("srcad.runtime.scalar_grad", "_srcad.scalar_grad(t, x, 'f')", ("t",), t=randn(3), x=randn())
case("srcad.runtime.scalar_grad", "_srcad.scalar_grad(t, x, 'f')", ("t",), t=randn(2, 2), x=1.5)
# slice assignments into lists that change the length (refuse27; rules/splices.py): the helpers
# are linear in the new list's cotangent, the old list and `v` give only lengths
_sp = dict(p=randn(), q=randn(), r=randn(), s=randn(), x=[1.0, 2.0, 3.0], v=[4.0, 5.0])
case("srcad.runtime.splice_vjp_x", "_srcad.splice_vjp_x([p, q, r, s], slice(1, 2), x, v)",
     ("p", "q", "r", "s"), **_sp)  # fmt: skip
case("srcad.runtime.splice_vjp_v", "_srcad.splice_vjp_v([p, q, r, s], slice(1, 2), x, v)",
     ("p", "q", "r", "s"), **_sp)  # fmt: skip
case("srcad.runtime.splice_vjp_v", "_srcad.splice_vjp_v([p, q, r], slice(None, None, 2), x, v)",
     ("p", "q", "r"), **_sp)  # fmt: skip
case("srcad.runtime.splice_none", "_srcad.splice_none([p, q, r], slice(0, 1), x, v)",
     ("p", "q", "r"), **_sp)  # fmt: skip
case("srcad.runtime.splice_embed", "_srcad.splice_embed([p, q], [r, s, p, q], slice(1, 2), x, v)",
     ("p", "q"), **_sp)  # fmt: skip
case("srcad.runtime.splice_vjp_v", "_srcad.splice_vjp_v([p, q, r], slice(1, 3), x, a)",
     ("p", "q", "r"), a=randn(2), **_sp)  # fmt: skip
