"""SGD (with momentum / Nesterov), RMSprop and Adam: Keras' arguments, defaults and update rules.

Each optimizer keeps its state per parameter name and updates ``params`` in place with
``step(params, grads)``, where both are dicts of arrays with the same keys.
"""

# --8<-- [start:checks]
import numpy as np


def _check(name, params, grads):
    if params.keys() != grads.keys():
        raise ValueError(
            f"{name}.step expects grads with the keys of params; received params {sorted(params)} "
            f"and grads {sorted(grads)}"
        )
    for key, p in params.items():
        if grads[key].shape != p.shape:
            raise ValueError(
                f"{name}.step expects grads[{key!r}] of shape {p.shape}; received {grads[key].shape}"
            )


def _positive(name, **values):
    for key, value in values.items():
        if not value > 0:
            raise ValueError(f"{name} expects {key} > 0; received {key}={value!r}")
# --8<-- [end:checks]


# --8<-- [start:subnormals]
import numpy as np

FLUSH_EVERY = 32  # steps between flushes of the optimizers' running averages


def _flush_tiny(*arrays):
    """Set, in place, every entry smaller in magnitude than 2^24 times the smallest normal float to 0
    (2e-31 in float32): the running average of a gradient that stays 0 then never becomes subnormal.
    float16's normal range is too short for that margin, so there only the subnormals themselves go."""
    for a in arrays:
        margin = 2**24 if a.dtype.itemsize >= 4 else 1
        a[np.abs(a) < np.finfo(a.dtype).tiny * margin] = 0
# --8<-- [end:subnormals]


# --8<-- [start:sgd]
import numpy as np


class SGD:
    """w -= lr * g; with momentum m = momentum * m - lr * g, then w += m (Nesterov: w += momentum * m - lr * g)."""

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False):
        _positive("SGD", learning_rate=learning_rate)
        if not 0 <= momentum <= 1:
            raise ValueError(f"SGD expects momentum in [0, 1]; received momentum={momentum!r}")
        self.learning_rate, self.momentum, self.nesterov = learning_rate, momentum, nesterov
        self.iterations = 0
        self.m = {}

    def step(self, params, grads):
        """Update every array in ``params`` in place from ``grads`` (same keys and shapes)."""
        _check("SGD", params, grads)
        self.iterations += 1
        lr = self.learning_rate
        for key, w in params.items():
            g = grads[key]
            if self.momentum == 0:
                w -= lr * g
                continue
            m = self.m.setdefault(key, np.zeros_like(w))
            m *= self.momentum
            m -= lr * g
            w += self.momentum * m - lr * g if self.nesterov else m
            if self.iterations % FLUSH_EVERY == 0:
                _flush_tiny(m)
# --8<-- [end:sgd]


# --8<-- [start:rmsprop]
import numpy as np


class RMSprop:
    """Divide each step by a running root-mean-square of the gradient: v = rho v + (1 - rho) g^2."""

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False):
        _positive("RMSprop", learning_rate=learning_rate, epsilon=epsilon)
        if not 0 <= rho < 1:
            raise ValueError(f"RMSprop expects rho in [0, 1); received rho={rho!r}")
        self.learning_rate, self.rho, self.momentum = learning_rate, rho, momentum
        self.epsilon, self.centered = epsilon, centered
        self.iterations = 0
        self.v, self.mg, self.m = {}, {}, {}

    def step(self, params, grads):
        """Update every array in ``params`` in place from ``grads`` (same keys and shapes)."""
        _check("RMSprop", params, grads)
        self.iterations += 1
        rho = self.rho
        for key, w in params.items():
            g = grads[key]
            v = self.v.setdefault(key, np.zeros_like(w))
            v[...] = rho * v + (1 - rho) * np.square(g)
            denominator = v + self.epsilon  # Keras adds epsilon inside the square root
            if self.centered:
                mg = self.mg.setdefault(key, np.zeros_like(w))
                mg[...] = rho * mg + (1 - rho) * g
                denominator = v - np.square(mg) + self.epsilon
            increment = self.learning_rate * g / np.sqrt(denominator)
            if self.momentum > 0:
                m = self.m.setdefault(key, np.zeros_like(w))
                m[...] = self.momentum * m + increment
                increment = m
            w -= increment
            if self.iterations % FLUSH_EVERY == 0:
                _flush_tiny(v, *(state[key] for state in (self.mg, self.m) if key in state))
# --8<-- [end:rmsprop]


# --8<-- [start:adam]
import math

import numpy as np


class Adam:
    """Momentum (m) and RMS scaling (v) with bias correction: w -= lr_t m / (sqrt(v) + epsilon)."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False):
        _positive("Adam", learning_rate=learning_rate, epsilon=epsilon)
        for key, beta in (("beta_1", beta_1), ("beta_2", beta_2)):
            if not 0 <= beta < 1:
                raise ValueError(f"Adam expects {key} in [0, 1); received {key}={beta!r}")
        self.learning_rate, self.beta_1, self.beta_2 = learning_rate, beta_1, beta_2
        self.epsilon, self.amsgrad = epsilon, amsgrad
        self.iterations = 0
        self.m, self.v, self.v_hat, self.scratch = {}, {}, {}, {}

    def step(self, params, grads):
        """Update every array in ``params`` in place from ``grads`` (same keys and shapes)."""
        _check("Adam", params, grads)
        self.iterations += 1
        t = self.iterations
        # Bias correction folded into the step size, exactly as Keras does it. A Python float, so that the
        # arithmetic below stays in the weights' dtype (a NumPy float64 scalar would promote float32 to float64).
        alpha = float(self.learning_rate * math.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t))
        for key, w in params.items():
            g = grads[key]
            if key not in self.m:  # first step: zero moments and a scratch array (built once, not on every step)
                self.m[key], self.v[key], self.scratch[key] = np.zeros_like(w), np.zeros_like(w), np.empty_like(w)
                if self.amsgrad:
                    self.v_hat[key] = np.zeros_like(w)
            m, v, s = self.m[key], self.v[key], self.scratch[key]
            # m += (g - m)(1 - beta_1);  v += (g^2 - v)(1 - beta_2);  w -= alpha m / (sqrt(v) + epsilon),
            # one operation per line in the scratch array s, so that no step allocates a temporary array.
            np.subtract(g, m, out=s)
            s *= 1 - self.beta_1
            m += s
            np.square(g, out=s)
            s -= v
            s *= 1 - self.beta_2
            v += s
            if self.amsgrad:
                v = np.maximum(self.v_hat[key], v, out=self.v_hat[key])
            np.sqrt(v, out=s)
            s += self.epsilon
            np.divide(m, s, out=s)
            s *= alpha
            w -= s
            if t % FLUSH_EVERY == 0:
                _flush_tiny(m, self.v[key], *([self.v_hat[key]] if self.amsgrad else []))
# --8<-- [end:adam]
