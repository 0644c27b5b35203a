"""Numbers parsed back from text that holds a differentiated value: refused at transform time.

Input: the function being differentiated and its varied Vars (`srcad.ad.activity`). Output:
nothing, or a `DiffError` at the first op that parses such text into a number.

``str(x)``, ``repr(x)``, f-strings, ``"%r" % x`` and ``"{}".format(x)`` carry no derivative (a
label, a message), so ``float(str(x))`` got a zero derivative where Python's value is x itself
(derivative 1), and ``float(f"{x:.3f}")`` the same zero, right only because of the format: what
the text keeps of x depends on the format, which srcad does not read. Text made from a varied
value is followed through every op that may pass it on (``.strip()``, slicing, ``+``,
``.split()``, lists and dicts holding it, the carries of loops and the results of ``if``); a
parse of it (``float``, ``complex``, ``np.float64``, ``.astype``, ``np.array(..., dtype=)``,
``eval``, ...) is refused. Printing, comparing or storing the text stays accepted, and so does
``int(text)`` (an integer: no derivative, as Python's value has none).
"""

from __future__ import annotations

from srcad.ad.common import diff_error
from srcad.ssa.census import ops_of, ops_with
from srcad.ssa.core import Const, Function, Op, Var

# ops that make text out of their operands
_TEXT = frozenset({"str", "repr", "ascii", "format", "method.format", "method.__format__",
                   "method.__str__", "method.__repr__", "numpy.array2string", "numpy.array_str",
                   "numpy.array_repr", "numpy.format_float_positional",
                   "numpy.format_float_scientific", "numpy.base_repr"})  # fmt: skip
# ops that read a number out of text
_PARSE = frozenset({"float", "complex", "eval", "numpy.float64", "numpy.float32", "numpy.float16",
                    "numpy.double", "numpy.single", "numpy.longdouble", "numpy.complex128",
                    "numpy.complex64", "numpy.fromstring", "numpy.loadtxt", "numpy.genfromtxt",
                    "method.astype", "ast.literal_eval", "json.loads", "decimal.Decimal",
                    "fractions.Fraction"})  # fmt: skip
# ops whose result holds no text of their operands (sizes, flags, positions, ints)
_OPAQUE = frozenset({"len", "not", "eq", "ne", "lt", "le", "gt", "ge", "is", "is_not", "in",
                     "not_in", "isinstance", "int", "bool", "hash", "method.count", "method.find",
                     "method.index", "method.startswith", "method.endswith", "method.isdigit",
                     "method.isalpha", "method.isnumeric", "method.isspace"})  # fmt: skip
_MAKERS = _TEXT | {"mod"}  # the primitives `_makes_text` may answer True for
_HINT = (
    "compute with the number itself; text made from a differentiated value carries no derivative"
)


def refuse_parsed_text(fn: Function, varied: set[Var]) -> None:
    """Raise at an op of `fn` that parses text made from a varied value into a number."""
    text: set[Var] = set()
    for op in ops_with(fn.body, _MAKERS):  # (picked in C: most functions make no text)
        if _makes_text(op, varied):
            text.update(op.results)
    if not text:
        return
    ops = ops_of(fn.body)
    changed = True
    while changed:  # loops carry text around: to the fixpoint (few passes)
        changed = False
        for op in ops:
            for r in _passes_on(op, text):
                if r not in text:
                    text.add(r)
                    changed = True
    for op in ops:
        if _parses(op, text):
            raise diff_error(
                fn, op, f"`{_name(op)}` reads a number out of text made from a value that "
                "depends on the differentiated inputs: srcad does not carry derivatives "
                "through text", _HINT,
            )  # fmt: skip


def _operands(op: Op) -> list:
    return [*op.args, *op.kwargs.values()]


def _makes_text(op: Op, varied: set[Var]) -> bool:
    p = op.prim
    if p == "mod":  # "%r" % x: formatting, when the left operand is text
        a = op.args[0] if op.args else None
        if not (isinstance(a, Const) and isinstance(a.value, (str, bytes))):
            return False
    elif p not in _TEXT:
        return False
    return any(isinstance(a, Var) and a in varied for a in _operands(op))


def _passes_on(op: Op, text: set[Var]) -> list[Var]:
    """The results of `op` that may hold text from an operand in `text`."""
    p = op.prim
    if p in ("if", "for", "while"):
        out = []
        inits = op.args[3:] if p == "for" else op.args if p == "while" else ()
        for k, r in enumerate(op.results):
            ys = [b.yields[k] for b in op.blocks if k < len(b.yields)]
            if any(y in text for y in ys if isinstance(y, Var)) or (
                k < len(inits) and isinstance(inits[k], Var) and inits[k] in text
            ):
                out.append(r)
                if p != "if":  # the carry's parameter in each block
                    for b in op.blocks:
                        off = 1 if (p == "for" and b is op.blocks[-1]) else 0
                        if off + k < len(b.params):
                            out.append(b.params[off + k])
        return out
    if p in _OPAQUE or p in _PARSE:
        return []
    if p == "getitem":  # the container's text, not the key's
        ins = op.args[:1]
    elif p in ("setitem", "srcad.runtime.setitem") and len(op.args) == 3:
        ins = [op.args[0], op.args[2]]
    else:
        ins = _operands(op)
    if any(isinstance(a, Var) and a in text for a in ins):
        return list(op.results)
    return []


def _parses(op: Op, text: set[Var]) -> bool:
    p = op.prim
    if p in ("numpy.array", "numpy.asarray", "numpy.asanyarray"):
        if "dtype" not in op.kwargs and len(op.args) < 2:
            return False  # an array of text: followed on (`.astype(float)` is a parse)
    elif p not in _PARSE:
        return False
    return any(isinstance(a, Var) and a in text for a in _operands(op))


def _name(op: Op) -> str:
    return op.prim.removeprefix("method.").removeprefix("numpy.")
