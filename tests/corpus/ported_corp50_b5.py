"""Ported cases (session 50, hunt50b): pykalman's standard and unscented Kalman filters
(pykalman/standard.py, unscented.py, utils) as pykalman writes them.

``_last_dims`` (``np.asarray`` then a rank test), ``np.ma.getmask`` tests of observations,
``scipy.linalg.pinv``, ``log_multivariate_normal_density`` (``scipy.linalg.cholesky`` in a
``try``/``except linalg.LinAlgError``, ``np.linalg.solve`` of the factor), tuple-target writes
into array rows (``(kalman_gains[t], filtered_state_means[t], ...) = _filter_correct(...)``), the
RTS smoother over ``reversed(range(...))``; the UKF's namedtuples (``SigmaPoints``, ``Moments``)
unpacked like tuples, ``np.tile`` and ``points[:, 1:(n + 1)] += ...``, functions passed in and
called on each sigma point, and ``unscented_transform``'s ``f(points[i], points_noise[i])`` in
the branch a None noise never takes (was refused: "bad call of `_pendulum`: too many positional
arguments"). pykalman hands its filters the functions inside object arrays
(``_last_dims(f, t - 1, ndims=1)[0]``), which srcad refuses ("cannot tell which function this
call invokes"): here they are passed themselves.

Float64 arrays -> a float. Each row is checked forward and reverse and at second order."""

from __future__ import annotations

from collections import namedtuple

import numpy as np
from numpy import ma
from scipy import linalg

from . import Case

SigmaPoints = namedtuple("SigmaPoints", ["points", "weights_mean", "weights_covariance"])
Moments = namedtuple("Moments", ["mean", "covariance"])


def array2d(X, dtype=None, order=None):
    return np.asarray(np.atleast_2d(X), dtype=dtype, order=order)


def _last_dims(X, t, ndims=2):
    X = np.asarray(X)
    if len(X.shape) == ndims + 1:
        return X[t]
    elif len(X.shape) == ndims:
        return X
    else:
        raise ValueError(
            ("X only has %d dimensions when %d" + " or more are required") % (len(X.shape), ndims)
        )


def log_multivariate_normal_density(X, means, covars, min_covar=1.0e-7):
    n_samples, n_dim = X.shape
    nmix = len(means)
    log_prob = np.empty((n_samples, nmix))
    for c, (mu, cv) in enumerate(zip(means, covars)):
        try:
            cv_chol = linalg.cholesky(cv, lower=True)
        except linalg.LinAlgError:
            cv_chol = linalg.cholesky(cv + min_covar * np.eye(n_dim), lower=True)
        cv_log_det = 2 * np.sum(np.log(np.diagonal(cv_chol)))
        cv_sol = np.linalg.solve(cv_chol, (X - mu).T).T
        log_prob[:, c] = -0.5 * (np.sum(cv_sol**2, axis=1) + n_dim * np.log(2 * np.pi) + cv_log_det)
    return log_prob


def _filter_predict(
    transition_matrix,
    transition_covariance,
    transition_offset,
    current_state_mean,
    current_state_covariance,
):
    predicted_state_mean = np.dot(transition_matrix, current_state_mean) + transition_offset
    predicted_state_covariance = (
        np.dot(transition_matrix, np.dot(current_state_covariance, transition_matrix.T))
        + transition_covariance
    )
    return (predicted_state_mean, predicted_state_covariance)


def _filter_correct(
    observation_matrix,
    observation_covariance,
    observation_offset,
    predicted_state_mean,
    predicted_state_covariance,
    observation,
):
    if not np.any(ma.getmask(observation)):
        predicted_observation_mean = (
            np.dot(observation_matrix, predicted_state_mean) + observation_offset
        )
        predicted_observation_covariance = (
            np.dot(observation_matrix, np.dot(predicted_state_covariance, observation_matrix.T))
            + observation_covariance
        )
        kalman_gain = np.dot(
            predicted_state_covariance,
            np.dot(observation_matrix.T, linalg.pinv(predicted_observation_covariance)),
        )
        corrected_state_mean = predicted_state_mean + np.dot(
            kalman_gain, observation - predicted_observation_mean
        )
        corrected_state_covariance = predicted_state_covariance - np.dot(
            kalman_gain, np.dot(observation_matrix, predicted_state_covariance)
        )
    else:
        n_dim_state = predicted_state_covariance.shape[0]
        n_dim_obs = observation_matrix.shape[0]
        kalman_gain = np.zeros((n_dim_state, n_dim_obs))
        corrected_state_mean = predicted_state_mean
        corrected_state_covariance = predicted_state_covariance
    return (kalman_gain, corrected_state_mean, corrected_state_covariance)


def _filter(
    transition_matrices,
    observation_matrices,
    transition_covariance,
    observation_covariance,
    transition_offsets,
    observation_offsets,
    initial_state_mean,
    initial_state_covariance,
    observations,
):
    n_timesteps = observations.shape[0]
    n_dim_state = len(initial_state_mean)
    n_dim_obs = observations.shape[1]
    predicted_state_means = np.zeros((n_timesteps, n_dim_state))
    predicted_state_covariances = np.zeros((n_timesteps, n_dim_state, n_dim_state))
    kalman_gains = np.zeros((n_timesteps, n_dim_state, n_dim_obs))
    filtered_state_means = np.zeros((n_timesteps, n_dim_state))
    filtered_state_covariances = np.zeros((n_timesteps, n_dim_state, n_dim_state))
    for t in range(n_timesteps):
        if t == 0:
            predicted_state_means[t] = initial_state_mean
            predicted_state_covariances[t] = initial_state_covariance
        else:
            transition_matrix = _last_dims(transition_matrices, t - 1)
            transition_covariance_t = _last_dims(transition_covariance, t - 1)
            transition_offset = _last_dims(transition_offsets, t - 1, ndims=1)
            predicted_state_means[t], predicted_state_covariances[t] = _filter_predict(
                transition_matrix,
                transition_covariance_t,
                transition_offset,
                filtered_state_means[t - 1],
                filtered_state_covariances[t - 1],
            )
        observation_matrix = _last_dims(observation_matrices, t)
        observation_covariance_t = _last_dims(observation_covariance, t)
        observation_offset = _last_dims(observation_offsets, t, ndims=1)
        (kalman_gains[t], filtered_state_means[t], filtered_state_covariances[t]) = _filter_correct(
            observation_matrix,
            observation_covariance_t,
            observation_offset,
            predicted_state_means[t],
            predicted_state_covariances[t],
            observations[t],
        )
    return (
        predicted_state_means,
        predicted_state_covariances,
        kalman_gains,
        filtered_state_means,
        filtered_state_covariances,
    )


def _loglikelihoods(
    observation_matrices,
    observation_offsets,
    observation_covariance,
    predicted_state_means,
    predicted_state_covariances,
    observations,
):
    n_timesteps = observations.shape[0]
    loglikelihoods = np.zeros(n_timesteps)
    for t in range(n_timesteps):
        observation = observations[t]
        if not np.any(np.ma.getmask(observation)):
            observation_matrix = _last_dims(observation_matrices, t)
            observation_offset = _last_dims(observation_offsets, t, ndims=1)
            predicted_state_mean = _last_dims(predicted_state_means, t, ndims=1)
            predicted_state_covariance = _last_dims(predicted_state_covariances, t)
            predicted_observation_mean = (
                np.dot(observation_matrix, predicted_state_mean) + observation_offset
            )
            predicted_observation_covariance = (
                np.dot(observation_matrix, np.dot(predicted_state_covariance, observation_matrix.T))
                + observation_covariance
            )
            lmnd_arr = log_multivariate_normal_density(
                observation[np.newaxis, :],
                predicted_observation_mean[np.newaxis, :],
                predicted_observation_covariance[np.newaxis, :, :],
            )
            loglikelihoods[t] = lmnd_arr[0, 0]
    return loglikelihoods


def _smooth_update(
    transition_matrix,
    filtered_state_mean,
    filtered_state_covariance,
    predicted_state_mean,
    predicted_state_covariance,
    next_smoothed_state_mean,
    next_smoothed_state_covariance,
):
    kalman_smoothing_gain = np.dot(
        filtered_state_covariance,
        np.dot(transition_matrix.T, linalg.pinv(predicted_state_covariance)),
    )
    smoothed_state_mean = filtered_state_mean + np.dot(
        kalman_smoothing_gain, next_smoothed_state_mean - predicted_state_mean
    )
    smoothed_state_covariance = filtered_state_covariance + np.dot(
        kalman_smoothing_gain,
        np.dot(
            (next_smoothed_state_covariance - predicted_state_covariance), kalman_smoothing_gain.T
        ),
    )
    return (smoothed_state_mean, smoothed_state_covariance, kalman_smoothing_gain)


def _smooth(
    transition_matrices,
    filtered_state_means,
    filtered_state_covariances,
    predicted_state_means,
    predicted_state_covariances,
):
    n_timesteps, n_dim_state = filtered_state_means.shape
    smoothed_state_means = np.zeros((n_timesteps, n_dim_state))
    smoothed_state_covariances = np.zeros((n_timesteps, n_dim_state, n_dim_state))
    kalman_smoothing_gains = np.zeros((n_timesteps - 1, n_dim_state, n_dim_state))
    smoothed_state_means[-1] = filtered_state_means[-1]
    smoothed_state_covariances[-1] = filtered_state_covariances[-1]
    for t in reversed(range(n_timesteps - 1)):
        transition_matrix = _last_dims(transition_matrices, t)
        (smoothed_state_means[t], smoothed_state_covariances[t], kalman_smoothing_gains[t]) = (
            _smooth_update(
                transition_matrix,
                filtered_state_means[t],
                filtered_state_covariances[t],
                predicted_state_means[t + 1],
                predicted_state_covariances[t + 1],
                smoothed_state_means[t + 1],
                smoothed_state_covariances[t + 1],
            )
        )
    return (smoothed_state_means, smoothed_state_covariances, kalman_smoothing_gains)


_A = np.array([[1.0, 0.1], [0.0, 1.0]])
_H = np.array([[1.0, 0.0]])
_Z = np.array([[0.3], [0.5], [0.45], [0.7], [0.95]])


def kalman_loglikelihood(params):
    # pykalman's KalmanFilter.loglikelihood with the noise levels as parameters
    q, r, m0 = params[0], params[1], params[2]
    Q = q * np.eye(2)
    Rm = np.array([[r]])
    (predicted_state_means, predicted_state_covariances, _, _, _) = _filter(
        _A, _H, Q, Rm, np.zeros(2), np.zeros(1), np.array([m0, 0.0]), np.eye(2), _Z
    )
    loglikelihoods = _loglikelihoods(
        _H, np.zeros(1), Rm, predicted_state_means, predicted_state_covariances, _Z
    )
    return np.sum(loglikelihoods)


def kalman_smoothed(observations):
    Q = 0.05 * np.eye(2)
    Rm = np.array([[0.2]])
    (pm, pc, _, fm, fc) = _filter(
        _A, _H, Q, Rm, np.zeros(2), np.zeros(1), np.zeros(2), np.eye(2), observations
    )
    sm, sc, _ = _smooth(_A, fm, fc, pm, pc)
    return np.sum(sm**2) + np.sum(sc)


# ---- unscented


def points2moments(points, sigma_noise=None):
    (points, weights_mu, weights_sigma) = points
    mu = points.T.dot(weights_mu)
    points_diff = points.T - mu[:, np.newaxis]
    sigma = points_diff.dot(np.diag(weights_sigma)).dot(points_diff.T)
    if sigma_noise is not None:
        sigma = sigma + sigma_noise
    return Moments(mu.ravel(), sigma)


def moments2points(moments, alpha=None, beta=None, kappa=None):
    (mu, sigma) = moments
    n_dim = len(mu)
    mu = array2d(mu, dtype=float)
    if alpha is None:
        alpha = 1.0
    if beta is None:
        beta = 0.0
    if kappa is None:
        kappa = 3.0 - n_dim
    sigma2 = linalg.cholesky(sigma).T
    lamda = (alpha * alpha) * (n_dim + kappa) - n_dim
    c = n_dim + lamda
    points = np.tile(mu.T, (1, 2 * n_dim + 1))
    points[:, 1 : (n_dim + 1)] += sigma2 * np.sqrt(c)
    points[:, (n_dim + 1) :] -= sigma2 * np.sqrt(c)
    weights_mean = np.ones(2 * n_dim + 1)
    weights_mean[0] = lamda / c
    weights_mean[1:] = 0.5 / c
    weights_cov = np.copy(weights_mean)
    weights_cov[0] = lamda / c + (1 - alpha * alpha + beta)
    return SigmaPoints(points.T, weights_mean, weights_cov)


def unscented_transform(points, f=None, points_noise=None, sigma_noise=None):
    n_points, n_dim_state = points.points.shape
    (points, weights_mean, weights_covariance) = points
    if f is not None:
        if points_noise is None:
            points_pred = [f(points[i]) for i in range(n_points)]
        else:
            points_noise = points_noise.points
            points_pred = [f(points[i], points_noise[i]) for i in range(n_points)]
    else:
        points_pred = points
    points_pred = np.vstack(points_pred)
    points_pred = SigmaPoints(points_pred, weights_mean, weights_covariance)
    moments_pred = points2moments(points_pred, sigma_noise)
    return (points_pred, moments_pred)


def unscented_correct(cross_sigma, moments_pred, obs_moments_pred, z):
    mu_pred, sigma_pred = moments_pred
    obs_mu_pred, obs_sigma_pred = obs_moments_pred
    if not np.any(ma.getmask(z)):
        K = cross_sigma.dot(linalg.pinv(obs_sigma_pred))
        mu_filt = mu_pred + K.dot(z - obs_mu_pred)
        sigma_filt = sigma_pred - K.dot(cross_sigma.T)
    else:
        mu_filt = mu_pred
        sigma_filt = sigma_pred
    return Moments(mu_filt, sigma_filt)


def unscented_filter_predict(
    transition_function, points_state, points_transition=None, sigma_transition=None
):
    assert points_transition is not None or sigma_transition is not None, (
        "Your system is noiseless? really?"
    )
    (points_pred, moments_pred) = unscented_transform(
        points_state,
        transition_function,
        points_noise=points_transition,
        sigma_noise=sigma_transition,
    )
    return (points_pred, moments_pred)


def unscented_filter_correct(
    observation_function,
    moments_pred,
    points_pred,
    observation,
    points_observation=None,
    sigma_observation=None,
):
    (obs_points_pred, obs_moments_pred) = unscented_transform(
        points_pred,
        observation_function,
        points_noise=points_observation,
        sigma_noise=sigma_observation,
    )
    sigma_pair = (
        ((points_pred.points - moments_pred.mean).T)
        .dot(np.diag(points_pred.weights_mean))
        .dot(obs_points_pred.points - obs_moments_pred.mean)
    )
    moments_filt = unscented_correct(sigma_pair, moments_pred, obs_moments_pred, observation)
    return moments_filt


def _pendulum(x):
    return np.array([x[0] + 0.1 * x[1], x[1] - 0.1 * np.sin(x[0])])


def _angle_obs(x):
    return np.array([np.sin(x[0])])


def additive_unscented_filter_fns(mu_0, sigma_0, f, g, Q, R, Z):
    # the same filter handed the functions themselves (pykalman wraps them in object arrays)
    T = Z.shape[0]
    n_dim_state = Q.shape[-1]
    mu_filt = np.zeros((T, n_dim_state))
    sigma_filt = np.zeros((T, n_dim_state, n_dim_state))
    for t in range(T):
        if t == 0:
            mu, sigma = mu_0, sigma_0
        else:
            mu, sigma = mu_filt[t - 1], sigma_filt[t - 1]
        points_state = moments2points(Moments(mu, sigma))
        if t == 0:
            points_pred = points_state
            moments_pred = points2moments(points_pred)
        else:
            (_, moments_pred) = unscented_filter_predict(f, points_state, sigma_transition=Q)
            points_pred = moments2points(moments_pred)
        mu_filt[t], sigma_filt[t] = unscented_filter_correct(
            g, moments_pred, points_pred, Z[t], sigma_observation=R
        )
    return (mu_filt, sigma_filt)


def ukf_pendulum_fns(mu_0):
    Z = np.array([[0.1], [0.25], [0.3], [0.2]])
    mu, sigma = additive_unscented_filter_fns(
        mu_0, np.eye(2) * 0.5, _pendulum, _angle_obs, 0.01 * np.eye(2), np.array([[0.1]]), Z
    )
    return np.sum(mu**2) + np.trace(sigma[-1])


CASES = [
    Case(kalman_loglikelihood, (np.array([0.05, 0.2, 0.1]),), (0,), extra="hvp"),
    Case(kalman_smoothed, (_Z.copy(),), (0,), extra="hvp"),
    Case(ukf_pendulum_fns, (np.array([0.2, -0.1]),), (0,), extra="hvp"),
]
