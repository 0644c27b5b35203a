"""MAML (model-agnostic meta-learning) on few-shot sine regression, meta-gradients from srcad.

Input: fixed seeds. Output: first, the inner gradient and the meta-gradient at the initial
parameters against central differences on six coordinates (max relative error); then the
meta-loss (the query loss after one inner SGD step) every 100 meta steps; last, on 200 fresh
tasks, the query loss before adaptation and after one inner step. Exits non-zero if a check fails.

Each task is a sine wave ``a sin(x + b)`` (amplitude a in [0.1, 5], phase b in [0, pi]) seen
through K points in [-5, 5]. The model is a 1-40-40-1 tanh MLP whose parameters are one flat
array `w`. `meta_loss` adapts `w` to a task's support points with one SGD step, the gradient
taken by ``srcad.grad(task_loss)`` *inside* the function, and scores the adapted parameters on
the task's query points; `meta_loss_batch` averages it over a batch of tasks, and
``srcad.grad(meta_loss_batch)`` differentiates through the inner gradient (reverse over
reverse). Adam on that meta-gradient, 1000 steps, takes a few seconds.

Run it with ``python examples/maml.py``; print the generated meta-gradient with
``srcad dump examples/maml.py:meta_loss_batch``.
"""

from __future__ import annotations

import time

import numpy as np

import srcad

H = 40  # hidden width
SIZES = [(1, H), (H,), (H, H), (H,), (H, 1), (1,)]  # W1, b1, W2, b2, W3, b3
N_PARAMS = sum(int(np.prod(s)) for s in SIZES)
INNER_LR = 0.01  # the inner SGD step
K = 10  # support and query points per task


def predict(w, x):
    """The MLP at the points `x` (shape (n,)) with the flat parameters `w`: shape (n,)."""
    W1 = w[0:H].reshape(1, H)
    b1 = w[H : 2 * H]
    W2 = w[2 * H : 2 * H + H * H].reshape(H, H)
    b2 = w[2 * H + H * H : 3 * H + H * H]
    W3 = w[3 * H + H * H : 4 * H + H * H].reshape(H, 1)
    b3 = w[4 * H + H * H]
    h1 = np.tanh(x.reshape(-1, 1) @ W1 + b1)
    h2 = np.tanh(h1 @ W2 + b2)
    return (h2 @ W3).reshape(-1) + b3


def task_loss(w, x, y):
    """Mean squared error of the MLP on one task's points."""
    r = predict(w, x) - y
    return np.mean(r * r)


def meta_loss(w, xs, ys, xq, yq):
    """The query loss after one SGD step on the support loss (the gradient taken inside)."""
    w1 = w - INNER_LR * srcad.grad(task_loss)(w, xs, ys)
    return task_loss(w1, xq, yq)


def meta_loss_batch(w, XS, YS, XQ, YQ):
    """`meta_loss` averaged over a batch of tasks (rows of XS, YS, XQ, YQ)."""
    total = 0.0
    for i in range(XS.shape[0]):
        total = total + meta_loss(w, XS[i], YS[i], XQ[i], YQ[i])
    return total / XS.shape[0]


def init_params(rng: np.random.Generator) -> np.ndarray:
    """Glorot-uniform weights, zero biases, flattened in the order `predict` reads them."""
    parts = []
    for shape in SIZES:
        if len(shape) == 2:
            lim = np.sqrt(6.0 / (shape[0] + shape[1]))
            parts.append(rng.uniform(-lim, lim, shape).ravel())
        else:
            parts.append(np.zeros(shape))
    return np.concatenate(parts)


def sample_tasks(
    rng: np.random.Generator, n_tasks: int, k: int = K
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """`n_tasks` sine waves, each with `k` support and `k` query points: (XS, YS, XQ, YQ)."""
    amp = rng.uniform(0.1, 5.0, (n_tasks, 1))
    phase = rng.uniform(0.0, np.pi, (n_tasks, 1))
    xs = rng.uniform(-5.0, 5.0, (n_tasks, k))
    xq = rng.uniform(-5.0, 5.0, (n_tasks, k))
    return xs, amp * np.sin(xs + phase), xq, amp * np.sin(xq + phase)


def check_coords(rng: np.random.Generator) -> np.ndarray:
    """One random coordinate in each of W1, b1, W2, b2, W3, b3."""
    ends = np.cumsum([int(np.prod(s)) for s in SIZES])
    return np.array([rng.integers(end - int(np.prod(s)), end) for s, end in zip(SIZES, ends)])


def fd_check(f, w, args, coords, h: float = 1e-5) -> float:
    """Max relative error of ``srcad.grad(f)(w, *args)`` against central differences of `f` in
    `w` at the coordinates `coords`."""
    g = srcad.grad(f)(w, *args)
    errs = []
    for j in coords:
        e = np.zeros_like(w)
        e[j] = h
        fd = (f(w + e, *args) - f(w - e, *args)) / (2 * h)
        errs.append(abs(g[j] - fd) / max(abs(fd), 1e-8))
    return float(max(errs))


def train(
    steps: int = 1000,
    batch: int = 10,
    lr: float = 1e-2,
    seed: int = 0,
    every: int = 100,
    verbose: bool = True,
) -> tuple[np.ndarray, list[float]]:
    """Adam on the meta-gradient; returns the parameters and the meta-loss at every step."""
    rng = np.random.default_rng(seed)
    w = init_params(rng)
    value_and_grad = srcad.value_and_grad(meta_loss_batch)
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    b1, b2, eps = 0.9, 0.999, 1e-8
    history = []
    for t in range(1, steps + 1):
        value, g = value_and_grad(w, *sample_tasks(rng, batch))
        history.append(float(value))
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        w = w - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps)
        if verbose and (t == 1 or t % every == 0):
            recent = np.mean(history[-every:])
            print(f"  step {t:4d}  meta-loss {value:7.4f}  (mean of last {every}: {recent:.4f})")
    return w, history


def evaluate(w, n_tasks: int = 200, seed: int = 1) -> tuple[float, float]:
    """Mean query loss over fresh tasks: before adaptation, and after one inner step."""
    batch = sample_tasks(np.random.default_rng(seed), n_tasks)
    XS, YS, XQ, YQ = batch
    before = np.mean([task_loss(w, XQ[i], YQ[i]) for i in range(n_tasks)])
    return float(before), float(meta_loss_batch(w, *batch))


def main(steps: int = 1000, verbose: bool = True) -> dict[str, object]:
    """Check the gradients at the initial parameters, train, evaluate on fresh tasks."""
    rng = np.random.default_rng(123)
    w0 = init_params(rng)
    XS, YS, XQ, YQ = sample_tasks(rng, 4)
    coords = check_coords(rng)
    # the inner gradient (of one task's support loss) and the meta-gradient through it
    inner_err = fd_check(task_loss, w0, (XS[0], YS[0]), coords)
    meta_err = fd_check(meta_loss_batch, w0, (XS, YS, XQ, YQ), coords)
    if verbose:
        print(f"MAML, sine regression: 1-{H}-{H}-1 tanh MLP, {N_PARAMS} parameters")
        print(f"central differences at {len(coords)} coordinates, max relative error:")
        print(f"  inner gradient {inner_err:.1e}, meta-gradient {meta_err:.1e}")
    start = time.perf_counter()
    w, history = train(steps=steps, verbose=verbose)
    seconds = time.perf_counter() - start
    before, after = evaluate(w)
    if verbose:
        print(f"{steps} meta steps in {seconds:.1f} s")
        print(f"fresh tasks: query loss {before:.3f} before adaptation, {after:.3f} after one step")
    return {
        "w": w,
        "history": history,
        "inner_fd_error": inner_err,
        "meta_fd_error": meta_err,
        "before": before,
        "after": after,
    }


if __name__ == "__main__":
    out = main()
    # CI runs this file: fail loudly if a gradient disagrees or the meta-loss did not go down
    first, last = np.mean(out["history"][:100]), np.mean(out["history"][-100:])
    if max(out["inner_fd_error"], out["meta_fd_error"]) > 1e-6 or not last < 0.5 * first:
        raise SystemExit(f"maml.py: check failed ({out['meta_fd_error']:.1e}, {first} -> {last})")
