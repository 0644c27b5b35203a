"""srcad's transforms called inside a function srcad transforms -> calls of derivative objects
whose IR the transforms build (`srcad.ad.compose.derivative_callee`).

Input: while lowering, a call of ``srcad.jvp(f, primals, tangents)``, ``srcad.hvp(f, primals,
tangents)``, ``out, pull = srcad.vjp(f, *primals)`` (then ``pull(g)``), or ``srcad.hessian(f)``,
``srcad.jacfwd(f)``, ``srcad.jacrev(f)`` (then called; `wrt` a keyword or their second
argument), with `f` a module-level function or a
nested def/lambda (lifted: `srcad.lower.lift`). Output: ``call`` ops of an `Inside` derivative
(`inside`: one level, ``jvp``/``pull``, or two: ``hvp`` = JVP over GRAD) and, for the Jacobians, of a small
generated Python function that loops over unit vectors calling one (srcad reads its source like
a user's; its file is ``<srcad: hessian of f>``). Example::

    def f(x):
        g, hv = srcad.hvp(loss, (x,), (v,))     # call(inside(loss, "hvp"), x, v)
        H = srcad.hessian(loss)(x)              # call(hessian_loss, x): H[:, i] = hvp(x, e_i)
"""

from __future__ import annotations

import inspect
import sys
import types
from dataclasses import dataclass
from typing import Any

import gast
import numpy as np

from srcad import lazy
from srcad.backend.request import Mode
from srcad.backend.textfn import define
from srcad.libwrap import library_trampoline
from srcad.lower.fnvalues import Items
from srcad.lower.lift import Lifted, NestedDerivative, captured_values, lift
from srcad.lower.values import NestedFn
from srcad.rules.checks import one_array
from srcad.ssa.core import Const, Operand

_fnargs = lazy.module("srcad.lower.fnargs")  # (calls.py imports both)
_prepare = lazy.module("srcad.passes.prepare")  # (it lowers: this module is part of that)

HANDLED = frozenset({"jvp", "vjp", "hvp", "hessian", "jacfwd", "jacrev"})


def _is(a: Any, b: Any) -> bool:
    return a is b


def inside(api: Any, pyfunc: Any, kind: str, wrt: tuple[int, ...], nparams: int) -> Any:
    """A derivative of `pyfunc` called by generated code: ``"jvp"`` (the arguments, then one
    tangent per `wrt` position -> ``(out, tangent)``), ``"pull"`` (the arguments, then the output's
    cotangent -> the cotangents at `wrt`, a tuple), ``"hvp"`` (the arguments, then the tangent of
    the one `wrt` position -> ``(gradient, Hessian @ tangent)``). Called at run time (primal code)
    it goes through srcad's API (`api`); the transforms differentiate its IR instead
    (``__srcad_inside__``)."""

    def derivative(*args: Any) -> Any:
        primals, rest = args[:nparams], args[nparams:]
        last = getattr(derivative, "last", None)  # (`_vjp_out`'s: the same objects)
        if last is not None and len(last[0]) == nparams and all(map(_is, last[0], primals)):
            return last[1](rest[0])
        tans: list[Any] = [None] * nparams
        if kind != "pull":
            for j, k in enumerate(wrt):
                tans[k] = rest[j]
        if kind == "jvp":
            return api.jvp(pyfunc, primals, tans)
        if kind == "hvp":
            return api.hvp(pyfunc, primals, tans, wrt=wrt[0])
        _, pull = api.vjp(pyfunc, *primals, wrt=wrt)
        return pull(rest[0])

    names = list(pyfunc.__code__.co_varnames[:nparams])
    extra = ["cotangent"] if kind == "pull" else [f"tangent_{k}" for k in wrt]
    extra = [n if n not in names else f"{n}_" for n in extra]
    P = inspect.Parameter
    derivative.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [P(n, P.POSITIONAL_OR_KEYWORD) for n in (*names, *extra)]
    )
    derivative.__name__ = derivative.__qualname__ = f"{kind}_{pyfunc.__name__}"
    derivative.__srcad_derivative__ = True  # type: ignore[attr-defined]
    derivative.__srcad_inside__ = (pyfunc, kind, wrt, tuple(extra))  # type: ignore[attr-defined]
    return derivative


@dataclass(eq=False)
class Callable_(NestedFn):
    """A lowering-time function value made here: a pullback (``pull(g)``) or a Jacobian maker's
    result (``srcad.hessian(f)``), called with `call_args` appended as `call` of `target`."""

    target: Any = None
    before: tuple = ()  # operands passed before the call's own arguments
    own: int = 1  # how many arguments the call itself passes
    lifted: Lifted | None = None
    fills: tuple = ()  # the last own arguments' defaults (numbers, strings, None, bools)


def lower_call(lw: Any, maker: Any, node: gast.Call) -> Any:
    """Lower ``srcad.<maker.__name__>(...)`` met inside transformed code."""
    name = maker.__name__
    api = sys.modules[maker.__module__]
    if not node.args or any(isinstance(a, gast.Starred) for a in node.args):
        raise lw.error(node, f"`srcad.{name}` takes the function to differentiate first")
    pyfunc, lifted, of_grad = _target(lw, node, name)
    if of_grad is not None:  # srcad.jacfwd(srcad.grad(f)): srcad.hessian(f)
        if name not in ("jacfwd", "jacrev") or options(lw, node, name).get("wrt", 0) != of_grad:
            raise lw.error(
                node,
                f"`srcad.{name}` of `srcad.grad(f)` is supported here as its Hessian only: "
                "`srcad.jacfwd(srcad.grad(f, wrt=k), wrt=k)`",
                "write srcad.hessian(f, wrt=k)",
            )
        name = "hessian"
    nown = len(lifted.own) if lifted else _nparams(pyfunc)
    captured = captured_values(lw, lifted, node)
    opts = options(lw, node, name)
    if name in ("jvp", "hvp"):
        if len(node.args) != 3 or set(opts) - ({"wrt"} if name == "hvp" else set()):
            raise lw.error(node, f"call `srcad.{name}(f, primals, tangents)` here")
        primals = _literal(lw, node.args[1], "primals", name)
        tangents = _literal(lw, node.args[2], "tangents", name, allow_none=True)
        if len(primals) == len(tangents) and not lifted:  # `def f(x, tol=1e-9)`: (x,), (dx,)
            fills = _fills(pyfunc, len(primals), nown)
            primals, tangents = [*primals, *fills], [*tangents, *(None for _ in fills)]
        if len(primals) != nown or len(tangents) != nown:
            raise lw.error(node, f"`srcad.{name}` needs one primal and one tangent per argument")
        wrt = tuple(k for k, t in enumerate(tangents) if t is not None)
        if name == "hvp" and wrt != (opts.get("wrt", 0),):
            raise lw.error(
                node,
                "`srcad.hvp` here takes one tangent that is not None, at its `wrt` argument",
                "pass None as the tangent of the other arguments",
            )
        d = inside(api, pyfunc, name, wrt, nown + len(captured))
        lw.at(node)
        return lw.op("call", [Const(d), *primals, *captured, *(tangents[k] for k in wrt)])
    if name == "vjp":
        if opts:
            raise lw.error(node, "`srcad.vjp` takes no options here")
        primals = [lw.value(a) for a in node.args[1:]]
        given = len(primals)  # the cotangents of these (outside: the defaults' are not returned)
        primals += [] if lifted else _fills(pyfunc, given, nown)
        if len(primals) != nown:
            raise lw.error(
                node, f"`srcad.vjp` needs one primal per argument of `{pyfunc.__name__}`"
            )
        lw.at(node)
        d = inside(api, pyfunc, "pull", tuple(range(given)), nown + len(captured))
        f = _vjp_out(api, pyfunc, d) if lifted is None and _updates_arguments(pyfunc) else pyfunc
        out = lw.op("call", [Const(f), *primals, *captured])
        pull = Callable_(node, f"pullback of {pyfunc.__name__}", [], 0, Const(d),
                         (*primals, *captured), 1)  # fmt: skip
        return Items((out, pull))
    # hessian / jacfwd / jacrev: a function of the arguments
    if len(node.args) > 2 or set(opts) - {"wrt"}:
        raise lw.error(node, f"call `srcad.{name}(f)` or `srcad.{name}(f, wrt=k)` here")
    k = opts.get("wrt", 0)
    if not isinstance(k, int) or not 0 <= k < nown:
        raise lw.error(node, f"`srcad.{name}` here takes `wrt` as one argument position")
    if lifted is None and _updates_arguments(pyfunc):
        # Python's srcad.jacfwd(f)(v) runs f once (one update of `v`, the Jacobian at `v` as
        # given); the template's f(...) and one derivative call per column each updated `v`
        # again (26.24 where Python gives 3.92). A derivative of it is refused as before.
        helper = getattr(api, name)(pyfunc, wrt=k)
    else:
        helper = jacobian_helper(api, name, pyfunc, k, nown, len(captured))
    defaults = () if lifted else _defaults(pyfunc, k, nown)
    return Callable_(node, f"{name} of {pyfunc.__name__}", [], 0, Const(helper), (), nown, lifted,
                     fills=defaults)  # fmt: skip


def call(lw: Any, f: Callable_, node: gast.Call) -> Operand:
    """A call of a `Callable_`."""
    args, kwargs = lw.call_args(node)
    if not kwargs and f.own - len(f.fills) <= len(args) < f.own:  # `def loss(w, n=2)`
        args = [*args, *(Const(d) for d in f.fills[len(args) - f.own :])]
    if kwargs or len(args) != f.own:
        raise lw.error(
            node,
            f"call the {f.name} with {f.own} positional argument(s)",
            "pass the function's arguments by position (its defaults too, unless they are "
            "numbers, strings, None or bools after the differentiated one)",
        )
    captured = captured_values(lw, f.lifted, node)
    lw.at(node)
    return lw.op("call", [f.target, *f.before, *args, *captured])


def _target(lw: Any, node: gast.Call, name: str) -> tuple[Any, Lifted | None, int | None]:
    """The function to differentiate, its `Lifted` (a nested function) and, when the argument is
    ``srcad.grad(f, wrt=k)`` (one position, plain), `k` (then the function is `f`)."""
    target = lw.expr(node.args[0])
    if type(target) is NestedFn or isinstance(target, _fnargs.Carried):  # not Callable_/derivatives
        lifted = lift(lw, target, node)
        return lifted.fn, lifted, None
    if isinstance(target, Callable_) and not target.before and target.lifted is None:
        helper = target.target  # srcad.hessian(f) made here: its generated Python function
        if isinstance(helper, Const) and _nparams(helper.value) == target.own:
            return helper.value, None, None  # (a third derivative: jacfwd(hessian(f)))
    if isinstance(target, NestedDerivative) and _grad_position(target.derivative) is not None:
        return target.lifted.fn, target.lifted, _grad_position(target.derivative)
    known, fn = lw.static_object(target)
    if known and _grad_position(fn) is not None:
        return fn.__srcad_chain__.pyfunc, None, _grad_position(fn)
    fn = library_trampoline(fn) if known else fn  # srcad.jacfwd(np.exp): a call of it
    if not known or not callable(fn) or getattr(fn, "__srcad_derivative__", False):
        if isinstance(node.args[0], gast.Attribute) and not known:
            raise lw.error(node, *unknown_function(name, node))
        raise lw.error(
            node,
            f"`srcad.{name}`'s function must be a module-level or nested function here",
            "differentiate the function itself (not a derivative srcad made) inside",
        )
    return fn, None, None


def _grad_position(d: Any) -> int | None:
    """`k` when `d` is ``srcad.grad(f, wrt=k)`` of a plain function (one position, no aux, no
    bound arguments), else None."""
    chain = getattr(d, "__srcad_chain__", None)
    if chain is None or chain.multi or chain.with_value or chain.has_aux or chain.prefix:
        return None
    if len(chain.levels) != 1 or chain.levels[0][0] is not Mode.GRAD:
        return None
    wrt = chain.levels[0][1]
    return wrt[0] if len(wrt) == 1 else None


def unknown_function(name: str, node: gast.Call) -> tuple[str, str]:
    """(message, hint) refusing ``srcad.<name>(f, ...)`` inside a transformed function whose `f`
    srcad does not know when it transforms the code; a method of an object (``self.loss``,
    ``model.loss``: its derivative would take the object, a value of the outer function, as an
    input that derivative does not differentiate) named as such."""
    arg = node.args[0] if node.args else None
    if not isinstance(arg, gast.Attribute):
        return (
            f"`srcad.{name}`'s function must be known when srcad transforms this code",
            "pass a module-level function (not a value computed here)",
        )
    m = arg.attr
    return (
        f"`srcad.{name}` of the method `.{m}` of an object, inside a function srcad "
        "differentiates, is not supported: srcad makes such a derivative of a module-level or "
        "nested function only",
        "write the method's body as a module-level function taking the object's values as "
        f"arguments (`def {m}(x, w): ...`, called with `self.w`) and differentiate that; or take "
        "the derivative outside the differentiated function",
    )


def options(lw: Any, node: gast.Call, name: str) -> dict[str, Any]:
    """The keyword options of ``srcad.<name>(...)``, which must be constants."""
    opts = {}
    for kw in node.keywords:
        v = lw.value(kw.value)
        if kw.arg is None or not isinstance(v, Const):
            raise lw.error(node, f"the options of `srcad.{name}` must be constants here")
        opts["wrt" if kw.arg == "argnums" else kw.arg] = v.value  # (JAX's name for it)
    if name in _BY_POSITION and len(node.args) == 2:  # ``srcad.hessian(f, 1)``: `wrt` second
        v = lw.value(node.args[1])
        if not isinstance(v, Const) or "wrt" in opts:
            raise lw.error(node, f"`srcad.{name}`'s `wrt` must be one constant here")
        opts["wrt"] = v.value
    return opts


_BY_POSITION = frozenset({"hessian", "jacfwd", "jacrev"})  # (f, wrt=0, ...) positionally


def positional_options(
    lw: Any, node: gast.Call, maker: Any, name: str, rest: list, opts: dict[str, Any]
) -> dict[str, Any]:
    """``srcad.grad(inner, 1)`` of a nested def/lambda: the options after the function given by
    position (`rest`, constants) named as `maker`'s parameters (``wrt``, ``has_aux``), as
    JAX's ``jax.grad(f, 1)`` is written; `opts` holds the ones given by keyword."""
    if name in _BY_POSITION and len(node.args) == 2:
        return dict(opts)  # (`wrt`, already in `opts`: `options`)
    names = [
        p.name
        for p in list(inspect.signature(maker).parameters.values())[1:]
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    if len(rest) > len(names) or not all(isinstance(a, Const) for a in rest):
        raise lw.error(node, f"pass `srcad.{name}`'s options by keyword here")
    out = dict(opts)
    for p, a in zip(names, rest):
        if p in out:
            raise lw.error(node, f"`srcad.{name}` got `{p}` twice")
        out[p] = a.value
    return out


def _literal(lw: Any, node: Any, what: str, name: str, allow_none: bool = False) -> list:
    if not isinstance(node, (gast.Tuple, gast.List)) or any(
        isinstance(e, gast.Starred) for e in node.elts
    ):
        raise lw.error(node, f"`srcad.{name}`'s {what} must be a tuple written out here: (x, y)")
    out = []
    for e in node.elts:
        v = lw.value(e)
        out.append(None if allow_none and isinstance(v, Const) and v.value is None else v)
    return out


def _defaults(pyfunc: Any, k: int, nown: int) -> tuple:
    """The defaults a call of a Jacobian of the module-level `pyfunc` (`nown` parameters, with
    respect to argument `k`) may leave out: its last parameters' constant defaults, after `k`."""
    if getattr(pyfunc, "__code__", None) is None or pyfunc.__code__.co_argcount != nown:
        return ()
    out: list = []
    for d in reversed(pyfunc.__defaults__ or ()):
        if len(out) >= nown - k - 1 or type(d) not in (int, float, str, bool, type(None)):
            break
        out.append(d)
    return tuple(reversed(out))


def _fills(pyfunc: Any, given: int, nown: int) -> list[Const]:
    """The constant defaults of `pyfunc`'s parameters after the first `given` (of `nown`), when
    every one has a constant default (``srcad.jvp(kepler, (M, e), (1.0, 0.0))`` of ``def
    kepler(M, e, tol=1e-12)``, as outside); else none (the call is refused)."""
    fills = _defaults(pyfunc, given - 1, nown) if given < nown else ()
    return [Const(d) for d in fills] if len(fills) == nown - given else []


def _updates_arguments(pyfunc: Any) -> bool:
    """Does `pyfunc` update one of its arguments in place (`Function.param_mutations`)?"""
    try:
        return bool(_prepare.lowered(pyfunc).param_mutations)
    except Exception:  # (not lowered here: its own call reports why, as before)
        return False


def _vjp_out(api: Any, pyfunc: Any, pull: Any) -> Any:
    """`pyfunc` for srcad.vjp's ``out`` when it updates an argument in place: run, it is Python's
    ``out, back = srcad.vjp(pyfunc, *primals)`` (one update) keeping ``back`` for `pull` (the
    inside pullback), which then answers at the arguments as given, as ``back`` does; the lowered
    ``out = f(...)`` then ``pull(g)`` ran `pyfunc` twice, the pullback at the updated arguments.
    Transforms read `pyfunc` (``__srcad_wrapped__``), as before."""

    def run(*primals: Any) -> Any:
        out, back = api.vjp(pyfunc, *primals, wrt=pull.__srcad_inside__[2])
        pull.last = (primals, back)
        return out

    run.__name__ = run.__qualname__ = pyfunc.__name__
    run.__srcad_wrapped__ = pyfunc  # type: ignore[attr-defined]
    return run


def _nparams(pyfunc: Any) -> int:
    code = getattr(pyfunc, "__code__", None)
    return code.co_argcount if code is not None else 0


def _refusals(name: str, fn: str, k: int) -> dict[str, Any]:
    """The messages of the templates' checks. The loops over unit vectors flatten one array
    (the argument `k`, the output): a tuple or list of numbers, or of arrays of one shape, stacks
    into one, split back into a tuple or list of Jacobians at the end (`_SPLIT`: ``srcad.{name}``'s
    layout outside). A tuple or list of arrays as the argument was read as one stacked array (wrong
    Jacobians, where outside gives one per part); a dict, or parts of other shapes, failed."""
    what = f"`srcad.{name}` of `{fn}` inside a function srcad differentiates"
    return {
        "ARG": f"{what} takes an array, a number, or a tuple or list of numbers as argument {k}; "
        "this one is a dict or holds arrays",
        "OUT": f"{what} needs `{fn}` to return an array, a number, or a tuple or list of arrays "
        "of one shape (stacked into one array); it returned a dict or parts of other shapes",
        "HINT": "pass and return one array (np.concatenate the parts, split them inside), or "
        f"call srcad.{name} outside the differentiated function",
    }


# The stacked Jacobian of a tuple or list (the output; the argument, for a Hessian) split back
# into one: outside, srcad gives a tuple or list of Jacobians there, and ``J + J``, ``len(J)``,
# ``J * 2`` must mean what they mean on it (not on one stacked array).
_SPLIT = (
    "    if isinstance({v}, tuple):\n"
    "        return tuple([jac[i] for i in range(len({v}))])\n"
    "    if isinstance({v}, list):\n"
    "        return [jac[i] for i in range(len({v}))]\n"
    "    return jac\n"
)
# The unit vectors `units` of a tuple or list (the argument; jacrev's output) given its structure:
# the derivative called on them when the primal runs checks the tangent's structure.
_UNITS = (
    "    units = [np.reshape(basis[i], np.shape({v})) for i in range(np.size({v}))]\n"
    "    if isinstance({v}, tuple):\n"
    "        units = [tuple([u[k] for k in range(len({v}))]) for u in units]\n"
    "    if isinstance({v}, list):\n"
    "        units = [[u[k] for k in range(len({v}))] for u in units]\n"
)

# The Jacobians as loops over unit vectors, one derivative call each: text of a Python function
# that srcad lowers like a user's (so it can be differentiated again).
_TEMPLATES = {
    "hessian": (
        "def {fname}({params}):\n"
        "    one_array({x}, True, ARG, HINT)\n"
        "    basis = np.eye(np.size({x}))\n"
        + _UNITS.format(v="{x}")
        + "    cols = [np.reshape(col({params}, u)[1], (-1,)) for u in units]\n"
        "    jac = np.reshape(np.stack(cols, axis=-1), np.shape({x}) + np.shape({x}))\n"
        + _SPLIT.format(v="{x}")
    ),
    "jacfwd": (
        "def {fname}({params}):\n"
        "    one_array({x}, True, ARG, HINT)\n"
        "    out = f({params})\n"
        "    one_array(out, False, OUT, HINT)\n"
        "    basis = np.eye(np.size({x}))\n"
        + _UNITS.format(v="{x}")
        + "    cols = [np.reshape(col({params}, u)[1], (-1,)) for u in units]\n"
        "    jac = np.reshape(np.stack(cols, axis=-1), np.shape(out) + np.shape({x}))\n"
        + _SPLIT.format(v="out")
    ),
    "jacrev": (
        "def {fname}({params}):\n"
        "    one_array({x}, True, ARG, HINT)\n"
        "    out = f({params})\n"
        "    one_array(out, False, OUT, HINT)\n"
        "    basis = np.eye(np.size(out))\n"
        + _UNITS.format(v="out")
        + "    rows = [np.reshape(col({params}, u)[0], (-1,)) for u in units]\n"
        "    jac = np.reshape(np.stack(rows, axis=0), np.shape(out) + np.shape({x}))\n"
        + _SPLIT.format(v="out")
    ),
}


def jacobian_helper(api: Any, name: str, pyfunc: Any, k: int, nown: int, ncap: int) -> Any:
    """``{name}_{f}(a0, ..., c0, ...)``: the Jacobian of `pyfunc` at the arguments with respect to
    argument `k` (`ncap` captured variables after the own arguments)."""
    n = nown + ncap
    params = ", ".join(f"a{i}" for i in range(n))
    fname = f"{name}_{pyfunc.__name__}" if pyfunc.__name__.isidentifier() else name
    kind = {"hessian": "hvp", "jacfwd": "jvp", "jacrev": "pull"}[name]
    col = inside(api, pyfunc, kind, (k,), n)
    text = _TEMPLATES[name].format(fname=fname, params=params, x=f"a{k}")
    filename = f"<srcad: {name} of {pyfunc.__qualname__}>"  # (one text per file: the text
    if (k, n) != (0, 1):  # depends on k and n, and lifted functions share qualified names)
        filename = f"{filename[:-1]}, argument {k} of {n}>"
    scope: dict[str, Any] = {"np": np, "col": col, "f": pyfunc, "one_array": one_array}
    scope.update(_refusals(name, pyfunc.__name__, k))
    return define(text, filename, scope, fname)[0]


_MAKER_NAMES = frozenset({"grad", "value_and_grad", "jvp", "vjp", "hvp", "hessian", "jacfwd",
                          "jacrev", "jacobian"})  # fmt: skip


def differentiated_arg(lw: Any, fn: Any, args: list) -> bool:
    """Is one of `args` (a call's argument nodes) a module-level Python function named as such
    (or a local name bound to one: ``L = inner``), and does the code of `fn`, the user function
    called, name one of srcad's derivative makers (``srcad.grad``, ``grad`` imported from
    srcad)? Then the call is inlined with the function known (lower/fnargs.takes_functions), so
    that ``def step(loss, w): return w - lr * srcad.grad(loss)(w)`` differentiates the function
    given (lowered alone, `loss` is a parameter, and the maker's function must be known)."""
    names = fn.__code__.co_names
    if not any(n in _MAKER_NAMES for n in names):
        return False
    g = fn.__globals__
    if not any(
        (isinstance(v, types.ModuleType) and v.__name__ == "srcad")
        or (n in _MAKER_NAMES and (getattr(v, "__module__", None) or "").startswith("srcad."))
        for n in names
        for v in (g.get(n),)
    ):
        return False
    for a in args:
        if not isinstance(a, gast.Name):
            continue
        if a.id in lw.env:  # ``L = inner; step(L, w)``: a local name bound to it once
            known, v = lw.static_object(lw.env[a.id])
        elif a.id not in lw.py_locals:
            known, v = True, lw.ns.lookup(a.id)[1]
        else:
            known = False
        if known:
            home = (getattr(v, "__module__", None) or "").split(".")[0]
            if isinstance(v, types.FunctionType) and home not in ("numpy", "scipy"):
                return True
    return False
