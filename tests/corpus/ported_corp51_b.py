"""Ported cases (session 51, hunt51b): autograd's examples as their authors wrote them,
rewritten in srcad's style (tests/corpus/ported.py).

The character RNN and LSTM (``concat_and_multiply(weights, *args)`` with ``np.hstack(args +
(ones,))``, nested helpers closing over the parameter dict, a list of log-probabilities), the
Gaussian mixture (``zip(*unpack_gmm_params(params))`` over a 3-D array of factors,
``scipy.stats.multivariate_normal.logpdf``), the HMM's log partition function (``sum(map(
functools.partial(log_partition_function, natural_params), data))``, recursive, was refused),
the GP's ``make_gp_funs`` closures, black-box SVI with a ``RandomState`` made in the objective,
ICA's Student-t likelihood, the convnet's ``make_nn_funs`` (a closure over a list of layers of
several classes, each layer's ``self.parser.get(w, "params")`` of a ``WeightsParser`` keyed by the
layer objects: both refused), the VAE (``rs.randn(*mean.shape)``, refused), the negative-binomial
maximum likelihood (``gammaln``), and chaos.py's ``Spline.__init__`` that validates its knots
(``raise ValueError``: the object was not built here).

Float64 arrays -> a float. Each row is checked forward and reverse and at second order."""

from __future__ import annotations

from functools import partial

import numpy as np
import numpy.random as npr
from scipy.special import expit, gammaln, logsumexp
from scipy.stats import multivariate_normal as mvn
from scipy.stats import norm
from scipy.stats import t as student_t

from . import Case

_R = np.random.default_rng(51)


# -- rnn.py / lstm.py ----------------------------------------------------------------------------
def sigmoid(x):
    return 0.5 * (np.tanh(x) + 1.0)


def concat_and_multiply(weights, *args):
    cat_state = np.hstack(args + (np.ones((args[0].shape[0], 1)),))
    return np.dot(cat_state, weights)


def rnn_predict(params, inputs):
    def update_rnn(input, hiddens):
        return np.tanh(concat_and_multiply(params["change"], input, hiddens))

    def hiddens_to_output_probs(hiddens):
        output = concat_and_multiply(params["predict"], hiddens)
        return output - logsumexp(output, axis=1, keepdims=True)

    num_sequences = inputs.shape[1]
    hiddens = np.repeat(params["init hiddens"], num_sequences, axis=0)
    output = [hiddens_to_output_probs(hiddens)]
    for input in inputs:
        hiddens = update_rnn(input, hiddens)
        output.append(hiddens_to_output_probs(hiddens))
    return output


def lstm_predict(params, inputs):
    def update_lstm(input, hiddens, cells):
        change = np.tanh(concat_and_multiply(params["change"], input, hiddens))
        forget = sigmoid(concat_and_multiply(params["forget"], input, hiddens))
        ingate = sigmoid(concat_and_multiply(params["ingate"], input, hiddens))
        outgate = sigmoid(concat_and_multiply(params["outgate"], input, hiddens))
        cells = cells * forget + ingate * change
        hiddens = outgate * np.tanh(cells)
        return hiddens, cells

    def hiddens_to_output_probs(hiddens):
        output = concat_and_multiply(params["predict"], hiddens)
        return output - logsumexp(output, axis=1, keepdims=True)

    num_sequences = inputs.shape[1]
    hiddens = np.repeat(params["init hiddens"], num_sequences, axis=0)
    cells = np.repeat(params["init cells"], num_sequences, axis=0)
    output = [hiddens_to_output_probs(hiddens)]
    for input in inputs:
        hiddens, cells = update_lstm(input, hiddens, cells)
        output.append(hiddens_to_output_probs(hiddens))
    return output


def log_likelihood(predict, params, inputs, targets):
    logprobs = predict(params, inputs)
    loglik = 0.0
    num_time_steps, num_examples, _ = inputs.shape
    for t in range(num_time_steps):
        loglik += np.sum(logprobs[t] * targets[t])
    return loglik / (num_time_steps * num_examples)


_I, _S = 4, 3
_SEQ = np.eye(_I)[_R.integers(0, _I, (3, 2))]
_RNN = {
    "init hiddens": _R.standard_normal((1, _S)) * 0.3,
    "change": _R.standard_normal((_I + _S + 1, _S)) * 0.3,
    "predict": _R.standard_normal((_S + 1, _I)) * 0.3,
}
_LSTM = dict(_RNN, **{k: _R.standard_normal((_I + _S + 1, _S)) * 0.3 for k in ("forget",
             "ingate", "outgate")}, **{"init cells": _R.standard_normal((1, _S)) * 0.3})  # fmt: skip


def rnn_training_loss(change):
    params = dict(_RNN)
    params["change"] = change
    return -log_likelihood(rnn_predict, params, _SEQ, _SEQ)


def lstm_training_loss(forget):
    params = dict(_LSTM)
    params["forget"] = forget
    return -log_likelihood(lstm_predict, params, _SEQ, _SEQ)


# -- gmm.py ----------------------------------------------------------------------------------------
def log_normalize(x):
    return x - logsumexp(x)


def unpack_gmm_params(params):
    normalized_log_proportions = log_normalize(params["log proportions"])
    return normalized_log_proportions, params["means"], params["lower triangles"]


def gmm_log_likelihood(params, data):
    cluster_lls = []
    for log_proportion, mean, cov_sqrt in zip(*unpack_gmm_params(params)):
        cov = np.dot(cov_sqrt.T, cov_sqrt)
        cluster_lls.append(log_proportion + mvn.logpdf(data, mean, cov))
    return np.sum(logsumexp(np.vstack(cluster_lls), axis=0))


_GMM_DATA = _R.standard_normal((6, 2))


def gmm_objective(lower_triangles, means):
    params = {
        "log proportions": np.array([0.1, -0.2, 0.05]),
        "means": means,
        "lower triangles": lower_triangles,
    }
    return -gmm_log_likelihood(params, _GMM_DATA)


# -- hmm_em.py -------------------------------------------------------------------------------------
def log_partition_function(natural_params, data):
    if isinstance(data, list):
        return sum(map(partial(log_partition_function, natural_params), data))
    log_pi, log_A, log_B = natural_params
    log_alpha = log_pi
    for y in data:
        log_alpha = logsumexp(log_alpha[:, None] + log_A, axis=0) + log_B[:, y]
    return logsumexp(log_alpha)


_HMM_DATA = [np.array([0, 1, 2, 1]), np.array([2, 2, 0])]


def hmm_log_partition(log_B, log_A):
    return log_partition_function([np.log(np.array([0.3, 0.7])), log_A, log_B], _HMM_DATA)


# -- gaussian_process.py ---------------------------------------------------------------------------
def rbf_covariance(kernel_params, x, xp):
    output_scale = np.exp(kernel_params[0])
    lengthscales = np.exp(kernel_params[1:])
    diffs = np.expand_dims(x / lengthscales, 1) - np.expand_dims(xp / lengthscales, 0)
    return output_scale * np.exp(-0.5 * np.sum(diffs**2, axis=2))


def make_gp_funs(cov_func, num_cov_params):
    def unpack_kernel_params(params):
        mean = params[0]
        cov_params = params[2:]
        noise_scale = np.exp(params[1]) + 0.0001
        return mean, cov_params, noise_scale

    def predict(params, x, y, xstar):
        mean, cov_params, noise_scale = unpack_kernel_params(params)
        cov_f_f = cov_func(cov_params, xstar, xstar)
        cov_y_f = cov_func(cov_params, x, xstar)
        cov_y_y = cov_func(cov_params, x, x) + noise_scale * np.eye(len(y))
        pred_mean = mean + np.dot(np.linalg.solve(cov_y_y, cov_y_f).T, y - mean)
        pred_cov = cov_f_f - np.dot(np.linalg.solve(cov_y_y, cov_y_f).T, cov_y_f)
        return pred_mean, pred_cov

    def log_marginal_likelihood(params, x, y):
        mean, cov_params, noise_scale = unpack_kernel_params(params)
        cov_y_y = cov_func(cov_params, x, x) + noise_scale * np.eye(len(y))
        prior_mean = mean * np.ones(len(y))
        return mvn.logpdf(y, prior_mean, cov_y_y)

    return num_cov_params + 2, predict, log_marginal_likelihood


_, gp_predict, gp_log_marginal = make_gp_funs(rbf_covariance, num_cov_params=2)
_GX = np.linspace(-1.0, 1.0, 6)[:, None]
_GY = np.sin(3.0 * _GX[:, 0])


def gp_objective(params):
    return -gp_log_marginal(params, _GX, _GY)


def gp_prediction(params):
    mean, cov = gp_predict(params, _GX, _GY, np.array([[0.3], [0.5]]))
    return np.sum(mean**2) + np.trace(cov)


# -- black_box_svi.py ------------------------------------------------------------------------------
def black_box_variational_inference(logprob, D, num_samples):
    def unpack_params(params):
        mean, log_std = params[:D], params[D:]
        return mean, log_std

    def gaussian_entropy(log_std):
        return 0.5 * D * (1.0 + np.log(2 * np.pi)) + np.sum(log_std)

    def variational_objective(params):
        rs = npr.RandomState(0)  # (a fixed draw: the objective a function of `params`)
        mean, log_std = unpack_params(params)
        samples = rs.randn(num_samples, D) * np.exp(log_std) + mean
        lower_bound = gaussian_entropy(log_std) + np.mean(logprob(samples))
        return -lower_bound

    return variational_objective


def funnel_log_density(x):
    mu, log_sigma = x[:, 0], x[:, 1]
    sigma_density = norm.logpdf(log_sigma, 0, 1.35)
    mu_density = norm.logpdf(mu, 0, np.exp(log_sigma))
    return sigma_density + mu_density


bbvi_objective = black_box_variational_inference(funnel_log_density, D=2, num_samples=8)


# -- ica.py ----------------------------------------------------------------------------------------
def make_ica_funs(observed_dimension, latent_dimension):
    def predict(weights, latents):
        return np.dot(weights, latents).T

    def logprob(weights, latents, noise_std, observed):
        preds = predict(weights, latents)
        return np.sum(student_t.logpdf(preds, 2.4, observed, noise_std))

    num_weights = observed_dimension * latent_dimension

    def unpack_weights(weights):
        return np.reshape(weights, (observed_dimension, latent_dimension))

    return num_weights, logprob, unpack_weights


_ICA_NW, ica_logprob, ica_unpack = make_ica_funs(3, 2)
_ICA_DATA = _R.standard_normal((4, 3))


def ica_objective(params):
    weights = ica_unpack(params[:_ICA_NW])
    latents = np.reshape(params[_ICA_NW : _ICA_NW + 8], (2, 4))
    noise_std = np.exp(params[-1])
    return -ica_logprob(weights, latents, noise_std, _ICA_DATA) / 4


# -- convnet.py ------------------------------------------------------------------------------------
class WeightsParser:
    def __init__(self):
        self.idxs_and_shapes = {}
        self.N = 0

    def add_weights(self, name, shape):
        start = self.N
        self.N += np.prod(shape)
        self.idxs_and_shapes[name] = (slice(start, self.N), shape)

    def get(self, vect, name):
        idxs, shape = self.idxs_and_shapes[name]
        return np.reshape(vect[idxs], shape)


def conv_logsumexp(X, axis, keepdims=False):
    max_X = np.max(X)
    return max_X + np.log(np.sum(np.exp(X - max_X), axis=axis, keepdims=keepdims))


def make_nn_funs(input_shape, layer_specs, L2_reg):
    parser = WeightsParser()
    cur_shape = input_shape
    for layer in layer_specs:
        N_weights, cur_shape = layer.build_weights_dict(cur_shape)
        parser.add_weights(layer, (N_weights,))

    def predictions(W_vect, inputs):
        cur_units = inputs
        for layer in layer_specs:
            cur_weights = parser.get(W_vect, layer)
            cur_units = layer.forward_pass(cur_units, cur_weights)
        return cur_units

    def loss(W_vect, X, T):
        log_prior = -L2_reg * np.dot(W_vect, W_vect)
        log_lik = np.sum(predictions(W_vect, X) * T)
        return -log_prior - log_lik

    return parser.N, predictions, loss


class conv_layer:
    """(autograd's scipy.signal.convolve replaced by the sum of shifted products it computes)"""

    def __init__(self, kernel_shape, num_filters):
        self.kernel_shape = kernel_shape
        self.num_filters = num_filters

    def forward_pass(self, inputs, param_vector):
        params = self.parser.get(param_vector, "params")
        biases = self.parser.get(param_vector, "biases")
        kh, kw = self.kernel_shape
        oh, ow = inputs.shape[2] - kh + 1, inputs.shape[3] - kw + 1
        conv = 0.0
        for i in range(kh):
            for j in range(kw):
                patch = inputs[:, :, i : i + oh, j : j + ow]
                conv = conv + np.einsum(
                    "ncyx,cf->nfyx", patch, params[:, :, kh - 1 - i, kw - 1 - j]
                )
        return conv + biases

    def build_weights_dict(self, input_shape):
        self.parser = WeightsParser()
        self.parser.add_weights("params", (input_shape[0], self.num_filters) + self.kernel_shape)
        self.parser.add_weights("biases", (1, self.num_filters, 1, 1))
        output_shape = (self.num_filters,) + self.conv_output_shape(
            input_shape[1:], self.kernel_shape
        )
        return self.parser.N, output_shape

    def conv_output_shape(self, A, B):
        return (A[0] - B[0] + 1, A[1] - B[1] + 1)


class maxpool_layer:
    def __init__(self, pool_shape):
        self.pool_shape = pool_shape

    def build_weights_dict(self, input_shape):
        output_shape = list(input_shape)
        for i in [0, 1]:
            assert input_shape[i + 1] % self.pool_shape[i] == 0, "maxpool shape should tile input"
            output_shape[i + 1] = input_shape[i + 1] // self.pool_shape[i]
        return 0, output_shape

    def forward_pass(self, inputs, param_vector):
        new_shape = inputs.shape[:2]
        for i in [0, 1]:
            pool_width = self.pool_shape[i]
            img_width = inputs.shape[i + 2]
            new_shape += (img_width // pool_width, pool_width)
        result = inputs.reshape(new_shape)
        return np.max(np.max(result, axis=3), axis=4)


class full_layer:
    def __init__(self, size):
        self.size = size

    def build_weights_dict(self, input_shape):
        input_size = np.prod(input_shape, dtype=int)
        self.parser = WeightsParser()
        self.parser.add_weights("params", (input_size, self.size))
        self.parser.add_weights("biases", (self.size,))
        return self.parser.N, (self.size,)

    def forward_pass(self, inputs, param_vector):
        params = self.parser.get(param_vector, "params")
        biases = self.parser.get(param_vector, "biases")
        if inputs.ndim > 2:
            inputs = inputs.reshape((inputs.shape[0], np.prod(inputs.shape[1:])))
        return self.nonlinearity(np.dot(inputs[:, :], params) + biases)


class tanh_layer(full_layer):
    def nonlinearity(self, x):
        return np.tanh(x)


class softmax_layer(full_layer):
    def nonlinearity(self, x):
        return x - conv_logsumexp(x, axis=1, keepdims=True)


_CNN_N, _, cnn_loss = make_nn_funs(
    (1, 6, 6), [conv_layer((3, 3), 2), maxpool_layer((2, 2)), tanh_layer(5), softmax_layer(3)], 0.1
)
_CNN_X = _R.standard_normal((3, 1, 6, 6))
_CNN_T = np.eye(3)[[0, 2, 1]]


def convnet_loss(W_vect):
    return cnn_loss(W_vect, _CNN_X, _CNN_T)


# -- variational_autoencoder.py --------------------------------------------------------------------
def diag_gaussian_log_density(x, mu, log_std):
    return np.sum(norm.logpdf(x, mu, np.exp(log_std)), axis=-1)


def unpack_gaussian_params(params):
    D = np.shape(params)[-1] // 2
    mean, log_std = params[:, :D], params[:, D:]
    return mean, log_std


def sample_diag_gaussian(mean, log_std, rs):
    return rs.randn(*mean.shape) * np.exp(log_std) + mean


def bernoulli_log_density(targets, unnormalized_logprobs):
    label_probabilities = -np.logaddexp(0, -unnormalized_logprobs * targets)
    return np.sum(label_probabilities, axis=-1)


def relu(x):
    return np.maximum(0, x)


def batch_normalize(activations):
    mbmean = np.mean(activations, axis=0, keepdims=True)
    return (activations - mbmean) / (np.std(activations, axis=0, keepdims=True) + 1)


def neural_net_predict(params, inputs):
    for W, b in params[:-1]:
        outputs = batch_normalize(np.dot(inputs, W) + b)
        inputs = relu(outputs)
    outW, outb = params[-1]
    outputs = np.dot(inputs, outW) + outb
    return outputs


def vae_lower_bound(gen_params, rec_params, data, rs):
    q_means, q_log_stds = unpack_gaussian_params(neural_net_predict(rec_params, data))
    latents = sample_diag_gaussian(q_means, q_log_stds, rs)
    q_latents = diag_gaussian_log_density(latents, q_means, q_log_stds)
    p_latents = diag_gaussian_log_density(latents, 0, 0)
    likelihood = bernoulli_log_density(data, neural_net_predict(gen_params, latents))
    return np.mean(p_latents + likelihood - q_latents)


_GEN = [(_R.standard_normal((2, 4)) * 0.5, _R.standard_normal(4) * 0.1),
        (_R.standard_normal((4, 6)) * 0.5, _R.standard_normal(6) * 0.1)]  # fmt: skip
_REC0_B = _R.standard_normal(4) * 0.1
_REC1 = (_R.standard_normal((4, 4)) * 0.5, _R.standard_normal(4) * 0.1)
_IMAGES = np.sign(_R.standard_normal((5, 6)))


def vae_objective(rec_W0):
    rec_params = [(rec_W0, _REC0_B), _REC1]
    return -vae_lower_bound(_GEN, rec_params, _IMAGES, npr.RandomState(0)) / _IMAGES.shape[1]


# -- negative_binomial_maxlike.py ------------------------------------------------------------------
def negbin_loglike(r, p, x):
    return gammaln(r + x) - gammaln(r) - gammaln(x + 1) + x * np.log(p) + r * np.log(1 - p)


def negbin_objective(params):
    log_r, logit_p = params
    r, p = np.exp(log_r), expit(logit_p)
    return -np.sum(negbin_loglike(r, p, np.array([3.0, 5.0, 0.0, 2.0, 7.0])))


# -- pyperformance's chaos.py: a Spline whose __init__ validates its knots ------------------------
class GVector:
    def __init__(self, x=0, y=0, z=0):
        self.x = x
        self.y = y
        self.z = z

    def Mag(self):
        return np.sqrt(self.x**2 + self.y**2 + self.z**2)

    def linear_combination(self, other, l1, l2=None):
        if l2 is None:
            l2 = 1 - l1
        return GVector(
            self.x * l1 + other.x * l2, self.y * l1 + other.y * l2, self.z * l1 + other.z * l2
        )


class Spline:
    def __init__(self, points, degree, knots):
        if len(points) > len(knots) - degree + 1:
            raise ValueError("too many control points")
        elif len(points) < len(knots) - degree + 1:
            raise ValueError("not enough control points")
        last = knots[0]
        for cur in knots[1:]:
            if cur < last:
                raise ValueError("knots not strictly increasing")
            last = cur
        self.knots = knots
        self.points = points
        self.degree = degree

    def GetDomain(self):
        return (self.knots[self.degree - 1], self.knots[len(self.knots) - self.degree])

    def blend(self, u):
        """The first three control points' quadratic Bernstein blend at `u` in the domain."""
        dom_start, dom_end = self.GetDomain()
        if u < dom_start or u > dom_end:
            raise ValueError("Function value not in domain")
        t = (u - dom_start) / (dom_end - dom_start)
        a = self.points[0].linear_combination(self.points[1], 1 - t, t)
        b = self.points[1].linear_combination(self.points[2], 1 - t, t)
        return a.linear_combination(b, 1 - t, t)


def spline_blend(p):
    pts = [GVector(p[0], p[1], 0.0), GVector(p[2], p[3], 0.0), GVector(p[4], p[5], 0.0)]
    s = Spline(pts, 2, [0, 0, 1, 1])
    q = s.blend(0.3)
    return q.x * q.y + q.Mag()


CASES = [
    Case(rnn_training_loss, (_RNN["change"].copy(),), (0,), extra="hvp"),
    Case(lstm_training_loss, (_LSTM["forget"].copy(),), (0,), extra="hvp"),
    Case(
        gmm_objective,
        (np.eye(2) + 0.1 * _R.standard_normal((3, 2, 2)), _R.standard_normal((3, 2))),
        (0, 1),
        extra="hvp",
    ),
    Case(
        hmm_log_partition,
        (
            np.log(np.array([[0.5, 0.3, 0.2], [0.1, 0.6, 0.3]])),
            np.log(np.array([[0.8, 0.2], [0.3, 0.7]])),
        ),
        (0, 1),
        extra="hvp",
    ),
    Case(gp_objective, (np.array([0.1, -1.0, 0.2, -0.3]),), (0,), extra="hvp"),
    Case(gp_prediction, (np.array([0.1, -1.0, 0.2, -0.3]),), (0,), extra="hvp"),
    Case(bbvi_objective, (np.array([0.1, -0.2, -0.5, 0.3]),), (0,), extra="hvp"),
    Case(ica_objective, (_R.standard_normal(6 + 8 + 1) * 0.5,), (0,), extra="hvp"),
    Case(convnet_loss, (_R.standard_normal(_CNN_N) * 0.3,), (0,), extra="hvp"),
    Case(vae_objective, (_R.standard_normal((6, 4)) * 0.5,), (0,), extra="hvp"),
    Case(negbin_objective, (np.array([0.4, -0.2]),), (0,), extra="hvp"),
    Case(spline_blend, (np.array([0.1, 0.2, 0.5, 0.9, 0.8, 0.3]),), (0,), extra="hvp"),
]
