"""The examples in the docstrings of `srcad.api`'s public functions, kept here so that api.py stays
under the 500-line module limit.

Input: nothing. Output: `EXAMPLES`, {function name: the doctest lines of its "Example:" section};
`attach()` appends each as a Google-style ``Example:`` section to the function's ``__doc__`` (run
once, by ``import srcad``), so `help(srcad.grad)` and the API reference (mkdocstrings, which reads
the docstrings by inspection) show them. tests/docs/test_docs.py runs every example.
"""

from __future__ import annotations

import textwrap

from srcad import api

EXAMPLES: dict[str, str] = {
    "jvp": """\
    >>> import numpy as np, srcad
    >>> def f(x, n):
    ...     return np.sum(x**n)
    >>> srcad.jvp(f, (np.array([1.0, 2.0]), 3), (np.array([1.0, 0.0]), None))
    (np.float64(9.0), np.float64(3.0))
""",
    "jacfwd": """\
    >>> import numpy as np, srcad
    >>> srcad.jacfwd(lambda x: x**2)(np.array([1.0, 2.0]))
    array([[2., 0.],
           [0., 4.]])
""",
    "defvjp": """\
    >>> import numpy as np, srcad
    >>> cube = np.vectorize(lambda x: x**3)  # an object srcad cannot read
    >>> _ = srcad.defvjp(cube, lambda x: (cube(x), x), lambda x, g: (3.0 * x**2 * g,))
    >>> srcad.grad(lambda x: np.sum(cube(x)))(np.array([1.0, 2.0]))
    array([ 3., 12.])
""",
    "defjvp": """\
    >>> import numpy as np, srcad
    >>> square = np.vectorize(lambda x: x * x)  # an object srcad cannot read
    >>> def square_rule(primals, tangents):
    ...     (x,), (dx,) = primals, tangents
    ...     return square(x), 2.0 * x * dx
    >>> _ = srcad.defjvp(square, square_rule)
    >>> srcad.jvp(lambda x: square(x) + x, (np.array([3.0]),), (np.array([1.0]),))
    (array([12.]), array([7.]))
""",
    "ir": """\
    >>> import numpy as np, srcad
    >>> def f(x):
    ...     return np.sin(x) * 2.0
    >>> print(srcad.ir(f))  # doctest: +NORMALIZE_WHITESPACE
    def f(x):
        %0 = numpy.sin(x)    # line 2
        %1 = mul(%0, 2.0)    # line 2
        return %1
""",
    "primal": """\
    >>> import srcad
    >>> def f(x):
    ...     return 3.0 * x + 1.0 if x > 0 else -x
    >>> srcad.primal(f)(2.0), srcad.primal(f)(-2.0)
    (7.0, 2.0)
""",
    "grad": """\
    >>> import numpy as np, srcad
    >>> def loss(w, b):
    ...     return np.sum((2.0 * w + b) ** 2)
    >>> srcad.grad(loss)(np.array([1.0, -1.0]), 0.5)
    array([10., -6.])
    >>> srcad.grad(loss, wrt=(0, "b"))(np.array([1.0, -1.0]), 0.5)
    (array([10., -6.]), 2.0)
""",
    "value_and_grad": """\
    >>> import numpy as np, srcad
    >>> srcad.value_and_grad(lambda x: np.sum(x**2))(np.array([1.0, 2.0]))
    (np.float64(5.0), array([2., 4.]))
""",
    "vjp": """\
    >>> import numpy as np, srcad
    >>> out, pullback = srcad.vjp(lambda x, y: x * y, np.array([1.0, 2.0]), 3.0)
    >>> out
    array([3., 6.])
    >>> pullback(np.array([1.0, 1.0]))
    (array([3., 3.]), 3.0)
""",
    "jacrev": """\
    >>> import numpy as np, srcad
    >>> srcad.jacrev(lambda x: np.array([x[0] * x[1], np.sin(x[0])]))(np.array([0.0, 2.0]))
    array([[2., 0.],
           [1., 0.]])
""",
    "hessian": """\
    >>> import numpy as np, srcad
    >>> srcad.hessian(lambda x: x[0] ** 2 * x[1])(np.array([1.0, 3.0]))
    array([[6., 2.],
           [2., 0.]])
""",
    "hvp": """\
    >>> import numpy as np, srcad
    >>> srcad.hvp(lambda x: x[0] ** 2 * x[1], (np.array([1.0, 3.0]),), (np.array([1.0, 0.0]),))
    (array([6., 1.]), array([6., 2.]))
""",
    "source": """\
    >>> import numpy as np, srcad
    >>> def f(x):
    ...     return np.sin(x) * 2.0
    >>> print(srcad.source(f, mode="jvp"))
    def jvp_f(x, dx):
        _t1 = np.sin(x)
        _t2 = dx * np.cos(x)
        _t3 = _t1 * 2.0
        _t4 = _t2 * 2.0
        return _t3, _t4
    <BLANKLINE>
""",
}


def attach() -> None:
    """Append each example to its function's docstring, once (indented as the docstring is)."""
    for name, lines in EXAMPLES.items():
        fn = getattr(api, name)
        doc = (fn.__doc__ or "").rstrip()
        if "\n    Example:\n" in doc:
            continue
        fn.__doc__ = (
            doc + "\n\n    Example:\n" + textwrap.indent(textwrap.dedent(lines), " " * 8) + "    "
        )
