"""Functions that call srcad.grad inside themselves (MAML, an optimiser loop, the classic
perturbation-confusion cases), for tests/higher/test_inside.py. Module-level, as srcad reads their
source."""

import numpy as np

import srcad

X1 = np.array([[0.5, -1.0], [1.5, 0.3], [-0.2, 0.8]])
Y1 = np.array([1.0, -0.5, 0.2])
X2 = np.array([[0.1, 0.4], [-1.1, 0.9], [0.7, -0.3]])
Y2 = np.array([0.3, 0.8, -1.0])


def loss(w, X, y):
    r = np.tanh(X @ w) - y
    return np.sum(r * r)


G = srcad.grad(loss)


def meta_loss(w):
    w1 = w - 0.1 * srcad.grad(loss)(w, X1, Y1)
    return loss(w1, X2, Y2)


def meta_loss_g(w):
    w1 = w - 0.1 * G(w, X1, Y1)
    return loss(w1, X2, Y2)


def sgd_loss(w):
    for _ in range(3):
        w = w - 0.05 * G(w, X1, Y1)
    return loss(w, X2, Y2)


def local_import(w):
    import srcad as sa

    return loss(w - 0.1 * sa.grad(loss)(w, X1, Y1), X2, Y2)


def add(y, x):
    return x + y


def confusion(x):
    # d/dx [x * d/dy (x + y)] = 1 everywhere (the classic perturbation-confusion test)
    return x * srcad.grad(add)(1.0, x)


def mul2(y, x):
    return x * y


def confusion2(x):
    # d/dx [x * d/dy (x * y)|_{y=x}] = d/dx [x * x] = 2x
    return x * srcad.grad(mul2)(x, x)


def uses_jvp(x):
    out, d = srcad.jvp(loss, (x, X1, Y1), (x, None, None))
    return d


def uses_jvp_packed(x):
    primals = (x, X1, Y1)
    out, d = srcad.jvp(loss, primals, (x, None, None))  # primals must be written out
    return d


def uses_source(x):
    return len(srcad.source(loss)) * x


def closure(x):
    return x * srcad.grad(lambda y: x + y)(1.0)


def meta_value_and_grad(w):
    value, g = srcad.value_and_grad(loss)(w, X1, Y1)
    return value * loss(w - 0.1 * g, X2, Y2)


def loss_with_aux(w):
    r = np.tanh(w) * w
    return np.sum(r * r), {"norm": np.sum(w * w), "r": r}


def uses_aux_gradient(w):
    g, aux = srcad.grad(loss_with_aux, has_aux=True)(w)
    return np.sum(g * g) + aux["norm"]


def loss_only(w):
    return loss_with_aux(w)[0]


def r_only(w):
    return loss_with_aux(w)[1]["r"]


# -- derivatives of nested functions and lambdas (lifted: captured variables become arguments)
def confusion_lambda(x):
    # d/dx [x * d/dy (x + y)] = 1, the inner function a closure over x
    return x * srcad.grad(lambda y: x + y)(1.0)


def confusion_def(x):
    # d/dx [x * (d/dy (x * y))|_{y=x}] = 2x, with a nested def
    def inner(y):
        return x * y

    return x * srcad.grad(inner)(x)


def closure_late(x):
    c = 1.0
    h = lambda y: np.sum(c * y**2)  # noqa: E731
    G = srcad.grad(h)
    c = x[0]  # read when G is called, as Python's closures do
    return np.sum(G(x))


def closure_sp(x):
    f = lambda y: np.sum(np.sin(x * y))  # noqa: E731
    return np.sum(srcad.grad(f)(x) ** 2)


def closure_loop(x):
    s = 0.0
    for i in range(3):
        g = srcad.grad(lambda y: np.sum(np.cos(y * x[i])))(x)  # noqa: B023
        s = s + np.sum(g * x)
    return s


def closure_value_and_grad(x):
    def inner(y, scale=2.0):
        return scale * np.sum(np.tanh(x * y))

    v, g = srcad.value_and_grad(inner)(x)
    v2 = srcad.grad(inner, wrt="scale")(x, scale=3.0)
    return v + np.sum(g * g) + v2


def closure_by_position(x):
    # JAX's spelling: the options after the function by position (wrt, has_aux)
    def inner(y, s):
        return np.sum(np.tanh(x * y)) * s, s * s

    g = srcad.grad(inner, 1, True)(x, 0.7)[0]
    v, gy = srcad.value_and_grad(inner, 0, True)(x[::-1], x[0])
    h = srcad.hessian(lambda y, s: np.sum(np.sin(y * s)), 1)(x, 1.3)
    return g * x[1] + v[0] + np.sum(gy**2) + h


def closure_local_import(x):
    import numpy as lnp

    return np.sum(srcad.grad(lambda y: lnp.sum(lnp.exp(x * y)))(x))


def closure_of_closure(x):
    def outer(y):
        return np.sum(x * y**3)

    G = srcad.grad(outer)
    return np.sum(srcad.grad(lambda z: np.sum(G(z) * x))(x))


# -- srcad.jvp / vjp / hvp / hessian / jacfwd / jacrev called inside a differentiated function
def sin_loss(w):
    return np.sum(np.sin(w) ** 2) * np.sum(w)


def inside_jvp(x):
    out, d = srcad.jvp(sin_loss, (x,), (np.ones(3),))
    return d * out


def inside_hvp(x):
    g, hv = srcad.hvp(sin_loss, (x,), (x,))
    return np.sum(hv * g)


def inside_vjp(x):
    out, pull = srcad.vjp(sin_loss, x)
    (c,) = pull(2.0)
    return np.sum(c**2) + out


def inside_hessian(x):
    return np.sum(srcad.hessian(sin_loss)(x) @ x)


def inside_jacfwd_closure(x):
    return np.sum(srcad.jacfwd(lambda y: np.sin(y) * x)(x) ** 2)


def inside_jacrev_closure(x):
    J = srcad.jacrev(lambda y: np.cumsum(y * x))(x)
    return np.sum(J * J)


def inside_hessian_closure(x):
    return np.trace(srcad.hessian(lambda y: np.sum(x * y**3))(x))


def inside_jvp_two_args(x):
    out, d = srcad.jvp(loss, (x, X1, Y1), (x, None, None))
    return d


def newton_step(x):
    # one Newton step on sin_loss, differentiated end to end
    g = srcad.grad(sin_loss)(x)
    H = srcad.hessian(sin_loss)(x)
    return np.sum((x - np.linalg.solve(H + 10.0 * np.eye(3), g)) ** 2)


def closure_too_many_options(x):
    def inner(y):
        return np.sum(y * y)

    return np.sum(srcad.grad(inner, 0, False, 3)(x))


def closure_jacfwd_three_positional(x):
    # `srcad.jacfwd(inner, 1, True)`: wrt and has_aux by position (refused: never wrt 0 silently)
    def inner(a, s):
        return np.tanh(a * s), s

    J, _ = srcad.jacfwd(inner, 1, True)(x, 0.7)
    return np.sum(J * x)
