"""The shared reference helpers every primitive test uses: TensorFlow/Keras as the oracle, and
a weighted-sum trick that turns any backward pass into a gradient check of a scalar.

Usage:
    assert_matches_tf(relu, keras.activations.relu, x)
    assert_backward_matches(lambda x: relu(x), lambda dy, x: relu_backward(dy, x), x)
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np

from snippets.numpy_nn.gradcheck import check_gradient


def _to_numpy(value):
    if isinstance(value, (tuple, list)):
        return [_to_numpy(v) for v in value]
    return np.asarray(value.numpy() if hasattr(value, "numpy") else value)


def assert_matches_tf(numpy_fn, tf_fn, *inputs, rtol=1e-5, atol=1e-6, **kwargs):
    """Assert numpy_fn(*inputs, **kwargs) equals tf_fn(*inputs, **kwargs) (tensors or tuples of them)."""
    ours = _to_numpy(numpy_fn(*inputs, **kwargs))
    theirs = _to_numpy(tf_fn(*inputs, **kwargs))
    if isinstance(ours, list):
        assert len(ours) == len(theirs), f"{len(ours)} outputs vs TensorFlow's {len(theirs)}"
        for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            assert a.shape == b.shape, f"output {i}: shape {a.shape} vs TensorFlow's {b.shape}"
            np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, err_msg=f"output {i}")
    else:
        assert ours.shape == theirs.shape, f"shape {ours.shape} vs TensorFlow's {theirs.shape}"
        np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=atol)
    return ours


def assert_gradients_match_tape(numpy_forward, numpy_backward, *inputs, rtol=1e-5, atol=1e-6, seed=0):
    """Compare a NumPy backward with tf.GradientTape on the same forward (a TF function of tensors).

    Args:
        numpy_forward: the TF-compatible forward, ``f(*tensors) -> tensor``; it is run under the tape.
        numpy_backward: ``g(dy, *arrays) -> dx or tuple of grads``, one per input.
        inputs: float64 arrays.
    """
    import tensorflow as tf

    rng = np.random.default_rng(seed)
    tensors = [tf.Variable(x) for x in inputs]
    with tf.GradientTape() as tape:
        y = numpy_forward(*tensors)
        dy = rng.standard_normal(y.shape)
        loss = tf.reduce_sum(y * dy)
    expected = tape.gradient(loss, tensors)
    got = numpy_backward(dy, *inputs)
    got = got if isinstance(got, (tuple, list)) else [got]
    for i, (a, b) in enumerate(zip(got, expected, strict=True)):
        np.testing.assert_allclose(a, b.numpy(), rtol=rtol, atol=atol, err_msg=f"gradient {i}")


def assert_backward_matches(forward, backward, x, seed=0, tol=1e-6):
    """Gradient-check ``backward(dy, x)`` against central differences of ``sum(forward(x) * dy)``.

    ``x`` must be float64. Returns the relative error (see ``gradcheck.relative_error``).
    """
    rng = np.random.default_rng(seed)
    dy = rng.standard_normal(np.shape(forward(x)))
    analytic = backward(dy, x)
    return check_gradient(lambda z: np.sum(forward(z) * dy), x, analytic, tol=tol)
