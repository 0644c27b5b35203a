"""Soundness of the public API (issue 7): derivatives in the input's structure and dtype, source
that matches the running code, tangents/cotangents checked against their values, grad's output
checks, and the corners of argument handling (wrt, keywords, methods, __wrapped__).

Every expected number is computed here by plain NumPy (and central differences via
`srcad.testing.check_grads`), never by srcad.
"""

from __future__ import annotations

import collections
import functools
import importlib
import os
import sys
import time

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

# -- 1. the derivative has the input's structure, shape and dtype ------------------------------


def tanh_sum(x):
    return np.sum(np.tanh(x))


def dtanh(x):
    return 1.0 - np.tanh(np.asarray(x, dtype=float)) ** 2


def _same_tree(got, want) -> None:
    """Same containers (list/tuple/dict), same leaf types/shapes/dtypes, same numbers."""
    assert type(got) is type(want), (type(got), type(want))
    if isinstance(want, (list, tuple)):
        assert len(got) == len(want)
        for a, b in zip(got, want):
            _same_tree(a, b)
    elif isinstance(want, dict):
        assert list(got) == list(want)
        for k in want:
            _same_tree(got[k], want[k])
    elif isinstance(want, np.ndarray):
        assert got.shape == want.shape and got.dtype == want.dtype, (got, want)
        np.testing.assert_allclose(got, want, rtol=1e-6 if want.dtype == np.float32 else 1e-13)
    else:
        assert got == pytest.approx(want, rel=1e-6 if isinstance(want, np.float32) else 1e-13)


T1, T2, T3, T4 = (float(dtanh(v)) for v in (1.0, 2.0, 3.0, 4.0))

STRUCTURED = [
    ("list", [1.0, 2.0], [T1, T2]),
    ("tuple", (1.0, 2.0), (T1, T2)),
    ("nested list", [[1.0, 2.0], [3.0, 4.0]], [[T1, T2], [T3, T4]]),
    ("float", 1.0, T1),
    ("0-d array", np.array(1.0), np.array(T1)),
    ("np.float64", np.float64(1.0), np.float64(T1)),
    ("float32 array", np.array([1.0, 2.0], np.float32), dtanh([1.0, 2.0]).astype(np.float32)),
    ("np.float32", np.float32(1.0), np.float32(T1)),
]


@pytest.mark.parametrize("x, want", [c[1:] for c in STRUCTURED], ids=[c[0] for c in STRUCTURED])
def test_gradient_in_the_input_structure(x, want) -> None:
    # before: a list input got [0.0, 0.0] (the array gradient was dropped as "no derivative")
    _same_tree(srcad.grad(tanh_sum)(x), want)
    value, g = srcad.value_and_grad(tanh_sum)(x)
    assert value == pytest.approx(np.sum(np.tanh(np.asarray(x, dtype=float))), rel=1e-6)
    _same_tree(g, want)
    out, pull = srcad.vjp(tanh_sum, x)
    _same_tree(pull(np.ones_like(out) if isinstance(out, np.ndarray) else type(out)(1.0)), (want,))
    flat = np.asarray(want, dtype=float)
    np.testing.assert_allclose(srcad.jacrev(tanh_sum)(x), flat, rtol=1e-6)
    np.testing.assert_allclose(srcad.jacfwd(tanh_sum)(x), flat, rtol=1e-6)
    _, dout = srcad.jvp(tanh_sum, (x,), (x,))  # tangent = the point itself
    assert dout == pytest.approx(float(np.sum(flat * np.asarray(x, dtype=float))), rel=1e-6)


def test_list_gradient_exact_numbers() -> None:
    g = srcad.grad(tanh_sum)([1.0, 2.0])
    assert g == [1 - np.tanh(1.0) ** 2, 1 - np.tanh(2.0) ** 2]
    assert g == [0.41997434161402614, 0.07065082485316443]
    assert all(type(v) is float for v in g)
    check_grads(tanh_sum, ([1.0, 2.0],), modes=("fwd", "rev"))
    check_grads(tanh_sum, ([[1.0, 2.0], [3.0, 4.0]],), modes=("fwd", "rev"))


def dict_loss(d):
    return np.sum(np.tanh(d["a"])) + np.sum(d["b"] ** 2)


def mixed(t):
    return np.sum(np.tanh(np.asarray(t[0]))) + t[1][0] * t[1][1]


def test_gradient_of_dicts_and_mixed_nesting() -> None:
    d = {"a": np.array([1.0, 2.0]), "b": np.array([3.0])}
    _same_tree(srcad.grad(dict_loss)(d), {"a": dtanh([1.0, 2.0]), "b": np.array([6.0])})
    _same_tree(srcad.grad(mixed)(([1.0, 2.0], (3.0, 4.0))), ([T1, T2], (4.0, 3.0)))
    check_grads(mixed, (([1.0, 2.0], (3.0, 4.0)),), modes=("fwd", "rev"))


def test_namedtuple_and_label_leaves_keep_their_structure() -> None:
    P = collections.namedtuple("P", "a b")
    g = srcad.vjp(lambda p: p[0] * p[1], P(2.0, 3.0))[1](1.0)[0]
    assert type(g) is P and g == P(3.0, 2.0)
    assert srcad.grad(lambda t: t[1] * 2.0)(("label", 3.0)) == (None, 2.0)


def concat_weights(x):
    return np.sum(np.asarray(x + x) * np.array([1.0, 2.0, 3.0, 4.0]))


def test_jacobians_of_list_inputs_use_list_tangents() -> None:
    # x + x concatenates lists: d/dx = [1 + 3, 2 + 4]; an array tangent would add instead
    np.testing.assert_array_equal(srcad.jacfwd(concat_weights)([1.0, 2.0]), [4.0, 6.0])
    # a dict input: JAX's layout (the input's structure of out.shape + leaf.shape blocks)
    for jac in (srcad.jacfwd, srcad.jacrev):
        j = jac(dict_loss)({"a": np.ones(2), "b": np.ones(1)})
        assert set(j) == {"a", "b"}
        np.testing.assert_allclose(j["a"], [1 - np.tanh(1.0) ** 2] * 2, rtol=1e-15)
        np.testing.assert_array_equal(j["b"], [2.0])
        with pytest.raises(srcad.SrcadError, match="needs an array, a number, or a dict"):
            jac(dict_loss)({"a", "b"})


def test_reverse_mode_of_list_concatenation() -> None:
    assert srcad.grad(concat_weights)([1.0, 2.0]) == [4.0, 6.0]


# -- 2. the differentiated source is the source of the code that runs ---------------------------


def _write(path, text: str, bump: float) -> None:
    with open(path, "w") as fh:
        fh.write(text)
    t = time.time() + bump  # a new mtime even on coarse file systems
    os.utime(path, (t, t))


@pytest.fixture
def module_dir(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    names = []
    yield tmp_path, names
    for n in names:
        sys.modules.pop(n, None)


SQUARE = (
    "def loss(x):\n    return x * x\n\n"
    "sq = lambda x: x * x\n\n"
    "class C:\n    def m(self, x):\n        return x * x\n"
)
CUBE = SQUARE.replace("x * x", "x * x * x")


def test_reloaded_module_is_differentiated_from_its_new_source(module_dir) -> None:
    path, names = module_dir
    names.append("srcad_reload_a")
    _write(path / "srcad_reload_a.py", SQUARE, 0)
    mod = importlib.import_module("srcad_reload_a")
    assert srcad.grad(mod.loss)(3.0) == 6.0
    _write(path / "srcad_reload_a.py", CUBE, 5)
    importlib.reload(mod)
    assert mod.loss(3.0) == 27.0
    # before: 6.0 (the derivative of the old text, from linecache)
    assert srcad.grad(mod.loss)(3.0) == 27.0
    assert srcad.grad(mod.sq)(3.0) == 27.0
    assert srcad.grad(mod.C().m)(3.0) == 27.0
    assert srcad.jvp(mod.loss, (3.0,), (1.0,)) == (27.0, 27.0)


def test_edited_but_not_reloaded_module_is_refused(module_dir) -> None:
    path, names = module_dir
    names.append("srcad_reload_b")
    _write(path / "srcad_reload_b.py", SQUARE, 0)
    mod = importlib.import_module("srcad_reload_b")
    assert srcad.grad(mod.loss, wrt="x")(2.0) == 4.0  # transformed before the edit: cached
    _write(path / "srcad_reload_b.py", CUBE, 5)
    assert mod.loss(3.0) == 9.0  # what runs is still x * x
    # cached transform of the running code object: still its (correct) derivative
    assert srcad.grad(mod.loss, wrt="x")(3.0) == 6.0
    # never transformed before: the file's text is not the running code -> refused
    for f in (mod.sq, mod.C().m):
        with pytest.raises(srcad.SrcadError, match="changed since it was imported; reload"):
            srcad.grad(f)(3.0)
    importlib.reload(mod)
    assert srcad.grad(mod.sq)(3.0) == 27.0


def test_string_with_a_line_of_blanks_is_the_running_code(module_dir) -> None:
    # textwrap.dedent emptied the docstring's line of blanks: the currency check refused `loss`
    path, names = module_dir
    names.append("srcad_blank_line")
    _write(
        path / "srcad_blank_line.py",
        'def loss(x):\n    """Square.\n    \n    """\n    return x * x\n',
        0,
    )
    mod = importlib.import_module("srcad_blank_line")
    assert srcad.grad(mod.loss)(3.0) == 6.0


METHOD_STRINGS = (
    "class C:\n"
    "    def loss(self, x):\n"
    '        """Square.\n\n        Indented in the string too."""\n'
    "        return x * x\n\n"
    "def outer():\n"
    "    def g(x):\n"
    '        s = """a\n        b"""\n'
    "        return x * x + 0.0 * len(s)\n"
    "    return g\n"
)


def test_indented_def_with_a_multiline_string_is_the_running_code(module_dir) -> None:
    # textwrap.dedent removed the indentation inside the strings too: the currency check
    # refused the method and the nested function
    path, names = module_dir
    names.append("srcad_indented_strings")
    _write(path / "srcad_indented_strings.py", METHOD_STRINGS, 0)
    mod = importlib.import_module("srcad_indented_strings")
    assert srcad.grad(mod.C().loss)(3.0) == 6.0
    assert srcad.grad(mod.outer())(3.0) == 6.0


def with_assert(x):
    assert x > 0, "positive"  # pytest rewrites this assert: the check must allow for it
    return np.sin(x) * x


def _outer(a):
    b = 2.0 * a

    def inner(x):
        assert b > 0
        return a * np.sin(x) + b * x

    return inner


class _Model:
    lam = lambda self, x: x * 3.0  # noqa: E731

    def loss(self, x):
        return np.cos(x) * 2.0


@functools.lru_cache
def cached(x):
    return x**3


def test_source_check_accepts_unchanged_code_in_any_context() -> None:
    assert srcad.grad(with_assert)(1.0) == pytest.approx(np.cos(1.0) + np.sin(1.0), rel=1e-14)
    assert srcad.grad(_outer(1.5))(0.0) == pytest.approx(1.5 + 3.0, rel=1e-14)
    assert srcad.grad(_Model().lam)(1.0) == 3.0
    assert srcad.grad(_Model().loss)(1.0) == pytest.approx(-2.0 * np.sin(1.0), rel=1e-14)
    assert srcad.grad(cached)(2.0) == 12.0
    two = [lambda x: x * 2.0, lambda x: x * 5.0]
    assert [srcad.grad(f)(1.0) for f in two] == [2.0, 5.0]


# -- 3. tangents and cotangents must match their values -----------------------------------------


def sum_sq(x):
    return np.sum(x * x)


def test_jvp_refuses_a_tangent_of_another_shape() -> None:
    # before: the (2, 1) tangent broadcast and gave 8.0 instead of 4.0
    with pytest.raises(srcad.SrcadError, match=r"argument 0 \(`x`\) has shape \(2, 1\).*\(2,\)"):
        srcad.jvp(sum_sq, (np.ones(2),), (np.ones((2, 1)),))
    assert srcad.jvp(sum_sq, (np.ones(2),), (np.ones(2),)) == (2.0, 4.0)
    with pytest.raises(srcad.SrcadError, match=r"shape \(\), the argument has shape \(1,\)"):
        srcad.jvp(sum_sq, (np.ones(1),), (1.0,))
    with pytest.raises(srcad.SrcadError, match="is a ndarray of shape"):
        srcad.jvp(lambda x: x[0] * x[1], ([1.0, 2.0],), (np.array([1.0, 0.0]),))
    with pytest.raises(srcad.SrcadError, match="has keys"):
        srcad.jvp(lambda d: d["a"] * d["b"], ({"a": 1.0, "b": 2.0},), ({"a": 1.0, "c": 0.0},))
    with pytest.raises(srcad.SrcadError, match="tuple or list"):
        srcad.jvp(sum_sq, np.ones(2), np.ones(2))
    with pytest.raises(srcad.SrcadError, match="1 primals and 2 tangents"):
        srcad.jvp(sum_sq, (1.0,), (1.0, 2.0))


def test_jvp_tangent_types_that_are_accepted() -> None:
    # shape () both ways
    assert srcad.jvp(sum_sq, (np.array(2.0),), (1.0,)) == (4.0, 4.0)
    assert srcad.jvp(sum_sq, (2.0,), (np.array(1.0),)) == (4.0, 4.0)
    # integer tangents are exact directions: converted to float
    assert srcad.jvp(sum_sq, (2.0,), (1,)) == (4.0, 4.0)
    out, dout = srcad.jvp(lambda x: x * x, (2.0,), (1,))
    assert (out, dout, type(dout)) == (4.0, 4.0, float)
    assert srcad.jvp(sum_sq, (np.ones(2),), (np.array([1, 2]),))[1] == 6.0
    # a tuple for a list (same length) is converted to a list; a None entry is a zero
    assert srcad.jvp(lambda x: x[0] * x[1], ([1.0, 2.0],), ((1.0, 0.0),)) == (2.0, 2.0)
    assert srcad.jvp(lambda x: x[0] * x[1], ([1.0, 2.0],), ([None, 1.0],)) == (2.0, 1.0)
    for bad in (True, 1j):
        with pytest.raises(srcad.SrcadError, match="real floating-point"):
            srcad.jvp(sum_sq, (2.0,), (bad,))
    # a float32 output keeps float32 tangents
    _, dout = srcad.jvp(sum_sq, (np.ones(2, np.float32),), (np.ones(2, np.float32),))
    assert dout.dtype == np.float32 and dout == 4.0


def test_pullback_refuses_a_cotangent_of_another_shape() -> None:
    out, pull = srcad.vjp(lambda x: x * 2.0, np.ones(2))
    with pytest.raises(srcad.SrcadError, match=r"cotangent has shape \(2, 1\).*output has"):
        pull(np.ones((2, 1)))
    with pytest.raises(srcad.SrcadError, match=r"cotangent has shape \(\)"):
        pull(1.0)
    np.testing.assert_array_equal(pull(np.array([1, 2]))[0], [2.0, 4.0])
    _, pull = srcad.vjp(lambda x: (x * 2.0, x * 3.0), 1.0)
    assert pull((1.0, 1.0)) == (5.0,)
    assert pull((1.0, None)) == (2.0,)
    with pytest.raises(srcad.SrcadError, match="cotangent is a tuple"):
        pull((1.0,))
    with pytest.raises(srcad.SrcadError, match="cotangent is None"):
        pull(None)


# -- 4. grad needs a real scalar output ---------------------------------------------------------


@pytest.mark.parametrize(
    "f, x, match",
    [
        (lambda x: (x * 2, x * 3), 1.0, "returned a tuple"),  # before: TypeError in generated code
        (lambda x: [x * 2, x * 3], 1.0, "returned a list"),
        (lambda x: {"a": x * 2}, 1.0, "returned a dict"),
        (lambda x: x * 2.0, np.ones(3), r"array of shape \(3,\)"),
        (lambda x: x * 2.0, np.ones(1), r"array of shape \(1,\)"),
        (lambda x: x > 0, 1.5, "returned a bool"),
        (lambda x: np.sqrt(x + 0j), 1.0, "complex"),
        (lambda x: None, 1.0, "returned a NoneType"),
    ],
    ids=["tuple", "list", "dict", "array", "shape (1,)", "bool", "complex", "None"],
)
def test_grad_refuses_non_scalar_outputs(f, x, match) -> None:
    with pytest.raises(srcad.SrcadError, match=match):
        srcad.grad(f)(x)
    with pytest.raises(srcad.SrcadError, match=match):
        srcad.value_and_grad(f)(x)


def hinge(x):
    return max(0, 1 - 2 * x)


def test_grad_accepts_int_outputs_of_piecewise_functions() -> None:
    assert srcad.grad(hinge)(0.0) == -2.0
    assert srcad.grad(hinge)(1.5) == 0.0  # max picked the int 0: locally constant
    np.testing.assert_array_equal(srcad.grad(lambda x: np.argmax(x))(np.ones(2)), [0.0, 0.0])


def test_has_aux_needs_a_pair() -> None:
    for f, got in (
        (lambda x: x * 2, "a float"),
        (lambda x: (x * 2, 1, 2), "a tuple of length 3"),
        (lambda x: np.array([x * 2, 1.0]), "a ndarray"),
    ):
        with pytest.raises(srcad.SrcadError, match=f"must return a pair.*{got}"):
            srcad.value_and_grad(f, has_aux=True)(1.0)
    assert srcad.value_and_grad(lambda x: (x * 2, "a"), has_aux=True)(1.0) == ((2.0, "a"), 2.0)


def test_errors_of_the_function_itself_are_not_hidden() -> None:
    with pytest.raises(IndexError):
        srcad.grad(lambda x: np.log(x) + [1.0][3])(1.0)


# -- argument handling --------------------------------------------------------------------------


def kw_only(x, *, s):
    return s * x * x


class Scaled:
    def __init__(self) -> None:
        self.w = 2.0

    def f(self, x, y=1.0):
        return self.w * x * y


def test_keyword_only_parameters_and_methods() -> None:
    assert srcad.grad(kw_only, wrt="s")(1.5, s=3.0) == 2.25
    assert srcad.grad(kw_only, wrt=(0, "s"))(1.5, s=3.0) == (9.0, 2.25)
    np.testing.assert_array_equal(srcad.jacrev(kw_only)(np.ones(2), s=3.0), 6.0 * np.eye(2))
    np.testing.assert_array_equal(srcad.jacfwd(kw_only)(np.ones(2), s=3.0), 6.0 * np.eye(2))
    np.testing.assert_array_equal(srcad.jacrev(kw_only, wrt="s")(np.ones(2), s=3.0), [1.0, 1.0])
    m = Scaled()
    assert srcad.grad(m.f, wrt="y")(3.0) == 6.0
    # before: TypeError (the derivative forgot the bound `self` when given example args)
    assert srcad.source(srcad.grad(m.f), args=(3.0,)).startswith("def grad_f(self, x, y)")


def test_bad_wrt_and_inputs_are_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="not True"):
        srcad.grad(Scaled().f, wrt=True)(3.0, 2.0)
    with pytest.raises(srcad.SrcadError, match="no parameter `self`"):
        srcad.grad(Scaled().f, wrt="self")(3.0)
    for bad in (None, "ab"):
        with pytest.raises(srcad.SrcadError, match="derivatives need floating-point inputs"):
            srcad.grad(lambda s: 1.0)(bad)


class Doubler:
    """Calls its __wrapped__ but doubles the result: not the wrapped function's derivative."""

    def __init__(self, f):
        self.__wrapped__ = f

    def __call__(self, x):
        return 2.0 * self.__wrapped__(x)


def square(x):
    return x * x


def test_wrapped_objects_are_not_differentiated_as_their_wrapped_function() -> None:
    d = Doubler(square)
    assert d(3.0) == 18.0
    # before: 6.0, the derivative of `square` (the true one is 12.0)
    with pytest.raises(srcad.SrcadError, match="__wrapped__"):
        srcad.grad(d)(3.0)


def test_check_grads_refuses_a_derivative_of_another_shape(monkeypatch) -> None:
    real = srcad.jvp

    def reshaped(f, primals, tangents):
        out, dout = real(f, primals, tangents)
        return out, np.reshape(dout, (1,))  # size 1, but not the output's shape ()

    monkeypatch.setattr(srcad.api, "jvp", reshaped)  # what check_grads calls
    with pytest.raises(AssertionError, match=r"shape \(1,\) from srcad, expected \(\)"):
        check_grads(lambda x: x * x, (2.0,))
