"""passes/shadowed_methods.record marks reads of attributes of values of no known class
(``read_may_update``: a property with effects, read as often as Python reads it). Reads of a
module's or class's attribute, of a known global object's plain field or method, and a method
looked up to be called are not such reads: the optimiser drops them when unused, so the
generated code carries no bare ``srcad.grad`` / ``MODEL.loss`` statements."""

import itertools

import numpy as np

import srcad


class _Model:
    def __init__(self):
        self.w = np.array([0.5, -1.0, 2.0])

    def loss(self, x):
        return np.sum((self.w * x) ** 2)


MODEL = _Model()


def uses_module_and_model(x):
    g = srcad.grad(lambda t: np.sum(t**3))(x)
    flat = list(itertools.chain.from_iterable([[1.0, 2.0], [3.0]]))
    return MODEL.loss(x * 2.0) + np.sum(g * x) + flat[2] * x[0]


def _bare_lines(src: str) -> list[str]:
    return [ln for ln in src.splitlines() if ln.strip() and ln.strip().replace(".", "").isidentifier()
            and ln.strip() not in ("pass", "break", "continue")]  # fmt: skip


def test_no_bare_reads_of_known_globals():
    x = np.array([0.3, -0.2, 0.5])
    for mode in ("grad", "jvp"):
        src = srcad.source(uses_module_and_model, mode=mode, args=(x,))
        assert _bare_lines(src) == [], src
    srcad.testing.check_grads(uses_module_and_model, (x,), order=2)
