"""Optimizers: equal to keras.optimizers step for step, strict on bad input."""

import keras
import numpy as np
import pytest

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


def test_rejects_bad_input():
    with pytest.raises(ValueError, match="learning_rate > 0; received learning_rate=-1"):
        opt.Adam(learning_rate=-1)
    with pytest.raises(ValueError, match=r"momentum in \[0, 1\]; received momentum=2"):
        opt.SGD(momentum=2)
    with pytest.raises(ValueError, match=r"keys of params; received params \['W'\] and grads \['V'\]"):
        opt.SGD().step({"W": np.ones(2)}, {"V": np.ones(2)})
    with pytest.raises(ValueError, match=r"grads\['W'\] of shape \(2,\); received \(3,\)"):
        opt.RMSprop().step({"W": np.ones(2)}, {"W": np.ones(3)})


def _state_arrays(optimizer):
    return [a for state in vars(optimizer).values() if isinstance(state, dict) for a in state.values()]


@pytest.mark.parametrize(("name", "kwargs"), CONFIGS[1:])  # plain SGD keeps no running average
def test_running_averages_never_become_subnormal(name, kwargs):
    # Half the weights get a gradient once, then 0: a dead ReLU unit. Their running averages shrink by a constant
    # factor each step and, unflushed, are subnormal after a few hundred steps (slow on the CPU, see the page).
    rng = np.random.default_rng(0)
    w = rng.standard_normal(64).astype(np.float32)
    optimizer = getattr(opt, name)(**kwargs)
    optimizer.step({"w": w}, {"w": rng.standard_normal(64).astype(np.float32) * 1e-3})
    g = np.concatenate([np.zeros(32), rng.standard_normal(32)]).astype(np.float32) * 1e-3
    for _ in range(1500):
        optimizer.step({"w": w}, {"w": g})
    states = _state_arrays(optimizer)
    assert states, "the optimizer keeps running averages"
    tiny = np.finfo(np.float32).tiny
    for state in states:
        assert not np.any((state != 0) & (np.abs(state) < tiny)), "a running average became subnormal"
    assert np.all(np.isfinite(w))


@pytest.mark.parametrize(("name", "kwargs"), [CONFIGS[1], CONFIGS[4], CONFIGS[5]])
def test_flushing_keeps_the_keras_trajectory(name, kwargs):
    # TensorFlow flushes subnormals to zero on the CPU; our flush of values below 2e-31 must not show in the weights
    rng = np.random.default_rng(1)
    w = rng.standard_normal(8).astype(np.float32)
    variable = keras.Variable(w.copy())
    ours, theirs = getattr(opt, name)(**kwargs), getattr(keras.optimizers, name)(**kwargs)
    g = np.concatenate([np.zeros(4), rng.standard_normal(4)]).astype(np.float32)
    first = rng.standard_normal(8).astype(np.float32)
    for step in range(900):
        grad = first if step == 0 else g
        ours.step({"w": w}, {"w": grad})
        theirs.apply_gradients([(grad, variable)])
    assert any(np.any(a == 0) for a in _state_arrays(ours)), "900 steps reach the flush threshold"
    # the weights whose averages were flushed end where Keras' do; the others carry 900 steps of rounding
    np.testing.assert_allclose(w[:4], variable.numpy()[:4], rtol=1e-6)
    np.testing.assert_allclose(w[4:], variable.numpy()[4:], atol=1e-4)


def test_flush_tiny_zeroes_only_values_near_the_subnormals():
    tiny = np.finfo(np.float32).tiny
    a = np.array([tiny * 2**23, -tiny * 2**23, tiny / 8, 0, tiny * 2**25, -1e-30, 1.0], dtype=np.float32)
    opt._flush_tiny(a)
    np.testing.assert_array_equal(a, np.array([0, 0, 0, 0, tiny * 2**25, -1e-30, 1.0], dtype=np.float32))
    b = np.array([1e-300, 1e-200], dtype=np.float64)  # float64's threshold is its own: 2e-301
    opt._flush_tiny(b)
    np.testing.assert_array_equal(b, [1e-300, 1e-200])
    h = np.array([1e-3, 1e-4, 1e-6, -1e-7], dtype=np.float16)  # float16: only its subnormals (below 6.1e-5)
    opt._flush_tiny(h)
    np.testing.assert_array_equal(h, np.array([1e-3, 1e-4, 0, 0], dtype=np.float16))
