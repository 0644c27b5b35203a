"""Control flow of lower/listobjs.py's rewrite: ``if`` statements (both branches with the
identities of before; a name they bind to different identities may not be read after), loops
over sequences of identities unrolled round by round (each round reads the items as it starts,
Python's list iterator), ``range`` loops of constant bounds whose body indexes a list by the
target or appends to one unrolled too, other loops run as loops whose every round starts with
the same identities (`loop_body`).

Input: the `Rewriter` (a mixin of it) and the statement. Output: the statements to run, or
`Abort`.
"""

from __future__ import annotations

import copy
from typing import Any

import gast

from srcad.lower.listinline import Abort, K, Obj, Seq, _assign

_MAX_ROUNDS = 256


class _Poison:
    """A name bound in a run-time loop's body (or a branch) to another identity than before;
    `site`: the list display of one of them, to try again as a run-time list (a read of the
    name aborts with it: ``ps = [P(a), P(b)]`` rebuilt in a loop is then a plain list)."""

    def __init__(self, site: Any = None) -> None:
        self.site = site


POISON = _Poison()


def _poison(*vals: Any) -> _Poison:
    for v in vals:
        if getattr(v, "site", None) is not None:
            return _Poison(v.site)
    return POISON


class Loops:
    # -- control flow ---------------------------------------------------------------------------
    def if_(self, s: Any) -> list:
        c = self.expr(s.test)
        head, self.pre = self.pre, []  # (what the test needs first: the body's statements reset it)
        if isinstance(c, K):
            return head + self.stmts(s.body if c.value else s.orelse)
        if isinstance(c, Obj):
            raise Abort
        env0 = dict(self.env)
        self.depth += 1
        try:
            body = self.stmts(s.body)
            env_t, self.env = self.env, dict(env0)
            orelse = self.stmts(s.orelse)
            env_e = self.env
        finally:
            self.depth -= 1
        self.env = {}
        for n in set(env_t) | set(env_e):
            a, b = env_t.get(n), env_e.get(n)
            if a is b or (isinstance(a, K) and isinstance(b, K) and a.value == b.value):
                if a is not None:
                    self.env[n] = a
            elif isinstance(a, (Obj, _Poison)) or isinstance(b, (Obj, _Poison)):
                self.env[n] = _poison(a, b)  # (a read after the `if`: not taken)
        return head + [gast.If(test=c, body=body or [gast.Pass()], orelse=orelse)]

    def loop_body(self, body: list, orelse: list) -> tuple[list, list]:
        """A run-time loop's body (and `else`): every round starts with the same identities; a
        name the body binds to another identity than before it may not be read before that
        binding in the body, nor after the loop (`POISON`)."""
        env0 = dict(self.env)
        self.depth += 1
        try:
            for _ in range(4):
                self.env = dict(env0)
                out = self.stmts(copy.deepcopy(body))
                changed = [n for n in set(self.env) | set(env0) if _differs(env0, self.env, n)]
                if not changed:
                    break
                for n in changed:
                    if isinstance(env0.get(n), Obj) or isinstance(self.env.get(n), Obj):
                        env0[n] = _poison(env0.get(n), self.env.get(n))
                    else:
                        env0.pop(n, None)  # a constant the loop changes: run-time
            else:
                raise Abort
            self.env = dict(env0)
            els = self.stmts(copy.deepcopy(orelse))
            for n in set(self.env) | set(env0):
                if _differs(env0, self.env, n):
                    v = self.env.get(n)
                    self.env[n] = _poison(env0.get(n), v) if isinstance(v, Obj) else None
                    if self.env[n] is None:
                        del self.env[n]
        finally:
            self.depth -= 1
        return out, els

    def while_(self, s: Any) -> list:
        self.check_no_obj_test(s.test)
        body, els = self.loop_body(s.body, s.orelse)
        test = self.as_node(self.expr(copy.deepcopy(s.test)))
        return [gast.While(test=test, body=body or [gast.Pass()], orelse=els)]

    def check_no_obj_test(self, test: Any) -> None:
        saved = self.pre
        self.pre = []
        v = self.expr(copy.deepcopy(test))
        if (
            self.pre
            or isinstance(v, Obj)
            or (isinstance(v, K) and not isinstance(test, gast.Constant))
        ):
            raise Abort  # (a `while` condition is evaluated each round; ``while True:`` is one)
        self.pre = saved

    def loop_iter(self, s: Any) -> Any:
        """A `Seq` for a loop this unrolls, else the iterable's expression."""
        it = s.iter
        if (
            isinstance(it, gast.Call)
            and self.callee(it.func) is range
            and not it.keywords
            and 1 <= len(it.args) <= 3
        ):
            args = [self.expr(a) for a in it.args]
            if all(isinstance(a, K) and type(a.value) is int for a in args) and self.static(s):
                r = range(*[a.value for a in args])
                return Seq(lambda k: K(r[k]) if k < len(r) else None)
            return gast.Call(func=copy.deepcopy(it.func), args=[self.as_node(a) for a in args],
                             keywords=[])  # fmt: skip
        got = self.enumerated_display(s)
        if got is not None:
            return got
        v = self.expr(it)
        if isinstance(v, (Obj, Seq)):
            return self.seq(v)
        return self.as_node(v)

    def enumerated_display(self, s: Any) -> Any:
        """``for k, d in enumerate((dx, dy)):`` whose body indexes a list built here by `k`
        (``v1[k] -= d * m``): a `Seq` of ``(k, item)`` rounds, the display's items evaluated
        once, in order, before the loop (Python's tuple); None for any other loop."""
        it, t = s.iter, s.target
        if not (
            isinstance(it, gast.Call)
            and self.callee(it.func) is enumerate
            and len(it.args) == 1
            and not it.keywords
            and isinstance(it.args[0], (gast.Tuple, gast.List))
            and not any(isinstance(e, gast.Starred) for e in it.args[0].elts)
            and isinstance(t, gast.Tuple)
            and len(t.elts) == 2
            and isinstance(t.elts[0], gast.Name)
            and not (s.orelse or _exits(s.body))
            and self.static(s, t.elts[0].id)
        ):
            return None
        names = []
        for e in it.args[0].elts:
            v = self.expr(e)
            if isinstance(v, (Obj, Seq)):
                return None  # (a display of lists: the general loop)
            names.append(self.fresh("srcad_lt"))
            self.pre.append(_assign(names[-1], self.as_node(v)))
        return Seq(lambda k: Obj(0, "tuple", [K(k), names[k]]) if k < len(names) else None)

    def static(self, s: Any, t: str | None = None) -> bool:
        """Does a ``for t in range(...)`` body index a list built here by `t`, or append to
        one (then it is unrolled)?"""
        if t is None:
            if not isinstance(s.target, gast.Name):
                return False
            t = s.target.id

        def objs(x: Any) -> bool:
            return any(isinstance(n, gast.Name) and isinstance(self.env.get(n.id), Obj)
                       for n in gast.walk(x))  # fmt: skip

        for b in s.body:
            for n in gast.walk(b):
                if isinstance(n, gast.Subscript) and _mentions(n.slice, t) and objs(n.value):
                    return True
                if (
                    isinstance(n, gast.Call)
                    and isinstance(n.func, gast.Attribute)
                    and n.func.attr == "append"
                    and objs(n.func.value)
                ):
                    return True
        return False

    def for_(self, s: Any) -> list:
        got = self.loop_iter(s)
        head, self.pre = self.pre, []  # (the iterable's items' assignments: `for q in ["w"]`)
        rounds = got.round if isinstance(got, Seq) else None
        if rounds is None:
            it = got
            self.check_no_obj(s.target)
            for n in gast.walk(s.target):
                if isinstance(n, gast.Name):
                    self.env.pop(n.id, None)
            body, els = self.loop_body(s.body, s.orelse)
            return head + [gast.For(target=s.target, iter=it, body=body or [gast.Pass()],
                                    orelse=els, type_comment=None)]  # fmt: skip
        if s.orelse or _exits(s.body):
            raise Abort
        out: list = head
        k = 0
        while True:
            item = rounds(k)
            if item is None:
                break
            k += 1
            if k > _MAX_ROUNDS:
                raise Abort
            self.pre = []
            self.bind(s.target, item, out)
            out.extend(self.pre)
            out.extend(self.stmts(copy.deepcopy(s.body)))
        return out


def _exits(body: list) -> bool:
    for s in body:
        for n in gast.walk(s):
            if isinstance(n, (gast.Break, gast.Continue, gast.Return, gast.Yield)):
                return True
    return False


def _differs(env0: dict, env: dict, n: str) -> bool:
    """Does the end of a loop body disagree with its start about `n`?"""
    a, b = env0.get(n), env.get(n)
    if (
        a is b or isinstance(a, _Poison) or n.startswith("srcad_")
    ):  # (inlined helpers' names: theirs)
        return False
    if a is None:
        return isinstance(b, (Obj, _Poison))  # (a constant: its assignment is there)
    return not (isinstance(a, K) and isinstance(b, K) and a.value == b.value)


def _mentions(x: Any, name: str) -> bool:
    return any(isinstance(n, gast.Name) and n.id == name for n in gast.walk(x))
