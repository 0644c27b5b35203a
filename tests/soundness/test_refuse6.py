"""Session 6's `refuse`: the idioms tests/corpus/users_idioms6.py accepts, at second order
(srcad.hvp against differences of srcad.grad, srcad.hessian against srcad.hvp), and their
neighbours that must stay refused, each at its line with the reason."""

from __future__ import annotations

import functools
import itertools

import numpy as np
import pytest

import srcad
from tests.corpus import Case, check_hvp_and_hessian, scalar_float_cases, users_idioms6

X = np.array([0.3, -0.7, 1.2])

HVP = scalar_float_cases([c for c in users_idioms6.CASES if c.extra == "hvp"])


@pytest.mark.parametrize("case", HVP, ids=[c.name for c in HVP])
def test_second_order(case: Case) -> None:
    check_hvp_and_hessian(case)


def setdefault_unknown_kind(x, d):
    d.setdefault(0, []).append(x[0])  # `d` is an argument: Python changes the caller's dict
    return x[0]


def rows_shared(x):
    row = []
    rows = [row, row]  # one list in two slots: appending to rows[0] changes rows[1]
    rows[0].append(x[0])
    return sum(rows[1]) * x[1]


def dict_shared_value(x):
    lst = []
    d = {"a": lst, "b": lst}
    k = "a" if x[0] > 0 else "b"
    d[k].append(x[1])
    return sum(d["b"]) + sum(d["a"])


def try_reads_exception(x):
    A = np.eye(3) + np.outer(x, x)
    try:
        y = np.linalg.solve(A, x)
    except np.linalg.LinAlgError as e:
        y = x * len(str(e))
    return np.sum(y)


def try_finally(x):
    A = np.eye(3) + np.outer(x, x)
    try:
        y = np.linalg.solve(A, x)
    except np.linalg.LinAlgError:
        y = x
    finally:
        A = None
    return np.sum(y)


def test_try_finally_taken() -> None:
    """(session 12) the `finally` part runs after the `try`/`except` (lower/lower.py)."""
    x = np.array([0.3, -0.7, 1.2])
    assert srcad.primal(try_finally)(x) == pytest.approx(try_finally(x))
    h = 1e-6
    fd = [(try_finally(x + h * e) - try_finally(x - h * e)) / (2 * h) for e in np.eye(3)]
    np.testing.assert_allclose(srcad.grad(try_finally)(x), fd, rtol=1e-6)


def try_random(x):
    rng = np.random.default_rng(0)
    try:
        y = rng.normal(x)  # two calls would draw two numbers
    except ValueError:
        y = x
    return np.sum(y)


def errstate_raise(x):
    with np.errstate(divide="call"):  # a user function ("raise": lower/withs.raising_try)
        r = np.log(np.abs(x))
    return np.sum(r)


def with_other_manager(x):
    with np.printoptions(precision=3):
        r = x * 2.0
    return np.sum(r)


def zip_bound_then_sorted(x):
    z = zip([3, 1, 2], x)  # an iterator bound to a name: its generator expression (idioms15)
    return sorted(z)[0][1]


def test_zip_bound_to_a_name_is_read_once() -> None:
    x = np.array([0.3, 0.5, 0.7])
    assert srcad.primal(zip_bound_then_sorted)(x) == zip_bound_then_sorted(x)
    np.testing.assert_array_equal(srcad.grad(zip_bound_then_sorted)(x), [0.0, 1.0, 0.0])


def chain_bound(x):
    c = itertools.chain(x[:1], x[1:])  # one iterator read twice: Python's second sum is 0
    return sum(c) + sum(c)


def chain_list_grows_in_loop(x):
    out = [x[0]]
    s = 0.0
    for v in itertools.chain(out, x[1:]):  # Python reads `out` as the loop appends to it
        out.append(v)
        s += v
        if len(out) > 4:
            break
    return s


def islice_negative(x):
    return sum(itertools.islice(x, -1))  # Python raises ValueError


def partial_returned(x):
    return functools.partial(np.multiply, x)


def set_variable(x):
    idx = {0, 2}  # a set value iterated (sorted(idx) is a list: test_hunt43)
    return sum(x[i] for i in idx)


def set_of_strings_iterated(x):
    s = 0.0
    for name in {"a", "b"}:  # the order depends on the process's string hashing
        s = s * 2.0 + x[0] * len(name)
    return s


def shallow_slice_shares_rows(x):
    a = [[x[0]], [x[1]]]
    b = a[:]  # the rows are shared: appending to b[0] changes a[0]
    b[0].append(x[2])
    return sum(a[0]) * x[1]


def vectorize_returned(x):
    g = np.vectorize(lambda t: t * t)
    return g


@pytest.mark.parametrize(
    ("fn", "args", "match"),
    [
        (setdefault_unknown_kind, (X, {}), "append"),
        (rows_shared, (X,), "appended to"),
        (dict_shared_value, (X,), "appended to"),
        (try_random, (X,), "pure NumPy/SciPy function only"),
        (vectorize_returned, (X,), "nested function `<lambda>` is used as a value"),
        (partial_returned, (X,), "functools.partial` object made here"),
        (set_variable, (X,), "set literals are not supported"),
        (set_of_strings_iterated, (X,), "set literals are not supported"),
        (shallow_slice_shares_rows, (X,), "appended to"),
        (errstate_raise, (X,), "`with` statements are not supported"),
        (with_other_manager, (X,), "`with` statements are not supported"),
        (chain_bound, (X,), "chain"),
        (chain_list_grows_in_loop, (X,), "appended to"),
        (islice_negative, (X,), "islice"),
    ],
)
def test_refused_neighbours(fn, args, match: str) -> None:
    with pytest.raises(srcad.SrcadError, match=match) as e:
        srcad.grad(fn)(*args)
    assert "test_refuse6.py:" in str(e.value)


def test_try_which_lets_other_exceptions_through() -> None:
    """An exception no handler names propagates from the check, as from Python's call."""

    def f(x):
        A = np.ones((2, 3))  # not square: LinAlgError, which the handler does not name
        try:
            y = np.linalg.solve(A, x)
        except TypeError:
            y = x
        return np.sum(y)

    with pytest.raises(np.linalg.LinAlgError):
        f(X)
    with pytest.raises(np.linalg.LinAlgError):
        srcad.grad(f)(X)


def test_ported_try_except_takes_the_body() -> None:
    from tests.corpus.ported_semantics2 import sy_try_except

    assert srcad.grad(sy_try_except)(0.7) == pytest.approx(1 / 0.7)


def test_string_set_constant_is_current_under_any_hash_seed(tmp_path) -> None:
    """``mode in {"relu", "gelu"}`` compiles to a frozenset whose order in a .pyc follows the
    string hashes of the process that wrote it: the currency check (frontend/source.py) must not
    read another order as an edited file."""
    import subprocess
    import sys

    (tmp_path / "setmod.py").write_text(
        "import numpy as np\n\n\n"
        "def f(x, mode='relu'):\n"
        "    if mode in {'relu', 'gelu', 'silu', 'tanh', 'elu', 'selu'}:\n"
        "        return np.sum(np.maximum(x, 0.0))\n"
        "    return np.sum(x)\n"
    )
    env = {**__import__("os").environ, "PYTHONHASHSEED": "1"}
    code = "import py_compile; py_compile.compile('setmod.py', doraise=True)"
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, check=True)
    run = (
        "import numpy as np, srcad, setmod\n"
        "print(srcad.grad(setmod.f)(np.array([0.3, -0.7, 1.2])))\n"
    )
    for seed in ("2", "3", "4"):
        env["PYTHONHASHSEED"] = seed
        out = subprocess.run(
            [sys.executable, "-c", run], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert out.returncode == 0 and "[1. 0. 1.]" in out.stdout, out.stderr[-800:]
