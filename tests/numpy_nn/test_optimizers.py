"""Optimizers: equal to keras.optimizers step for step, strict on bad input, robust on extreme gradients."""

import contextlib

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.numpy_nn import optimizers as opt

STEPS = 5
CONFIGS = [
    ("SGD", {}),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9}),
    ("SGD", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}),
    ("RMSprop", {}),
    ("RMSprop", {"learning_rate": 0.01, "momentum": 0.5, "centered": True}),
    ("Adam", {}),
    ("Adam", {"learning_rate": 0.01, "amsgrad": True}),
]


@pytest.mark.parametrize(("name", "kwargs"), CONFIGS)
def test_matches_keras_step_for_step(name, kwargs):
    rng = np.random.default_rng(0)
    params = {"W": rng.standard_normal((3, 2)).astype(np.float32), "b": rng.standard_normal(2).astype(np.float32)}
    variables = {k: keras.Variable(v.copy()) for k, v in params.items()}
    ours, theirs = getattr(opt, name)(**kwargs), getattr(keras.optimizers, name)(**kwargs)
    for _ in range(STEPS):
        # gradients that change sign and scale, so momentum and the running averages matter
        grads = {k: rng.standard_normal(v.shape).astype(np.float32) * 3 for k, v in params.items()}
        ours.step(params, grads)
        theirs.apply_gradients([(grads[k], variables[k]) for k in params])
        for k in params:
            assert params[k].dtype == np.float32
            np.testing.assert_allclose(params[k], variables[k].numpy(), rtol=1e-5, atol=1e-6, err_msg=k)


def test_defaults_are_keras_defaults():
    for name in ("SGD", "RMSprop", "Adam"):
        ours, theirs = getattr(opt, name)(), getattr(keras.optimizers, name)()
        for key, value in vars(ours).items():
            if isinstance(value, (int, float, bool)) and key != "iterations":
                assert float(value) == pytest.approx(float(theirs.get_config()[key])), (name, key)


def test_updates_in_place():
    W = np.ones(3)
    same = W
    opt.SGD(learning_rate=0.5).step({"W": W}, {"W": np.ones(3)})
    assert same is W
    np.testing.assert_array_equal(W, [0.5, 0.5, 0.5])


@pytest.mark.parametrize("name", ["RMSprop", "Adam"])
def test_float16_weights_move_by_about_the_learning_rate(name):
    # in float16, v = 0.001 g^2 of g = 1e-3 underflows to 0 and Adam's step blew up to -2.65
    w = np.ones(4, np.float16)
    optimizer = getattr(opt, name)(learning_rate=0.01)
    optimizer.step({"w": w}, {"w": np.full(4, 1e-3, np.float16)})
    assert w.dtype == np.float16
    assert np.all(np.abs(1 - w.astype(np.float32)) < 0.05)
    assert np.all(w < 1)
    assert all(a.dtype == np.float32 for state in (optimizer.v,) for a in state.values())


@pytest.mark.parametrize(("name", "kwargs"), CONFIGS[3:])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_still_updates_when_the_squared_gradient_overflows(name, kwargs, dtype):
    g = np.full(3, 1e30 if dtype == np.float32 else 1e150, dtype)
    w = np.ones(3, dtype)
    optimizer = getattr(opt, name)(**kwargs)
    for _ in range(3):
        optimizer.step({"w": w}, {"w": g})
    assert w.dtype == dtype and np.all(np.isfinite(w))
    assert np.all(w < 1 - 0.5 * kwargs.get("learning_rate", 0.001))  # moved against the gradient
    optimizer.step({"w": w}, {"w": np.ones(3, dtype)})  # the wide averages keep working afterwards
    assert np.all(np.isfinite(w))


def test_a_gradient_whose_square_cannot_fit_float64_is_refused():
    with pytest.raises(ValueError, match=r"square fits in float64 \(\|g\| < 1.3e154\); received \|g\| up to 1e\+200"):
        opt.Adam().step({"w": np.ones(2)}, {"w": np.full(2, 1e200)})


@settings(max_examples=40, deadline=None)
@given(scale=st.floats(1e-20, 1e30), sign=st.sampled_from([-1.0, 1.0]), name=st.sampled_from(["RMSprop", "Adam"]))
def test_first_step_moves_against_the_gradient_by_at_most_a_few_learning_rates(scale, sign, name):
    # Adam's first step is lr * g / (|g| + eps) and RMSprop's lr * g / sqrt(0.1 g^2 + eps): never more than
    # sqrt(10) lr, at any gradient scale float32 can hold
    w = np.zeros(2, np.float32)
    getattr(opt, name)(learning_rate=0.01).step({"w": w}, {"w": np.full(2, sign * scale, np.float32)})
    assert np.all(np.isfinite(w))
    assert np.all(-sign * w >= 0) and np.all(np.abs(w) <= 0.01 * np.sqrt(10) * 1.001)


def test_rejects_bad_arguments():
    with pytest.raises(ValueError, match="learning_rate > 0; received learning_rate=-1"):
        opt.Adam(learning_rate=-1)
    with pytest.raises(ValueError, match=r"momentum in \[0, 1\]; received momentum=2"):
        opt.SGD(momentum=2)
    with pytest.raises(ValueError, match=r"momentum in \[0, 1\]; received momentum=-1"):
        opt.RMSprop(momentum=-1)
    with pytest.raises(ValueError, match=r"rho in \[0, 1\); received rho=1"):
        opt.RMSprop(rho=1)
    with pytest.raises(ValueError, match="epsilon > 0; received epsilon=0"):
        opt.Adam(epsilon=0)
    with pytest.raises(ValueError, match=r"beta_2 in \[0, 1\); received beta_2=1.5"):
        opt.Adam(beta_2=1.5)
    with pytest.raises(ValueError, match="positive integer every; received every=0"):
        opt.FlushSubnormals(opt.Adam(), every=0)


@pytest.mark.parametrize("name", ["SGD", "RMSprop", "Adam"])
def test_rejects_bad_steps(name):
    optimizer = getattr(opt, name)()
    with pytest.raises(ValueError, match=r"keys of params; received params \['W'\] and grads \['V'\]"):
        optimizer.step({"W": np.ones(2)}, {"V": np.ones(2)})
    with pytest.raises(ValueError, match=r"grads\['W'\] of shape \(2,\); received \(3,\)"):
        optimizer.step({"W": np.ones(2)}, {"W": np.ones(3)})
    with pytest.raises(ValueError, match=r"params\['W'\] to be a float NumPy array; received list"):
        optimizer.step({"W": [1.0, 2.0]}, {"W": np.ones(2)})
    with pytest.raises(ValueError, match=r"grads\['W'\] to be a float NumPy array; received list"):
        optimizer.step({"W": np.ones(2)}, {"W": [1.0, 2.0]})
    with pytest.raises(ValueError, match=r"params\['W'\] to be a float NumPy array; received int64"):
        optimizer.step({"W": np.ones(2, np.int64)}, {"W": np.ones(2)})
    with pytest.raises(ValueError, match="two dicts of arrays; received list and dict"):
        optimizer.step([np.ones(2)], {"W": np.ones(2)})
    w = np.ones(2)
    for bad in (np.nan, np.inf):
        with pytest.raises(ValueError, match=r"finite grads\['W'\]; received 1 NaN or infinite"):
            optimizer.step({"W": w}, {"W": np.array([1.0, bad])})
    np.testing.assert_array_equal(w, [1.0, 1.0])  # a refused step changes nothing


def _state_arrays(optimizer):
    return [a for state in vars(optimizer).values() if isinstance(state, dict) for a in state.values()]


def _dead_unit_run(optimizer, steps, seed=0, size=64):
    """Half the weights get a gradient once, then 0 (a dead ReLU unit): their averages shrink every step."""
    rng = np.random.default_rng(seed)
    w = rng.standard_normal(size).astype(np.float32)
    optimizer.step({"w": w}, {"w": rng.standard_normal(size).astype(np.float32) * 1e-3})
    g = np.concatenate([np.zeros(size // 2), rng.standard_normal(size // 2)]).astype(np.float32) * 1e-3
    for _ in range(steps):
        optimizer.step({"w": w}, {"w": g})
    return w


def _subnormal(a):
    return np.any((a != 0) & (np.abs(a) < np.finfo(a.dtype).tiny))


@pytest.mark.parametrize(("name", "kwargs"), CONFIGS[1:])  # plain SGD keeps no running average
def test_plain_averages_turn_subnormal_and_the_flush_prevents_it(name, kwargs):
    plain = getattr(opt, name)(**kwargs)
    _dead_unit_run(plain, 1500)
    assert any(_subnormal(a) for a in _state_arrays(plain)), "the plain optimizer shows the problem"
    flushed = opt.FlushSubnormals(getattr(opt, name)(**kwargs))
    w = _dead_unit_run(flushed, 1500)
    states = _state_arrays(flushed.optimizer)
    assert states and not any(_subnormal(a) for a in states)
    assert np.all(np.isfinite(w))


@contextlib.contextmanager
def _keras_steps_traced_once(optimizer, variable):
    """``optimizer.apply_gradients`` on ``variable`` as one traced tf.function: 900 eager steps cost ~6 s, these
    ~0.6 s. Grappler's graph rewrites are off while it runs, so the graph computes exactly what eager Keras does:
    with them on, centered RMSprop ends 1 ulp away; with them off, all three configs below were checked to end
    bit for bit where eager ends."""
    optimizer.build([variable])  # its slot variables exist before tracing, not created inside the function
    before = tf.config.optimizer.get_experimental_options().get("disable_meta_optimizer", False)
    tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": True})
    try:
        yield tf.function(lambda grad: optimizer.apply_gradients([(grad, variable)]))
    finally:
        tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": before})


@pytest.mark.parametrize(("name", "kwargs"), [CONFIGS[1], CONFIGS[4], CONFIGS[5]])
def test_the_flush_keeps_the_plain_and_the_keras_trajectory(name, kwargs):
    # TensorFlow flushes subnormals to zero on the CPU; our flush of values below 2e-31 must not show in the weights
    rng = np.random.default_rng(1)
    w = rng.standard_normal(8).astype(np.float32)
    w_plain, variable = w.copy(), keras.Variable(w.copy())
    ours = opt.FlushSubnormals(getattr(opt, name)(**kwargs))
    plain, theirs = getattr(opt, name)(**kwargs), getattr(keras.optimizers, name)(**kwargs)
    g = np.concatenate([np.zeros(4), rng.standard_normal(4)]).astype(np.float32)
    first = rng.standard_normal(8).astype(np.float32)
    with _keras_steps_traced_once(theirs, variable) as keras_step:
        for step in range(900):
            grad = first if step == 0 else g
            ours.step({"w": w}, {"w": grad})
            plain.step({"w": w_plain}, {"w": grad})
            keras_step(grad)
    assert any(np.any(a == 0) for a in _state_arrays(ours.optimizer)), "900 steps reach the flush threshold"
    np.testing.assert_array_equal(w, w_plain)  # equal in effect: not one weight differs
    # the weights whose averages were flushed end where Keras' do; the others carry 900 steps of rounding
    np.testing.assert_allclose(w[:4], variable.numpy()[:4], rtol=1e-6)
    np.testing.assert_allclose(w[4:], variable.numpy()[4:], atol=1e-4)


def test_flush_zeroes_only_values_near_the_subnormals():
    tiny = np.finfo(np.float32).tiny
    flush = opt.FlushSubnormals(opt.SGD(momentum=0.9), every=1)
    flush.optimizer.m = {
        "a": np.array([tiny * 2**23, -tiny * 2**23, tiny / 8, 0, tiny * 2**25, -1e-30, 1.0], np.float32),
        "b": np.array([1e-300, 1e-200], np.float64),  # float64's threshold is its own: 2e-301
        "h": np.array([1e-3, 1e-4, 1e-6, -1e-7], np.float16),  # float16: only its subnormals (below 6.1e-5)
    }
    params = {k: np.zeros_like(v) for k, v in flush.optimizer.m.items()}
    flush.step(params, {k: np.zeros_like(v) for k, v in params.items()})
    m = flush.optimizer.m
    np.testing.assert_array_equal(m["a"], np.array([0, 0, 0, 0, tiny * 2**25, -1e-30, 1.0], np.float32) * 0.9)
    np.testing.assert_array_equal(m["b"], np.array([1e-300, 1e-200]) * 0.9)
    np.testing.assert_array_equal(m["h"], np.array([1e-3, 1e-4, 0, 0], np.float16) * np.float16(0.9))
