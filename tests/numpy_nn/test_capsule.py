import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.numpy_nn.capsule import capsule_predictions, dynamic_routing, squash, squash_backward
from snippets.tf_zoo.models import capsnet
from tests.reference import assert_backward_matches, assert_matches_tf


def test_squash_lengths_by_hand():
    s = np.array([[3.0, 4.0], [0.0, 1.0], [0.0, 0.0]])  # lengths 5, 1, 0
    v = squash(s)
    np.testing.assert_allclose(np.linalg.norm(v, axis=-1), [25 / 26, 1 / 2, 0.0])
    np.testing.assert_allclose(v[0] / np.linalg.norm(v[0]), [0.6, 0.8])  # the direction is kept


@pytest.mark.parametrize("scale", [0.0, 1e-300, 1e-20, 1e20, 1e300])
def test_squash_is_finite_without_warnings_at_extreme_lengths(scale):
    s = scale * np.array([[1.0, -2.0, 2.0]])
    v = squash(s)
    ds = squash_backward(np.ones_like(s), s)
    assert np.all(np.isfinite(v)) and np.all(np.isfinite(ds))
    length = np.linalg.norm(v)
    assert length < 1.0
    if scale >= 1e20:
        assert length == pytest.approx(1.0)
    if scale == 0.0:
        assert np.all(v == 0.0) and np.all(ds == 0.0)


def test_squash_keeps_float32_and_works_on_any_axis():
    rng = np.random.default_rng(0)
    s = rng.standard_normal((3, 4, 5)).astype(np.float32)
    assert squash(s).dtype == np.float32
    np.testing.assert_allclose(squash(s, axis=1), np.swapaxes(squash(np.swapaxes(s, 1, 2)), 1, 2), rtol=1e-6)


def test_squash_matches_the_keras_zoo_squash():
    rng = np.random.default_rng(1)
    s = rng.standard_normal((4, 6, 8)).astype(np.float32) * np.array([0.1, 1.0, 10.0, 100.0])[:, None, None]
    assert_matches_tf(squash, capsnet.squash, s.astype(np.float32), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("scale", [1e-3, 0.3, 1.0, 3.0, 30.0])
def test_squash_backward_matches_central_differences(scale):
    rng = np.random.default_rng(2)
    s = scale * rng.standard_normal((3, 4)) / 2.0  # lengths on both sides of 1 (where f'(n) changes sign)
    assert_backward_matches(squash, squash_backward, s)
    assert_backward_matches(lambda z: squash(z, axis=0), lambda dy, z: squash_backward(dy, z, axis=0), s)


def test_routing_matches_the_keras_capsule_layer():
    rng = np.random.default_rng(3)
    u = rng.standard_normal((2, 6, 4)).astype(np.float32)
    layer = capsnet.CapsuleLayer(num_capsules=3, dim_capsule=5, routings=3)
    layer(u)
    w = rng.standard_normal((6, 3, 4, 5)).astype(np.float32) * 0.5
    layer.set_weights([w])
    assert_matches_tf(
        lambda u: dynamic_routing(capsule_predictions(u, w), num_iterations=3)[0], layer, u, rtol=1e-4, atol=1e-5
    )


def test_coupling_coefficients_are_distributions_and_start_uniform():
    rng = np.random.default_rng(4)
    u_hat = rng.standard_normal((2, 5, 3, 4))
    v, c = dynamic_routing(u_hat, num_iterations=1)
    np.testing.assert_allclose(c, 1 / 3)
    np.testing.assert_allclose(v, squash(u_hat.sum(axis=1) / 3))  # s_j = sum_i c_ij u_hat_ij, c_ij = 1/3
    _, c = dynamic_routing(u_hat, num_iterations=4)
    np.testing.assert_allclose(c.sum(axis=-1), 1.0)


def test_routing_sends_agreeing_predictions_to_the_same_capsule():
    rng = np.random.default_rng(5)
    u_hat = rng.standard_normal((1, 8, 2, 4))
    u_hat[0, :, 0] = [1.0, 2.0, 0.0, -1.0]  # every lower capsule predicts the same upper capsule 0
    u_hat[0, :, 0] += 0.05 * rng.standard_normal((8, 4))
    c_by_iterations = [dynamic_routing(u_hat, r)[1][0, :, 0].mean() for r in (1, 2, 3)]
    assert c_by_iterations[0] == pytest.approx(0.5)
    assert c_by_iterations[0] < c_by_iterations[1] < c_by_iterations[2]


def test_routing_is_finite_with_huge_predictions():
    u_hat = np.full((1, 4, 3, 2), 1e30)
    u_hat[0, :, 1] = -1e30
    v, c = dynamic_routing(u_hat, num_iterations=3)
    assert np.all(np.isfinite(v)) and np.all(np.isfinite(c))


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: squash(np.ones(3, dtype=int)), "floating-point array; received dtype int"),
        (lambda: squash(np.float64(2.0)), "received a scalar"),
        (lambda: squash_backward(np.ones((2, 3)), np.ones((3, 2))), r"dv of shape \(3, 2\); received shape \(2, 3\)"),
        (lambda: capsule_predictions(np.ones((2, 6, 4)), np.ones((5, 3, 4, 2))), r"received shapes \(2, 6, 4\)"),
        (lambda: dynamic_routing(np.ones((2, 6, 4))), r"shape \(batch, num_in, num_out, dim_out\); received shape"),
        (lambda: dynamic_routing(np.ones((1, 2, 3, 4), dtype=int)), "dtype int"),
        (lambda: dynamic_routing(np.ones((1, 2, 3, 4)), num_iterations=0), "num_iterations=0"),
        (lambda: capsnet.CapsuleLayer(0, 4), "num_capsules=0"),
        (lambda: capsnet.CapsuleLayer(True, 4), "num_capsules=True"),
        (lambda: capsnet.CapsuleLayer(3, 4.0), "dim_capsule=4.0"),
        (lambda: capsnet.CapsuleLayer(3, 4, routings=-1), "routings=-1"),
    ],
)
def test_rejects_bad_inputs(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_keras_capsule_layer_rejects_bad_input_rank():
    with pytest.raises(ValueError, match=r"\(batch, num_in, dim_in\); received"):
        capsnet.CapsuleLayer(3, 4)(keras.ops.ones((2, 3, 4, 5)))


# Hostile input (issue 14): NaN and infinity, wrong types, degenerate batches


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize(
    ("name", "call"),
    [
        ("squash", lambda s: squash(s)),
        ("squash_backward", lambda s: squash_backward(np.ones_like(s), s)),
        ("capsule_predictions", lambda s: capsule_predictions(s, np.ones((2, 3, 4, 5)))),
        ("dynamic_routing", lambda s: dynamic_routing(s[..., None])),
    ],
)
def test_rejects_non_finite_values(name, call, bad):
    s = np.ones((1, 2, 4))
    s[0, 1, 2] = bad
    with pytest.raises(ValueError, match=f"{name} expects finite"):
        call(s)


def test_backward_rejects_nan_in_dv_and_nan_weights():
    dv = np.ones((2, 3))
    dv[1, 1] = np.nan
    with pytest.raises(ValueError, match="squash_backward expects finite values in dv"):
        squash_backward(dv, np.ones((2, 3)))
    with pytest.raises(ValueError, match="capsule_predictions expects finite u and w"):
        capsule_predictions(np.ones((1, 2, 4)), np.full((2, 3, 4, 5), np.nan))


@pytest.mark.parametrize("num_iterations", [True, 2.0, "3", None, -1])
def test_routing_rejects_num_iterations_that_are_not_positive_ints(num_iterations):
    with pytest.raises(ValueError, match=rf"int num_iterations >= 1; received num_iterations={num_iterations!r}"):
        dynamic_routing(np.ones((1, 2, 3, 4)), num_iterations)


def test_an_empty_batch_routes_to_an_empty_batch():
    v, c = dynamic_routing(capsule_predictions(np.ones((0, 6, 4)), np.ones((6, 3, 4, 5))))
    assert v.shape == (0, 3, 5) and c.shape == (0, 6, 3)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-1e300, 1e300, allow_nan=False), min_size=1, max_size=6))
def test_squash_keeps_direction_and_length_below_one_for_any_finite_vector(values):
    s = np.array(values)
    v = squash(s)
    assert np.all(np.isfinite(v)) and np.linalg.norm(v) <= 1.0 + 1e-12
    assert np.all((v == 0) | (np.sign(v) == np.sign(s)))  # tiny entries may underflow to 0
