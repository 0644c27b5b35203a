"""Ported cases (session 26, corp26), written anew as user code after statsmodels' GLM machinery as
its classes compose it: ``Link`` objects (logit, probit through ``scipy.stats.norm.cdf``,
cloglog, log, identity, inverse-power, inverse-squared, a ``Power(power=0.5)`` link) with
``__call__`` / ``inverse`` / ``deriv``, ``Family`` objects holding a link (``self.link``) with
``variance``, ``loglike_obs`` (Tweedie's by its series-free quasi form, negative binomial with
``alpha``, Gamma with ``scale``, inverse Gaussian, binomial, Poisson) and ``deviance``; a GLM
object's ``loglike(params)``, one IRLS step's weighted least-squares update (``w = 1 / (var *
deriv**2)``, ``z = eta + (y - mu) deriv``) and the Pearson chi-square.

Float parameter vectors -> float scalar (checked at second order with ``extra="hvp"``) or the
updated parameter vector."""

from __future__ import annotations

import numpy as np
from scipy import special, stats

from . import Case

R = np.random.default_rng(26000004)
XG = np.column_stack([np.ones(10), np.round(R.uniform(-1, 1, (10, 2)), 3)])
Y_POS = np.round(R.gamma(2.0, 1.0, 10) + 0.1, 3)
Y_CNT = np.array([0.0, 2, 1, 4, 0, 3, 1, 1, 5, 2])
Y_BIN = np.array([0.0, 1, 1, 0, 1, 0, 0, 1, 1, 0])


class Link:
    def __call__(self, p):
        raise NotImplementedError

    def inverse(self, z):
        raise NotImplementedError


class Logit(Link):
    def __call__(self, p):
        return np.log(p / (1 - p))

    def inverse(self, z):
        return 1.0 / (1.0 + np.exp(-z))

    def deriv(self, p):
        return 1.0 / (p * (1 - p))


class Probit(Link):
    def __call__(self, p):
        return stats.norm.ppf(p)

    def inverse(self, z):
        return stats.norm.cdf(z)


class CLogLog(Link):
    def inverse(self, z):
        return 1 - np.exp(-np.exp(z))


class Log(Link):
    def __call__(self, p):
        return np.log(p)

    def inverse(self, z):
        return np.exp(z)

    def deriv(self, p):
        return 1.0 / p


class Power(Link):
    def __init__(self, power=1.0):
        self.power = power

    def __call__(self, p):
        return p**self.power

    def inverse(self, z):
        return z ** (1.0 / self.power)

    def deriv(self, p):
        return self.power * p ** (self.power - 1)


class Family:
    def __init__(self, link):
        self.link = link

    def fitted(self, lin_pred):
        return self.link.inverse(lin_pred)

    def loglike(self, y, mu, scale=1.0):
        return np.sum(self.loglike_obs(y, mu, scale))


class Poisson(Family):
    def variance(self, mu):
        return mu

    def loglike_obs(self, y, mu, scale=1.0):
        return y * np.log(mu) - mu - special.gammaln(y + 1)

    def deviance(self, y, mu):
        return 2 * np.sum(np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0) / mu), 0.0) - (y - mu))


class Binomial(Family):
    def loglike_obs(self, y, mu, scale=1.0):
        return y * np.log(mu / (1 - mu)) + np.log(1 - mu)


class Gamma(Family):
    def variance(self, mu):
        return mu**2

    def loglike_obs(self, y, mu, scale=1.0):
        e = y / (mu * scale)
        return (
            np.log(e) / scale
            - e / 1.0
            - np.log(y)
            - special.gammaln(1 / scale)
            - np.log(scale) / scale
            + (1 / scale - 1) * 0.0
        )


class NegativeBinomial(Family):
    def __init__(self, link, alpha=1.0):
        super().__init__(link)
        self.alpha = alpha

    def loglike_obs(self, y, mu, scale=1.0):
        a = self.alpha
        lin = y * np.log(a * mu / (1 + a * mu)) - np.log(1 + a * mu) / a
        return lin + special.gammaln(y + 1 / a) - special.gammaln(y + 1) - special.gammaln(1 / a)


class InverseGaussian(Family):
    def loglike_obs(self, y, mu, scale=1.0):
        return -0.5 * (
            (y - mu) ** 2 / (y * mu**2 * scale) + np.log(scale * y**3) + np.log(2 * np.pi)
        )


class Tweedie(Family):
    def __init__(self, link, var_power=1.5):
        super().__init__(link)
        self.var_power = var_power

    def variance(self, mu):
        return mu**self.var_power

    def loglike_obs(self, y, mu, scale=1.0):
        p = self.var_power
        return (y * mu ** (1 - p) / (1 - p) - mu ** (2 - p) / (2 - p)) / scale


class GLM:
    def __init__(self, endog, exog, family):
        self.endog, self.exog, self.family = endog, exog, family

    def predict(self, params):
        return self.family.fitted(self.exog @ params)

    def loglike(self, params, scale=1.0):
        return self.family.loglike(self.endog, self.predict(params), scale)


def poisson_log(params):
    return GLM(Y_CNT, XG, Poisson(Log())).loglike(params)


def poisson_sqrt(params):
    return GLM(Y_CNT, XG, Poisson(Power(0.5))).loglike(params)


def poisson_deviance(params):
    fam = Poisson(Log())
    return fam.deviance(Y_CNT, fam.fitted(XG @ params))


def binomial_logit(params):
    return GLM(Y_BIN, XG, Binomial(Logit())).loglike(params)


def binomial_probit(params):
    return GLM(Y_BIN, XG, Binomial(Probit())).loglike(params)


def binomial_cloglog(params):
    return GLM(Y_BIN, XG, Binomial(CLogLog())).loglike(params)


def gamma_log(params, scale):
    return GLM(Y_POS, XG, Gamma(Log())).loglike(params, scale)


def gamma_inverse(params):
    return GLM(Y_POS, XG, Gamma(Power(-1.0))).loglike(params, 0.7)


def negbin_log(params, alpha):
    return GLM(Y_CNT, XG, NegativeBinomial(Log(), alpha=alpha)).loglike(params)


def inverse_gaussian(params):
    return GLM(Y_POS, XG, InverseGaussian(Power(-2.0))).loglike(params, 0.5)


def tweedie_log(params, p):
    return GLM(Y_CNT, XG, Tweedie(Log(), var_power=p)).loglike(params)


def irls_step(params):
    fam = Poisson(Log())
    eta = XG @ params
    mu = fam.fitted(eta)
    d = fam.link.deriv(mu)
    w = 1.0 / (fam.variance(mu) * d**2)
    z = eta + (Y_CNT - mu) * d
    XtW = XG.T * w
    return np.linalg.solve(XtW @ XG, XtW @ z)


def pearson_chi2(params, p):
    fam = Tweedie(Power(0.3), var_power=p)
    mu = fam.fitted(XG @ params)
    return np.sum((Y_POS - mu) ** 2 / fam.variance(mu))


B0 = np.array([0.3, 0.2, -0.1])
CASES = [
    Case(poisson_log, (B0,), (0,), extra="hvp"),
    Case(poisson_sqrt, (np.array([1.2, 0.2, -0.1]),), (0,), extra="hvp"),
    Case(poisson_deviance, (B0,), (0,), extra="hvp"),
    Case(binomial_logit, (B0,), (0,), extra="hvp"),
    Case(binomial_probit, (B0,), (0,), extra="hvp"),
    Case(binomial_cloglog, (np.array([-0.3, 0.2, -0.1]),), (0,), extra="hvp"),
    Case(gamma_log, (B0, 0.8), (0, 1), extra="hvp"),
    Case(gamma_inverse, (np.array([0.6, 0.1, -0.05]),), (0,), extra="hvp"),
    Case(negbin_log, (B0, 0.7), (0, 1), extra="hvp"),
    Case(inverse_gaussian, (np.array([0.5, 0.05, -0.05]),), (0,), extra="hvp"),
    Case(tweedie_log, (B0, 1.4), (0, 1), extra="hvp"),
    Case(irls_step, (B0,), (0,)),
    Case(pearson_chi2, (np.array([1.3, 0.1, -0.1]), 1.6), (0, 1), extra="hvp"),
]
