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
