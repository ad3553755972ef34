"""Offline datasets are real tf.data pipelines; downloadable ones fail fast and clearly when offline."""

import time

import numpy as np
import pytest
import tensorflow as tf

from snippets.tf_zoo import datasets


@pytest.mark.parametrize(("name", "shape", "num_classes", "kind"), [
    ("digits", (8, 8, 1), 10, "image"), ("shapes", (16, 16, 1), 3, "image"), ("sentiment", (20,), 2, "tokens")])
def test_offline_datasets(name, shape, num_classes, kind):
    data = datasets.load(name, batch_size=16)
    assert (data.input_shape, data.num_classes, data.kind) == (shape, num_classes, kind)
    x, y = next(iter(data.train))
    assert tuple(x.shape) == (16, *shape) and tuple(y.shape) == (16,)
    assert x.dtype == (tf.int32 if kind == "tokens" else tf.float32)
    counts = {k: len(v[1]) for k, v in data.arrays.items()}
    assert sum(int(b[1].shape[0]) for b in data.val) == counts["val"]
    x_train = data.arrays["train"][0]
    if kind == "image":
        assert 0.0 <= x_train.min() and x_train.max() <= 1.0
    else:
        assert 0 <= x_train.min() and x_train.max() < data.vocab_size
    labels = np.concatenate([v[1] for v in data.arrays.values()])
    assert set(np.unique(labels)) == set(range(num_classes))  # every class present
    assert not set(map(bytes, data.arrays["train"][0])) & set(map(bytes, data.arrays["val"][0]))  # disjoint


def test_sentiment_labels_follow_the_rule():
    x, y = datasets.sentiment_arrays(n=300)
    pos, neg = ((x >= 1) & (x <= 5)).sum(1), ((x >= 6) & (x <= 10)).sum(1)
    np.testing.assert_array_equal(y, (pos > neg).astype("int32"))


@pytest.mark.parametrize(("name", "alternative"), [("mnist", "digits"), ("cifar10", "shapes"), ("imdb", "sentiment")])
def test_downloads_fail_fast_offline(name, alternative, monkeypatch, tmp_path):
    monkeypatch.setenv("SNIPPETS_OFFLINE", "1")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))  # an empty cache
    start = time.perf_counter()
    with pytest.raises(datasets.DatasetUnavailableError, match=f"offline.*dataset={alternative!r}"):
        datasets.load(name)
    assert time.perf_counter() - start < 5


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown dataset 'mnst'"):
        datasets.load("mnst")
    with pytest.raises(ValueError, match="validation_split"):
        datasets.load("digits", validation_split=1.5)
