"""A hostile user's sweep of the public API of snippets/numpy_nn/ and snippets/tf_zoo/ (issue 14).

The rule every case asserts: an input gets either a correct answer or a ValueError whose message says what
was expected and what was received; never a warning (they are errors here), a NaN/inf where the true result
is finite, a silently wrong answer or a raw error from deep inside (IndexError, TypeError, ...).

Each primitive is described once by a ``Spec``: how to call it and how to build valid arguments of a given
dtype and batch size. The hostile variants are derived from that description: NaN and +-inf in each array
argument, dy of the wrong shape, Python lists, integer and bool arrays, float16/float32, batches of 0,
an extra axis, and bad hyperparameters. The zoo's cases (TensorFlow) are at the end.
"""

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from snippets.numpy_nn import (
    activations,
    attention,
    capsule,
    clipping,
    conv,
    conv_layer,
    dense,
    gradcheck,
    graph,
    gru,
    initializers,
    looped,
    losses,
    lstm,
    network,
    optimizers,
    overfitting,
    perceptron,
    pooling,
    regularization,
    rnn,
    two_layer,
)

# ---------------------------------------------------------------------------------------------------------------
# The rule


def outcome(thunk):
    """Run ``thunk`` with warnings as errors: ("value", result) or ("error", message) for a ValueError that
    names what was expected and what was received. Anything else fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            return "value", thunk()
        except ValueError as error:
            message = str(error).lower()
            # "expects ...; received ...", or the zoo's "x must be ...; received ...", "unknown model 'x';
            # expected one of ...", "... needs ..."
            assert any(w in message for w in ("expect", "must", "need")) and any(
                w in message for w in ("receiv", "need", "unknown")), (
                f"ValueError does not say what was expected and received: {error}"
            )
            return "error", message
        except Exception as error:  # noqa: BLE001 - any other error is the failure we look for
            pytest.fail(f"raw {type(error).__name__} instead of a named ValueError: {error}")


def arrays_in(value):
    """Every NumPy array or number inside a (nested) result."""
    if isinstance(value, dict):
        for v in value.values():
            yield from arrays_in(v)
    elif isinstance(value, (tuple, list)):
        for v in value:
            yield from arrays_in(v)
    elif isinstance(value, (np.ndarray, np.generic, float, int)) and not isinstance(value, bool):
        yield np.asarray(value)


def assert_finite(result, what):
    for a in arrays_in(result):
        if a.dtype.kind == "f":
            assert np.isfinite(a).all(), f"{what}: non-finite result {a}"


def assert_no_nan(result, what):
    for a in arrays_in(result):
        if a.dtype.kind == "f":
            assert not np.isnan(a).any(), f"{what}: NaN in the result {a}"


def must_raise(thunk, what):
    kind, value = outcome(thunk)
    assert kind == "error", f"{what}: accepted, returned {value!r}"


def rng():
    return np.random.default_rng(0)


# ---------------------------------------------------------------------------------------------------------------
# The NumPy primitives, each described once


@dataclass
class Spec:
    name: str
    call: object  # call(**args) -> result
    make: object  # make(dtype, batch) -> dict of arguments
    arrays: tuple  # argument names that hold arrays (NaN/inf/list/int variants)
    rank_strict: tuple = ()  # arrays whose rank is fixed: one more leading axis must be a ValueError
    width_strict: tuple = ()  # arrays whose last axis must match another: one fewer column is a ValueError
    bad: list = field(default_factory=list)  # (argument, value) pairs that must be a ValueError
    finite: bool = True  # finite input -> finite output
    dtypes: tuple = (np.float64, np.float32, np.float16)
    empty: bool = True  # a batch of 0 is meaningful
    passthrough: bool = False  # moves numbers without computing with them (views, reshapes): NaN may pass


def normal(shape, dtype, scale=1.0, seed=0):
    return (np.random.default_rng(seed).normal(size=shape) * scale).astype(dtype)


def elementwise(name, *, slope=None):
    forward = getattr(activations, name)
    backward = getattr(activations, name + "_backward")
    bad = [("x", np.array(["a"]))]
    hyper = {"leaky_relu": "negative_slope", "elu": "alpha"}.get(name)
    extra = [(hyper, math.nan), (hyper, math.inf), (hyper, "0.2")] if hyper else []
    return [
        Spec(name, lambda x, **k: forward(x, **k), lambda dt, b: {"x": normal((b, 3), dt, 2)}, ("x",),
             bad=bad + extra),
        Spec(name + "_backward", lambda dy, x, **k: backward(dy, x, **k),
             lambda dt, b: {"dy": normal((b, 3), dt, seed=1), "x": normal((b, 3), dt, 2)}, ("dy", "x"),
             rank_strict=("dy",), width_strict=("dy",), bad=bad + extra),
    ]


ACTIVATIONS = [s for n in ("step", "relu", "sigmoid", "tanh", "leaky_relu", "elu", "gelu", "swish", "softmax",
                           "log_softmax") for s in elementwise(n)]
ACTIVATIONS += [
    Spec("gelu_tanh", lambda x: activations.gelu(x, approximate=True), lambda dt, b: {"x": normal((b, 3), dt, 2)},
         ("x",)),
    Spec("gelu_tanh_backward", lambda dy, x: activations.gelu_backward(dy, x, approximate=True),
         lambda dt, b: {"dy": normal((b, 3), dt, seed=1), "x": normal((b, 3), dt, 2)}, ("dy", "x"),
         rank_strict=("dy",), width_strict=("dy",)),
]


def probabilities(shape, dtype, seed=0):
    p = np.random.default_rng(seed).uniform(0.05, 0.95, size=shape)
    return (p / p.sum(axis=-1, keepdims=True)).astype(dtype) if len(shape) > 1 else p.astype(dtype)


def binary(b, dt):
    return {"y_true": (np.arange(b * 3).reshape(b, 3) % 2).astype(dt),
            "y_pred": np.random.default_rng(0).uniform(0.05, 0.95, size=(b, 3)).astype(dt)}


def one_hot(b, dt):
    return {"y_true": np.eye(3, dtype=dt)[np.arange(b) % 3], "y_pred": probabilities((b, 3), dt)}


def sparse(b, dt):
    return {"y_true": np.arange(b) % 3, "y_pred": probabilities((b, 3), dt)}


def loss_specs():
    specs = []
    for name, make in (("mse", lambda dt, b: {"y_true": normal((b, 3), dt), "y_pred": normal((b, 3), dt, seed=1)}),
                       ("binary_cross_entropy", lambda dt, b: binary(b, dt)),
                       ("categorical_cross_entropy", lambda dt, b: one_hot(b, dt)),
                       ("sparse_categorical_cross_entropy", lambda dt, b: sparse(b, dt))):
        width = ("y_pred",) if name.startswith("sparse") else ("y_true", "y_pred")
        for suffix in ("", "_backward"):
            fn = getattr(losses, name + suffix)
            specs.append(Spec(name + suffix, lambda fn=fn, **k: fn(**k), make, ("y_true", "y_pred"),
                              rank_strict=("y_pred",), width_strict=width,
                              bad=[("y_pred", np.array([["a", "b", "c"]]))]))
            if name != "mse":
                specs.append(Spec(name + suffix + "_logits", lambda fn=fn, **k: fn(**k, from_logits=True),
                                  lambda dt, b, make=make: {**make(dt, b), "y_pred": normal((b, 3), dt, 3)},
                                  ("y_true", "y_pred"), rank_strict=("y_pred",), width_strict=width))
    specs.append(Spec("sparse_categorical_cross_entropy_with_grad", losses.sparse_categorical_cross_entropy_with_grad,
                      lambda dt, b: {"y_true": np.arange(b) % 3, "logits": normal((b, 3), dt, 3)},
                      ("y_true", "logits"), rank_strict=("logits",)))
    return specs


LOSSES = loss_specs()


def binary_out_of_range():
    """Each loss and its backward must refuse the same out-of-range input."""
    cases = []
    for name, y_true, y_pred in (("binary_cross_entropy", [[1.0]], [[1.5]]),
                                 ("binary_cross_entropy", [[2.0]], [[0.5]]),
                                 ("categorical_cross_entropy", [[1.0, 0.0]], [[1.5, -0.5]]),
                                 ("sparse_categorical_cross_entropy", [3], [[0.5, 0.5]]),
                                 ("sparse_categorical_cross_entropy", [-1], [[0.5, 0.5]]),
                                 ("sparse_categorical_cross_entropy", [0.5], [[0.5, 0.5]])):
        for suffix in ("", "_backward"):
            cases.append(pytest.param(getattr(losses, name + suffix), y_true, y_pred,
                                      id=f"{name}{suffix}-{y_true}-{y_pred}"))
    return cases


def dense_call(x, dy=None):
    dtype = np.asarray(x).dtype if np.asarray(x).dtype.kind == "f" else np.float32
    layer = dense.Dense(3, 2, rng(), dtype=dtype)
    y = layer.forward(x)
    return y if dy is None else (layer.backward(dy), layer.grads)


def conv2d_layer_call(x, dy=None):
    dtype = np.asarray(x).dtype if np.asarray(x).dtype.kind == "f" else np.float32
    layer = conv_layer.Conv2D(2, 4, (3, 3), rng(), dtype=dtype)
    y = layer.forward(x)
    return y if dy is None else (layer.backward(dy), layer.grads)


def flatten_call(x, dy=None):
    layer = conv_layer.Flatten()
    y = layer.forward(x)
    return y if dy is None else layer.backward(dy)


def dropout_call(x, dy=None):
    layer = regularization.Dropout(0.5, rng())
    y = layer.forward(x, training=True)
    return y if dy is None else layer.backward(dy)


def batchnorm_call(x, dy=None):
    dtype = np.asarray(x).dtype if np.asarray(x).dtype.kind == "f" else np.float32
    layer = regularization.BatchNorm(3, dtype=dtype)
    y = layer.forward(x, training=True)
    stats = [v for k, v in vars(layer).items() if k.startswith("moving")]
    assert_finite(stats, "BatchNorm's moving statistics")
    return y if dy is None else (layer.backward(dy), layer.grads)


def optimizer_call(cls, **config):
    def call(w, g):
        params = {"W": np.array(w, copy=True)}
        opt = cls(**config)
        for _ in range(2):
            opt.step(params, {"W": g})
        return params
    return call


def sequential_fit(x, y):
    dtype = np.asarray(x).dtype if np.asarray(x).dtype.kind == "f" else np.float32
    model = network.classifier(network.mlp([3, 4, 3], rng(), dtype=dtype))
    model.fit(x, y, optimizers.SGD(0.1), epochs=1, batch_size=4, rng=rng())
    return model.predict(x), model.evaluate(x, y)


def sequential_predict(x):
    return network.classifier(network.mlp([3, 4, 3], rng())).predict(x)


def images(b, dt, size=5, channels=2):
    return normal((b, size, size, channels), dt)


def recurrent(module, fn, gates, bias_shape):
    forward = getattr(module, fn)
    backward = getattr(module, fn + "_backward")

    def make(dt, b):
        return {"x": normal((b, 4, 3), dt), "kernel": normal((3, gates * 2), dt, 0.5, 1),
                "recurrent_kernel": normal((2, gates * 2), dt, 0.5, 2), "bias": normal(bias_shape, dt, 0.1, 3),
                "h0": normal((b, 2), dt, 0.5, 4)}

    def make_backward(dt, b):
        return {**make(dt, b), "dsequence": normal((b, 4, 2), dt, seed=5), "dh": normal((b, 2), dt, seed=6)}

    def call_backward(dsequence, dh, **k):
        *_, cache = forward(**k, return_cache=True)
        return backward(dsequence, cache, dh=dh)

    strict = ("x", "kernel", "recurrent_kernel", "h0")
    return [Spec(fn, forward, make, ("x", "kernel", "recurrent_kernel", "bias", "h0"), rank_strict=strict,
                 width_strict=("x", "recurrent_kernel", "h0")),
            Spec(fn + "_backward", call_backward, make_backward,
                 ("x", "kernel", "recurrent_kernel", "bias", "h0", "dsequence", "dh"),
                 rank_strict=strict + ("dsequence", "dh"), width_strict=("dsequence", "dh"))]


def mha_weights(dt):
    shapes = [(4, 2, 3), (2, 3), (4, 2, 3), (2, 3), (4, 2, 3), (2, 3), (2, 3, 4), (4,)]
    return [normal(s, dt, 0.5, i) for i, s in enumerate(shapes)]


def mha_call(query, value, Wq, Wo, dt_rest):
    weights = mha_weights(dt_rest)
    weights[0], weights[6] = Wq, Wo
    return attention.multi_head_attention(query, value, weights=weights, num_heads=2)


def make_mha(dt, b):
    w = mha_weights(dt)
    return {"query": normal((b, 2, 4), dt), "value": normal((b, 3, 4), dt, seed=1), "Wq": w[0], "Wo": w[6],
            "dt_rest": dt}


def graph_adjacency(n, dt):
    a = (np.random.default_rng(0).uniform(size=(n, n)) > 0.5).astype(dt)
    return np.maximum(a, a.T)


def disagreeing(check, *args):
    """check(*args), or "disagree" for the AssertionError that check_gradient documents for a wrong gradient."""
    try:
        return check(*args)
    except AssertionError as error:
        assert str(error).startswith("gradient check failed"), error
        return "disagree"


def square(x):
    return float(np.sum(np.asarray(x, dtype=np.float64) ** 2))


NUMPY = ACTIVATIONS + LOSSES + [
    # gradcheck
    Spec("numerical_gradient", lambda x: gradcheck.numerical_gradient(square, x),
         lambda dt, b: {"x": normal((b, 3), np.float64)}, ("x",), dtypes=(np.float64,)),
    Spec("relative_error", gradcheck.relative_error,
         lambda dt, b: {"a": normal((b, 3), dt), "b": normal((b, 3), dt, seed=1)}, ("a", "b"),
         width_strict=("a",)),
    Spec("check_gradient", lambda x, analytic: disagreeing(gradcheck.check_gradient, square, x, analytic),
         lambda dt, b: (lambda x: {"x": x, "analytic": 2 * x})(normal((b, 3), np.float64)), ("x", "analytic"),
         width_strict=("analytic",), dtypes=(np.float64,)),
    # perceptron (the article's ``perceptron(inputs, weights, bias)`` is shown unchanged on purpose, and the
    # page teaches its limits with it: it is not swept; the learner that fixes them is)
    Spec("Perceptron.fit", lambda x, y: perceptron.Perceptron(max_epochs=5).fit(x, y).predict(x),
         lambda dt, b: {"x": normal((b, 2), dt), "y": np.arange(b) % 2}, ("x", "y"), rank_strict=("x", "y")),
    Spec("Perceptron.predict", lambda x: perceptron.Perceptron(max_epochs=2).fit([[0, 0], [1, 1]], [0, 1])
         .predict(x), lambda dt, b: {"x": normal((b, 2), dt)}, ("x",), rank_strict=("x",), width_strict=("x",)),
    # two_layer
    Spec("two_layer", lambda x, y: two_layer.two_layer_backward(
        *(lambda p: (p, two_layer.two_layer_forward(p, x, y)[1]))(two_layer.init_two_layer(3, 4, rng()))),
         lambda dt, b: {"x": normal((b, 3), dt), "y": (np.arange(b) % 2).reshape(b, 1).astype(dt)}, ("x", "y"),
         rank_strict=("x", "y"), width_strict=("x",), dtypes=(np.float64,)),
    # dense, initializers, network
    Spec("Dense.forward", dense_call, lambda dt, b: {"x": normal((b, 3), dt)}, ("x",), rank_strict=("x",),
         width_strict=("x",), dtypes=(np.float64, np.float32)),
    Spec("Dense.backward", dense_call, lambda dt, b: {"x": normal((b, 3), dt), "dy": normal((b, 2), dt, seed=1)},
         ("x", "dy"), rank_strict=("x", "dy"), width_strict=("x", "dy"), dtypes=(np.float64, np.float32)),
    Spec("Sequential.fit", sequential_fit, lambda dt, b: {"x": normal((b, 3), dt), "y": np.arange(b) % 3},
         ("x", "y"), rank_strict=("x", "y"), width_strict=("x",), dtypes=(np.float64, np.float32)),
    Spec("Sequential.predict", sequential_predict, lambda dt, b: {"x": normal((b, 3), np.float32)}, ("x",),
         rank_strict=("x",), width_strict=("x",), dtypes=(np.float32,)),
    # optimizers
    *[Spec(f"{cls.__name__}{config}.step", optimizer_call(cls, **config),
           lambda dt, b: {"w": normal((b, 3), dt), "g": normal((b, 3), dt, 0.1, 1)}, ("w", "g"),
           rank_strict=("g",), width_strict=("g",))
      for cls, config in ((optimizers.SGD, {}), (optimizers.SGD, {"momentum": 0.9, "nesterov": True}),
                          (optimizers.RMSprop, {}), (optimizers.RMSprop, {"momentum": 0.5, "centered": True}),
                          (optimizers.Adam, {}), (optimizers.Adam, {"amsgrad": True}))],
    # regularization
    Spec("l1_penalty", regularization.l1_penalty, lambda dt, b: {"W": normal((b, 3), dt)}, ("W",),
         bad=[("l1", -1.0), ("l1", math.nan), ("l1", "0.1")]),
    Spec("l2_penalty", regularization.l2_penalty, lambda dt, b: {"W": normal((b, 3), dt)}, ("W",),
         bad=[("l2", -1.0), ("l2", math.nan), ("l2", "0.1")]),
    Spec("Dropout.forward", dropout_call, lambda dt, b: {"x": normal((b, 3), dt)}, ("x",)),
    Spec("Dropout.backward", dropout_call, lambda dt, b: {"x": normal((b, 3), dt), "dy": normal((b, 3), dt, seed=1)},
         ("x", "dy"), rank_strict=("dy",), width_strict=("dy",)),
    Spec("BatchNorm.forward", batchnorm_call, lambda dt, b: {"x": normal((b, 3), dt)}, ("x",), rank_strict=("x",),
         width_strict=("x",), dtypes=(np.float64, np.float32)),
    Spec("BatchNorm.backward", batchnorm_call,
         lambda dt, b: {"x": normal((b, 3), dt), "dy": normal((b, 3), dt, seed=1)}, ("x", "dy"),
         rank_strict=("x", "dy"), width_strict=("x", "dy"), dtypes=(np.float64, np.float32)),
    # clipping
    *[Spec(fn.__name__, lambda g, fn=fn: fn({"W": g, "b": np.asarray(g)[..., 0]}, 1.0),
           lambda dt, b: {"g": normal((b, 3), dt, 3)},
           ("g",), bad=[("clip", v) for v in (-1.0, 0.0, math.nan, "1")])  # inf: clip nothing, fair
      for fn in (clipping.clip_by_value, clipping.clip_by_norm, clipping.clip_by_global_norm)],
    # convolution, pooling
    Spec("conv2d", conv.conv2d, lambda dt, b: {"x": images(b, dt), "kernel": normal((3, 3, 2, 4), dt, 0.3, 1)},
         ("x", "kernel"), rank_strict=("x", "kernel"), width_strict=("x",),
         bad=[("strides", v) for v in (1.0, 0, -1, (1, 1, 1), "1")] + [("padding", "full"), ("padding", 1)]),
    Spec("conv2d_backward", conv.conv2d_backward,
         lambda dt, b: {"x": images(b, dt), "kernel": normal((3, 3, 2, 4), dt, 0.3, 1),
                        "dy": normal((b, 3, 3, 4), dt, seed=2)},
         ("x", "kernel", "dy"), rank_strict=("x", "kernel", "dy"), width_strict=("x", "dy"),
         bad=[("strides", 1.0), ("strides", 0)]),
    Spec("windows", lambda x: conv.windows(x, (2, 2), (1, 1), "valid"), lambda dt, b: {"x": images(b, dt)}, ("x",),
         rank_strict=("x",), passthrough=True),
    Spec("add_windows", lambda dwindows: conv.add_windows(dwindows, (dwindows.shape[0], 5, 5, 2)
                                                          if hasattr(dwindows, "shape") else (1, 5, 5, 2),
                                                          (1, 1), "valid"),
         lambda dt, b: {"dwindows": normal((b, 4, 4, 2, 2, 2), dt)}, ("dwindows",), rank_strict=("dwindows",),
         width_strict=("dwindows",), passthrough=True),
    *[Spec(f"{name}", getattr(pooling, name), lambda dt, b: {"x": images(b, dt, 4), "pool_size": 2}, ("x",),
           rank_strict=("x",), bad=[("pool_size", v) for v in (0, -1, 2.0, (2, 2, 2), "2")]
           + [("strides", 0), ("strides", 1.5), ("padding", "full")])
      for name in ("max_pool2d", "avg_pool2d")],
    *[Spec(f"{name}_backward", getattr(pooling, name + "_backward"),
           lambda dt, b: {"x": images(b, dt, 4), "pool_size": 2, "dy": normal((b, 2, 2, 2), dt, seed=1)},
           ("x", "dy"), rank_strict=("x", "dy"), width_strict=("dy",), bad=[("pool_size", 0), ("pool_size", 2.0)])
      for name in ("max_pool2d", "avg_pool2d")],
    Spec("Conv2D.forward", conv2d_layer_call, lambda dt, b: {"x": images(b, dt)}, ("x",), rank_strict=("x",),
         width_strict=("x",), dtypes=(np.float64, np.float32)),
    Spec("Conv2D.backward", conv2d_layer_call,
         lambda dt, b: {"x": images(b, dt), "dy": normal((b, 5, 5, 4), dt, seed=1)},
         ("x", "dy"), rank_strict=("x", "dy"), width_strict=("x", "dy"), dtypes=(np.float64, np.float32)),
    Spec("Flatten", flatten_call, lambda dt, b: {"x": images(b, dt), "dy": normal((b, 50), dt, seed=1)},
         ("x", "dy"), width_strict=("dy",), passthrough=True),
    # capsules
    Spec("squash", capsule.squash, lambda dt, b: {"s": normal((b, 3, 4), dt)}, ("s",)),
    Spec("squash_backward", capsule.squash_backward,
         lambda dt, b: {"dv": normal((b, 3, 4), dt, seed=1), "s": normal((b, 3, 4), dt)}, ("dv", "s"),
         rank_strict=("dv",), width_strict=("dv",)),
    Spec("capsule_predictions", capsule.capsule_predictions,
         lambda dt, b: {"u": normal((b, 3, 4), dt), "w": normal((3, 2, 4, 5), dt, 0.3, 1)}, ("u", "w"),
         rank_strict=("u", "w"), width_strict=("u",)),
    Spec("dynamic_routing", capsule.dynamic_routing, lambda dt, b: {"u_hat": normal((b, 3, 2, 5), dt)}, ("u_hat",),
         rank_strict=("u_hat",), bad=[("num_iterations", v) for v in (0, -1, 1.0, "3")]),
    # recurrent cells
    *recurrent(rnn, "simple_rnn", 1, (2,)),
    *recurrent(lstm, "lstm", 4, (8,)),
    *recurrent(gru, "gru", 3, (2, 6)),
    # attention
    Spec("masked_softmax", attention.masked_softmax, lambda dt, b: {"scores": normal((b, 2, 3), dt)}, ("scores",)),
    Spec("scaled_dot_product_attention", attention.scaled_dot_product_attention,
         lambda dt, b: {"q": normal((b, 2, 4), dt), "k": normal((b, 3, 4), dt, seed=1),
                        "v": normal((b, 3, 5), dt, seed=2)}, ("q", "k", "v"), width_strict=("q", "k")),
    Spec("scaled_dot_product_attention_backward", attention.scaled_dot_product_attention_backward,
         lambda dt, b: {"q": normal((b, 2, 4), dt), "k": normal((b, 3, 4), dt, seed=1),
                        "v": normal((b, 3, 5), dt, seed=2), "dy": normal((b, 2, 5), dt, seed=3)},
         ("q", "k", "v", "dy"), width_strict=("q", "k", "dy")),
    Spec("multi_head_attention", mha_call, make_mha, ("query", "value", "Wq", "Wo"),
         rank_strict=("query", "value", "Wq", "Wo"), width_strict=("query", "value", "Wq", "Wo"),
         dtypes=(np.float64, np.float32)),
    # graphs (the batch is the number of nodes)
    Spec("normalize_adjacency", graph.normalize_adjacency, lambda dt, b: {"a": graph_adjacency(b, dt)}, ("a",),
         rank_strict=("a",), width_strict=("a",)),
    Spec("graph_conv", graph.graph_conv,
         lambda dt, b: {"a": graph_adjacency(b, dt), "x": normal((b, 3), dt), "w": normal((3, 2), dt, seed=1)},
         ("a", "x", "w"), rank_strict=("a", "w"), width_strict=("a", "x")),
    Spec("graph_conv_backward", graph.graph_conv_backward,
         lambda dt, b: {"a": graph_adjacency(b, dt), "x": normal((b, 3), dt), "w": normal((3, 2), dt, seed=1),
                        "dy": normal((b, 2), dt, seed=2)},
         ("a", "x", "w", "dy"), rank_strict=("a", "w"), width_strict=("a", "x", "dy")),
    # loops (the slow versions pages compare with)
    *[Spec(fn.__name__, fn, lambda dt, b: {"x": normal((b, 3), dt), "W": normal((3, 2), dt, seed=1),
                                           "b": normal((2,), dt, seed=2)},
           ("x", "W", "b"), rank_strict=("x", "W", "b"), width_strict=("x", "b"))
      for fn in (looped.dense_loops, looped.dense_rows)],
    Spec("conv2d_loops", looped.conv2d_loops,
         lambda dt, b: {"x": images(b, dt), "kernel": normal((3, 3, 2, 4), dt, 0.3, 1)}, ("x", "kernel"),
         rank_strict=("x", "kernel"), width_strict=("x",)),
    # overfitting helpers
    Spec("noisy_labels", lambda y: overfitting.noisy_labels(y, 0.5, num_classes=3),
         lambda dt, b: {"y": np.arange(b) % 3}, ("y",), rank_strict=("y",), dtypes=(np.float64,)),
]
SPECS = {s.name: s for s in NUMPY}
assert len(SPECS) == len(NUMPY), "two specs share a name"


def param_ids(specs):
    return [pytest.param(s, id=s.name) for s in specs]


# ---------------------------------------------------------------------------------------------------------------
# The cases derived from the specs


@pytest.mark.parametrize(("spec", "dtype"), [pytest.param(s, d, id=f"{s.name}-{np.dtype(d).name}") for s in NUMPY
                                           for d in s.dtypes])  # the dtypes each one documents
def test_valid_input_is_finite_and_keeps_its_dtype(spec, dtype):
    args = spec.make(dtype, 4)
    kind, result = outcome(lambda: spec.call(**args))
    if dtype is np.float16 and kind == "error":
        return  # refusing float16 with a clear error is allowed
    assert kind == "value", f"{spec.name} refused valid input: {result}"
    assert_finite(result, spec.name)
    for a in arrays_in(result):
        if a.dtype.kind == "f" and a.ndim > 0:
            assert a.dtype == dtype, f"{spec.name}: {np.dtype(dtype).name} in, {a.dtype} out"


def with_value(args, name, value):
    a = np.array(args[name], dtype=np.result_type(args[name], np.float16), copy=True)
    assert a.size, "the spec must give a non-empty array"
    a.flat[a.size // 2] = value
    return {**args, name: a}


ARRAY_CASES = [pytest.param(s, a, id=f"{s.name}-{a}") for s in NUMPY for a in s.arrays]


@pytest.mark.parametrize(("spec", "arg"), ARRAY_CASES)
def test_nan_is_a_value_error(spec, arg):
    args = with_value(spec.make(spec.dtypes[0], 4), arg, np.nan)
    if spec.passthrough:
        kind, result = outcome(lambda: spec.call(**args))
        return
    must_raise(lambda: spec.call(**args), f"{spec.name} with NaN in {arg}")


@pytest.mark.parametrize("value", [np.inf, -np.inf], ids=["+inf", "-inf"])
@pytest.mark.parametrize(("spec", "arg"), ARRAY_CASES)
def test_infinity_is_refused_or_gives_no_nan(spec, arg, value):
    args = with_value(spec.make(spec.dtypes[0], 4), arg, value)
    kind, result = outcome(lambda: spec.call(**args))
    if kind == "value":
        assert_no_nan(result, f"{spec.name} with {value} in {arg}")


@pytest.mark.parametrize(("spec", "arg"), ARRAY_CASES)
def test_a_python_list_gives_the_same_answer(spec, arg):
    args = spec.make(spec.dtypes[0], 4)
    kind, expected = outcome(lambda: spec.call(**args))
    assert kind == "value", expected
    listed = {**args, arg: np.asarray(args[arg]).tolist()}
    kind, result = outcome(lambda: spec.call(**listed))
    if kind == "value":
        for a, b in zip(arrays_in(result), arrays_in(expected), strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-6, err_msg=f"{spec.name} with {arg} as a list")


@pytest.mark.parametrize("cast", ["int64", "bool"])
@pytest.mark.parametrize(("spec", "arg"), ARRAY_CASES)
def test_integer_and_bool_arrays(spec, arg, cast):
    args = spec.make(spec.dtypes[0], 4)
    a = np.asarray(args[arg])
    converted = (np.round(a) if a.dtype.kind == "f" else a).astype(cast)
    kind, result = outcome(lambda: spec.call(**{**args, arg: converted}))
    if kind == "value":
        assert_finite(result, f"{spec.name} with {arg} as {cast}")


@pytest.mark.parametrize("spec", param_ids(NUMPY))
def test_a_batch_of_zero(spec):
    args = spec.make(spec.dtypes[0], 0)
    kind, result = outcome(lambda: spec.call(**args))
    if kind == "value":
        assert_finite(result, f"{spec.name} on a batch of 0")


@pytest.mark.parametrize(("spec", "arg"), [pytest.param(s, a, id=f"{s.name}-{a}") for s in NUMPY
                                           for a in s.rank_strict])
def test_one_more_axis_is_a_value_error(spec, arg):
    args = spec.make(spec.dtypes[0], 4)
    args[arg] = np.asarray(args[arg])[None]
    must_raise(lambda: spec.call(**args), f"{spec.name} with {arg} of one more axis")


@pytest.mark.parametrize(("spec", "arg"), [pytest.param(s, a, id=f"{s.name}-{a}") for s in NUMPY
                                           for a in s.width_strict])
def test_a_column_less_is_a_value_error(spec, arg):
    args = spec.make(spec.dtypes[0], 4)
    args[arg] = np.asarray(args[arg])[..., :-1]
    must_raise(lambda: spec.call(**args), f"{spec.name} with {arg} one column short")


@pytest.mark.parametrize(("spec", "arg", "value"), [pytest.param(s, a, v, id=f"{s.name}-{a}={v!r}") for s in NUMPY
                                                    for a, v in s.bad])
def test_bad_arguments_are_value_errors(spec, arg, value):
    args = spec.make(spec.dtypes[0], 4)
    if arg == "clip":  # the clipping functions' threshold is their second positional argument
        fn = getattr(clipping, spec.name)
        must_raise(lambda: fn({"W": args["g"]}, value), f"{spec.name}({value!r})")
        return
    must_raise(lambda: spec.call(**{**args, arg: value}), f"{spec.name}({arg}={value!r})")


@pytest.mark.parametrize("fn", ["masked_softmax"])
def test_zero_width_rows(fn):
    for f, x in ((activations.softmax, np.zeros((2, 0))), (activations.log_softmax, np.zeros((2, 0))),
                 (attention.masked_softmax, np.zeros((1, 2, 0)))):
        kind, result = outcome(lambda f=f, x=x: f(x))
        if kind == "value":
            assert result.shape == x.shape
    q, k = np.ones((1, 2, 4)), np.ones((1, 0, 4))
    kind, result = outcome(lambda: attention.scaled_dot_product_attention(q, k, np.ones((1, 0, 5))))
    if kind == "value":
        assert_finite(result, "attention with no keys")


@pytest.mark.parametrize("fn", ["softmax_backward", "relu_backward", "tanh_backward"])
def test_dy_that_would_broadcast_is_refused(fn):
    x = np.ones((4, 3))
    for dy in (np.ones((1, 3)), np.ones(3), np.ones((4, 1)), 1.0):
        must_raise(lambda dy=dy: getattr(activations, fn)(dy, x), f"{fn} with dy of shape {np.shape(dy)}")


# ---------------------------------------------------------------------------------------------------------------
# Extremes: the largest finite floats, where the true result fits


FLOATS = [np.float16, np.float32, np.float64]
ELEMENTWISE = ["relu", "sigmoid", "tanh", "leaky_relu", "elu", "gelu", "swish", "step"]


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_activations_at_the_largest_floats(name, dtype):
    big = np.finfo(dtype).max
    x = np.array([-big, -1.0, 0.0, 1.0, big], dtype=dtype)
    for approximate in ((False, True) if name == "gelu" else (None,)):
        k = {} if approximate is None else {"approximate": approximate}
        kind, y = outcome(lambda k=k: getattr(activations, name)(x, **k))
        assert kind == "value", y
        assert y.dtype == dtype and np.isfinite(y).all(), (name, k, y)
        kind, dx = outcome(lambda k=k: getattr(activations, name + "_backward")(np.ones_like(x), x, **k))
        assert kind == "value", dx
        assert dx.dtype == dtype and np.isfinite(dx).all(), (name, k, dx)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_an_infinite_dy_never_meets_a_zero_derivative_as_nan(name):
    x = np.array([-2.0, -1e-3, 0.0, 1.0, 3.0, -50.0])
    dy = np.array([np.inf, -np.inf, np.inf, np.inf, -np.inf, np.inf])
    kind, dx = outcome(lambda: getattr(activations, name + "_backward")(dy, x))
    if kind == "value":
        assert not np.isnan(dx).any(), dx


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_at_the_largest_floats(name, dtype):
    big = np.finfo(dtype).max
    x = np.array([[-big, 0.0, big], [big, big, big], [-big, -big, -big]], dtype=dtype)
    kind, y = outcome(lambda: getattr(activations, name)(x))
    assert kind == "value", y
    # log_softmax(-max) = -2 max does not fit: -inf is the right answer there, NaN never is
    fits = np.isfinite(y) if name == "softmax" else ~np.isnan(y)
    assert y.dtype == dtype and fits.all(), y
    kind, dx = outcome(lambda: getattr(activations, name + "_backward")(np.ones_like(x), x))
    assert kind == "value", dx
    assert np.isfinite(dx).all(), dx


@pytest.mark.parametrize("dtype", FLOATS, ids=lambda d: np.dtype(d).name)
def test_perfect_predictions_have_a_finite_loss(dtype):
    y = np.array([[0.0, 1.0]], dtype=dtype)
    for fn in (losses.binary_cross_entropy, losses.categorical_cross_entropy,
               losses.binary_cross_entropy_backward, losses.categorical_cross_entropy_backward):
        kind, value = outcome(lambda fn=fn: fn(y, y))
        assert kind == "value", value
        assert_finite(value, f"{fn.__name__} of a perfect {np.dtype(dtype).name} prediction")


@pytest.mark.parametrize(("dtype", "big"), [(np.float32, 1e30), (np.float64, 1e200), (np.float16, 6e4)],
                         ids=["float32-1e30", "float64-1e200", "float16-6e4"])
@pytest.mark.parametrize("name", ["clip_by_value", "clip_by_norm", "clip_by_global_norm"])
def test_clipping_huge_gradients(name, dtype, big):
    grads = {"W": np.array([[big, -big], [big, 1.0]], dtype=dtype)}
    kind, result = outcome(lambda: getattr(clipping, name)(grads, 1.0))
    assert kind == "value", result
    clipped = result[0] if isinstance(result, tuple) else result
    assert clipped["W"].dtype == dtype
    assert np.isfinite(clipped["W"]).all() and np.abs(clipped["W"]).max() <= 1.0 + 1e-3, clipped


@pytest.mark.parametrize(("dtype", "big"), [(np.float32, 1e30), (np.float64, 1e200)], ids=["float32", "float64"])
def test_batchnorm_on_huge_values(dtype, big):
    x = np.array([[big, -big, 1.0], [-big, big, 2.0]], dtype=dtype)
    kind, y = outcome(lambda: batchnorm_call(x, np.ones_like(x)))
    assert kind == "value", y
    assert_finite(y, "BatchNorm on huge values")


@pytest.mark.parametrize("cls", [optimizers.Adam, optimizers.RMSprop])
def test_adaptive_optimizers_move_on_a_huge_gradient(cls):
    params = {"W": np.zeros(2, np.float32)}
    kind, error = outcome(lambda: cls(learning_rate=0.01).step(params, {"W": np.array([1e30, -1e30], np.float32)}))
    assert kind == "value", error
    assert np.isfinite(params["W"]).all() and (params["W"][0] < 0 < params["W"][1]), params


@pytest.mark.parametrize("cls", [optimizers.Adam, optimizers.RMSprop])
def test_adaptive_optimizers_on_float16(cls):
    params = {"W": np.zeros(2, np.float16)}
    kind, error = outcome(lambda: cls(learning_rate=0.001).step(params, {"W": np.array([1e-3, -1e-3], np.float16)}))
    if kind == "value":
        assert params["W"].dtype == np.float16
        assert np.abs(params["W"]).max() <= 0.05, f"a step of {params['W']} for lr 1e-3"


@pytest.mark.parametrize(("fn", "y_true", "y_pred"), binary_out_of_range())
def test_losses_and_backwards_refuse_the_same_range(fn, y_true, y_pred):
    must_raise(lambda: fn(np.array(y_true), np.array(y_pred)), fn.__name__)


# ---------------------------------------------------------------------------------------------------------------
# Hyperparameters of the constructors


BAD_CONSTRUCTORS = [
    *[(optimizers.SGD, {"learning_rate": v}) for v in (-1.0, 0.0, math.nan, math.inf, "0.1", None)],
    *[(optimizers.SGD, {"momentum": v}) for v in (-1.0, 1.5, math.nan)],
    (optimizers.SGD, {"nesterov": "yes"}),
    *[(optimizers.RMSprop, kw) for kw in ({"learning_rate": -1.0}, {"learning_rate": math.nan}, {"rho": -0.1},
                                          {"rho": 1.5}, {"momentum": -1.0}, {"epsilon": -1.0},
                                          {"epsilon": math.nan})],
    *[(optimizers.Adam, kw) for kw in ({"learning_rate": -1.0}, {"learning_rate": math.nan}, {"beta_1": -0.1},
                                       {"beta_1": 1.0}, {"beta_2": 1.5}, {"epsilon": -1.0}, {"epsilon": math.nan})],
    *[(regularization.Dropout, {"rate": v, "rng": rng()}) for v in (-0.1, 1.0, 1.5, math.nan)],
    (regularization.Dropout, {"rate": 0.5, "rng": 0}),
    *[(regularization.BatchNorm, {"features": 3, **kw}) for kw in ({"epsilon": -1.0}, {"epsilon": math.nan},
                                                                   {"momentum": -0.1}, {"momentum": 1.5},
                                                                   {"dtype": np.int32})],
    *[(regularization.BatchNorm, {"features": v}) for v in (0, -1, 3.0)],
    *[(perceptron.Perceptron, kw) for kw in ({"learning_rate": -1.0}, {"learning_rate": 0.0},
                                             {"learning_rate": math.nan}, {"max_epochs": 0}, {"max_epochs": -1},
                                             {"max_epochs": 2.5})],
    *[(init, {"shape": shape, "rng": rng()}) for init in (initializers.glorot_uniform, initializers.he_normal)
      for shape in ((-1, 2), (3.0, 2), "ab", 3)],
    *[(init, {"shape": (3, 2), "rng": rng(), "dtype": np.int32}) for init in
      (initializers.glorot_uniform, initializers.he_normal, initializers.zeros)],
    *[(init, {"shape": (3, 2), "rng": 0}) for init in (initializers.glorot_uniform, initializers.he_normal)],
    *[(dense.Dense, {"d_in": d_in, "units": units, "rng": r}) for d_in, units, r in
      ((0, 2, rng()), (3, -1, rng()), (3.0, 2, rng()), (3, 2, 0), (3, 2, None))],
    (dense.Dense, {"d_in": 3, "units": 2, "rng": rng(), "dtype": np.int32}),
    *[(conv_layer.Conv2D, {"c_in": 2, "filters": 4, "kernel_size": (3, 3), "rng": rng(), **kw}) for kw in
      ({"strides": 0}, {"strides": 1.0}, {"padding": "full"}, {"dtype": np.int32})],
    *[(conv_layer.Conv2D, kw) for kw in ({"c_in": 0, "filters": 4, "kernel_size": (3, 3), "rng": rng()},
                                         {"c_in": 2, "filters": 4, "kernel_size": 0, "rng": rng()},
                                         {"c_in": 2, "filters": 4, "kernel_size": (3, 3), "rng": 0})],
    *[(network.mlp, {"sizes": s, "rng": rng()}) for s in ([3], [], [3, 0, 2], [3, 2.5, 2], "abc")],
    (network.mlp, {"sizes": [3, 4, 2], "rng": 0}),
    (network.mlp, {"sizes": [3, 4, 2], "rng": rng(), "dtype": np.int64}),
    *[(two_layer.init_two_layer, {"d_in": d, "num_hiddens": h, "rng": r}) for d, h, r in
      ((0, 4, rng()), (3, -1, rng()), (3.0, 4, rng()), (3, 4, 0))],
    *[(conv.conv_padding, kw) for kw in ({"size": -1, "kernel_size": 3, "stride": 1, "padding": "valid"},
                                         {"size": 5, "kernel_size": 0, "stride": 1, "padding": "valid"},
                                         {"size": 5, "kernel_size": 3, "stride": 0, "padding": "valid"},
                                         {"size": 5, "kernel_size": 3, "stride": 1.0, "padding": "valid"},
                                         {"size": 5, "kernel_size": 3, "stride": 1, "padding": "full"})],
    *[(optimizers.FlushSubnormals, {"optimizer": optimizers.SGD(), **kw}) for kw in
      ({"every": 0}, {"every": 1.5}, {"margin": -1.0}, {"margin": math.nan})],
    (optimizers.FlushSubnormals, {"optimizer": "sgd"}),
    *[(overfitting.noisy_labels, {"y": np.arange(6) % 3, **kw}) for kw in
      ({"fraction": -0.1}, {"fraction": 1.5}, {"fraction": math.nan}, {"fraction": 0.5, "num_classes": 0})],
    (network.Activation, {"f": 1, "f_backward": activations.relu_backward}),
    (network.Sequential, {"layers": "abc", "loss": losses.mse, "loss_backward": losses.mse_backward}),
]


def short(value):
    """A stable, readable id for a parameter (no memory addresses: pytest-xdist workers must agree)."""
    if isinstance(value, np.random.Generator):
        return "Generator"
    if isinstance(value, type) or callable(value):
        return getattr(value, "__name__", type(value).__name__)
    if isinstance(value, (list, tuple)) and len(repr(value)) > 40:
        return f"{type(value).__name__}[{len(value)}]"
    return type(value).__name__ if hasattr(value, "__dict__") else repr(value)


def constructor_id(case):
    fn, kw = case
    name = getattr(fn, "__qualname__", "fn").split(".")[0].replace("<lambda>", "").replace("<listcomp>", "") or "fn"
    return f"{name}({', '.join(f'{k}={short(v)}' for k, v in kw.items())})"


@pytest.mark.parametrize(("fn", "kwargs"), BAD_CONSTRUCTORS, ids=[constructor_id(c) for c in BAD_CONSTRUCTORS])
def test_bad_constructor_arguments_are_value_errors(fn, kwargs):
    must_raise(lambda: fn(**kwargs), constructor_id((fn, kwargs)))


def fit_args(**overrides):
    x = normal((8, 3), np.float32)
    model = network.classifier(network.mlp([3, 4, 3], rng()))
    args = {"x": x, "y": np.arange(8) % 3, "optimizer": optimizers.SGD(0.1), "epochs": 1, "batch_size": 4,
            "rng": rng(), **overrides}
    return model, args


BAD_FIT = [{"epochs": -1}, {"epochs": 1.5}, {"epochs": "2"}, {"batch_size": 0}, {"batch_size": -2},
           {"batch_size": 2.0}, {"rng": 0}, {"rng": None}, {"patience": 0}, {"patience": -1},
           {"optimizer": "sgd"}, {"y": np.arange(8) % 3 + 0.5}, {"y": np.arange(7) % 3}, {"y": np.full(8, 7)},
           {"y": np.full(8, -1)}, {"validation_data": (np.ones((2, 3), np.float32),)},
           {"validation_data": (np.ones((2, 4), np.float32), np.zeros(2, int))}]


@pytest.mark.parametrize("overrides", BAD_FIT, ids=[", ".join(f"{k}={short(v)}" for k, v in o.items())[:60]
                                                    for o in BAD_FIT])
def test_bad_fit_arguments_are_value_errors(overrides):
    model, args = fit_args(**overrides)
    must_raise(lambda: model.fit(**args), f"fit({overrides})")


@pytest.mark.parametrize("x", [[], np.zeros((0, 3), np.float32), np.zeros(3, np.float32), "abc"],
                         ids=["[]", "zero-rows", "1-d", "str"])
def test_predict_of_nothing(x):
    model = network.classifier(network.mlp([3, 4, 3], rng()))
    kind, y = outcome(lambda: model.predict(x))
    if kind == "value":
        assert y.shape == (0, 3)
    kind, y = outcome(lambda: model.predict(np.ones((2, 3), np.float32), batch_size=0))
    assert kind == "error", y


@pytest.mark.parametrize("name", ["SGD", "RMSprop", "Adam"])
def test_optimizers_refuse_mismatched_parameters(name):
    cls = getattr(optimizers, name)
    for params, grads in (({"W": np.zeros(3)}, {"V": np.zeros(3)}), ({"W": np.zeros(3)}, {"W": np.zeros(4)}),
                          ({"W": [0.0, 0.0]}, {"W": [1.0, 1.0]}), ({"W": np.zeros(2, int)}, {"W": np.ones(2)}),
                          ("W", {"W": np.ones(2)})):
        must_raise(lambda p=params, g=grads: cls().step(p, g), f"{name}.step({params}, {grads})")


def test_batchnorm_batch_of_zero_keeps_its_statistics():
    layer = regularization.BatchNorm(3)
    before = {k: np.copy(v) for k, v in vars(layer).items() if k.startswith("moving")}
    kind, y = outcome(lambda: layer.forward(np.zeros((0, 3), np.float32), training=True))
    for k, v in before.items():
        np.testing.assert_array_equal(getattr(layer, k), v, err_msg=f"BatchNorm.{k} changed by a batch of 0")


def test_multi_head_attention_refuses_weights_that_would_broadcast():
    weights = mha_weights(np.float64)
    weights[1] = weights[1][:1]  # bq (1, key_dim) would broadcast over the heads
    must_raise(lambda: attention.multi_head_attention(np.ones((1, 2, 4)), np.ones((1, 3, 4)), weights=weights,
                                                      num_heads=2), "multi_head_attention with bq of shape (1, 3)")
    weights = mha_weights(np.float64)
    must_raise(lambda: attention.multi_head_attention(np.ones((1, 2, 4)), np.ones((1, 3, 4)), weights=weights,
                                                      num_heads=3), "multi_head_attention with num_heads=3")


@settings(max_examples=40, deadline=None)
@given(x=hnp.arrays(np.float32, hnp.array_shapes(max_dims=2, max_side=4),
                    elements=st.floats(width=32, allow_nan=False, allow_infinity=False)),
       name=st.sampled_from(ELEMENTWISE + ["softmax", "log_softmax"]))
def test_any_finite_float32_gives_finite_float32(x, name):
    if name.endswith("softmax") and (x.ndim == 0 or x.shape[-1] == 0):
        return
    kind, y = outcome(lambda: getattr(activations, name)(x))
    assert kind == "value", y
    assert y.dtype == np.float32 and y.shape == x.shape and np.isfinite(y).all(), (name, x, y)
    kind, dx = outcome(lambda: getattr(activations, name + "_backward")(np.ones_like(x), x))
    assert kind == "value", dx
    assert dx.shape == x.shape and np.isfinite(dx).all(), (name, x, dx)


# ---------------------------------------------------------------------------------------------------------------
# The zoo: train, datasets.load and the export helpers (TensorFlow is imported only here, when these run)


@pytest.fixture(scope="module")
def tf_zoo():
    from snippets.tf_zoo import datasets, export, models, train  # noqa: F401 - imports TensorFlow

    return {"datasets": datasets, "export": export, "train": train, "models": models}


@pytest.fixture(scope="module")
def small_model(tf_zoo):
    from snippets.tf_zoo.models.mlp import build_mlp

    return build_mlp(input_shape=(4,), num_classes=3, hidden_units=(8,), dropout=0.0)


def arrays(n=20, features=4):
    x = np.random.default_rng(0).normal(size=(n, features)).astype(np.float32)
    return x, np.arange(n) % 3


def poisoned(value):
    x, y = arrays()
    x[3, 1] = value
    return x, y


BAD_TRAIN = {
    "epochs=-1": {"epochs": -1}, "epochs=0": {"epochs": 0}, "epochs=1.5": {"epochs": 1.5},
    "epochs=True": {"epochs": True}, "batch_size=0": {"batch_size": 0}, "batch_size=2.0": {"batch_size": 2.0},
    "lr=-1": {"lr": -1.0}, "lr=0": {"lr": 0.0}, "lr=nan": {"lr": math.nan}, "lr=inf": {"lr": math.inf},
    "lr='0.1'": {"lr": "0.1"}, "early_stopping=-1": {"early_stopping": -1}, "early_stopping=0": {"early_stopping": 0},
    "seed=-1": {"seed": -1}, "seed=0.5": {"seed": 0.5}, "verbose=3": {"verbose": 3},
    "steps_per_execution=0": {"steps_per_execution": 0}, "strategy='tpu-pod'": {"strategy": "tpu-pod"},
    "precision='float64'": {"precision": "float64"}, "jit_compile='maybe'": {"jit_compile": "maybe"},
    "model='nope'": {"model": "nope"}, "model=3": {"model": 3},
    "x with NaN": {"data": poisoned(np.nan)}, "x with inf": {"data": poisoned(np.inf)},
    "x with -inf": {"data": poisoned(-np.inf)},
    "float labels": {"data": (arrays()[0], np.arange(20) % 3 + 0.5)},
    "negative label": {"data": (arrays()[0], np.arange(20) % 3 - 1)},
    "NaN label": {"data": (arrays()[0], np.where(np.arange(20) == 4, np.nan, np.arange(20) % 3))},
    "one example": {"data": arrays(1)}, "no examples": {"data": arrays(0)},
    "lengths differ": {"data": (arrays()[0], np.arange(19) % 3)},
    "string x": {"data": (np.array([["a"] * 4] * 20), np.arange(20) % 3)},
    "one-hot y": {"data": (arrays()[0], np.eye(3)[np.arange(20) % 3])},
    "scalar x": {"data": (np.float32(1.0), np.arange(20) % 3)},
    "data=3": {"data": 3}, "data='nope'": {"data": "nope"},
    "test set of another width": {"data": (arrays(), arrays(5, features=3))},
    "test set with NaN": {"data": (arrays(), poisoned(np.nan))},
    "model of another input width": {"model": "SMALL", "data": arrays(features=5)},
}


@pytest.mark.parametrize("overrides", list(BAD_TRAIN.values()), ids=list(BAD_TRAIN))
def test_train_refuses_bad_input_before_training(tf_zoo, small_model, overrides, tmp_path):
    args = {"model": "mlp", "data": arrays(), "epochs": 1, "batch_size": 8, "output": tmp_path / "out",
            "strategy": "cpu", **overrides}
    if args["model"] == "SMALL":
        args["model"] = small_model
    must_raise(lambda: tf_zoo["train"].train(**args), f"train({overrides})")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir()), "it trained and saved"


@pytest.mark.parametrize("where", ["a file", "under a file"])
def test_train_refuses_an_output_it_cannot_write_before_training(tf_zoo, tmp_path, where):
    file = tmp_path / "taken"
    file.write_text("not a directory")
    output = file if where == "a file" else file / "models"
    must_raise(lambda: tf_zoo["train"].train("mlp", arrays(), epochs=1, strategy="cpu", output=output),
               f"train(output={where})")


BAD_LOAD = {"name='nope'": {"name": "nope"}, "name=3": {"name": 3}, "batch_size=0": {"batch_size": 0},
            "batch_size=1.5": {"batch_size": 1.5}, "batch_size='32'": {"batch_size": "32"},
            "validation_split=0": {"validation_split": 0.0}, "validation_split=1": {"validation_split": 1.0},
            "validation_split=nan": {"validation_split": math.nan},
            "validation_split='0.2'": {"validation_split": "0.2"}, "num_samples=0": {"num_samples": 0},
            "num_samples=-1": {"num_samples": -1}, "num_samples=1.5": {"num_samples": 1.5},
            "num_samples=1": {"num_samples": 1}, "seed=-1": {"seed": -1}, "seed='0'": {"seed": "0"}}


@pytest.mark.parametrize("overrides", list(BAD_LOAD.values()), ids=list(BAD_LOAD))
def test_datasets_load_refuses_bad_arguments(tf_zoo, overrides):
    args = {"name": "digits", **overrides}
    must_raise(lambda: tf_zoo["datasets"].load(**args), f"datasets.load({overrides})")


def test_export_saved_model_onto_a_file_or_under_one(tf_zoo, small_model, tmp_path):
    file = tmp_path / "taken"
    file.write_text("x")
    for target in (file, file / "model"):
        must_raise(lambda target=target: tf_zoo["export"].export_saved_model(small_model, target),
                   f"export_saved_model onto {target}")
    must_raise(lambda: tf_zoo["export"].export_saved_model("not a model", tmp_path / "m"),
               "export_saved_model of a string")


@pytest.fixture(scope="module")
def flatbuffer(tf_zoo, small_model):
    return tf_zoo["export"].to_tflite(small_model)


BAD_TFLITE_X = {"3 features": np.ones((2, 3), np.float32), "one axis": np.ones(4, np.float32),
                "one more axis": np.ones((2, 4, 1), np.float32), "no examples": np.ones((0, 4), np.float32),
                "NaN": np.where(np.eye(2, 4) > 0, np.nan, 1.0), "inf": np.where(np.eye(2, 4) > 0, np.inf, 1.0),
                "strings": np.array([["a"] * 4]), "None": None}


@pytest.mark.parametrize("x", list(BAD_TFLITE_X.values()), ids=list(BAD_TFLITE_X))
def test_tflite_predict_refuses_bad_inputs(tf_zoo, flatbuffer, x):
    must_raise(lambda: tf_zoo["export"].tflite_predict(flatbuffer, x), "tflite_predict")


def test_tflite_predict_takes_a_list_and_refuses_a_non_model(tf_zoo, small_model, flatbuffer):
    x = np.random.default_rng(0).normal(size=(3, 4)).astype(np.float32)
    kind, y = outcome(lambda: tf_zoo["export"].tflite_predict(flatbuffer, x.tolist()))
    assert kind == "value", y
    np.testing.assert_allclose(y, small_model(x).numpy(), rtol=1e-4, atol=1e-5)
    for junk in (b"not a model", "model.tflite", None):
        must_raise(lambda junk=junk: tf_zoo["export"].tflite_predict(junk, x), f"tflite_predict({junk!r})")


BAD_TO_TFLITE = {"quantization='int4'": {"quantization": "int4"},
                 "int8 without data": {"quantization": "int8"},
                 "int8 with data of another width": {"quantization": "int8",
                                                     "representative_data": np.ones((4, 3), np.float32)},
                 "int8 with NaN data": {"quantization": "int8",
                                        "representative_data": np.full((4, 4), np.nan, np.float32)},
                 "int8 with no data": {"quantization": "int8", "representative_data": np.ones((0, 4), np.float32)}}


@pytest.mark.parametrize("kwargs", list(BAD_TO_TFLITE.values()), ids=list(BAD_TO_TFLITE))
def test_to_tflite_refuses_bad_arguments(tf_zoo, small_model, kwargs):
    must_raise(lambda: tf_zoo["export"].to_tflite(small_model, **kwargs), f"to_tflite({kwargs})")


def test_to_tflite_refuses_what_is_not_a_model(tf_zoo):
    must_raise(lambda: tf_zoo["export"].to_tflite("not a model"), "to_tflite('not a model')")


def test_datasets_load_keeps_a_training_example(tf_zoo):
    must_raise(lambda: tf_zoo["datasets"].load("digits", num_samples=2, validation_split=0.9),
               "datasets.load leaving no training example")


BAD_PIPELINE = {"batch_size=0": (arrays(), 0, None), "batch_size=1.5": (arrays(), 1.5, None),
                "batch_size='8'": (arrays(), "8", None), "lengths differ": ((arrays()[0], np.arange(19)), 8, None),
                "no examples, shuffled": (arrays(0), 8, 0), "scalar y": ((arrays()[0], np.int64(1)), 8, None)}


@pytest.mark.parametrize(("data", "batch_size", "seed"), list(BAD_PIPELINE.values()), ids=list(BAD_PIPELINE))
def test_pipeline_refuses_bad_arguments(tf_zoo, data, batch_size, seed):
    def use():
        return [b for b in tf_zoo["datasets"].pipeline(*data, batch_size, shuffle_seed=seed)]

    must_raise(use, f"pipeline(batch_size={batch_size!r}, shuffle_seed={seed!r})")


@pytest.mark.parametrize("overrides", [{"name": "nope"}, {"name": 3}, {"seed": -1}, {"seed": "0"}, {"flat": "yes"}],
                         ids=["name='nope'", "name=3", "seed=-1", "seed='0'", "flat='yes'"])
def test_load_arrays_refuses_bad_arguments(tf_zoo, overrides):
    args = {"name": "digits", **overrides}
    must_raise(lambda: tf_zoo["datasets"].load_arrays(**args), f"load_arrays({overrides})")
