"""What passes may assume about each primitive: the facts of the `Primitive` records.

Input: a `Registry`. Output: the facts below declared in it (`declare`), and `default_facts(name)`,
the facts of a primitive nothing declares by name (a NumPy function is pure, a `method.*` call
of an unknown method is not, ...). `srcad.rules.default_registry()` builds the records.

Each fact is declared here once, and every pass asks the record (see `Primitive` in
`srcad.ad.rules` for what each fact means):

- DCE drops unused `pure` ops; CSE merges `mergeable` ones, never two `mutable` objects and never
  an operand of an op that `updates` it;
- the in-place pass lets a loop own a `mutable` object and update it without copies;
- the mutation check (passes/alias_*.py) follows `owns`, `copies`, `immutable` and views;
- the reverse sweep sums cotangents with ``+`` only for results that are not a `container`;
- `np.where` masking (ad/masks.py) applies to chains of `elementwise` ops.

Example::

    >>> from srcad.rules import default_registry
    >>> default_registry().get("numpy.zeros").mutable
    True
    >>> default_registry().get("numpy.random.normal").pure
    False
"""

from __future__ import annotations

from typing import Any

from srcad.ad.rules import Registry
from srcad.rules import elementwise, math
from srcad.ssa.prims import BINOPS, CMPOPS, STRUCTURAL, UNARYOPS

RT = "srcad.runtime."
_OPERATORS = (*BINOPS.values(), *UNARYOPS.values())

# -- effects and purity ------------------------------------------------------------------------
# Python-level primitives with no effect besides their result (library functions by pattern below).
PURE = (
    *_OPERATORS, *CMPOPS.values(), "getitem", "setitem", "list_append", "tuple", "list", "dict",
    "slice", "global", "free", "len", "abs", "min", "max", "sum", "float", "int", "bool", "complex",
    "round", "divmod", "range", "enumerate", "zip", "reversed", "isinstance", "hasattr", "builtins.list",
    "builtins.tuple", "builtins.dict", "builtins.slice", RT + "as_sequence", "any", "all",
    # exceptions built to be raised (``raise ValueError(f"bad {v}") from err``: a run-time message)
    "Exception", "ValueError", "TypeError", "RuntimeError", "IndexError", "KeyError",
    "ArithmeticError", "ZeroDivisionError", "FloatingPointError", "OverflowError", "LookupError",
    "AssertionError", "NotImplementedError", "AttributeError",
)  # fmt: skip
# Methods (`method.<name>`) that only compute a value, whatever the receiver.
PURE_METHODS = (
    "sum", "mean", "prod", "max", "min", "var", "std", "cumsum", "cumprod", "dot", "reshape",
    "transpose", "ravel", "flatten", "squeeze", "swapaxes", "clip", "copy", "astype", "conj",
    "round", "argmax", "argmin", "any", "all", "tolist", "item", "format", "keys", "values",
    "items", "get", "index", "count",
)  # fmt: skip
EFFECTS = (
    RT + "raise_",
    RT + "assert_",
    RT + "require",
    RT + "no_float",
    RT + "bound",
    RT + "global_method",
    RT + "global_item",
    RT + "attr_effect",
    RT + "args_unshared",
    RT + "copies_kept",
    RT + "write_back",
    RT + "items_unshared",
    RT + "items_kept",
    RT + "kwargs_check",
    RT + "pair_source",
    RT + "finite_sequence",
    RT + "item_loop_check",
    RT + "unpack_check",
    RT + "copy_write",
    RT + "global_update",
    RT + "one_array",  # (rules/checks.py: the Jacobians inside, lower/api_calls.py)
    # random draws (rules/random_draws.py): they read and advance a generator's state
    RT + "draw_std",
    RT + "draw_ls",
    RT + "draw_lh",
    RT + "draw_exp",
    RT + "draw_sized",
    RT + "perm_index",  # (rules/permutations.py)
    RT + "choice_index",
    # `getattr(o, name)` of a name known only at run time (a constant name is an attribute read,
    # lower/attrconsts.py): may run a property; no derivative rule (refused when differentiated)
    "getattr",
)

# -- exceptions (passes/raising.py keeps an unused one the program wrote) -----------------------
# Ops that may raise for operands of the types they take: Python numbers' division and power
# (``1 / 0``, ``1e200 ** 2``), indexing (``[1.0][5]``, ``{}["b"]``), conversions (``int("a")``),
# ``min()`` of an empty sequence, ``round(nan)``, singular matrices, an extended slice's write of
# another length (``t[::2] = [1.0]``); the ``math`` functions by
# default (`default_facts`: ``math.log(-1.0)``, ``math.exp(1e3)``). NumPy's ufuncs answer nan or
# inf with a warning instead: removable.
RAISES = (
    "truediv", "floordiv", "mod", "pow", "divmod", "lshift", "rshift", "getitem", "int", "float",
    "complex", "round", "min", "max", "method.index", "method.item", "numpy.linalg.inv",
    "numpy.linalg.solve", "numpy.linalg.cholesky", "numpy.linalg.tensorinv",
    "numpy.linalg.tensorsolve", "numpy.linalg.matrix_power", "numpy.reshape", "method.reshape",
    "setitem",
)  # fmt: skip
# `math` functions that answer every float (and int) without raising
_MATH_TOTAL = frozenset(f"math.{n}" for n in ("fabs", "copysign", "atan", "atan2", "erf", "erfc",
                        "tanh", "isnan", "isinf", "isfinite", "isclose", "degrees", "radians",
                        "hypot"))  # fmt: skip

# -- new objects -------------------------------------------------------------------------------
# New objects that code may update in place afterwards (a loop may own one).
MUTABLE = (
    "list", "dict", "builtins.list", "builtins.dict", "numpy.zeros", "numpy.ones", "numpy.empty",
    "numpy.full", "numpy.zeros_like", "numpy.ones_like", "numpy.empty_like", "numpy.full_like",
    "numpy.array", "numpy.copy", "numpy.eye", "method.copy", RT + "zeros_like",
    RT + "owned_copy", RT + "deep_copy", RT + "entry_copy",
    RT + "own_items",
)  # fmt: skip
# Ops that update their first operand in place (reverse-mode accumulators).
UPDATES = (
    RT + "add_at", RT + "add_into", RT + "setitem_vjp_x_inplace", RT + "drop_last_inplace",
    RT + "add_matmul_into", RT + "add_matmul_vjp_into",
)  # fmt: skip
# Helpers that read only the type, shape and dtype of one operand (by position): a loop's tape
# keeps a stand-in of it (`shape_like`; ad/vjp_loops.py).
SHAPE_READS = {RT + "unbroadcast": 1, RT + "getitem_vjp": 1, RT + "add_at": 3, RT + "slices_vjp": 1}
# Other ops whose result is a new object (never an operand or a view of one).
NEW = (*_OPERATORS, *CMPOPS.values(), "numpy.arange", "numpy.linspace")
# Never merged by CSE although pure: updates of objects (the in-place pass may turn them into
# real updates), names (emitted where they are read) and comments.
NO_MERGE = ("list_append", "setitem", RT + "setitem", "global", "free", "comment")

# -- aliasing (the mutation check) -------------------------------------------------------------
# Results sharing no memory with the operands, elements included (`a + b` of lists shares them).
OWNS = (
    "sub", "truediv", "floordiv", "mod", "pow", "matmul", "neg", "pos", "invert", "abs", "float",
    "int", "round", "global", "free", "comment",
)  # fmt: skip
OWNS_METHODS = (
    "sum", "mean", "prod", "max", "min", "std", "var", "dot", "astype", "cumsum", "cumprod",
    "tolist", "item", "round", "clip", "any", "all", "argmax", "argmin", "flatten", "format",
    "count", "index", "trace", "nonzero", "argsort",
)  # fmt: skip
# NumPy functions (by last name component) whose result may be a view of an operand.
VIEWS = (
    "reshape", "ravel", "transpose", "squeeze", "expand_dims", "swapaxes", "moveaxis",
    "broadcast_to", "asarray", "asanyarray", "atleast_1d", "atleast_2d", "atleast_3d", "diagonal",
    "real", "imag", "split", "array_split", "hsplit", "vsplit", "dsplit", "rollaxis",
    "matrix_transpose", "permute_dims", "broadcast_arrays", "flip", "fliplr", "flipud", "rot90",
    "unstack", "ascontiguousarray", "asfortranarray", "require", "asarray_chkfinite", "asmatrix",
    "real_if_close", "nan_to_num", "diag", "einsum", "as_strided", "sliding_window_view",
    "trim_zeros",
)  # fmt: skip
# Results that are numbers, flags, strings, ranges or slices.
IMMUTABLE = (
    *CMPOPS.values(), "not", "bitand", "bitxor", "lshift", "rshift", "len", "bool",
    "range", "slice", "builtins.slice", "isinstance", "hasattr", "attr.shape", "attr.ndim", "attr.size",
    "attr.dtype",
    RT + "raise_", RT + "assert_", RT + "require", "any", "all", RT + "global_method", RT + "global_item",
    RT + "attr_effect",
    RT + "no_float", RT + "args_unshared", RT + "copies_kept", RT + "write_back",
    RT + "item_loop_check", RT + "items_in_place",
    RT + "as_number", RT + "unpack_check", RT + "copy_write", RT + "global_update",
    RT + "match_sequence", RT + "match_mapping", RT + "one_array", RT + "bound",
    RT + "islice_bounds", RT + "items_unshared", RT + "items_kept",
    RT + "kwargs_check", RT + "pair_source", RT + "finite_sequence",
)  # fmt: skip
# New containers holding the elements of their argument (an array's rows are views of it).
COPIES = (
    "builtins.list", "builtins.tuple", RT + "as_list", RT + "as_tuple", "sorted", "builtins.dict",
)  # fmt: skip
# Live views of a dict (`d.keys()`, `d.values()`, `d.items()`): lowered as lists of the entries
# when made, so reading one after the dict changes is refused like reading any view of it
# (Python's view would show the change: `vs = d.values(); d["b"] = y; sum(vs)`).
DICT_VIEWS = (RT + "dict_values", RT + "dict_items", "method.keys", "method.values", "method.items")

# -- results -----------------------------------------------------------------------------------
# NumPy functions that return a tuple or list (for some arguments).
CONTAINER = (
    "numpy.split", "numpy.array_split", "numpy.hsplit", "numpy.vsplit", "numpy.dsplit",
    "numpy.linalg.slogdet", "numpy.linalg.eigh", "numpy.linalg.qr", "numpy.linalg.svd",
    "numpy.linalg.eig", "numpy.linalg.lstsq", "numpy.meshgrid", "numpy.gradient", "numpy.unique",
    "numpy.nonzero", "numpy.where", "numpy.histogram", "numpy.histogram2d", "numpy.frexp",
    "numpy.modf", "numpy.divmod", "numpy.broadcast_arrays", "numpy.atleast_1d",
    "numpy.atleast_2d", "numpy.atleast_3d", "numpy.ix_", "numpy.unravel_index", "numpy.indices",
    "numpy.tril_indices", "numpy.triu_indices", "numpy.diag_indices", "numpy.shape",
    "numpy.polyfit", "numpy.polydiv",
)  # fmt: skip


# -- np.where masking (ad/masks.py) -------------------------------------------------------------
# Ops whose contributions add or negate the cotangent: zeros stay zeros, no mask needed.
PASSTHROUGH = (
    "add", "sub", "neg", "pos", "numpy.add", "numpy.subtract", "numpy.negative", "numpy.positive",
    "numpy.where", "numpy.maximum", "numpy.minimum", "numpy.fmax", "numpy.fmin",
)  # fmt: skip
# runtime helpers of derivative rules (`pow`'s, `truediv`'s, `abs`'s): elementwise, and their result
# a number or an array, never a sequence (ad/seqs.py)
RT_FACTORS = tuple(RT + n for n in ("fdiv", "div0", "pow_dx", "pow_dy", "pow_dx_dy", "pow_d2", "sign",
                                    "real_sign", "logaddexp_weight", "sinc_d"))  # fmt: skip
# Ops whose contribution to an operand, before it is summed to the operand's shape, is the
# result's cotangent times a local factor, position by position (with the unary ufuncs and
# `math` functions of the elementwise and math families).
ELEMENTWISE = (
    *PASSTHROUGH, "mul", "truediv", "pow", "abs", "math.pow", "math.hypot", "math.atan2",
    "numpy.multiply", "numpy.divide", "numpy.power", "numpy.float_power", "numpy.hypot",
    "numpy.arctan2", "numpy.logaddexp", "numpy.logaddexp2", "numpy.copysign", "numpy.absolute",
    # the derivative factors of the rules above (a gradient's reverse sweep, differentiated again)
    *RT_FACTORS,
    RT + "nan_unless",  # (nanvar's where=: np.where(m, a, nan), its derivative the product by m)
)  # fmt: skip


# -- complex values (passes/complex_taint.py; docs/architecture.md "Complex values in between") --
# Rules that hold for complex operands too (JAX's convention), each checked by a row of
# tests/soundness/test_complex6.py's table; the zero-derivative rules are added below (locally
# constant for complex values too, except np.sign's).
_HOLOMORPHIC = (
    "sqrt", "square", "reciprocal", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sin",
    "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "arcsinh", "arctanh", "add",
    "subtract", "multiply", "divide", "true_divide", "negative", "positive", "power",
)  # fmt: skip
COMPLEX_SAFE = (
    "add", "sub", "mul", "truediv", "neg", "pos", "pow", "matmul", "tuple", "list", "dict",
    "getitem", "setitem", "list_append", "slice", RT + "as_sequence", RT + "plain_items",
    *(f"numpy.{n}" for n in _HOLOMORPHIC),
    "numpy.real", "numpy.imag", "numpy.conj", "numpy.conjugate", "numpy.absolute", "numpy.angle",
    "attr.real", "complex", "builtins.list", "builtins.tuple", RT + "concat", RT + "copy_source",
    "attr.imag", "attr.T", "attr.mT", "method.conj", "method.conjugate", "numpy.sum", "numpy.mean",
    "numpy.var", "numpy.std", "numpy.prod", "numpy.cumsum", "numpy.cumprod", "numpy.diff",
    "method.sum", "method.mean", "method.var", "method.std", "method.prod", "method.cumsum",
    "method.cumprod", "numpy.matmul", "numpy.dot", "numpy.vdot", "numpy.inner", "numpy.outer",
    "numpy.tensordot", "numpy.einsum", "numpy.kron", "numpy.cross", "numpy.convolve",
    "method.dot", "numpy.tile", "numpy.pad", "numpy.reshape", "numpy.transpose", "numpy.linalg.cross",
    "numpy.concatenate", "numpy.stack", "numpy.hstack", "numpy.vstack", "numpy.ravel",
    "numpy.squeeze", "numpy.expand_dims", "numpy.flip", "numpy.roll", "numpy.repeat",
    "method.reshape", "method.transpose", "method.ravel", "method.flatten", "method.squeeze",
    "method.copy", "method.astype", "numpy.copy", "numpy.array", "numpy.asarray", "numpy.where",
    "numpy.append", "numpy.linalg.solve", "numpy.linalg.inv", "numpy.linalg.det",
    "numpy.interp", "numpy.polyval", "numpy.trapezoid", "numpy.maximum", "numpy.minimum",
    "numpy.clip", "numpy.sort", "numpy.trace", "method.trace", "sum", "numpy.linalg.norm",
    *(f"cmath.{n}" for n in ("exp", "sin", "cos", "sinh", "cosh", "sqrt", "log", "log10")),
    "numpy.moveaxis", "numpy.swapaxes", "method.swapaxes", "numpy.diag", "numpy.diagonal",
    "method.diagonal", "numpy.triu", "numpy.tril", "numpy.broadcast_to", "numpy.atleast_1d",
    "numpy.atleast_2d", "attr.eigenvalues", "attr.eigenvectors",
    *(f"numpy.fft.{n}" for n in ("fft", "ifft", "rfft", "irfft", "fft2", "ifft2", "rfft2", "irfft2",
                                 "fftn", "ifftn", "rfftn", "irfftn", "fftshift", "ifftshift")),
)  # fmt: skip
# The complex-aware helpers of rules/numpy_fft.py (their rule cases use complex arguments).
COMPLEX_HELPERS = tuple(
    RT + n for n in ("fft_apply", "fft_vjp", "fftn_apply", "fftn_vjp", "abs_jvp", "abs_vjp",
                     "abs_d2_vjp", "imag_vjp", "angle_inv", "angle_vjp", "real_like",
                     "inplace_cast", "as_dtype_of", "with_part", "part_keep", "part_vjp",
                     "eigh_c", "eigvalsh_c")
)  # fmt: skip
# The writers into an array (rules/numpy_inplace.py): linear in the array and the value written,
# whose complex part a real array drops (NumPy's cast; passes/complex_taint.py: the array's
# dtype decides the result's).
COMPLEX_WRITERS = tuple(RT + n for n in ("put_write", "out_write", "out_tangent", "put_write_vjp"))
COMPLEX_RESULT = (
    "complex", "numpy.complex128", "numpy.complex64", "numpy.roots", "numpy.linalg.eig",
    "numpy.linalg.eigvals", "numpy.fft.ihfft", "scipy.special.wofz", "scipy.special.lambertw",
    *(f"numpy.fft.{n}" for n in ("fft", "ifft", "rfft", "fft2", "ifft2", "rfft2", "fftn", "ifftn",
                                 "rfftn")),
)  # fmt: skip
VARIED_REAL = ("numpy.linalg.eig", "numpy.linalg.eigvals",
               *(f"numpy.lib.scimath.{n}" for n in ("sqrt", "log", "log2", "log10", "arcsin",
                                                    "arccos", "arctanh")))  # fmt: skip
REAL_RESULT = (
    *CMPOPS.values(), "numpy.real", "numpy.imag", "attr.real", "attr.imag", "numpy.absolute",
    "numpy.linalg.eigvalsh", RT + "eigvalsh_c",  # (real eigenvalues of a complex Hermitian a)
    "numpy.angle", "abs", "len", "attr.shape", "attr.ndim", "attr.size", "attr.dtype", "float",
    "int", "bool", "isinstance", "numpy.iscomplexobj", "numpy.isrealobj", "numpy.isreal",
    "numpy.iscomplex", "numpy.isnan", "numpy.isfinite", "numpy.isinf", "numpy.linalg.norm",
    "numpy.shape", "numpy.ndim", "numpy.size", "numpy.argmax", "numpy.argmin", "numpy.argsort",
    "method.argmax", "method.argmin", "method.argsort", "numpy.fft.irfft", "numpy.fft.irfft2",
    "numpy.fft.irfftn", "numpy.fft.hfft", "numpy.fft.fftfreq", "numpy.fft.rfftfreq",
    "cmath.phase", "cmath.polar", "cmath.isclose", "cmath.isfinite", "cmath.isinf",
    "cmath.isnan", *(f"scipy.fft.{n}" for n in ("irfft", "irfft2", "irfftn", "hfft", "hfft2",
    "hfftn", "dct", "idct", "dst", "idst", "dctn", "idctn", "dstn", "idstn", "fftfreq",
    "rfftfreq", "next_fast_len")),
)  # fmt: skip
# Modules whose functions return complex numbers (``np.emath.sqrt(-1.0)`` is ``1j``).
_COMPLEX_MODULES = ("cmath.", "numpy.lib.scimath.", "numpy.emath.", "scipy.fft.",
                    "scipy.signal.hilbert")  # fmt: skip
_REAL_RESULT, _COMPLEX_RESULT = frozenset(REAL_RESULT), frozenset(COMPLEX_RESULT)
# zero-derivative rules that do not hold for complex values (sign(z) = z / |z| varies)
_NOT_CONSTANT = ("numpy.sign", RT + "real_sign", RT + "sign")


def complex_facts(name: str) -> dict[str, bool]:
    """The complex-value facts of `name` (declared on records, defaults for the others)."""
    if name in _REAL_RESULT:
        return {"real_result": True}
    if name in _COMPLEX_RESULT or name.startswith(_COMPLEX_MODULES):
        return {"complex_result": True, "varied_real": name in VARIED_REAL}
    return {}


# `math` functions whose result is what the operands' own methods return (``math.prod`` of
# arrays multiplies them: an array; ``math.floor(x)`` is ``x.__floor__()``)
_MATH_OF_ANY = frozenset(f"math.{n}" for n in ("prod", "sumprod", "floor", "ceil", "trunc"))


def default_facts(name: str) -> dict[str, bool]:
    """Facts of a primitive by the family its name belongs to (library functions, methods,
    attributes, runtime helpers); a name no pattern covers has none (effects assumed)."""
    if name.startswith("attr."):
        return {"pure": True}
    if name.startswith("method."):
        m = name[len("method.") :]
        return {"pure": m in PURE_METHODS, "owns": m in OWNS_METHODS}
    if name.startswith(("numpy.", "math.", "cmath.", "scipy.")):
        random = name.startswith("numpy.random")
        view = name.rsplit(".", 1)[-1] in VIEWS
        facts = {"pure": not random and not name.startswith("scipy."), "owns": not view}
        if name.startswith("math.") and name not in _MATH_OF_ANY:
            facts["immutable"] = True  # a Python float/int (or a tuple of them), never an array
        if name.startswith("math.") and name not in _MATH_TOTAL:
            facts["raises"] = True  # (a domain or range error)
        return {**facts, **complex_facts(name)}
    if name in (
        RT + "plain_list",
        RT + "as_number",
        RT + "plain_items",
        RT + "nditer_c_order",
        RT + "exact_counter",
    ):  # checks kept for their refusals
        return {"pure": False, "owns": False}
    if name in (RT + "returned_arg", RT + "rest_of"):  # writes the caller's object
        return {"pure": False, "owns": True}  # (lower/argreturn.py), takes an iterator's items
    if name.startswith(RT):
        return {"pure": True, "owns": name != RT + "as_sequence"}
    return {}


def declare(reg: Registry) -> None:
    """Declare every fact above in `reg` (which already holds the rules)."""
    reg.declare((*STRUCTURAL, *_OPERATORS, *CMPOPS.values()))  # a record each, facts below
    # a run-time set (lower/sets.py: only tested): a record with the default facts (effects
    # assumed, so never merged or moved) and no rules, so an active one is refused
    reg.declare(("builtins.set",))
    reg.declare(PURE, pure=True)
    reg.declare(EFFECTS, pure=False)
    reg.declare(RAISES, raises=True)
    reg.declare(MUTABLE, mutable=True, new=True)
    reg.declare(UPDATES, updates=True)
    reg.declare(NEW, new=True)
    reg.declare(NO_MERGE, merge=False)
    reg.declare(OWNS, owns=True)
    reg.declare(IMMUTABLE, immutable=True)
    reg.declare(COPIES, copies=True)
    reg.declare(DICT_VIEWS, owns=False)
    reg.declare(CONTAINER, container=True)
    reg.declare(ELEMENTWISE, elementwise=True)
    reg.declare((f"numpy.{n}" for n in elementwise.UNARY), elementwise=True)
    reg.declare((f"math.{n}" for n in math.UNARY), elementwise=True)
    reg.declare((f"cmath.{n}" for n in (*math.CMATH, "log")), elementwise=True)  # (of one number)
    zero = [n for n in reg.zero_rules() if n not in _NOT_CONSTANT]
    reg.declare((*COMPLEX_SAFE, *COMPLEX_HELPERS, *COMPLEX_WRITERS, *zero), complex_safe=True)
    for name in (*COMPLEX_RESULT, *REAL_RESULT):
        if reg.declared(name):  # (the others get them as defaults: `default_facts`)
            reg.declare((name,), **complex_facts(name))


def declare_optional(reg: Registry, family: Any) -> None:
    """Declare the facts of an optional family (`srcad.rules.OPTIONAL`: scipy.* names default to
    not pure) when it is registered."""
    reg.declare(family.PURE, pure=True)
    reg.declare(family.ELEMENTWISE, elementwise=True)
    reg.declare(getattr(family, "CONTAINER", ()), container=True)
    reg.declare(getattr(family, "COMPLEX_SAFE", ()), complex_safe=True)
