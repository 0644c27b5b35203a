"""Ported cases (session 50, hunt50b): PINTS' toy problems (pints/toy) in PINTS' style.

Log-pdfs as classes with ``__call__`` (annulus, cone through ``np.linalg.norm``), the twisted
Gaussian banana (``np.array(x, copy=True, dtype="float")``, ``y[0] = float(y[0]) / ...``,
``y[1] += ...``, scipy's multivariate normal), Neal's funnel (a list of ``scipy.stats.norm.logpdf``
with a varied scale), eight schools through prior objects built per school, the ODE right-hand
sides (``a, b, c = [float(p) for p in p]``, tuples returned, ``np.zeros(6)`` written by item),
the forward-sensitivity system ``_rhs_S1`` (reshape, matmul, transpose, concatenate) integrated
by RK4, the logistic and damped-oscillator closed forms (a complex square root, ``np.real``), and
the Hodgkin-Huxley IK model (closures over unpacked parameters, boolean-mask writes).

Float64 arrays (and floats) -> a float, a tuple or an array. Each row is checked forward and
reverse (the rows marked ``extra="hvp"`` also at second order)."""

from __future__ import annotations

import numpy as np
import scipy.stats

from . import Case


class AnnulusLogPDF:
    def __init__(self, dimensions=2, r0=10, sigma=1):
        self._n_parameters = dimensions
        self._r0 = r0
        self._sigma = sigma

    def __call__(self, x):
        if not len(x) == self._n_parameters:
            raise ValueError("x must be of same dimensions as density")
        return scipy.stats.norm.logpdf(np.linalg.norm(x), self._r0, self._sigma)

    def evaluateS1(self, x):
        L = self.__call__(x)
        r = self._r0
        norm = np.linalg.norm(x)
        sigma = self._sigma
        cons = -(norm - r) / (norm * sigma**2)
        dL = np.array([var * cons for var in x])
        return L, dL


def annulus(x):
    return AnnulusLogPDF(len(x), r0=2.0, sigma=0.5)(x)


class ConeLogPDF:
    def __init__(self, dimensions=2, beta=1):
        self._n_parameters = dimensions
        self._beta = beta

    def __call__(self, x):
        if not len(x) == self._n_parameters:
            raise ValueError("x must be of same dimensions as density")
        return -(np.linalg.norm(x) ** self._beta)


def cone(x):
    return ConeLogPDF(len(x), beta=1.5)(x)


def banana(x, b=0.1, V=100.0):
    n = len(x)
    y = np.array(x, copy=True, dtype="float").reshape(n)
    y[0] = float(y[0]) / np.sqrt(V)
    y[1] += b * ((x[0] ** 2) - V)
    return scipy.stats.multivariate_normal.logpdf(y, np.zeros(n), np.eye(n))


def banana_explicit(x, b=0.1, V=100.0):
    n = len(x)
    y = np.array(x, copy=True, dtype="float").reshape(n)
    y[0] = float(y[0]) / np.sqrt(V)
    y[1] += b * ((x[0] ** 2) - V)
    return -0.5 * n * np.log(2 * np.pi) - 0.5 * np.dot(y, y)


def funnel(x):
    nu = x[-1]
    x_temp = x[:-1]
    x_log_pdf = [scipy.stats.norm.logpdf(y, 0, np.exp(nu / 2)) for y in x_temp]
    return np.sum(x_log_pdf) + scipy.stats.norm.logpdf(nu, 0, 3)


class GaussianLogPrior:
    def __init__(self, mean, sd):
        self._mean = mean
        self._sd = sd
        self._offset = -0.5 * np.log(2 * np.pi * self._sd**2)
        self._factor = 1.0 / (2.0 * self._sd**2)

    def __call__(self, x):
        return self._offset - self._factor * (x[0] - self._mean) ** 2

    def evaluateS1(self, x):
        value = self(x)
        return value, np.asarray([-2.0 * self._factor * (x[0] - self._mean)])


class HalfCauchyLogPrior:
    def __init__(self, location, scale):
        self._location = location
        self._scale = scale

    def __call__(self, x):
        if x[0] < 0:
            return -np.inf
        z = (x[0] - self._location) / self._scale
        return np.log(2.0 / (np.pi * self._scale)) - np.log1p(z * z)


_Y_J = [28.0, 8.0, -3.0, 7.0, -1.0, 1.0, 18.0, 12.0]
_SIGMA_J = [15.0, 10.0, 16.0, 11.0, 9.0, 11.0, 10.0, 18.0]


def eight_schools(x, centered=False):
    mu = x[0]
    tau = x[1]
    if tau < 0:
        return -np.inf
    thetas = x[2:]
    log_prob = GaussianLogPrior(0, 5)([mu])
    log_prob += HalfCauchyLogPrior(0, 5)([tau])
    if centered:
        log_prior = GaussianLogPrior(mu, tau)
    else:
        log_prior = GaussianLogPrior(0, 1)
    for i, theta_tilde in enumerate(thetas):
        log_prob += log_prior([theta_tilde])
        if centered:
            theta = theta_tilde
        else:
            theta = mu + theta_tilde * tau
        log_prior_2 = GaussianLogPrior(theta, _SIGMA_J[i])
        log_prob += log_prior_2([_Y_J[i]])
    return log_prob


def eight_schools_centered(x):
    return eight_schools(x, True)


# ---------------------------------------------------------------- ODE models


def fitzhugh_rhs(y, t, p):
    V, R = y
    a, b, c = [float(param) for param in p]
    dV_dt = (V - V**3 / 3 + R) * c
    dR_dt = (V - a + b * R) / -c
    return dV_dt, dR_dt


def fitzhugh_dfdp(y, t, p):
    V, R = y
    a, b, c = [float(param) for param in p]
    ret = np.empty((2, 3))
    ret[0, 0] = 0
    ret[0, 1] = 0
    ret[0, 2] = R - V**3 / 3 + V
    ret[1, 0] = 1 / c
    ret[1, 1] = -R / c
    ret[1, 2] = (R * b + V - a) / c**2
    return ret


def fitzhugh_jacobian(y, t, p):
    V, R = y
    a, b, c = [float(x) for x in p]
    ret = np.empty((2, 2))
    ret[0, 0] = c * (1 - V**2)
    ret[0, 1] = c
    ret[1, 0] = -1 / c
    ret[1, 1] = -b / c
    return ret


def goodwin_rhs(state, time, parameters):
    x, y, z = state
    k2, k3, m1, m2, m3 = parameters
    dxdt = 1 / (1 + z**10) - m1 * x
    dydt = k2 * x - m2 * y
    dzdt = k3 * y - m3 * z
    return dxdt, dydt, dzdt


def repressilator_rhs(y, t, alpha_0, alpha, beta, n):
    dy = np.zeros(6)
    dy[0] = -y[0] + alpha / (1 + y[5] ** n) + alpha_0
    dy[1] = -y[1] + alpha / (1 + y[3] ** n) + alpha_0
    dy[2] = -y[2] + alpha / (1 + y[4] ** n) + alpha_0
    dy[3] = -beta * (y[3] - y[0])
    dy[4] = -beta * (y[4] - y[1])
    dy[5] = -beta * (y[5] - y[2])
    return dy


def hes1_rhs(state, time, parameters, kdeg=0.03):
    m, p1, p2 = state
    P0, v, k1, h = parameters
    output = np.array(
        [
            -kdeg * m + 1.0 / (1.0 + (p2 / P0) ** h),
            -kdeg * p1 + v * m - k1 * p1,
            -kdeg * p2 + k1 * p1,
        ]
    )
    return output


def lotka_rhs(state, time, parameters):
    x, y = state
    a, b, c, d = parameters
    return np.array([a * x - b * x * y, -c * y + d * x * y])


def lotka_jacobian(z, t, p):
    x, y = z
    a, b, c, d = [float(param) for param in p]
    ret = np.empty((2, 2))
    ret[0, 0] = a - b * y
    ret[0, 1] = -b * x
    ret[1, 0] = d * y
    ret[1, 1] = -c + d * x
    return ret


def lotka_dfdp(z, t, p):
    x, y = z
    ret = np.empty((2, 4))
    ret[0, 0] = x
    ret[0, 1] = -x * y
    ret[0, 2] = 0
    ret[0, 3] = 0
    ret[1, 0] = 0
    ret[1, 1] = 0
    ret[1, 2] = -y
    ret[1, 3] = x * y
    return ret


def lotka_rhs_S1(y_and_dydp, t, p):
    # pints.ToyODEModel._rhs_S1: states then sensitivities, one vector
    n_states, n_params = 2, 4
    y = y_and_dydp[0:n_states]
    dydp = y_and_dydp[n_states:].reshape((n_params, n_states))
    dydt = lotka_rhs(y, t, p)
    d_dydp_dt = np.matmul(dydp, np.transpose(lotka_jacobian(y, t, p))) + np.transpose(
        lotka_dfdp(y, t, p)
    )
    return np.concatenate((dydt, d_dydp_dt.reshape(-1)))


def _rk4(rhs, y0, times, p):
    ys = [y0]
    y = y0
    for i in range(len(times) - 1):
        h = times[i + 1] - times[i]
        k1 = rhs(y, times[i], p)
        k2 = rhs(y + 0.5 * h * k1, times[i] + 0.5 * h, p)
        k3 = rhs(y + 0.5 * h * k2, times[i] + 0.5 * h, p)
        k4 = rhs(y + h * k3, times[i] + h, p)
        y = y + h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
        ys.append(y)
    return np.array(ys)


def lotka_sensitivities(p):
    # values and d(values)/dp by integrating the combined system (pints' simulateS1)
    times = np.linspace(0.0, 1.0, 6)
    y0 = np.zeros(2 * 4 + 2)
    y0[0:2] = [1.0, 0.5]
    result = _rk4(lotka_rhs_S1, y0, times, p)
    values = result[:, 0:2]
    dvalues_dp = result[:, 2:].reshape((len(times), 2, 4), order="F")
    return np.sum(values**2) + np.sum(np.sin(dvalues_dp))


def logistic(parameters, times, p0=2.0):
    r, k = [float(x) for x in parameters]
    times = np.asarray(times)
    if np.any(times < 0):
        raise ValueError("Negative times are not allowed.")
    if p0 == 0 or k < 0:
        return np.zeros(times.shape)
    exp = np.exp(-r * times)
    c = k / p0 - 1
    values = k / (1 + c * exp)
    return values


def sho(parameters, times):
    y1_0, y2_0, theta = [float(x) for x in parameters]
    times = np.asarray(times)
    if theta != 2:
        sqrt = np.sqrt(theta**2 - 4 + 0j)
        exp1 = np.exp(0.5 * times * (-theta - sqrt))
        exp2 = np.exp(0.5 * times * (-theta + sqrt))
        values = (
            1
            / (2 * sqrt)
            * (
                2 * y2_0 * (exp2 - exp1)
                + y1_0 * theta * (exp2 - exp1)
                + y1_0 * sqrt * (exp1 + exp2)
            )
        )
        values = np.real(values)
    else:
        exp5 = np.exp(-times)
        values = exp5 * (y1_0 + times * (y1_0 + y2_0))
    return values


_EVENTS = [0.3, 0.6]
_VOLTAGES = [-20.0, 10.0, -60.0]


def hh_ik(parameters, times, v_hold=-75.0, n0=0.3, g_max=36.0, E_k=-88.0):
    times = np.asarray(times)
    p1, p2, p3, p4, p5 = parameters

    def calculate_n(v, n0, t0, times):
        a = p1 * (-(v + 75) + p2) / (np.exp((-(v + 75) + p2) / p3) - 1)
        b = p4 * np.exp((-v - 75) / p5)
        tau = 1 / (a + b)
        inf = a * tau
        return inf - (inf - n0) * np.exp(-(times - t0) / tau)

    ns = np.zeros(times.shape)
    vs = np.zeros(times.shape)
    v = v_hold
    t_last = 0
    n_last = n0
    for i, t_next in enumerate(_EVENTS):
        index = (t_last <= times) * (times < t_next)
        vs[index] = v
        ns[index] = calculate_n(v, n_last, t_last, times[index])
        n_last = calculate_n(v, n_last, t_last, t_next)
        t_last = t_next
        v = _VOLTAGES[i]
    index = times >= t_next
    vs[index] = v
    ns[index] = calculate_n(v, n_last, t_last, times[index])
    n_last = calculate_n(v, n_last, t_last, t_next)
    return g_max * ns**4 * (vs - E_k)


_X3 = np.array([1.2, -0.7, 0.9])
_P5 = np.array([0.01, 10.0, 10.0, 0.125, 80.0])


def _c(fn, *args, diff=(0,), **kw):
    return Case(fn, args, diff, **kw)


def _h(fn, *args, diff=(0,), **kw):
    return Case(fn, args, diff, extra="hvp", **kw)


CASES = [
    _h(annulus, _X3.copy()),
    _h(cone, _X3.copy()),
    _h(banana, np.array([1.5, -0.4, 0.3])),
    _h(banana_explicit, np.array([1.5, -0.4, 0.3])),
    _h(funnel, np.array([0.3, -0.5, 0.8, 0.4])),
    _h(eight_schools, np.array([4.0, 3.0, 0.3, -0.2, 0.5, 0.1, -0.7, 0.4, 0.9, -0.3])),
    _h(eight_schools_centered, np.array([4.0, 3.0, 6.3, -2.2, 3.5, 5.1, -0.7, 2.4, 9.9, 4.3])),
    _c(fitzhugh_rhs, np.array([0.3, -0.4]), 0.0, np.array([0.2, 0.3, 3.0]), diff=(0, 2)),
    _c(fitzhugh_dfdp, np.array([0.3, -0.4]), 0.0, np.array([0.2, 0.3, 3.0]), diff=(0, 2)),
    _c(
        goodwin_rhs,
        np.array([0.3, 0.4, 0.8]),
        0.0,
        np.array([2.0, 4.0, 0.12, 0.08, 0.1]),
        diff=(0, 2),
    ),
    _c(
        repressilator_rhs,
        np.array([0.3, 0.4, 0.8, 0.5, 1.2, 0.7]),
        0.0,
        1.0,
        1000.0,
        5.0,
        2.0,
        diff=(0, 2, 3, 4),
    ),
    _c(hes1_rhs, np.array([2.0, 1.4, 3.1]), 0.0, np.array([2.4, 0.025, 0.11, 6.9]), diff=(0, 2)),
    _c(lotka_rhs_S1, np.linspace(0.2, 1.1, 10), 0.0, np.array([3.0, 2.0, 3.0, 2.0]), diff=(0, 2)),
    _h(lotka_sensitivities, np.array([1.0, 0.6, 1.1, 0.8])),
    _c(logistic, np.array([0.8, 5.0]), np.linspace(0.0, 3.0, 7)),
    _c(sho, np.array([1.0, 0.2, 0.5]), np.linspace(0.0, 3.0, 7)),
    _c(hh_ik, _P5.copy(), np.linspace(0.05, 0.95, 7)),
]
