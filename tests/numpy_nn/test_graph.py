import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.numpy_nn.graph import graph_conv, graph_conv_backward, normalize_adjacency
from snippets.tf_zoo.models.gcn import GraphConv
from tests.reference import assert_backward_matches, assert_matches_tf


def _graph(rng, n=6, d_in=4, d_out=3, batch=()):
    a = np.triu((rng.random((n, n)) > 0.5).astype(np.float64), 1)
    a = a + a.T
    return a, rng.standard_normal((*batch, n, d_in)), rng.standard_normal((d_in, d_out))


def test_normalized_adjacency_of_a_path_by_hand():
    # path 0 - 1 - 2: degrees with self-loops are 2, 3, 2
    a_hat = normalize_adjacency([[0, 1, 0], [1, 0, 1], [0, 1, 0]])
    s6 = 1 / np.sqrt(6)
    np.testing.assert_allclose(a_hat, [[1 / 2, s6, 0], [s6, 1 / 3, s6], [0, s6, 1 / 2]])


def test_normalized_adjacency_is_symmetric_with_spectrum_in_minus_one_one():
    a = nx.to_numpy_array(nx.karate_club_graph(), weight=None)
    a_hat = normalize_adjacency(a)
    np.testing.assert_allclose(a_hat, a_hat.T)
    eigenvalues = np.linalg.eigvalsh(a_hat)
    assert eigenvalues.max() == pytest.approx(1.0) and eigenvalues.min() > -1.0


def test_isolated_nodes_keep_their_own_features():
    a = np.zeros((3, 3))
    x = np.arange(6.0).reshape(3, 2)
    np.testing.assert_array_equal(graph_conv(a, x, np.eye(2)), x)


@pytest.mark.parametrize("batch", [(), (2,)])
def test_matches_keras_graph_conv_layer(batch):
    rng = np.random.default_rng(0)
    a, x, w = _graph(rng, batch=batch)
    layer = GraphConv(3, use_bias=False)
    xb = np.broadcast_to(x, (2, 6, 4)).astype(np.float32)
    ab = np.broadcast_to(a, (2, 6, 6)).astype(np.float32)
    layer([xb, ab])
    layer.set_weights([w.astype(np.float32)])
    assert_matches_tf(
        lambda x, a: graph_conv(a[0], x, w.astype(np.float32)),
        lambda x, a: layer([x, a]),
        xb,
        ab,
        rtol=1e-5,
        atol=1e-5,
    )


@pytest.mark.parametrize("batch", [(), (2,)])
@pytest.mark.parametrize("wrt", ["x", "w"])
def test_backward_matches_central_differences(batch, wrt):
    rng = np.random.default_rng(1)
    a, x, w = _graph(rng, batch=batch)
    if wrt == "x":
        assert_backward_matches(
            lambda z: graph_conv(a, z, w), lambda dy, z: graph_conv_backward(dy, a, z, w)[0], x
        )
    else:
        assert_backward_matches(
            lambda z: graph_conv(a, x, z), lambda dy, z: graph_conv_backward(dy, a, x, z)[1], w
        )


def test_backward_of_a_directed_graph_uses_the_transpose():
    rng = np.random.default_rng(2)
    a = (rng.random((5, 5)) > 0.5).astype(np.float64)  # not symmetric
    x, w = rng.standard_normal((5, 3)), rng.standard_normal((3, 2))
    assert_backward_matches(
        lambda z: graph_conv(a, z, w), lambda dy, z: graph_conv_backward(dy, a, z, w)[0], x
    )


def test_keeps_float32_and_accepts_bool_adjacency():
    a = np.array([[False, True], [True, False]])
    y = graph_conv(a, np.ones((2, 3), np.float32), np.ones((3, 1), np.float32))
    assert y.dtype == np.float32
    np.testing.assert_allclose(y, 3.0)  # Â = [[.5, .5], [.5, .5]], rows of ones summed over 3 features


def test_huge_features_stay_finite():
    a = np.ones((4, 4)) - np.eye(4)
    y = graph_conv(a, np.full((4, 2), 1e150), np.full((2, 1), 1e150))
    assert np.all(np.isfinite(y))


@pytest.mark.parametrize(
    "a, x, w, match",
    [
        (
            np.ones((3, 4)),
            np.ones((3, 2)),
            np.ones((2, 2)),
            r"adjacency matrix of shape \(3, 3\) .* received shape \(3, 4\)",
        ),
        (
            np.ones((4, 4)),
            np.ones((3, 2)),
            np.ones((2, 2)),
            r"shape \(3, 3\) to match x of shape \(3, 2\); received",
        ),
        (
            np.ones((3, 3)),
            np.ones((3, 2)),
            np.ones((5, 2)),
            r"w of shape \(2, d_out\) .* received shape \(5, 2\)",
        ),
        (
            np.ones((3, 3)),
            np.ones(3),
            np.ones((2, 2)),
            r"x of shape \(..., num_nodes, d_in\); received shape \(3,\)",
        ),
        (
            np.ones((3, 3)),
            np.ones((3, 2), int),
            np.ones((2, 2)),
            "x with a floating-point dtype; received dtype int",
        ),
        (-np.ones((3, 3)), np.ones((3, 2)), np.ones((2, 2)), "non-negative edge weights; received min -1.0"),
        (np.full((3, 3), np.nan), np.ones((3, 2)), np.ones((2, 2)), "finite, non-negative"),
        (
            np.full((3, 3), "x"),
            np.ones((3, 2)),
            np.ones((2, 2)),
            "real .* adjacency matrix; received dtype <U1",
        ),
    ],
)
def test_rejects_bad_inputs(a, x, w, match):
    with pytest.raises(ValueError, match=match):
        graph_conv(a, x, w)


def test_normalize_rejects_a_non_square_matrix():
    with pytest.raises(ValueError, match=r"square adjacency matrix .* received shape \(2, 3\)"):
        normalize_adjacency(np.ones((2, 3)))


def test_backward_rejects_a_wrong_gradient_shape():
    with pytest.raises(ValueError, match=r"dy of shape \(3, 2\); received shape \(3, 5\)"):
        graph_conv_backward(np.ones((3, 5)), np.eye(3), np.ones((3, 2)), np.ones((2, 2)))


def test_keras_layer_rejects_bad_units():
    with pytest.raises(ValueError, match="Received|received units=0"):
        GraphConv(0)


@pytest.mark.parametrize("where", ["x", "w"])
@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_rejects_nan_and_inf_features_and_weights(where, value):
    rng = np.random.default_rng(10)
    a, x, w = _graph(rng)
    bad = {"x": x.copy(), "w": w.copy()}
    bad[where][0, 0] = value
    with pytest.raises(ValueError, match=f"graph_conv expects finite values in {where}"):
        graph_conv(a, bad["x"], bad["w"])
    with pytest.raises(ValueError, match=f"graph_conv expects finite values in {where}"):
        graph_conv_backward(np.ones((6, 3)), a, bad["x"], bad["w"])


def test_backward_rejects_nan_and_broadcastable_gradients():
    rng = np.random.default_rng(11)
    a, x, w = _graph(rng)
    dy = np.ones((6, 3))
    dy[2, 1] = np.nan
    with pytest.raises(ValueError, match="graph_conv backward expects finite values in dy"):
        graph_conv_backward(dy, a, x, w)
    with pytest.raises(ValueError, match=r"dy of shape \(6, 3\); received shape \(6, 1\)"):
        graph_conv_backward(np.ones((6, 1)), a, x, w)  # would broadcast: refused


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 8), st.integers(0, 2**32 - 1))
def test_relabelling_the_nodes_relabels_the_output(n, seed):
    """Permutation equivariance: a graph convolution does not depend on how the nodes are numbered."""
    rng = np.random.default_rng(seed)
    a, x, w = _graph(rng, n=n)
    p = rng.permutation(n)
    np.testing.assert_allclose(graph_conv(a[p][:, p], x[p], w), graph_conv(a, x, w)[p], rtol=1e-12, atol=1e-12)
