"""scipy.optimize's Rosenbrock test problem written as the NumPy formulas SciPy evaluates (more of
`srcad.lower.library.REWRITES`), so every order of derivative closes.

Input: the bound arguments of a call (`Operand`s) and the lowerer `lc` that emits ops. Output: the
result operand. With ``a = x[:-1]``, ``b = x[1:]`` (x as a float array):

- ``rosen(x) = sum(100 (b - a^2)^2 + (1 - a)^2, axis=0)``;
- ``rosen_der(x)``: its gradient, SciPy's three pieces (first, middle, last entries) joined;
- ``rosen_hess(x)``: the tridiagonal Hessian, ``diag(-400 a, 1) - diag(400 a, -1) + diag(d)``;
- ``rosen_hess_prod(x, p)``: that Hessian times ``p``, entry by entry as SciPy writes it.

The same operations in the same order as SciPy's, so the values agree to the last bit. Example::

    scipy.optimize.rosen(x)  ->  np.sum(100.0 * (x[1:] - x[:-1] ** 2.0) ** 2.0 + (1 - x[:-1]) ** 2.0, axis=0)
"""

from __future__ import annotations

from typing import Any

from srcad.ssa.core import Const, Operand


def _op(lc: Any, name: str, *args: Any) -> Operand:
    return lc.op(name, [a if isinstance(a, Operand) else Const(a) for a in args])


def _floats(lc: Any, x: Operand) -> Operand:
    return lc.op("numpy.asarray", [x], {"dtype": Const(float)})


def _at(lc: Any, x: Operand, start: int | None, stop: int | None) -> Operand:
    return lc.op("getitem", [x, Const(slice(start, stop))])


def _sq(lc: Any, x: Operand) -> Operand:
    return _op(lc, "pow", x, 2.0)


def _join(lc: Any, *parts: Operand) -> Operand:
    return lc.op("numpy.concatenate", [lc.op("tuple", list(parts))])


def rosen(lc: Any, x: Operand) -> Operand:
    """``scipy.optimize.rosen(x)``."""
    x = _floats(lc, x)
    a, b = _at(lc, x, None, -1), _at(lc, x, 1, None)
    t1 = _op(lc, "mul", 100.0, _sq(lc, _op(lc, "sub", b, _sq(lc, a))))
    t2 = _sq(lc, _op(lc, "sub", 1, a))
    return lc.op("numpy.sum", [_op(lc, "add", t1, t2)], {"axis": Const(0)})


def rosen_der(lc: Any, x: Operand) -> Operand:
    """``scipy.optimize.rosen_der(x)``: SciPy's entries, the first and last as length-1 slices."""
    x = _floats(lc, x)
    xm, xm_m1, xm_p1 = _at(lc, x, 1, -1), _at(lc, x, None, -2), _at(lc, x, 2, None)
    mid = _op(
        lc,
        "sub",
        _op(
            lc,
            "sub",
            _op(lc, "mul", 200, _op(lc, "sub", xm, _sq(lc, xm_m1))),
            _op(lc, "mul", _op(lc, "mul", 400, _op(lc, "sub", xm_p1, _sq(lc, xm))), xm),
        ),
        _op(lc, "mul", 2, _op(lc, "sub", 1, xm)),
    )
    x0, x1 = _at(lc, x, None, 1), _at(lc, x, 1, 2)
    inner = _op(lc, "mul", _op(lc, "mul", -400, x0), _op(lc, "sub", x1, _sq(lc, x0)))
    first = _op(lc, "sub", inner, _op(lc, "mul", 2, _op(lc, "sub", 1, x0)))
    xl, xl_m1 = _at(lc, x, -1, None), _at(lc, x, -2, -1)
    last = _op(lc, "mul", 200, _op(lc, "sub", xl, _sq(lc, xl_m1)))
    return _join(lc, first, mid, last)


def _diagonal(lc: Any, x: Operand) -> tuple[Operand, Operand, Operand]:
    x0, x1 = _at(lc, x, None, 1), _at(lc, x, 1, 2)
    first = _op(
        lc, "add", _op(lc, "sub", _op(lc, "mul", 1200, _sq(lc, x0)), _op(lc, "mul", 400, x1)), 2
    )
    xm, xp1 = _at(lc, x, 1, -1), _at(lc, x, 2, None)
    mid = _op(
        lc, "sub", _op(lc, "add", 202, _op(lc, "mul", 1200, _sq(lc, xm))), _op(lc, "mul", 400, xp1)
    )
    last = _op(lc, "mul", lc.op("numpy.ones_like", [x0]), 200.0)  # SciPy's constant 200
    return first, mid, last


def rosen_hess(lc: Any, x: Operand) -> Operand:
    """``scipy.optimize.rosen_hess(x)``: the off-diagonals and the diagonal, added."""
    x = _floats(lc, x)
    a = _at(lc, x, None, -1)
    up = lc.op("numpy.diag", [_op(lc, "mul", -400, a), Const(1)])
    down = lc.op("numpy.diag", [_op(lc, "mul", 400, a), Const(-1)])
    first, mid, last = _diagonal(lc, x)
    return _op(
        lc, "add", _op(lc, "sub", up, down), lc.op("numpy.diag", [_join(lc, first, mid, last)])
    )


def rosen_hess_prod(lc: Any, x: Operand, p: Operand) -> Operand:
    """``scipy.optimize.rosen_hess_prod(x, p)``."""
    x, p = _floats(lc, x), _floats(lc, p)
    x0, p0, p1 = _at(lc, x, None, 1), _at(lc, p, None, 1), _at(lc, p, 1, 2)
    d0, dm, _ = _diagonal(lc, x)
    first = _op(lc, "sub", _op(lc, "mul", d0, p0), _op(lc, "mul", _op(lc, "mul", 400, x0), p1))
    lower = _op(lc, "mul", _op(lc, "mul", -400, _at(lc, x, None, -2)), _at(lc, p, None, -2))
    upper = _op(lc, "mul", _op(lc, "mul", 400, _at(lc, x, 1, -1)), _at(lc, p, 2, None))
    mid = _op(lc, "sub", _op(lc, "add", lower, _op(lc, "mul", dm, _at(lc, p, 1, -1))), upper)
    xl2, pl2, pl = _at(lc, x, -2, -1), _at(lc, p, -2, -1), _at(lc, p, -1, None)
    last = _op(lc, "add", _op(lc, "mul", _op(lc, "mul", -400, xl2), pl2), _op(lc, "mul", 200, pl))
    return _join(lc, first, mid, last)


REWRITES = {
    "scipy.optimize.rosen": (lambda x: None, rosen),
    "scipy.optimize.rosen_der": (lambda x: None, rosen_der),
    "scipy.optimize.rosen_hess": (lambda x: None, rosen_hess),
    "scipy.optimize.rosen_hess_prod": (lambda x, p: None, rosen_hess_prod),
}
