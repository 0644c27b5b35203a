"""``try``/``except`` whose body branches, loops or raises: a flag saying which part runs.

Input: a gast ``Try`` with handlers and no ``finally:`` (lower/lower.py splits it off) that
lower/trys.py's straight-line rewrite does not take, and the function's `Namespace`. Output:
statements the lowering has (or None: the statement stays refused, lower/trys.refuse).

    try:                                  $try1 = 0
        if float(np.sum(a)) > c:          <steps of the test, each checked as in lower/trys.py>
            raise ValueError('large')     if $try1v3:
        t = np.sin(a) * 2.0          ->       $try1 = 1
    except ValueError:                    if $try1 == 0:
        t = np.cos(a)                         $try1 = $try_which(np.sin, (ValueError,), a)
                                              if $try1 == 0: ... t = $try1v4 * 2.0
                                          if $try1 == 0:
                                              pass                     (the `else:` part)
                                          else:
                                              t = np.cos(a)

``$try{n}`` is 0 while the body runs, else the number of the handler that catches what was
raised. A ``raise E(...)`` of a class named in the code (arguments that cannot raise: constants,
names, f-strings of names; the handlers do not read them) is decided when
lowering: the first handler whose classes `E` is a subclass of sets the flag (Python's rule); no
handler: the ``raise`` stays, the exception leaves the function as in Python. Everything that may
raise at run time (library calls, operators, indexing, ``if`` on an array's truth) is a checked
step (lower/trysteps.Split, `try_which`), which sets the flag to what Python would catch. After a
step that may set the flag, the rest of its block runs under ``if $try{n} == 0:``; in a loop the
loop is left (``break``). Taken in the body: the statements trys.py takes, ``if``, ``for`` over
``range(...)`` (over anything else when no handler catches TypeError), ``while``, ``pass``,
``break``/``continue``, ``raise``; nothing else (no nested ``try``, ``with``, helper ``def``).
A handler reading its exception (``except E as e``) starts with ``e = $try{n}_e``: each checked
step first binds it to what its call raises (``_srcad.try_error``, None when it returns), each
caught ``raise E(args)`` to ``E(args)``.
"""

from __future__ import annotations

import copy
from typing import Any

import gast

from srcad.lower import trys, unbound
from srcad.lower.trysteps import Split, _at, _const, _load, _name
from srcad.lower.withs import _resolve
from srcad.rules.numpy_fns import try_error, try_which

_PLAIN, _MAY, _ALWAYS = 0, 1, 2  # a piece never / may / always sets the flag


def rewrite(s: gast.Try, n: int, ns: Any) -> list | None:
    """The statements of the module docstring for `s` (`n` numbers its names), or None."""
    if not s.body or not s.handlers or s.finalbody:
        return None
    classes = []
    for h in s.handlers:
        if h.type is not None and not trys._is_class_expr(h.type):
            return None
        classes.append(_classes(h.type, ns))
    reads = [h.name is not None and trys._reads(h.body, h.name) for h in s.handlers]
    flow = _Flow(s, n, classes, ns, f"$try{n}_e" if any(reads) else None)
    pieces = flow.block(s.body)
    if pieces is None:
        return None
    flag = f"$try{n}"
    bodies = [_reading(h, flow.exc) if r else list(h.body) for h, r in zip(s.handlers, reads)]
    tail: list = bodies[-1]
    for k in range(len(s.handlers) - 1, 0, -1):
        tail = [gast.If(test=_flag_is(flag, k), body=bodies[k - 1], orelse=tail)]
    dispatch = gast.If(test=_flag_is(flag, 0), body=list(s.orelse) or [gast.Pass()], orelse=tail)
    out = [_assign(flag, _const(0, s)), *flow.assemble(pieces, False), dispatch]
    if flow.exc is not None:  # (bound on every path: read only where a handler runs)
        out.insert(0, _assign(flow.exc, _const(None, s)))
    for node in out:
        for sub in gast.walk(node):
            if isinstance(sub, (gast.stmt, gast.expr)) and getattr(sub, "lineno", None) is None:
                gast.copy_location(sub, s)
    return out


def _reading(h: gast.ExceptHandler, exc: str) -> list:
    """The body of the handler `h` reading its exception (``except E as e``): first ``e =
    $try{n}_e``, what the step or ``raise`` that set the flag raised (`_Flow.exc`)."""
    name = h.name.id if isinstance(h.name, gast.Name) else h.name
    return [_at(_assign(name, _load(exc)), h), *h.body]


def _classes(node: Any, ns: Any) -> tuple | None:
    """The exception classes a handler's type names (a bare ``except:``: BaseException), or None
    when one is not known when lowering."""
    if node is None:
        return (BaseException,)
    if isinstance(node, gast.Constant) and type(node.value) is tuple:
        return () if node.value[:1] == ("errstate",) else None  # (lower/withs.raising_try)
    parts = node.elts if isinstance(node, gast.Tuple) else [node]
    found = tuple(_resolve(p, ns) for p in parts)
    ok = all(isinstance(c, type) and issubclass(c, BaseException) for c in found)
    return found if ok else None


def _flag_is(flag: str, k: int) -> gast.Compare:
    return gast.Compare(left=_load(flag), ops=[gast.Eq()], comparators=[_const(k, None)])


def _assign(name: str, value: Any) -> gast.Assign:
    return gast.Assign(targets=[_name(name, gast.Store())], value=value, type_comment=None)


class _Flow:
    """The pieces of one ``try`` body: (kind, statement) with kind `_PLAIN`, `_MAY`, `_ALWAYS`."""

    def __init__(self, s: gast.Try, n: int, classes: list, ns: Any, exc: str | None) -> None:
        self.s, self.flag, self.classes, self.ns = s, f"$try{n}", classes, ns
        # a handler reads its exception: the name holding what each step or `raise` raised
        self.exc = exc
        self.split = Split(n, ns)
        self.loops = 0  # how deep in loops of the body

    def catches(self, exc: type) -> bool:
        """Some handler may catch `exc` (one whose classes are not known: assumed)."""
        return any(cs is None or issubclass(exc, cs) for cs in self.classes)

    def block(self, stmts: list) -> list | None:
        out: list = []
        for st in stmts:
            got = self.stmt(st)
            if got is None:
                return None
            out += got
            if got and got[-1][0] == _ALWAYS:
                break  # (the rest of the block never runs)
        return out

    def assemble(self, pieces: list, in_loop: bool) -> list:
        """Statements for `pieces`: the rest of the block after a piece that may set the flag
        under ``if flag == 0:`` (in a loop body: the loop left when it is set)."""
        out: list = []
        for k, (kind, st) in enumerate(pieces):
            out.append(st)
            if kind == _ALWAYS:
                if in_loop and isinstance(st, gast.Assign):
                    out.append(gast.Break())
                return out
            if kind == _MAY:
                rest = self.assemble(pieces[k + 1 :], in_loop)
                if in_loop:
                    stop = gast.Compare(left=_load(self.flag), ops=[gast.NotEq()],
                                        comparators=[_const(0, None)])  # fmt: skip
                    return out + [gast.If(test=stop, body=[gast.Break()], orelse=[]), *rest]
                if rest:
                    out.append(gast.If(test=_flag_is(self.flag, 0), body=rest, orelse=[]))
                return out
        return out

    def steps(self, start: int) -> list:
        """The pieces of the `_Split` steps from `start` on: each check sets the flag."""
        out = []
        for kind, *what in self.split.steps[start:]:
            if kind == "stmt":
                out.append((_PLAIN, what[0]))
                continue
            func, args, keywords, at = what
            handlers = [copy.deepcopy(h.type) if h.type is not None else _load("BaseException")
                        for h in self.s.handlers]  # fmt: skip
            which = gast.Call(
                func=gast.Constant(value=try_which, kind=None),  # lowered by trys.which_call
                args=[func, gast.Tuple(elts=handlers, ctx=gast.Load()), *args],
                keywords=keywords,
            )
            if self.exc is not None:  # what it raises (None if nothing), run once more first
                error = copy.deepcopy(which)
                error.func = gast.Constant(value=try_error, kind=None)  # (trys.error_call)
                out.append((_PLAIN, _at(_assign(self.exc, error), at)))
            out.append((_MAY, _at(_assign(self.flag, which), at)))
        return out

    def value(self, e: Any, truth: bool = False) -> tuple[Any, list] | None:
        """`e` as a name or constant, with the pieces computing it; `truth`: its truth value is
        taken (``if``/``while``), checked too when a handler catches ValueError (an array's)."""
        start = len(self.split.steps)
        v = self.split.expr(e)
        if v is None:
            return None
        pieces = self.steps(start)
        if truth and not isinstance(v, gast.Constant) and self.catches(ValueError):
            start = len(self.split.steps)
            self.split.steps.append(("check", _const(bool, e), [v], [], e))
            pieces += self.steps(start)
        return v, pieces

    def stmt(self, st: Any) -> list | None:
        """The pieces of the body statement `st`, or None when it is not taken."""
        if isinstance(st, gast.Pass):
            return [(_PLAIN, st)]
        if isinstance(st, (gast.Break, gast.Continue)):
            return [(_PLAIN, st)]
        if isinstance(st, gast.Raise):
            return self._raise(st)
        if isinstance(st, gast.Expr) and isinstance(st.value, gast.Call):
            got = self.value(st.value)
            return None if got is None else got[1]  # (its value dropped: a temp)
        if isinstance(st, gast.If):
            got = self.value(st.test, truth=True)
            body, orelse = self.block(st.body), self.block(st.orelse)
            if got is None or body is None or orelse is None:
                return None
            v, pieces = got
            kind = _ALWAYS if _always(body) and _always(orelse) else _kind(body + orelse)
            new = gast.If(test=v, body=self.assemble(body, self.loops > 0) or [gast.Pass()],
                          orelse=self.assemble(orelse, self.loops > 0))  # fmt: skip
            return pieces + [(kind, _at(new, st))]
        if isinstance(st, gast.For):
            return self._for(st)
        if isinstance(st, gast.While):
            return self._while(st)
        start = len(self.split.steps)
        if not self.split.stmt(st):
            return None
        return self.steps(start)

    def _loop_body(self, body: list) -> tuple[list, int] | None:
        self.loops += 1
        got = self.block(body)
        self.loops -= 1
        if got is None:
            return None
        return self.assemble(got, True) or [gast.Pass()], _kind(got)

    def _for(self, st: gast.For) -> list | None:
        if not isinstance(st.target, gast.Name) and (
            self.catches(ValueError) or self.catches(TypeError)
        ):
            return None  # (unpacking an item may raise)
        it = st.iter
        in_range = isinstance(it, gast.Call) and _resolve(it.func, self.ns) is range
        if not in_range and self.catches(TypeError):
            return None  # (iterating may raise: a 0-d array)
        got, body = self.value(it), self._loop_body(st.body)
        orelse = self.block(st.orelse)
        if got is None or body is None or orelse is None:
            return None
        v, pieces = got
        kind = max(body[1], _kind(orelse))
        new = gast.For(target=st.target, iter=v, body=body[0],
                       orelse=self.assemble(orelse, self.loops > 0), type_comment=None)  # fmt: skip
        return pieces + [(kind, _at(new, st))]

    def _while(self, st: gast.While) -> list | None:
        """``while t: body`` as ``while True:`` with the steps of `t`, then ``if not t:
        break`` (no ``else:`` then), when `t` has steps; as it is when it has none."""
        start = len(self.split.steps)
        got = self.value(st.test, truth=True)
        if got is None:
            return None
        v, pieces = got
        if not pieces:
            body = self._loop_body(st.body)
            orelse = self.block(st.orelse)
            if body is None or orelse is None:
                return None
            kind = max(body[1], _kind(orelse))
            new = gast.While(test=v, body=body[0], orelse=self.assemble(orelse, self.loops > 0))
            return [(kind, _at(new, st))]
        if st.orelse:
            return None
        del self.split.steps[start:]  # (the test's steps go into the loop body)
        self.loops += 1
        got = self.value(st.test, truth=True)
        rest = self.block(st.body)
        self.loops -= 1
        if got is None or rest is None:
            return None
        v, pieces = got
        stop = gast.If(test=gast.UnaryOp(op=gast.Not(), operand=v), body=[gast.Break()], orelse=[])
        inner = pieces + [(_PLAIN, stop)] + rest
        new = gast.While(test=_const(True, st), body=self.assemble(inner, True), orelse=[])
        return [(_MAY, _at(new, st))]

    def _raise(self, st: gast.Raise) -> list | None:
        """``raise E`` / ``raise E(args)``: the handler that catches it, decided here; the
        arguments are constants, names or f-strings of names (`_quiet`: they cannot raise)."""
        exc = st.exc
        call = isinstance(exc, gast.Call)
        if call and (exc.keywords or not all(self._quiet(a) for a in exc.args)):
            return None
        cls = _resolve(exc.func if call else exc, self.ns) if exc is not None else None
        if not (isinstance(cls, type) and issubclass(cls, BaseException)):
            return None
        if st.cause is not None and not isinstance(st.cause, gast.Constant):
            return None
        for k, cs in enumerate(self.classes, 1):
            if cs is None:
                return None  # (whether it catches is not known)
            if issubclass(cls, cs):
                caught = [(_ALWAYS, _at(_assign(self.flag, _const(k, st)), st))]
                if self.exc is None:
                    return caught
                made = copy.deepcopy(exc) if call else gast.Call(func=exc, args=[], keywords=[])
                return [(_PLAIN, _at(_assign(self.exc, made), st)), *caught]  # (`raise E`: E())
        return [(_ALWAYS, st)]  # (no handler: it leaves the function, as in Python)

    def _quiet(self, a: Any) -> bool:
        """Evaluating the exception's argument `a` cannot raise (the handlers do not read it):
        a constant; a name, unless a handler may catch the NameError of an unbound one; an
        f-string of such names without format specs (``format(x, "")`` is ``str(x)``)."""
        if isinstance(a, gast.Constant):
            return True
        if isinstance(a, gast.Name):
            return not self.catches(NameError)
        if isinstance(a, gast.JoinedStr):
            return all(
                isinstance(v, gast.Constant)
                or (
                    isinstance(v, gast.FormattedValue)
                    and v.format_spec is None
                    and self._quiet(v.value)
                    and not isinstance(v.value, gast.JoinedStr)
                )
                for v in a.values
            )
        return False


def may_catch(s: gast.Try, ns: Any, exc: type) -> bool:
    """A handler of `s` may catch `exc` (one whose classes are not known when lowering: may)."""
    return any(
        cs is None or issubclass(exc, cs) for cs in (_classes(h.type, ns) for h in s.handlers)
    )


def unbound_caught(s: gast.Try, ns: Any, bound: frozenset, local: frozenset) -> bool:
    """A handler of `s` may catch NameError and its body may read a name of the function
    (`local`) not surely bound there: `bound` before `s`, or by a statement of the body that
    always runs before the read (a ``for`` loop's target inside the loop). srcad reads an unbound
    name as None where Python raises UnboundLocalError: the handler would not run."""
    if not may_catch(s, ns, NameError):
        return False
    return _risky(s.body, set(bound), local)


def _risky(stmts: list, sure: set, local: frozenset) -> bool:
    """A statement of `stmts` may read a name of `local` not in `sure` (bound before them) nor
    bound before it by what always runs (a branch's or loop's binding counts inside it only)."""
    sure = set(sure)
    for st in stmts:
        if isinstance(st, (gast.If, gast.While)):
            if _names(st.test, gast.Load) & local - sure:
                return True
            if _risky(st.body, sure, local) or _risky(st.orelse, sure, local):
                return True
        elif isinstance(st, gast.For):
            if _names(st.iter, gast.Load) & local - sure:
                return True
            own = sure | _names(st.target, gast.Store)
            if _risky(st.body, own, local) or _risky(st.orelse, sure, local):
                return True
        elif _names(st, gast.Load) & local - sure:
            return True
        else:
            sure = (sure | sure_stores(st)) - unbound.unbinds_in([st])
    return False


def sure_stores(st: Any) -> frozenset:
    """The names the statement `st` binds whenever it completes (an assignment's, a ``def``'s,
    an import's; not those a branch or loop binds)."""
    if isinstance(st, (gast.Assign, gast.AugAssign, gast.AnnAssign)):
        targets = st.targets if isinstance(st, gast.Assign) else [st.target]
        return frozenset(_names(gast.Tuple(elts=targets, ctx=gast.Store()), gast.Store))
    if isinstance(st, (gast.FunctionDef, gast.ClassDef)):
        return frozenset({st.name})
    if isinstance(st, (gast.Import, gast.ImportFrom)):
        return frozenset((a.asname or a.name).split(".")[0] for a in st.names)
    return frozenset()


def stored(tree: Any) -> frozenset:
    """Every name bound anywhere in `tree`."""
    return frozenset(_names(tree, (gast.Store, gast.Del)))


def _names(node: Any, ctx: type) -> set:
    return {x.id for x in gast.walk(node) if isinstance(x, gast.Name) and isinstance(x.ctx, ctx)}


def _always(pieces: list) -> bool:
    return bool(pieces) and pieces[-1][0] == _ALWAYS


def _kind(pieces: list) -> int:
    """`_MAY` when some piece may set the flag, else `_PLAIN` (a loop or branch may not run)."""
    return _MAY if any(k != _PLAIN for k, _ in pieces) else _PLAIN
