"""Products by one in generated code: ``1.0 * g`` is `g`, ``-1.0 * g`` is ``-g``, where no one can tell.

Input: a ``mul`` op met by `passes/shapes.py`'s walk, and that walk's facts (`Units`: the
shapes, the read counts, the float64 values of an entry point whose parameters are all float64
arrays). Output: what its readers may read instead (the other operand), the op itself rewritten
as ``neg``, or None (unchanged).

The seed of a reverse sweep is ``1.0``, so sweeps are full of ``_t4 = 1.0 * _t2``,
``bx = x * 1.0`` and ``_t16 = -1.0 * np.reciprocal(_t14)``. Only where the type cannot change:

- ``1.0 * g`` of a Python float `g` is `g` (the same number, the same type);
- ``1.0 * g`` of a float64 value `g` (`inplace_ops.float64_values`: an array, NumPy scalar or
  Python float) is `g` when every reader of the product makes a new value of it (arithmetic,
  a float ufunc, a reduction, ``@``; or ``unbroadcast(p, x)``, ``sum_vjp(p, x)`` or ``p[i]``,
  which may be (a view of) the product, with such readers): the product was a new array, and no name,
  container, output or in-place update can see that it is `g` itself now;
- ``-1.0 * g`` of either is ``-g`` (a new array, the same numbers: multiplying by -1 only
  flips the sign).

Not folded: ``1.0 * n`` of an int (a float), of a float32 array (the same in NumPy 2, but
its dtype is not known here), of a complex value (``(1+0j) * (a + inf j)`` has a nan real part), of
an array whose product is returned or stored (the gradient would be the argument itself);
``0.0 + g`` is not `g` when `g` is ``-0.0``.
"""

from __future__ import annotations

from srcad.passes.inplace_ops import float64_values, fresh_value
from srcad.passes.shape_infer import Shapes
from srcad.ssa.core import Const, Function, Op, Operand, Var, walk_ops

RT = "srcad.runtime."
_POW_DX = RT + "pow_dx"
# the result may be (a view of) the first operand
_PASS_ON = frozenset({"getitem", *(RT + f for f in ("unbroadcast", "sum_vjp", "mean_vjp"))})


class Units:
    """The facts `unit_product` reads, the costly ones made on the first question."""

    def __init__(self, fn: Function, sh: Shapes, ndims: dict[int, int], counts: dict) -> None:
        self.fn, self.sh, self.counts = fn, sh, counts
        # (as `inplace_ops`: every parameter a float64 array, or no dtype facts)
        self.typed = bool(ndims) and len(ndims) == len(fn.params) and min(ndims.values()) >= 1
        self._f64: dict[Var, bool] | None = None
        self._readers: dict[Var, list[Op]] | None = None
        # the values folded products were (a primal's ``np.sin(p)``: no adjoint's name for it)
        self.shared: set[Var] = set()

    def float64(self, v: Var) -> bool:
        if not self.typed:
            return False
        if self._f64 is None:
            self._f64 = float64_values(self.fn)
        return self._f64.get(v) is True

    def kept_by_none(self, r: Var) -> bool:
        """Every read of `r` is by an op whose result is a new value (never `r` itself)."""
        if self._readers is None:
            self._readers = readers = {}
            for op in walk_ops(self.fn.body):
                for a in op.operands():
                    if type(a) is Var:
                        got = readers.get(a)
                        if got is None:
                            readers[a] = [op]
                        elif got[-1] is not op:
                            got.append(op)
        return self._kept(r, 4)

    def _kept(self, r: Var, depth: int) -> bool:
        n = 0
        for op in self._readers.get(r, ()):  # type: ignore[union-attr]
            hits = sum(a is r for a in op.operands())
            if not (fresh_value(op) or op.prim == _POW_DX or op.prim == "matmul"):
                # ``unbroadcast(r, x)`` may be `r`, ``r[i]`` a view of it: their readers too
                if op.prim not in _PASS_ON or hits != 1 or op.args[0] is not r or depth == 0:
                    return False
                if len(op.results) != 1 or not self._kept(op.results[0], depth - 1):
                    return False
            n += hits
        return n > 0 and n == self.counts.get(r, -1)


def unit_product(op: Op, u: Units) -> Operand | Op | None:
    """`op` (a ``mul``) by one: the other operand (its readers read that), `op` rewritten as
    ``neg`` (by minus one), or None (module docstring)."""
    a, b = op.args
    k, g = (a, b) if type(a) is Const else (b, a)
    if type(k) is not Const or type(k.value) is not float or type(g) is not Var:
        return None
    one = k.value
    if one != 1.0 and one != -1.0:
        return None
    info = u.sh.info.get(g) or u.sh.of(g)
    flt = info.flt
    if not flt and not u.float64(g):
        return None
    if one == -1.0:
        op.prim, op.args = "neg", [g]
        return op
    if flt or (u.counts and u.kept_by_none(op.results[0])):
        return g
    return None


def fold_unit(op: Op, u: Units | None, subst: dict[Var, Operand]) -> int:
    """`unit_product` of `op` when it is a ``mul`` of two operands: 2 when `op` goes (its readers
    read what `subst` now maps its result to, noted in `Units.shared`), 1 when it is a ``neg``
    now, 0 when it is unchanged."""
    if u is None or op.prim != "mul" or len(op.args) != 2 or op.kwargs:
        return 0
    one = unit_product(op, u)
    if one is None:
        return 0
    if one is op:
        return 1
    subst[op.results[0]] = one  # type: ignore[assignment]
    if type(one) is Var:
        u.shared.add(one)
    return 2
