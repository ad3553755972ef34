"""saliency: for a linear softmax model the map is the top class's input gradient, computed by hand."""

import keras
import numpy as np

from snippets.tf_zoo.saliency import saliency


def test_matches_the_hand_computed_gradient_of_a_linear_softmax():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((2, 2, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(3, activation="softmax")])
    images = np.random.default_rng(0).random((4, 2, 2, 1)).astype("float32")
    maps, predicted = saliency(model, images)
    w, b = model.layers[-1].get_weights()
    p = keras.ops.convert_to_numpy(keras.ops.softmax(images.reshape(4, 4) @ w + b))
    np.testing.assert_array_equal(predicted, p.argmax(-1))
    # d p_c / d x = p_c (w_c - sum_j p_j w_j)
    expected = np.stack([p[i, c] * (w[:, c] - w @ p[i]) for i, c in enumerate(predicted)])
    np.testing.assert_allclose(maps, np.abs(expected).reshape(4, 2, 2), rtol=1e-4, atol=1e-6)
