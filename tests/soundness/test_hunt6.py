"""Soundness hunt 6: user-style programs aimed at what landed in session 5 (inlined temporaries,
lists given to NumPy, nested functions writing enclosing variables, record replace, FFTs).

- Wrong values and derivatives: a ``:=`` inside a comprehension (``[(n := n + v) for v in x]``,
  ``sum((n := n + v) for v in x)``) binds `n` in the enclosing function (PEP 572); srcad lowered
  the comprehension in a copy of the environment and dropped the binding, so `n` kept its value
  from before (``n * 2.0 + ys[1]`` gave 0.7 where Python gives 2.2; gradient [0, 1, 0] where
  differences give [3, 3, 2]). The targets are now carried through the comprehension's loop and
  written back, like the variables a nested function it calls writes (lower/closures.py); a
  target with no value before the comprehension was refused until refuse31 (now the last item's
  value, as for a `for` loop's name).
- Wrong values and derivatives: ``any(pos(v) for v in x)`` / ``all(...)`` where `pos` writes an
  enclosing variable (a counter): Python stops at the first true (false) item, srcad evaluated
  every item (the counter was 3 where Python's is 2). `any`/`all` no longer count as consuming
  their generator whole: such a generator is refused (a list comprehension is accepted).
- Wrong Jacobians and Hessians (columns of different draws): ``np.random.seed(None)``,
  ``np.random.seed()``, ``default_rng(None)`` and ``RandomState(None)`` counted as constant
  seeds in passes/draws.py, but they take fresh entropy from the OS on every run (jacfwd and
  hessian run the function once per column). Refused now, like ``default_rng()``.
- Wrong gradients of linear algebra on complex matrices (``M * x[0]`` for a complex constant M):
  np.linalg.det's cofactor and np.kron's cotangent cast the complex operand to float (now
  holomorphic, as inv/solve were); cholesky, qr, svd/svdvals, eigh/eigvalsh use transposes where
  a complex matrix needs conjugate transposes (now refused for complex operands).
- Wrong derivatives (second pass): ``np.add.at(y, idx, v)`` / ``np.subtract.at`` into an integer
  array passed v's derivative through NumPy's cast to integers (scatter_add's rules now go through
  ``out_tangent``, as out_write's do); ``f(..., out=y, where=m)`` dropped `where` (the primal
  itself was wrong: y's old elements where m is false were lost), ``casting=`` too: refused.
- Wrong values and derivatives of ``np.vectorize``: without `otypes` NumPy calls the function
  once more on the first elements (to learn the dtype), which a counter or list the function
  updates sees; and ``otypes=[int]`` (types, not a string) was not read, so the results stayed
  floats with a derivative. Both now as NumPy (lower/numpy_fns.py).
- A wrong value and gradient: ``a = MyList(); a.append(v)`` for a list subclass with its own
  `append` was lowered as a list's (``a + [v]``); a deque / array.array crashed in the primal.
  `.append`/`.extend` of an object made by a class other than list are refused.
- Wrong values and gradients with one-shot iterators (lower/oneshot.py): a generator passed to
  a function that passes it on to one reading it twice, or to a nested function / lambda (which
  are inlined, so the check of called functions never saw them), and a name bound to ``zip(...)``
  looped twice; ``next(g, d)`` of a generator crashed. All refused now.
- A dict's keys: ``a, b = d`` was lowered as ``d[0], d[1]`` (a wrong value with int keys), and
  forward mode of ``list(d)`` / ``for k in d`` took the tangent dict's keys as the keys'
  tangents (wrong JVPs and Hessians); reverse mode of ``for k in d`` crashed.
"""

from __future__ import annotations

import array
import collections
import math

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.corpus import Case, check_hvp_and_hessian, scalar_float_cases, users_hunt6

X = np.array([0.3, 0.7, -0.4])


def walrus_listcomp(x):
    n = 0.0
    ys = [(n := n + v) for v in x]
    return n * 2.0 + ys[1]


def walrus_gen_sum(x):
    n = 0.0
    s = sum((n := n + v) for v in x)
    return n * s


def walrus_loop(x):
    n = 0.0
    for _ in range(2):
        ys = [(n := n * v + 1.0) for v in x]
    return n + ys[0]


def walrus_nested(x):
    n = 0.0
    m = [[(n := n + a * b) for b in x] for a in x]
    return n + m[1][2]


def walrus_dict_and_if(x):
    n = 1.0
    d = {i: (n := n * x[i] + 1.0) for i in range(3)}
    k = 0.0
    ys = [v for v in x if (k := k + v) > 0.2]
    return n * k + d[0] + sum(ys)


def walrus_lambda_own(x):
    n = 2.0
    ys = [(lambda t: (n := t * 2.0) + n)(v) for v in x]  # the lambda's own n
    return n * sum(ys)


def _fd(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = eps
        g[i] = (f(x + e) - f(x - e)) / (2 * eps)
    return g


@pytest.mark.parametrize(
    "f",
    [
        walrus_listcomp,
        walrus_gen_sum,
        walrus_loop,
        walrus_nested,
        walrus_dict_and_if,
        walrus_lambda_own,
    ],
)
def test_walrus_in_a_comprehension_binds_in_the_function(f) -> None:
    v, g = srcad.value_and_grad(f)(X.copy())
    assert np.isclose(v, f(X.copy()))
    np.testing.assert_allclose(g, _fd(f, X), rtol=1e-5, atol=1e-6)
    check_grads(f, (X.copy(),), modes=("fwd", "rev"), order=2)


def walrus_undefined(x):
    ys = [(last := v * 2.0) for v in x]
    return last * ys[0]  # noqa: F821 (bound by the comprehension)


def test_walrus_target_without_a_value_before() -> None:
    # accepted since refuse31: the last item's value, as a `for` loop's name after the loop
    v, g = srcad.value_and_grad(walrus_undefined)(X.copy())
    assert np.isclose(v, walrus_undefined(X.copy()))
    np.testing.assert_allclose(g, _fd(walrus_undefined, X), rtol=1e-5, atol=1e-6)
    check_grads(walrus_undefined, (X.copy(),), modes=("fwd", "rev"))


def any_counter(x):
    cnt = [0]

    def pos(v):
        cnt[0] += 1
        return v > 0.5

    flag = any(pos(v) for v in x)  # stops at x[1]: cnt[0] == 2
    return x[0] * cnt[0] + (x[1] if flag else x[2])


def all_nonlocal(x):
    cnt = 0

    def small(v):
        nonlocal cnt
        cnt += 1
        return v < 0.5

    flag = all(small(v) for v in x)  # stops at x[1]
    return x[0] * cnt + (x[1] if flag else x[2])


def any_walrus(x):
    n = 0.0
    flag = any((n := n + v) > 0.5 for v in x)  # stops at x[1]: n == x[0] + x[1]
    return n * (2.0 if flag else 1.0)


@pytest.mark.parametrize("f", [any_counter, all_nonlocal, any_walrus])
def test_any_all_stop_early_so_their_generator_writing_is_refused(f) -> None:
    with pytest.raises(srcad.SrcadError, match="runs its items when it is consumed"):
        srcad.grad(f)(X.copy())


def all_list(x):
    cnt = [0]

    def small(v):
        cnt[0] += 1
        return v < 0.5

    flag = all([small(v) for v in x])  # a list: every item runs
    return x[0] * cnt[0] + (x[1] if flag else x[2])


def test_any_all_of_a_list_comprehension_stay_accepted() -> None:
    v, g = srcad.value_and_grad(all_list)(X.copy())
    assert np.isclose(v, all_list(X.copy()))
    np.testing.assert_allclose(g, _fd(all_list, X), rtol=1e-5, atol=1e-6)


def seed_none(x):
    np.random.seed(None)  # fresh entropy: another draw on every run
    return np.sum(x**2 * np.random.randn(3))


def seed_empty(x):
    np.random.seed()
    return np.sum(x**2 * np.random.randn(3))


def rng_none(x):
    r = np.random.default_rng(None)
    return np.sum(x**2 * r.standard_normal(3))


def random_state_none(x):
    r = np.random.RandomState(None)
    return np.sum(x**2 * r.randn(3))


@pytest.mark.parametrize("f", [seed_none, seed_empty, rng_none, random_state_none])
@pytest.mark.parametrize("make", [srcad.hessian, srcad.jacfwd])
def test_seeding_from_entropy_is_no_constant_seed(make, f) -> None:
    with pytest.raises(srcad.SrcadError, match="once per column"):
        make(f)(X.copy())


def seed_zero(x):
    np.random.seed(0)
    return np.sum(x**2 * np.random.randn(3))


def test_a_constant_seed_stays_accepted() -> None:
    eps = np.random.RandomState(0).randn(3)
    np.testing.assert_allclose(srcad.hessian(seed_zero)(X.copy()), np.diag(2 * eps))


# -- linear algebra of complex matrices (a complex constant in the function) ----------------------
MC = np.array([[1 + 1j, 0.2], [0.3j, 2 - 0.5j]])
X2 = np.array([0.3, 0.7])


def det_real_part(x):
    return np.linalg.det(MC * x[0] + np.eye(2) * x[1]).real


def det_abs(x):
    return np.abs(np.linalg.det(MC * x[0] + np.eye(2) * x[1]))


def kron_abs(x):
    return np.sum(np.abs(np.kron(MC, x))) + np.sum(np.kron(MC, MC * x[0]).imag)


@pytest.mark.parametrize("f", [det_real_part, det_abs, kron_abs])
def test_det_and_kron_of_complex_matrices(f) -> None:
    """det's cofactor and kron's cotangent cast the complex operand to float (grad[0] of
    det_real_part was 1.19 where differences give 1.5; kron_abs [2.85, 2.85] for [3.98, 3.98])."""
    np.testing.assert_allclose(srcad.grad(f)(X2.copy()), _fd(f, X2), rtol=1e-5, atol=1e-6)
    check_grads(f, (X2.copy(),), modes=("fwd", "rev"), order=2)


def cholesky_c(x):
    a = MC * x[0] + np.eye(2) * x[1]
    return np.sum(np.abs(np.linalg.cholesky(a @ a.conj().T)))


def qr_c(x):
    return np.sum(np.abs(np.linalg.qr(MC * x[0] + np.eye(2) * x[1])[1]))


def svd_c(x):
    return np.sum(np.linalg.svd(MC * x[0] + np.eye(2) * x[1], compute_uv=False))


def eigvalsh_c(x):
    a = MC * x[0] + np.eye(2) * x[1]
    return np.sum(np.linalg.eigvalsh(a @ a.conj().T))


@pytest.mark.parametrize("f", [cholesky_c, qr_c, svd_c])
@pytest.mark.parametrize("how", ["grad", "jvp"])
def test_decompositions_of_complex_matrices_are_refused(f, how) -> None:
    """Their rules use transposes where a complex matrix needs conjugate ones (all four gave
    wrong gradients, e.g. eigvalsh_c [4.0, 2.66] for [8.03, 4.6]; eigvalsh has complex
    Hermitian rules since eigc40d: rules/linalg_eighc.py, below)."""
    # (refused at transform time since session 6: srcad.passes.complex_taint)
    with pytest.raises(srcad.SrcadError, match="of a value that may be complex"):
        if how == "grad":
            srcad.grad(f)(X2.copy())
        else:
            srcad.jvp(f, (X2.copy(),), (np.ones(2),))


def test_eigvalsh_of_a_complex_matrix_is_right() -> None:
    np.testing.assert_allclose(srcad.grad(eigvalsh_c)(X2.copy()), _fd(eigvalsh_c, X2), rtol=1e-6)
    check_grads(eigvalsh_c, (X2.copy(),), modes=("fwd", "rev"), order=2)


def test_decompositions_of_real_matrices_stay_right() -> None:
    def f(x):
        a = np.outer(x, x) + np.diag(x) + 2.0 * np.eye(2)
        return (
            np.sum(np.linalg.svd(a, compute_uv=False))
            + np.sum(np.abs(np.linalg.qr(a)[1]))
            + np.sum(np.linalg.cholesky(a @ a.T))
            + np.sum(np.linalg.eigvalsh(a + a.T) ** 2)
            + np.linalg.det(a)
        )

    np.testing.assert_allclose(srcad.grad(f)(X2.copy()), _fd(f, X2), rtol=1e-5, atol=1e-6)
    check_grads(f, (X2.copy(),), modes=("fwd", "rev"), order=2)


def helper_np_sort(x):
    lst = [x[0], x[1]]

    def g(t):
        lst.sort()  # an update of the enclosing list: still carried back
        return np.insert(t, 1, lst[0]) * np.sort(t)[0]

    return np.sum(g(x)) + lst[0]


def test_np_sort_in_a_nested_function_is_no_update_of_np() -> None:
    """`np.sort(t)` / `np.insert(...)` in a nested function looked like `xs.sort()` of a name
    `np` of the enclosing function: refused ("the nested function `g` writes `np`", found by the
    fuzzer, seed 9998083)."""
    x = np.array([0.3, 0.7, 0.1])
    v, g = srcad.value_and_grad(helper_np_sort)(x.copy())
    assert np.isclose(v, helper_np_sort(x.copy()))
    np.testing.assert_allclose(g, _fd(helper_np_sort, x), rtol=1e-5, atol=1e-6)


# -- writes into local arrays (lower/inplace_np.py), second pass of the hunt ---------------------
X4 = np.array([0.33, 0.77, -0.4, 1.1])


def add_at_int(x):
    y = np.zeros(4, dtype=int)
    np.add.at(y, [0, 1, 0], x[:3] * 10)  # NumPy casts the values to y's integers
    return np.sum(y * x)


def subtract_at_int(x):
    y = np.array([5, 6, 7, 8])
    np.subtract.at(y, [2], x[0] * 3)
    return np.sum(y * x)


@pytest.mark.parametrize("f", [add_at_int, subtract_at_int])
def test_add_at_into_an_integer_array_has_no_derivative(f) -> None:
    """The derivative of the values went into the integer array (add_at_int: [6.3, 14.7, 0, 0]
    where it is y = [3, 7, 0, 0]): scatter_add's rules now pass `out_tangent` as out_write's."""
    assert srcad.primal(f)(X4.copy()) == f(X4.copy())
    ints = np.zeros(4, dtype=int)
    if f is add_at_int:
        np.add.at(ints, [0, 1, 0], X4[:3] * 10)
    else:
        ints = np.array([5, 6, 7, 8])
        np.subtract.at(ints, [2], X4[0] * 3)
    np.testing.assert_allclose(srcad.grad(f)(X4.copy()), ints)
    _, t = srcad.jvp(f, (X4.copy(),), (np.ones(4),))
    assert np.isclose(t, ints.sum())
    np.testing.assert_allclose(srcad.hessian(f)(X4.copy()), np.zeros((4, 4)))


def out_where(x):
    y = np.ones(4) * 2.0
    np.multiply(x, x, out=y, where=x > 0)  # y keeps 2.0 where x <= 0
    return np.sum(y * x)


def out_casting(x):
    y = np.zeros(4, dtype=int)
    np.multiply(x, 10, out=y, casting="unsafe")
    return np.sum(y * x)


def test_out_with_casting_is_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="writes into an existing array"):
        srcad.primal(out_casting)(X4.copy())


def test_out_with_where_keeps_the_old_elements() -> None:
    """`out=y, where=m` leaves y's old elements where m is false: the lowering dropped them once
    (srcad.primal(out_where) gave 1.301 where Python gives 0.901), then refused them; now
    ``np.where(m, x * x, y)`` (session 12, lower/inplace_np._masked)."""
    assert srcad.primal(out_where)(X4.copy()) == pytest.approx(out_where(X4.copy()), rel=1e-14)
    h = 1e-6
    fd = [(out_where(X4 + h * e) - out_where(X4 - h * e)) / (2 * h) for e in np.eye(4)]
    np.testing.assert_allclose(srcad.grad(out_where)(X4.copy()), fd, rtol=1e-6, atol=1e-9)


# -- np.vectorize without otypes calls the function once more (lower/numpy_fns.py) ---------------
def vec_counter(x):
    cnt = 0

    def g(v):
        nonlocal cnt
        cnt += 1
        return v * cnt

    return np.sum(np.vectorize(g)(x))  # NumPy: g(x[0]) first (discarded), then x * [2, 3, 4, 5]


def vec_log(x):
    seen = []

    def g(v):
        seen.append(v)
        return v * v

    return np.sum(np.vectorize(g)(x)) + sum(seen)  # seen: [x[0], x[0], x[1], ...]


def vec_counter_otypes(x):
    cnt = [0]

    def g(v):
        cnt[0] += 1
        return v * cnt[0]

    return np.sum(np.vectorize(g, otypes=[float])(x))  # otypes given: no extra call


@pytest.mark.parametrize("f", [vec_counter, vec_log, vec_counter_otypes])
def test_vectorize_calls_the_function_as_numpy_does(f) -> None:
    """Without `otypes` NumPy calls the function on the first elements once more to learn the
    output dtype; srcad did not, so a counter the function updates was off by one (vec_counter:
    srcad.primal 4.94 where Python gives 6.66, gradient [1, 2, 3, 4] for [2, 3, 4, 5])."""
    assert np.isclose(srcad.primal(f)(X4.copy()), f(X4.copy()))
    np.testing.assert_allclose(srcad.grad(f)(X4.copy()), _fd(f, X4), rtol=1e-5, atol=1e-6)
    check_grads(f, (X4.copy(),), modes=("fwd", "rev"), order=2)


def vec_otypes_int(x):
    return np.sum(np.vectorize(lambda v: v * 2.5, otypes=[int])(x) * x)


def vec_otypes_np_int(x):
    return np.sum(np.vectorize(lambda v: v * 2.5, otypes=[np.int64])(x) * x)


@pytest.mark.parametrize("f", [vec_otypes_int, vec_otypes_np_int])
def test_vectorize_otypes_given_as_types(f) -> None:
    """``otypes=[int]`` was not read (only literal strings were), so the results stayed floats:
    srcad.primal gave 7.07 where Python gives 5.2, the gradient [1.5, -3.5, 7.5] for the
    integers [0, -1, 3] (a cast to int has derivative 0)."""
    x = np.array([0.3, -0.7, 1.5])
    assert srcad.primal(f)(x.copy()) == f(x.copy())
    np.testing.assert_allclose(srcad.grad(f)(x.copy()), (x * 2.5).astype(int))


# -- `.append` of an object made by a class other than list (lower/stmts.py) ----------------------
class TenfoldList(list):
    def append(self, v):
        super().append(v * 10)


def append_list_subclass(x):
    a = TenfoldList()
    a.append(x[0])
    return a[0] * x[1]


def append_deque(x):
    d = collections.deque([x[0], x[1]])
    d.append(x[3])
    return d[0] * 2 + d[-1] + d.maxlen  # (only tested and indexed: a list, lower/deques.py)


def extend_array(x):
    a = array.array("d", [1.0])
    a.extend([x[0]])
    return a[1] * x[1]


@pytest.mark.parametrize("f", [append_list_subclass, append_deque, extend_array])
def test_append_of_a_non_list_object_is_refused(f) -> None:
    """`.append(v)` / `.extend(vs)` are lowered as a list's (``xs + [v]``): a list subclass with
    its own append gave a WRONG value and gradient (append_list_subclass: srcad.primal 0.22
    where Python gives 2.23, gradient [0.72, 0.31] for [7.2, 3.1]); a deque or array.array
    crashed in the primal (TypeError). Refused now when a class call made the object."""
    with pytest.raises(srcad.SrcadError, match="is not supported"):
        srcad.primal(f)(X4.copy())


# -- one-shot iterators (lower/oneshot.py) --------------------------------------------------------
def _reads_twice(it):
    return sum(it) + sum(it)


def _passes_on(it):
    return _reads_twice(it)  # reads `it` once here, twice in the callee


def gen_forwarded(x):
    return _passes_on(v * v for v in x)


def gen_to_nested(x):
    def tw(it):
        return sum(it) * 2 + sum(it)

    return tw(v * 3 for v in x)


def gen_to_lambda(x):
    tw = lambda it: sum(it) + sum(it)  # noqa: E731
    return tw(v * 3 for v in x)


def zip_looped_twice(x):
    z = zip(x[:2], x[2:])
    out = 0.0
    for a, b in z:
        out += a * b
    for _a, _b in z:  # Python: z is exhausted, nothing added
        out += 100.0
    return out


def next_with_default(x):
    g = (v for v in x if v > 5)
    return next(g, x[0]) * 2


@pytest.mark.parametrize(
    "f", [gen_forwarded, gen_to_nested, gen_to_lambda, zip_looped_twice, next_with_default]
)
def test_one_shot_iterators_read_twice_are_refused(f) -> None:
    """WRONG values and gradients before: a generator passed to a function that passes it on to
    one reading it twice (gen_forwarded: srcad.primal 4.11 where Python gives 2.05), or to a
    nested function / lambda reading it twice (inlined, never checked: gen_to_lambda 10.32 for
    5.16, gradient [6, 6, 6, 6] for [3, 3, 3, 3]), a name bound to zip(...) looped twice (200.67
    for 0.67); next(g, default) of a generator srcad made a list crashed (TypeError)."""
    with pytest.raises(srcad.SrcadError, match="one-shot iterator"):
        srcad.primal(f)(X4.copy())


def gen_to_nested_once(x):
    def once(it):
        return sum(it) * 2

    return once(v * 3 for v in x) + _reads_twice([v for v in x])


def test_one_shot_iterators_read_once_stay_accepted() -> None:
    f = gen_to_nested_once
    assert np.isclose(srcad.primal(f)(X4.copy()), f(X4.copy()))
    np.testing.assert_allclose(srcad.grad(f)(X4.copy()), _fd(f, X4), rtol=1e-5, atol=1e-6)


# -- a dict's keys: unpacked, listed, iterated (lower/exprs.unpack, rules/containers) ------------
def unpack_dict(x):
    d = {1: x[0], 0: x[1]}
    a, b = d  # the keys: a == 1, b == 0
    return a * x[2] + b * x[3]


def unpack_keys_view(x):
    d = {"p": x[0], "q": x[1]}
    k1, k2 = d.keys()
    return d[k1] * 2 + d[k2]


def list_of_dict(x):
    d = {1: x[0], 0: x[1]}
    ks = list(d)
    return ks[0] * x[2] + ks[1] * x[3]


def loop_over_dict(x):
    d = {1: x[0], 0: x[1]}
    s = 0.0
    for k in d:
        s = s + k * x[2] + d[k]
    return s


@pytest.mark.parametrize("f", [unpack_dict, unpack_keys_view, list_of_dict, loop_over_dict])
def test_the_keys_of_a_dict_have_no_derivative(f) -> None:
    """`a, b = d` was lowered as d[0], d[1] (unpack_dict: srcad.primal 0.038 where Python gives
    -0.43), `k1, k2 = d.keys()` crashed; forward mode of list(d) / `for k in d` took the tangent
    dict's keys (the keys themselves) as the keys' tangents (list_of_dict: jvp along ones 0.57
    for 1.0); reverse mode of `for k in d` crashed."""
    assert np.isclose(srcad.primal(f)(X4.copy()), f(X4.copy()))
    fd = _fd(f, X4)
    np.testing.assert_allclose(srcad.grad(f)(X4.copy()), fd, rtol=1e-5, atol=1e-6)
    _, t = srcad.jvp(f, (X4.copy(),), (np.ones(4),))
    assert np.isclose(t, fd.sum())
    check_grads(f, (X4.copy(),), modes=("fwd", "rev"), order=2)


# -- the corpus of this hunt at second order (tests/corpus/users_hunt6.py) ------------------------
HVP = [c for c in users_hunt6.CASES if c.extra == "hvp"]


SCALAR = scalar_float_cases(HVP)


@pytest.mark.parametrize("case", SCALAR, ids=[c.name for c in SCALAR])
def test_hvp_and_hessian_match_differences_of_the_gradient(case: Case) -> None:
    check_hvp_and_hessian(case)


# -- np.vectorize bound to a name (lower/numpy_fns.Vectorized): refused before -------------------
def vec_named_lambda(x):
    g = np.vectorize(lambda a, b: a * b if a > b else a + b)
    return np.sum(g(x, x[::-1]))


def vec_named_math(x):
    ce = np.vectorize(math.exp)
    return np.sum(ce(x) ** 2) + float(ce(x[0]))


def vec_named_counter(x):
    cnt = [0]

    def g(v):
        cnt[0] += 1
        return v * cnt[0]

    vg = np.vectorize(g)  # two calls: each calls g once more first (NumPy's dtype probe)
    return np.sum(vg(x)) + np.sum(vg(x[:2])) + cnt[0]


@pytest.mark.parametrize("f", [vec_named_lambda, vec_named_math, vec_named_counter])
def test_vectorize_bound_to_a_name(f) -> None:
    assert np.isclose(srcad.primal(f)(X4.copy()), f(X4.copy()))
    np.testing.assert_allclose(srcad.grad(f)(X4.copy()), _fd(f, X4), rtol=1e-5, atol=1e-6)
    check_grads(f, (X4.copy(),), modes=("fwd", "rev"), order=2)


def vec_in_branches(x):
    g = np.vectorize(np.sin) if x[0] > 0 else np.vectorize(np.cos)
    return np.sum(g(x))


def test_vectorize_objects_joined_by_a_branch_stay_run_time_objects() -> None:
    assert np.isclose(srcad.primal(vec_in_branches)(X4.copy()), vec_in_branches(X4.copy()))


# -- unpacking an object whose class defines __iter__ (lower/exprs.unpack) -----------------------
class IterGrid:
    def __init__(self, a, b):
        self.a = a
        self.b = b

    def __getitem__(self, k):  # not what iteration gives
        return self.a * (k + 1)

    def __iter__(self):
        return iter((self.b, self.a))


def unpack_iter_object(x):
    g = IterGrid(x[0], x[1])
    u, v = g  # Python iterates: u = x[1], v = x[0]
    return u * 2 + v


def test_unpacking_an_object_with_its_own_iter_follows_it() -> None:
    """`u, v = obj` was lowered as obj[0], obj[1]: a WRONG value and gradient when the class's
    __getitem__ is not its iteration (srcad.primal 1.24 where Python gives 1.75, gradient
    [4, 0, 0, 0] for [1, 2, 0, 0]); a TypeError without __getitem__. Then refused; since
    refuse17 the items its __iter__ gives (lower/objiter.py): u = x[1], v = x[0]."""
    assert srcad.primal(unpack_iter_object)(X4.copy()) == pytest.approx(
        unpack_iter_object(X4.copy())
    )
    g = srcad.grad(unpack_iter_object)(X4.copy())
    np.testing.assert_allclose(g, [1.0, 2.0, 0.0, 0.0])
