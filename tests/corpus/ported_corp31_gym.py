"""Ported cases (session 31, corp31), written anew as user code after gym/gymnasium's classic
control environments: CartPole's ``step`` on Python floats (``math.sin``/``math.cos``, the
``kinematics_integrator`` branch between Euler and semi-implicit Euler, the termination test),
Pendulum's clipped torque and ``angle_normalize`` by a modulo, Acrobot's ``rk4`` helper taking the
derivative function ``_dsdt`` and its ``wrap``/``bound`` helpers, and MountainCar's clipped
velocity and position with the left wall. Each is rolled out for a few steps under a linear (or
tanh-squashed) policy; the return is differentiated in the policy weights.

Float policy weights (and initial states) -> float scalar returns, or the final state array."""

from __future__ import annotations

import math

import numpy as np

from . import Case


class CartPole:
    def __init__(self, integrator="euler"):
        self.gravity = 9.8
        self.masscart = 1.0
        self.masspole = 0.1
        self.total_mass = self.masspole + self.masscart
        self.length = 0.5  # half the pole's length
        self.polemass_length = self.masspole * self.length
        self.force_mag = 10.0
        self.tau = 0.02
        self.kinematics_integrator = integrator
        self.theta_threshold_radians = 12 * 2 * math.pi / 360
        self.x_threshold = 2.4
        self.state = None

    def reset(self, state):
        self.state = tuple(state)
        return np.array(self.state)

    def step(self, force):
        x, x_dot, theta, theta_dot = self.state
        costheta = math.cos(theta)
        sintheta = math.sin(theta)
        temp = (force + self.polemass_length * theta_dot**2 * sintheta) / self.total_mass
        thetaacc = (self.gravity * sintheta - costheta * temp) / (
            self.length * (4.0 / 3.0 - self.masspole * costheta**2 / self.total_mass)
        )
        xacc = temp - self.polemass_length * thetaacc * costheta / self.total_mass
        if self.kinematics_integrator == "euler":
            x = x + self.tau * x_dot
            x_dot = x_dot + self.tau * xacc
            theta = theta + self.tau * theta_dot
            theta_dot = theta_dot + self.tau * thetaacc
        else:  # semi-implicit euler
            x_dot = x_dot + self.tau * xacc
            x = x + self.tau * x_dot
            theta_dot = theta_dot + self.tau * thetaacc
            theta = theta + self.tau * theta_dot
        self.state = (x, x_dot, theta, theta_dot)
        terminated = bool(
            x < -self.x_threshold
            or x > self.x_threshold
            or theta < -self.theta_threshold_radians
            or theta > self.theta_threshold_radians
        )
        reward = 1.0 if not terminated else 0.0
        return np.array(self.state, dtype=np.float32), reward, terminated, False, {}


CP0 = (0.01, -0.02, 0.03, 0.015)


def cartpole_rollout(w, integrator="euler"):
    # a continuous force from a linear policy; a smooth shaping cost on the true (float) state
    env = CartPole(integrator)
    env.reset(CP0)
    cost = 0.0
    for _ in range(12):
        s = env.state
        force = env.force_mag * math.tanh(w[0] * s[0] + w[1] * s[1] + w[2] * s[2] + w[3] * s[3])
        _, reward, terminated, _, _ = env.step(force)
        x, x_dot, theta, theta_dot = env.state
        cost += theta**2 + 0.1 * x**2 + 0.01 * theta_dot**2 - 0.01 * reward
        if terminated:
            break
    return cost


def cartpole_semi_implicit(w):
    return cartpole_rollout(w, "semi-implicit")


def cartpole_final_state(w):
    # the float32 observation of the last step, as the environment returns it
    env = CartPole()
    obs = env.reset(CP0)
    for _ in range(5):
        force = 10.0 * math.tanh(float(np.dot(w, env.state)))
        obs, _, _, _, _ = env.step(force)
    return np.array(env.state)


def angle_normalize(x):
    return ((x + np.pi) % (2 * np.pi)) - np.pi


class Pendulum:
    max_speed = 8.0
    max_torque = 2.0
    dt = 0.05
    g = 10.0
    m = 1.0
    l = 1.0  # noqa: E741

    def __init__(self, th, thdot):
        self.state = np.array([th, thdot])

    def step(self, u):
        th, thdot = self.state
        u = np.clip(u, -self.max_torque, self.max_torque)
        costs = angle_normalize(th) ** 2 + 0.1 * thdot**2 + 0.001 * (u**2)
        newthdot = (
            thdot
            + (3 * self.g / (2 * self.l) * np.sin(th) + 3.0 / (self.m * self.l**2) * u) * self.dt
        )
        newthdot = np.clip(newthdot, -self.max_speed, self.max_speed)
        newth = th + newthdot * self.dt
        self.state = np.array([newth, newthdot])
        return self._get_obs(), -costs, False, False, {}

    def _get_obs(self):
        theta, thetadot = self.state
        return np.array([np.cos(theta), np.sin(theta), thetadot], dtype=np.float32)


def pendulum_return(w, th0):
    # the torque saturates at +-2 on some steps (np.clip's derivative is 0 there)
    env = Pendulum(th0, 0.5)
    total = 0.0
    for _ in range(15):
        th, thdot = env.state
        u = w[0] * np.cos(th) + w[1] * np.sin(th) + w[2] * thdot
        _, r, _, _, _ = env.step(u)
        total += r
    return total


def wrap(x, m, M):
    diff = M - m
    while x > M:
        x = x - diff
    while x < m:
        x = x + diff
    return x


def bound(x, m, M):
    return min(max(x, m), M)


def rk4(derivs, y0, t):
    yout = np.zeros((len(t), len(y0)))
    yout[0] = y0
    for i in np.arange(len(t) - 1):
        this = t[i]
        dt = t[i + 1] - this
        dt2 = dt / 2.0
        y0 = yout[i]
        k1 = np.asarray(derivs(y0))
        k2 = np.asarray(derivs(y0 + dt2 * k1))
        k3 = np.asarray(derivs(y0 + dt2 * k2))
        k4 = np.asarray(derivs(y0 + dt * k3))
        yout[i + 1] = y0 + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
    return yout[-1][:4]


class Acrobot:
    dt = 0.2
    LINK_LENGTH_1 = 1.0
    LINK_MASS_1 = 1.0
    LINK_MASS_2 = 1.0
    LINK_COM_POS_1 = 0.5
    LINK_COM_POS_2 = 0.5
    LINK_MOI = 1.0
    MAX_VEL_1 = 4 * math.pi
    MAX_VEL_2 = 9 * math.pi

    def __init__(self, s):
        self.state = s

    def _dsdt(self, s_augmented):
        m1, m2 = self.LINK_MASS_1, self.LINK_MASS_2
        l1 = self.LINK_LENGTH_1
        lc1, lc2 = self.LINK_COM_POS_1, self.LINK_COM_POS_2
        I1 = I2 = self.LINK_MOI
        g = 9.8
        a = s_augmented[-1]
        s = s_augmented[:-1]
        theta1, theta2, dtheta1, dtheta2 = s[0], s[1], s[2], s[3]
        d1 = m1 * lc1**2 + m2 * (l1**2 + lc2**2 + 2 * l1 * lc2 * np.cos(theta2)) + I1 + I2
        d2 = m2 * (lc2**2 + l1 * lc2 * np.cos(theta2)) + I2
        phi2 = m2 * lc2 * g * np.cos(theta1 + theta2 - np.pi / 2.0)
        phi1 = (
            -m2 * l1 * lc2 * dtheta2**2 * np.sin(theta2)
            - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * np.sin(theta2)
            + (m1 * lc1 + m2 * l1) * g * np.cos(theta1 - np.pi / 2)
            + phi2
        )
        # the "nips" book dynamics
        ddtheta2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * dtheta1**2 * np.sin(theta2) - phi2) / (
            m2 * lc2**2 + I2 - d2**2 / d1
        )
        ddtheta1 = -(d2 * ddtheta2 + phi1) / d1
        return dtheta1, dtheta2, ddtheta1, ddtheta2, 0.0

    def step(self, torque):
        s = self.state
        s_augmented = np.append(s, torque)
        ns = rk4(self._dsdt, s_augmented, [0, self.dt])
        ns[0] = wrap(ns[0], -math.pi, math.pi)
        ns[1] = wrap(ns[1], -math.pi, math.pi)
        ns[2] = bound(ns[2], -self.MAX_VEL_1, self.MAX_VEL_1)
        ns[3] = bound(ns[3], -self.MAX_VEL_2, self.MAX_VEL_2)
        self.state = ns
        return -np.cos(ns[0]) - np.cos(ns[1] + ns[0])


def dsdt(s_augmented, m1=1.0, m2=1.0, l1=1.0, lc1=0.5, lc2=0.5, I1=1.0, I2=1.0, g=9.8):
    # `Acrobot._dsdt` as a module function with the link constants as defaults
    a = s_augmented[-1]
    theta1, theta2, dtheta1, dtheta2 = (
        s_augmented[0],
        s_augmented[1],
        s_augmented[2],
        s_augmented[3],
    )
    d1 = m1 * lc1**2 + m2 * (l1**2 + lc2**2 + 2 * l1 * lc2 * np.cos(theta2)) + I1 + I2
    d2 = m2 * (lc2**2 + l1 * lc2 * np.cos(theta2)) + I2
    phi2 = m2 * lc2 * g * np.cos(theta1 + theta2 - np.pi / 2.0)
    phi1 = (
        -m2 * l1 * lc2 * dtheta2**2 * np.sin(theta2)
        - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * np.sin(theta2)
        + (m1 * lc1 + m2 * l1) * g * np.cos(theta1 - np.pi / 2)
        + phi2
    )
    ddtheta2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * dtheta1**2 * np.sin(theta2) - phi2) / (
        m2 * lc2**2 + I2 - d2**2 / d1
    )
    ddtheta1 = -(d2 * ddtheta2 + phi1) / d1
    return dtheta1, dtheta2, ddtheta1, ddtheta2, 0.0


def acrobot_module_rk4(w, s0):
    # the same rollout with `rk4(dsdt, ...)` of a module function and the wrap/bound helpers
    s = s0.copy()
    total = 0.0
    for _ in range(4):
        torque = float(np.tanh(np.dot(w, s)))
        ns = rk4(dsdt, np.append(s, torque), [0, Acrobot.dt])
        ns[0] = wrap(ns[0], -math.pi, math.pi)
        ns[1] = wrap(ns[1], -math.pi, math.pi)
        ns[2] = bound(ns[2], -Acrobot.MAX_VEL_1, Acrobot.MAX_VEL_1)
        ns[3] = bound(ns[3], -Acrobot.MAX_VEL_2, Acrobot.MAX_VEL_2)
        s = ns
        total += -np.cos(s[0]) - np.cos(s[1] + s[0])
    return total


def acrobot_height(w, s0):
    # a continuous torque from a linear policy; the summed tip height
    env = Acrobot(s0.copy())
    total = 0.0
    for _ in range(4):
        torque = float(np.tanh(np.dot(w, env.state)))
        total += env.step(torque)
    return total


class MountainCar:
    min_position = -1.2
    max_position = 0.6
    max_speed = 0.07
    goal_position = 0.5
    force = 0.001
    gravity = 0.0025

    def __init__(self, position, velocity):
        self.state = np.array([position, velocity])

    def step(self, action):
        position, velocity = self.state
        velocity += (action - 1) * self.force + math.cos(3 * position) * (-self.gravity)
        velocity = np.clip(velocity, -self.max_speed, self.max_speed)
        position += velocity
        position = np.clip(position, self.min_position, self.max_position)
        if position == self.min_position and velocity < 0:
            velocity = 0
        terminated = bool(position >= self.goal_position and velocity >= 0)
        self.state = (position, velocity)
        return np.array(self.state, dtype=np.float32), -1.0, terminated


def mountain_car_step(p, v, action):
    # MountainCar's `step` on the two floats, outside the class
    env = MountainCar(p, v)
    env.step(action)
    pos, vel = env.state
    return pos + 10.0 * vel


def mountain_car_loop(w, p0):
    # the rollout with the state as a loop variable: an array first, then `(position, velocity)`
    force, gravity, max_speed, min_position = 0.001, 0.0025, 0.07, -1.2
    state = np.array([p0, 0.0])
    for _ in range(20):
        position, velocity = state
        action = 1.0 + math.tanh(w[0] * position + w[1] * velocity * 100.0 + w[2])
        velocity += (action - 1) * force + math.cos(3 * position) * (-gravity)
        velocity = np.clip(velocity, -max_speed, max_speed)
        position += velocity
        position = np.clip(position, min_position, 0.6)
        if position == min_position and velocity < 0:
            velocity = 0
        state = (position, velocity)
    position, velocity = state
    return 0.5 * velocity**2 * 1e4 + math.sin(3 * position)


class MountainCarEnv(MountainCar):
    # gym's own shape: the constants set on the instance in __init__
    def __init__(self, position, velocity):
        self.min_position = -1.2
        self.max_position = 0.6
        self.max_speed = 0.07
        self.goal_position = 0.5
        self.force = 0.001
        self.gravity = 0.0025
        self.state = np.array([position, velocity])


def mountain_car_env_energy(w, p0):
    env = MountainCarEnv(p0, 0.0)
    for _ in range(20):
        pos, vel = env.state
        action = 1.0 + math.tanh(w[0] * pos + w[1] * vel * 100.0 + w[2])
        _, _, done = env.step(action)
        if done:
            break
    pos, vel = env.state
    return 0.5 * vel**2 * 1e4 + math.sin(3 * pos)


def mountain_car_energy(w, p0):
    # the continuous "action" in [0, 2] from a squashed linear policy; final mechanical energy
    env = MountainCar(p0, 0.0)
    for _ in range(20):
        pos, vel = env.state
        action = 1.0 + math.tanh(w[0] * pos + w[1] * vel * 100.0 + w[2])
        _, _, done = env.step(action)
        if done:
            break
    pos, vel = env.state
    return 0.5 * vel**2 * 1e4 + math.sin(3 * pos)


S_ACRO = np.array([0.05, -0.08, 0.02, 0.01])

CASES = [
    Case(cartpole_rollout, (np.array([0.3, 0.8, 4.0, 1.2]),), (0,)),
    Case(cartpole_semi_implicit, (np.array([0.3, 0.8, 4.0, 1.2]),), (0,)),
    Case(cartpole_final_state, (np.array([0.3, 0.8, 4.0, 1.2]),), (0,)),
    Case(pendulum_return, (np.array([-1.2, -3.1, -0.9]), 2.6), (0, 1)),
    Case(acrobot_height, (np.array([0.4, -0.3, 0.2, 0.1]), S_ACRO), (0, 1)),
    Case(acrobot_module_rk4, (np.array([0.4, -0.3, 0.2, 0.1]), S_ACRO), (0, 1)),
    Case(mountain_car_step, (-0.52, 0.01, 1.7), (0, 1, 2)),
    # p0 -0.3: at -0.52 the third derivative in p0 is large enough that the Hessian test's central
    # differences miss by 1.4e-5 relative (srcad's 1691.234 is their limit, at smaller steps)
    Case(mountain_car_loop, (np.array([0.5, 1.4, 0.3]), -0.3), (0, 1)),
    Case(mountain_car_env_energy, (np.array([0.5, 1.4, 0.3]), -0.3), (0, 1)),
    Case(mountain_car_energy, (np.array([0.5, 1.4, 0.3]), -0.3), (0, 1)),  # (-0.3: as above)
]
