"""Nearest-prototype few-shot classification: the rule by hand, the episodes, the choice on validation."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.tf_zoo.few_shot import few_shot_accuracy, few_shot_experiment, pretrain_features, prototype_accuracy


def test_prototypes_are_class_means():
    support = np.array([[0.0, 0.0], [2.0, 0.0], [10.0, 0.0]])
    y = np.array([0, 0, 1])
    # the mean of class 0 is (1, 0): the query (4, 0) is nearer to it than to (10, 0)
    assert prototype_accuracy(support, y, np.array([[4.0, 0.0], [7.0, 0.0]]), np.array([0, 1])) == 1.0


def test_cosine_ignores_length():
    support, y = np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0, 1])
    query = np.array([[100.0, 1.0]])
    assert prototype_accuracy(support, y, query, np.array([0]), metric="cosine") == 1.0


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 5), st.integers(2, 4), st.integers(0, 2**32 - 1))
def test_well_separated_classes_are_learned_from_any_number_of_shots(shots, classes, seed):
    rng = np.random.default_rng(seed)
    centres = 100 * np.eye(classes)
    y = np.repeat(np.arange(classes), 6)
    x = centres[y] + rng.standard_normal((len(y), classes))
    assert few_shot_accuracy(x, y, x, y, shots, episodes=3, seed=seed) == 1.0


def test_experiment_chooses_on_validation_and_reports_every_shot_count():
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1, 2], 10)
    x = rng.standard_normal((3, 5))[y] * 5 + rng.standard_normal((30, 5))
    metric, curve = few_shot_experiment(lambda images: images, (x, y), (x, y), (x, y), shots=(1, 3), episodes=2)
    assert metric in ("euclidean", "cosine") and list(curve) == [1, 3]


def test_pretrained_features_are_the_flattened_conv_output():
    rng = np.random.default_rng(0)
    x = rng.random((16, 8, 8, 1)).astype("float32")
    encoder = pretrain_features(x, rng.integers(0, 2, 16), epochs=1)
    assert encoder.predict(x, verbose=0).shape == (16, 128)
