"""Ported cases (session 30, corp30), written anew as user code after Andrej Karpathy's "Pong from
pixels" policy-gradient script (``pg-pong.py``: a two-layer policy in a ``model`` dict, ReLU by
``h[h < 0] = 0``, episode buffers appended to lists and stacked with ``np.vstack``,
``discount_rewards`` resetting the running sum at a game boundary, the standardised advantages,
``policy_backward`` with ``dh[eph <= 0] = 0``, the RMSProp step over ``model.items()`` and
``prepro`` binarizing a crop of the frame in place) and a
NumPy word2vec skip-gram with negative sampling (a vocabulary dict built from a token list,
context windows, embedding rows read by index, SGD updates ``W[i] -= lr * g`` including a
fancy-indexed update of the negative rows, its ``np.add.at`` fix, and the full-softmax variant).

Float parameters -> float scalar losses or arrays."""

from __future__ import annotations

import numpy as np

from . import Case, refused_everywhere

R = np.random.default_rng(30001)
D = 6  # input dimensionality (a tiny "frame")
H = 4  # hidden units
GAMMA = 0.99
DECAY = 0.99
LR = 1e-2
# an "episode": frame differences, the sampled action labels (1 = UP) and the rewards
FRAMES = np.round(R.normal(size=(7, D)), 3)
ACTIONS = [1, 0, 0, 1, 1, 0, 1]
REWARDS = [0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 1.0]


def _p(*shape, s=0.5):
    return np.round(R.normal(size=shape) * s, 3)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def discount_rewards(r, gamma):
    discounted_r = np.zeros_like(r)
    running_add = 0
    for t in reversed(range(0, r.size)):
        if r[t] != 0:
            running_add = 0  # a game boundary (pong specific)
        running_add = running_add * gamma + r[t]
        discounted_r[t] = running_add
    return discounted_r


def discounted_return_sum(gamma):
    r = np.vstack([np.array([x]) for x in REWARDS])
    return np.sum(discount_rewards(r, gamma) ** 2)


def policy_forward(model, x):
    h = np.dot(model["W1"], x)
    h[h < 0] = 0  # ReLU nonlinearity
    logp = np.dot(model["W2"], h)
    p = sigmoid(logp)
    return p, h


def run_episode(model):
    xs, hs, dlogps, drs = [], [], [], []
    for t in range(len(ACTIONS)):
        x = FRAMES[t]
        aprob, h = policy_forward(model, x)
        y = ACTIONS[t]
        xs.append(x)
        hs.append(h)
        dlogps.append(y - aprob)  # grad that encourages the action that was taken
        drs.append(REWARDS[t])
    epx = np.vstack(xs)
    eph = np.vstack(hs)
    epdlogp = np.vstack(dlogps)
    epr = np.vstack(drs)
    return epx, eph, epdlogp, epr


def policy_gradient_surrogate(W1, W2):
    # the objective whose gradient pg-pong estimates: sum_t A_t * log pi(a_t | x_t)
    model = {"W1": W1, "W2": W2}
    _, _, _, epr = run_episode(model)
    adv = discount_rewards(epr, GAMMA)
    adv -= np.mean(adv)
    adv /= np.std(adv)
    total = 0.0
    for t in range(len(ACTIONS)):
        p, _ = policy_forward(model, FRAMES[t])
        logp = np.log(p) if ACTIONS[t] == 1 else np.log(1.0 - p)
        total += adv[t, 0] * logp
    return total


def policy_backward(model, epx, eph, epdlogp):
    dW2 = np.dot(eph.T, epdlogp).ravel()
    dh = np.outer(epdlogp, model["W2"])
    dh[eph <= 0] = 0  # backprop prelu
    dW1 = np.dot(dh.T, epx)
    return {"W1": dW1, "W2": dW2}


def pong_episode_update(W1, W2):
    # one episode, its modulated gradient and one RMSProp step; the loss after the step
    model = {"W1": W1.copy(), "W2": W2.copy()}
    grad_buffer = {k: np.zeros_like(v) for k, v in model.items()}
    rmsprop_cache = {k: np.zeros_like(v) for k, v in model.items()}
    epx, eph, epdlogp, epr = run_episode(model)
    discounted_epr = discount_rewards(epr, GAMMA)
    discounted_epr -= np.mean(discounted_epr)
    discounted_epr /= np.std(discounted_epr)
    epdlogp *= discounted_epr  # modulate the gradient with advantage
    grad = policy_backward(model, epx, eph, epdlogp)
    for k in model:
        grad_buffer[k] += grad[k]
    for k, v in model.items():
        g = grad_buffer[k]
        rmsprop_cache[k] = DECAY * rmsprop_cache[k] + (1 - DECAY) * g**2
        model[k] += LR * g / (np.sqrt(rmsprop_cache[k]) + 1e-5)
        grad_buffer[k] = np.zeros_like(v)
    return policy_gradient_surrogate(model["W1"], model["W2"])


def pong_episode_update_keys(W1, W2):
    # the same step with the RMSProp loop over the keys (`for k, v in model.items()` is refused)
    model = {"W1": W1.copy(), "W2": W2.copy()}
    grad_buffer = {k: np.zeros_like(v) for k, v in model.items()}
    rmsprop_cache = {k: np.zeros_like(v) for k, v in model.items()}
    epx, eph, epdlogp, epr = run_episode(model)
    discounted_epr = discount_rewards(epr, GAMMA)
    discounted_epr -= np.mean(discounted_epr)
    discounted_epr /= np.std(discounted_epr)
    epdlogp *= discounted_epr
    grad = policy_backward(model, epx, eph, epdlogp)
    for k in model:
        grad_buffer[k] += grad[k]
    for k in model:
        v = model[k]
        g = grad_buffer[k]
        rmsprop_cache[k] = DECAY * rmsprop_cache[k] + (1 - DECAY) * g**2
        model[k] += LR * g / (np.sqrt(rmsprop_cache[k]) + 1e-5)
        grad_buffer[k] = np.zeros_like(v)  # only v's shape: `v` is the updated array in Python
    return policy_gradient_surrogate(model["W1"], model["W2"]) + np.sum(grad_buffer["W2"])


def pong_policy_gradient_hand(W1, W2):
    # the hand-written gradient of the surrogate, as an array (differentiated: a Hessian product)
    model = {"W1": W1, "W2": W2}
    epx, eph, epdlogp, epr = run_episode(model)
    discounted_epr = discount_rewards(epr, GAMMA)
    discounted_epr -= np.mean(discounted_epr)
    discounted_epr /= np.std(discounted_epr)
    epdlogp *= discounted_epr
    grad = policy_backward(model, epx, eph, epdlogp)
    return np.concatenate([grad["W1"].ravel(), grad["W2"]])


def reinforce_sampled(W1, W2):
    # REINFORCE with actions drawn by a seeded generator, as pg-pong samples UP/DOWN
    rng = np.random.default_rng(3)
    model = {"W1": W1, "W2": W2}
    logp_sum = 0.0
    rewards = []
    for t in range(len(FRAMES)):
        p, _ = policy_forward(model, FRAMES[t])
        action = 2 if rng.uniform() < p else 3
        y = 1 if action == 2 else 0
        logp_sum += y * np.log(p) + (1 - y) * np.log(1 - p)
        rewards.append(1.0 if (t + action) % 3 == 0 else -0.5)
    return logp_sum * np.mean(rewards)


def prepro(I):  # noqa: E741
    # pg-pong's preprocessing: crop, downsample, erase the background, binarize (in place)
    I = I[1:5]  # noqa: E741
    I = I[::2, ::2, 0]  # noqa: E741
    I[I == 144] = 0
    I[I != 0] = 1
    return I.astype(float).ravel()


OBS = (np.arange(90).reshape(5, 6, 3) % 7 == 0) * 144.0 + (
    np.arange(90).reshape(5, 6, 3) % 5 == 1
) * 109.0


def pong_frame_policy(W1, W2):
    # the difference frame of two fresh observations through the policy, over a few steps
    model = {"W1": W1, "W2": W2}
    prev_x = None
    logps = []
    for step in range(3):
        cur_x = prepro(np.roll(OBS, step, axis=1).copy())
        x = cur_x - prev_x if prev_x is not None else np.zeros(cur_x.size)
        prev_x = cur_x
        aprob, _ = policy_forward(model, x + 0.1)
        logps.append(np.log(aprob))
    return np.sum(np.array(logps))


# -- word2vec: skip-gram with negative sampling -------------------------------------------------

TOKENS = "the quick brown fox jumps over the lazy dog the fox".split()
NEG = [[3, 5], [1, 6], [2, 2], [7, 0], [4, 1], [6, 3]]  # drawn once (a repeated row on purpose)


def build_vocab(tokens):
    word2idx = {}
    for w in tokens:
        if w not in word2idx:
            word2idx[w] = len(word2idx)
    return word2idx


def skipgram_pairs(tokens, word2idx, window=1):
    pairs = []
    for i, w in enumerate(tokens):
        for j in range(max(0, i - window), min(len(tokens), i + window + 1)):
            if j != i:
                pairs.append((word2idx[w], word2idx[tokens[j]]))
    return pairs


def sgns_loss(W_in, W_out):
    word2idx = build_vocab(TOKENS)
    pairs = skipgram_pairs(TOKENS, word2idx)[:6]
    loss = 0.0
    for (c, o), negs in zip(pairs, NEG):
        v = W_in[c]
        u = W_out[o]
        loss -= np.log(sigmoid(np.dot(u, v)))
        for n in negs:
            loss -= np.log(sigmoid(-np.dot(W_out[n], v)))
    return loss / len(pairs)


def sgns_sgd(W_in, W_out):
    # two epochs of plain SGD with hand-written gradients, then the loss
    W_in = W_in.copy()
    W_out = W_out.copy()
    word2idx = build_vocab(TOKENS)
    pairs = skipgram_pairs(TOKENS, word2idx)[:6]
    lr = 0.3
    for _epoch in range(2):
        for (c, o), negs in zip(pairs, NEG):
            v = W_in[c]
            u = W_out[o]
            neg_ids = np.array(negs)
            un = W_out[neg_ids]
            gp = sigmoid(np.dot(u, v)) - 1.0
            gn = sigmoid(un @ v)
            grad_v = gp * u + gn @ un
            W_out[o] -= lr * gp * v
            W_out[neg_ids] -= lr * np.outer(gn, v)  # numpy: a repeated row is updated once
            W_in[c] -= lr * grad_v
    return sgns_loss(W_in, W_out)


def sgns_negative_rows(W_in, W_out):
    # the fancy-indexed SGD step alone, as an array
    W_out = W_out.copy()
    v = W_in[1]
    neg_ids = np.array(NEG[2] + NEG[0])
    gn = sigmoid(W_out[neg_ids] @ v)
    W_out[neg_ids] -= 0.5 * np.outer(gn, v)
    return W_out


def sgns_add_at(W_in, W_out):
    # the repeated-row-safe update: np.add.at accumulates every occurrence of a row
    W_out = W_out.copy()
    v = W_in[1]
    neg_ids = np.array(NEG[2] + NEG[0])
    gn = sigmoid(W_out[neg_ids] @ v)
    np.add.at(W_out, neg_ids, -0.5 * np.outer(gn, v))
    return np.sum(W_out**2)


def softmax_skipgram(W_in, W_out):
    # the full-softmax skip-gram step over (center, contexts) windows, as the tutorials write it
    W_in, W_out = W_in.copy(), W_out.copy()
    word2idx = build_vocab(TOKENS)
    windows = []
    for i, w in enumerate(TOKENS[:5]):
        ctx = [word2idx[TOKENS[j]] for j in (i - 1, i + 1) if 0 <= j < len(TOKENS)]
        windows.append((word2idx[w], ctx))
    loss = 0.0
    for center, ctx in windows:
        h = W_in[center]
        u = W_out @ h
        y = np.exp(u - u.max())
        y /= y.sum()
        loss += -np.sum(np.log(y[ctx]))
        e = len(ctx) * y
        for c in ctx:
            e[c] -= 1
        EH = W_out.T @ e
        W_out -= 0.1 * np.outer(e, h)
        W_in[center] -= 0.1 * EH
    return loss


def most_similar_score(W_in):
    # cosine similarity of "fox" to every word, the best other word's score
    word2idx = build_vocab(TOKENS)
    idx2word = {i: w for w, i in word2idx.items()}
    q = W_in[word2idx["fox"]]
    norms = np.linalg.norm(W_in, axis=1)
    sims = W_in @ q / (norms * np.linalg.norm(q))
    best = None
    for i in np.argsort(-sims):
        if idx2word[int(i)] != "fox":
            best = sims[i]
            break
    return best


V = len(build_vocab(TOKENS))
EMB = 3

CASES = [
    Case(discounted_return_sum, (GAMMA,), (0,)),
    Case(policy_gradient_surrogate, (_p(H, D), _p(H)), (0, 1)),
    Case(
        pong_episode_update,
        (_p(H, D), _p(H)),
        (0, 1),
        atol=1e-5,
        rtol=1e-4,
        xfail=refused_everywhere(
            "`model[k] += ...` in `for k, v in model.items()`: the items' snapshot holds the "
            "updated object, so the next pair's read counts as stale (`for k in model` passes)"
        ),
    ),
    # W1 * 0.8: at W1 itself the RMSProp step of a gradient entry near 1e-3 bends the Hessian
    # faster than tests/higher/test_corpus_hessians' central differences resolve (srcad's agrees
    # with their limit); the draws stay in order
    Case(pong_episode_update_keys, (_p(H, D) * 0.8, _p(H)), (0, 1), atol=1e-5, rtol=1e-4),
    Case(pong_policy_gradient_hand, (_p(H, D), _p(H)), (0, 1)),
    Case(sgns_loss, (_p(V, EMB), _p(V, EMB)), (0, 1)),
    Case(sgns_sgd, (_p(V, EMB), _p(V, EMB)), (0, 1)),
    Case(sgns_negative_rows, (_p(V, EMB), _p(V, EMB)), (0, 1)),
    Case(most_similar_score, (_p(V, EMB),), (0,)),
    Case(reinforce_sampled, (_p(H, D), _p(H)), (0, 1), jitter=0.0),
    Case(pong_frame_policy, (_p(H, 6), _p(H)), (0, 1)),
    Case(sgns_add_at, (_p(V, EMB), _p(V, EMB)), (0, 1)),
    Case(softmax_skipgram, (_p(V, EMB), _p(V, EMB)), (0, 1)),
]
