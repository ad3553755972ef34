"""SGD (with momentum / Nesterov), RMSprop and Adam: Keras' arguments, defaults and update rules.

Each optimizer keeps its state per parameter name and updates ``params`` in place with
``step(params, grads)``, where both are dicts of arrays with the same keys.
"""

# --8<-- [start:checks]
import numpy as np


def check_step(name, params, grads):
    """Raise a ValueError unless params and grads are dicts of float arrays
    with the same keys and shapes, and every gradient is finite."""
    if not isinstance(params, dict) or not isinstance(grads, dict):
        raise ValueError(
            f"{name}.step expects two dicts of arrays; received "
            f"{type(params).__name__} and {type(grads).__name__}"
        )
    if params.keys() != grads.keys():
        raise ValueError(
            f"{name}.step expects grads with the keys of params; received "
            f"params {sorted(params)} and grads {sorted(grads)}"
        )
    for key, w in params.items():
        g = grads[key]
        for what, a in (("params", w), ("grads", g)):
            if not isinstance(a, np.ndarray) or a.dtype.kind != "f":
                kind = getattr(a, "dtype", type(a).__name__)
                raise ValueError(
                    f"{name}.step expects {what}[{key!r}] to be a float "
                    f"NumPy array; received {kind}"
                )
        if g.shape != w.shape:
            raise ValueError(
                f"{name}.step expects grads[{key!r}] of shape {w.shape}; "
                f"received {g.shape}"
            )
        if np.isnan(w).any():
            raise ValueError(
                f"{name}.step expects params[{key!r}] without NaN; received "
                f"{int(np.isnan(w).sum())} NaN"
            )
        if not np.isfinite(g).all():
            raise ValueError(
                f"{name}.step expects finite grads[{key!r}]; received "
                f"{int(np.sum(~np.isfinite(g)))} NaN or infinite entries"
            )


def averages_dtype(w, g, average=None):
    """The dtype to keep a running average of g^2 in: the weights' dtype,
    at least float32 (float16's g^2 of 1e-3 underflows), float64 where g^2
    would overflow (|g| above 1.8e19 in float32); an average keeps its dtype."""
    dtype = np.promote_types(w.dtype, np.float32)
    if average is not None:
        dtype = np.promote_types(dtype, average.dtype)
    largest = float(np.max(np.abs(g), initial=0.0))
    if largest > np.sqrt(np.finfo(dtype).max):
        dtype = np.dtype(np.float64)
        if largest > np.sqrt(np.finfo(dtype).max):
            raise ValueError(
                f"optimizers expect gradients whose square fits in float64 "
                f"(|g| < 1.3e154); received |g| up to {largest:.3g}"
            )
    return dtype
# --8<-- [end:checks]


# --8<-- [start:sgd]
class SGD:
    """w -= lr g; with momentum: m = momentum m - lr g, then w += m
    (Nesterov: w += momentum m - lr g)."""

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False):
        if not (isinstance(learning_rate, (int, float, np.number))
                and 0 < learning_rate < np.inf):
            raise ValueError(
                "SGD expects a finite learning_rate > 0; "
                f"received learning_rate={learning_rate!r}"
            )
        if not 0 <= momentum <= 1:
            raise ValueError(
                "SGD expects momentum in [0, 1]; "
                f"received momentum={momentum!r}"
            )
        if nesterov not in (True, False):
            raise ValueError(
                f"SGD expects nesterov True or False; received {nesterov!r}"
            )
        self.learning_rate, self.momentum = learning_rate, momentum
        self.nesterov = nesterov
        self.m = {}  # velocity per parameter name

    def step(self, params, grads):
        """Update every array in ``params`` in place from ``grads``."""
        check_step("SGD", params, grads)
        lr, momentum = self.learning_rate, self.momentum
        for key, w in params.items():
            g = grads[key]
            if momentum == 0:
                w -= lr * g
                continue
            m = self.m.get(key, 0.0)  # the velocity starts at 0
            m = self.m[key] = momentum * m - lr * g
            if self.nesterov:
                w += momentum * m - lr * g
            else:
                w += m
# --8<-- [end:sgd]


# --8<-- [start:rmsprop]
import numpy as np


class RMSprop:
    """Divide each step by a running root mean square of the gradient:
    v = rho v + (1 - rho) g^2, w -= lr g / sqrt(v + epsilon)."""

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0,
                 epsilon=1e-7, centered=False):
        positive = {"learning_rate": learning_rate, "epsilon": epsilon}
        for key, value in positive.items():
            if not value > 0:
                raise ValueError(
                    f"RMSprop expects {key} > 0; received {key}={value!r}"
                )
        if not 0 <= rho < 1:
            raise ValueError(
                f"RMSprop expects rho in [0, 1); received rho={rho!r}"
            )
        if not 0 <= momentum <= 1:
            raise ValueError(
                "RMSprop expects momentum in [0, 1]; "
                f"received momentum={momentum!r}"
            )
        self.learning_rate, self.rho = learning_rate, rho
        self.momentum = momentum
        self.epsilon, self.centered = epsilon, centered
        self.v, self.mg, self.m = {}, {}, {}  # running averages of g^2 and g

    def step(self, params, grads):
        """Update every array in ``params`` in place from ``grads``."""
        check_step("RMSprop", params, grads)
        lr, rho, eps = self.learning_rate, self.rho, self.epsilon
        for key, w in params.items():
            dtype = averages_dtype(w, grads[key], self.v.get(key))
            g = grads[key].astype(dtype, copy=False)
            v = self.v.get(key, 0.0)  # the averages start at 0
            v = self.v[key] = rho * v + (1 - rho) * np.square(g)
            denominator = v + eps  # Keras adds epsilon inside the square root
            if self.centered:
                mg = self.mg.get(key, 0.0)
                mg = self.mg[key] = rho * mg + (1 - rho) * g
                denominator = v - np.square(mg) + eps
            increment = lr * g / np.sqrt(denominator)
            if self.momentum > 0:
                m = self.m.get(key, 0.0)
                increment = self.m[key] = self.momentum * m + increment
            w -= increment  # cast to the weights' dtype
# --8<-- [end:rmsprop]


# --8<-- [start:adam]
import math

import numpy as np


class Adam:
    """Momentum (m) and RMS scaling (v), corrected for starting at zero:
    w -= lr_t m / (sqrt(v) + epsilon)."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False):
        positive = {"learning_rate": learning_rate, "epsilon": epsilon}
        for key, value in positive.items():
            if not value > 0:
                raise ValueError(
                    f"Adam expects {key} > 0; received {key}={value!r}"
                )
        for key, beta in (("beta_1", beta_1), ("beta_2", beta_2)):
            if not 0 <= beta < 1:
                raise ValueError(
                    f"Adam expects {key} in [0, 1); received {key}={beta!r}"
                )
        self.learning_rate = learning_rate
        self.beta_1, self.beta_2 = beta_1, beta_2
        self.epsilon, self.amsgrad = epsilon, amsgrad
        self.iterations = 0
        self.m, self.v, self.v_hat = {}, {}, {}  # running averages of g and g^2

    def step(self, params, grads):
        """Update every array in ``params`` in place from ``grads``."""
        check_step("Adam", params, grads)
        self.iterations += 1
        t, beta_1, beta_2 = self.iterations, self.beta_1, self.beta_2
        # the bias correction folded into the step size, as Keras does it
        lr_t = self.learning_rate * math.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        for key, w in params.items():
            dtype = averages_dtype(w, grads[key], self.v.get(key))
            g = grads[key].astype(dtype, copy=False)
            m, v = self.m.get(key, 0.0), self.v.get(key, 0.0)  # start at 0
            m = self.m[key] = m + (g - m) * (1 - beta_1)
            v = self.v[key] = v + (np.square(g) - v) * (1 - beta_2)
            if self.amsgrad:
                v = self.v_hat[key] = np.maximum(self.v_hat.get(key, v), v)
            w -= m * lr_t / (np.sqrt(v) + self.epsilon)
# --8<-- [end:adam]


# --8<-- [start:flush]
import numpy as np


class FlushSubnormals:
    """Wrap an optimizer; every ``every`` steps, set the entries of its
    running averages below ``margin`` times the smallest normal float to 0."""

    def __init__(self, optimizer, every=32, margin=2.0**24):
        if not isinstance(every, int) or every < 1:
            raise ValueError(
                f"FlushSubnormals expects a positive integer every; "
                f"received every={every!r}"
            )
        if not callable(getattr(optimizer, "step", None)):
            raise ValueError(
                "FlushSubnormals expects an optimizer with a step method; "
                f"received {type(optimizer).__name__}"
            )
        number = isinstance(margin, (int, float, np.number))
        if not (number and 0 <= margin < np.inf):
            raise ValueError(
                "FlushSubnormals expects a finite margin >= 0; "
                f"received margin={margin!r}"
            )
        self.optimizer, self.every, self.margin = optimizer, every, margin
        self.steps = 0

    def step(self, params, grads):
        """The wrapped optimizer's step; every ``every`` steps, the flush."""
        self.optimizer.step(params, grads)
        self.steps += 1
        if self.steps % self.every == 0:
            for state in vars(self.optimizer).values():
                if isinstance(state, dict):  # SGD.m, RMSprop.v, Adam.m, ...
                    for a in state.values():
                        # float16's normal range is too short for the margin
                        margin = self.margin if a.dtype.itemsize >= 4 else 1
                        a[np.abs(a) < np.finfo(a.dtype).tiny * margin] = 0
# --8<-- [end:flush]
