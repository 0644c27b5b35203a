"""Array code against hand-written gradients (issue 11, item 1): an LSTM, and the MLP and GMM of
problems.py, timed in interleaved rounds so the ratios hold while the machine's load changes.

    python benchmarks/bench_lstm.py

Input: the LSTM below (T=20 steps, batch 32, 32 inputs, 64 hidden units, squared error of the
last hidden state; derivative in Wx, Wh, b), rnn_cells.py's vanilla RNN and GRU, and problems.py's
MLP and GMM. Output: a markdown
table (ms per call; srcad's gradient over the hand-written one and over the objective) and
benchmarks/results/arrays.json. Targets (read, not asserted): grad / hand <= 1.15x on the MLP
and the GMM, GMM <= 2.3x the objective, LSTM <= 3x the objective. Each srcad gradient is
checked against the hand-written one before it is timed.
"""

from __future__ import annotations

import harness  # first: pins BLAS threads before numpy is imported
import numpy as np
import problems
import rnn_cells

import srcad


def lstm_loss(Wx, Wh, b, xs, y):
    H = Wh.shape[0]
    h = np.zeros((xs.shape[1], H))
    c = np.zeros((xs.shape[1], H))
    for t in range(xs.shape[0]):
        z = xs[t] @ Wx + h @ Wh + b
        i = 1.0 / (1.0 + np.exp(-z[:, :H]))
        f = 1.0 / (1.0 + np.exp(-z[:, H : 2 * H]))
        o = 1.0 / (1.0 + np.exp(-z[:, 2 * H : 3 * H]))
        g = np.tanh(z[:, 3 * H :])
        c = f * c + i * g
        h = o * np.tanh(c)
    return 0.5 * np.sum((h - y) ** 2)


def lstm_grad(Wx, Wh, b, xs, y):
    H = Wh.shape[0]
    h = np.zeros((xs.shape[1], H))
    c = np.zeros((xs.shape[1], H))
    tape = []
    for t in range(xs.shape[0]):
        z = xs[t] @ Wx + h @ Wh + b
        s = 1.0 / (1.0 + np.exp(-z[:, : 3 * H]))
        g = np.tanh(z[:, 3 * H :])
        i, f, o = s[:, :H], s[:, H : 2 * H], s[:, 2 * H :]
        c_prev, h_prev = c, h
        c = f * c + i * g
        tc = np.tanh(c)
        h = o * tc
        tape.append((xs[t], h_prev, c_prev, s, g, tc))
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    dh, dc = h - y, np.zeros_like(c)
    for x, h_prev, c_prev, s, g, tc in reversed(tape):
        i, f, o = s[:, :H], s[:, H : 2 * H], s[:, 2 * H :]
        dc = dc + dh * o * (1.0 - tc * tc)
        ds = np.concatenate([dc * g, dc * c_prev, dh * tc], axis=1) * s * (1.0 - s)
        dz = np.concatenate([ds, dc * i * (1.0 - g * g)], axis=1)
        dWx += x.T @ dz
        dWh += h_prev.T @ dz
        db += dz.sum(axis=0)
        dh = dz @ Wh.T
        dc = dc * f
    return dWx, dWh, db


def lstm_problem() -> problems.Problem:
    rng = np.random.default_rng(7)
    T, B, D, H = 20, 32, 32, 64
    args = (
        rng.standard_normal((D, 4 * H)) / np.sqrt(D),
        rng.standard_normal((H, 4 * H)) / np.sqrt(H),
        0.1 * rng.standard_normal(4 * H),
        rng.standard_normal((T, B, D)),
        rng.standard_normal((B, H)),
    )
    return problems.Problem("LSTM T=20 B=32 32-64", lstm_loss, args, (0, 1, 2), None, lstm_grad)


def bench(p: problems.Problem) -> dict:
    args = p.args
    g = srcad.grad(p.f, wrt=p.wrt)
    transform = harness.first_call(lambda: g(*args))
    harness.assert_close(g(*args), p.hand_grad(*args), f"srcad gradient of {p.name}")
    t = harness.best_times(
        {
            "objective": lambda: p.f(*args),
            "srcad": lambda: g(*args),
            "hand": lambda: p.hand_grad(*args),
        },
        repeat=9,
    )
    print(f"# {p.name}: srcad first call (transform + run) {transform * 1e3:.1f} ms")
    return {"problem": p.name, **t, "srcad_first_call": transform}


def main() -> None:
    rows = [bench(p) for p in (lstm_problem(), *rnn_cells.cells())]
    rows += [bench(p) for p in problems.problems() if p.name.split()[0] in ("MLP", "GMM")]
    print()
    print("| problem | objective ms | srcad ms | hand ms | srcad/hand | srcad/obj | hand/obj |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        o, s, h = r["objective"], r["srcad"], r["hand"]
        print(
            f"| {r['problem']} | {o * 1e3:.3f} | {s * 1e3:.3f} | {h * 1e3:.3f} "
            f"| {s / h:.2f}x | {s / o:.2f}x | {h / o:.2f}x |"
        )
    harness.write_json("arrays", rows)


if __name__ == "__main__":
    main()
