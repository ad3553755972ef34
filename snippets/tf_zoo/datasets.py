"""Datasets as batched, prefetched ``tf.data`` pipelines: the real downloads and offline stand-ins.

``load("mnist" | "cifar10" | "imdb")`` goes through ``keras.datasets`` (downloaded once, then cached);
offline, it fails at once with a message naming the offline alternative. ``load("digits")`` (scikit-learn's
8x8 digits), ``load("shapes")`` (generated images) and ``load("sentiment")`` (generated token sequences)
never need the network.
"""

import dataclasses
import os
import pathlib
import socket
import threading

import tensorflow as tf

DOWNLOADS = {  # name -> (file keras caches it as, offline alternative)
    "mnist": ("mnist.npz", "digits"),
    "cifar10": ("cifar-10-batches-py", "shapes"),
    "imdb": ("imdb.npz", "sentiment"),
}
OFFLINE = ("digits", "shapes", "sentiment")
NAMES = tuple(DOWNLOADS) + OFFLINE


class DatasetUnavailableError(RuntimeError):
    """A dataset that must be downloaded was asked for while the download host is unreachable."""


@dataclasses.dataclass
class Data:
    """Train/validation/test pipelines of ``(x, y)`` batches, plus what a model needs to fit them."""

    train: tf.data.Dataset
    val: tf.data.Dataset
    test: tf.data.Dataset
    input_shape: tuple  # shape of one example
    num_classes: int
    kind: str  # "image" (float32 in [0, 1], NHWC) or "tokens" (int32 ids, 0 = padding)
    vocab_size: int = 0  # tokens only
    arrays: dict = dataclasses.field(default_factory=dict, repr=False)  # {"train": (x, y), ...}


def _online(host="storage.googleapis.com", port=443, timeout=3.0):
    """True if ``host`` answers within ``timeout`` seconds (DNS included, so it never hangs)."""
    if os.environ.get("SNIPPETS_OFFLINE") == "1":
        return False
    result = []

    def probe():
        try:
            socket.create_connection((host, port), timeout=timeout).close()
            result.append(True)
        except OSError:
            pass

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    thread.join(timeout)
    return bool(result)


def _download(name, num_words):
    cache = pathlib.Path(os.environ.get("KERAS_HOME", pathlib.Path.home() / ".keras")) / "datasets"
    filename, alternative = DOWNLOADS[name]
    if not (cache / filename).exists() and not _online():
        raise DatasetUnavailableError(
            f"dataset {name!r} must be downloaded by keras.datasets, but the download host is unreachable "
            f"(offline); use dataset={alternative!r}, which needs no download")
    import keras

    if name == "imdb":
        return keras.datasets.imdb.load_data(num_words=num_words)
    return getattr(keras.datasets, name).load_data()


# --8<-- [start:digits]
import numpy as np


def digits_arrays(seed=0, test_size=0.2):
    """scikit-learn's 1,797 8x8 digits as ``(x_train, y_train), (x_test, y_test)``, x float32 in [0, 1].

    Returns:
        x of shape ``(n, 64)`` (flat, like the article's 784 MNIST pixels), y int labels 0-9.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    x, y = load_digits(return_X_y=True)
    x = (x / 16.0).astype("float32")  # pixel values are 0..16
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=test_size, random_state=seed, stratify=y)
    return (x_train, y_train), (x_test, y_test)
# --8<-- [end:digits]


def shapes_arrays(n=1200, size=16, seed=0):
    """Generated images of three classes: a horizontal bar, a vertical bar, a square outline, with noise.

    Returns:
        x of shape ``(n, size, size, 1)`` float32 in [0, 1], y int labels 0-2.
    """
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, size=n)
    x = np.zeros((n, size, size), dtype="float32")
    for i, label in enumerate(y):
        a, b = rng.integers(1, size // 2, size=2)
        length = rng.integers(size // 3, size // 2 + 1)
        if label == 0:
            x[i, a + 2, b:b + length] = 1.0
        elif label == 1:
            x[i, a:a + length, b + 2] = 1.0
        else:
            x[i, a:a + length, [b, b + length - 1]] = 1.0
            x[i, [a, a + length - 1], b:b + length] = 1.0
    x = np.clip(x + rng.normal(0.0, 0.2, size=x.shape), 0.0, 1.0).astype("float32")
    return x[..., None], y


def sentiment_arrays(n=2000, sequence_length=20, vocab_size=50, seed=0):
    """Generated "reviews": tokens 1-5 are positive words, 6-10 negative, the rest neutral; the label says
    whether positive words outnumber negative ones. Sequences are zero-padded at the end.

    Returns:
        x of shape ``(n, sequence_length)`` int32, y int labels 0 (negative) / 1 (positive).
    """
    rng = np.random.default_rng(seed)
    x = rng.integers(11, vocab_size, size=(n, sequence_length))
    positions = rng.random((n, sequence_length))
    x = np.where(positions < 0.15, rng.integers(1, 6, size=x.shape), x)
    x = np.where(positions > 0.85, rng.integers(6, 11, size=x.shape), x)
    lengths = rng.integers(sequence_length // 2, sequence_length + 1, size=n)
    x = np.where(np.arange(sequence_length) < lengths[:, None], x, 0)
    pos, neg = ((x >= 1) & (x <= 5)).sum(1), ((x >= 6) & (x <= 10)).sum(1)
    keep = pos != neg  # drop ties so the label is well defined
    return x[keep].astype("int32"), (pos > neg)[keep].astype("int32")


# --8<-- [start:pipeline]
import tensorflow as tf


def pipeline(x, y, batch_size, shuffle_seed=None):
    """``(x, y)`` arrays as a (shuffled,) batched, prefetched ``tf.data.Dataset`` of ``(x, y)`` batches.

    It shuffles and batches example *indices*, then gathers each batch with one vectorized ``tf.gather``:
    measured faster than shuffling and batching examples one by one (``from_tensor_slices(...).batch``),
    which pays a per-example cost that outweighs what prefetching gains on small models.
    """
    x, y = tf.constant(x), tf.constant(y)
    ds = tf.data.Dataset.range(int(y.shape[0]))
    if shuffle_seed is not None:
        ds = ds.shuffle(int(y.shape[0]), seed=shuffle_seed, reshuffle_each_iteration=True)
    ds = ds.batch(batch_size).map(lambda i: (tf.gather(x, i), tf.gather(y, i)), num_parallel_calls=tf.data.AUTOTUNE)
    return ds.prefetch(tf.data.AUTOTUNE)
# --8<-- [end:pipeline]


def _arrays(name, seed, num_words, sequence_length):
    if name == "digits":
        (x, y), (x_test, y_test) = digits_arrays(seed)
        return (x.reshape(-1, 8, 8, 1), y), (x_test.reshape(-1, 8, 8, 1), y_test), "image", 0
    if name == "shapes":
        x, y = shapes_arrays(seed=seed)
        cut = int(0.8 * len(y))
        return (x[:cut], y[:cut]), (x[cut:], y[cut:]), "image", 0
    if name == "sentiment":
        x, y = sentiment_arrays(seed=seed)
        cut = int(0.8 * len(y))
        return (x[:cut], y[:cut]), (x[cut:], y[cut:]), "tokens", 50
    (x, y), (x_test, y_test) = _download(name, num_words)
    if name == "imdb":
        import keras

        pad = keras.utils.pad_sequences
        x, x_test = (pad(s, maxlen=sequence_length, padding="post", truncating="post") for s in (x, x_test))
        return (x.astype("int32"), y), (x_test.astype("int32"), y_test), "tokens", num_words
    x, x_test = (a.astype("float32") / 255.0 for a in (x, x_test))
    if x.ndim == 3:  # mnist has no channel axis
        x, x_test = x[..., None], x_test[..., None]
    return (x, y.reshape(-1)), (x_test, y_test.reshape(-1)), "image", 0


def load_arrays(name, flat=False, seed=0):
    """Dataset ``name`` as NumPy arrays ``(x_train, y_train), (x_test, y_test)``, like ``keras.datasets``.

    Args:
        name: one of ``NAMES``; ``mnist``, ``cifar10`` and ``imdb`` need a download (or keras' cache).
        flat: flatten each image to a vector (the article's MLP reads MNIST as 784 numbers).
        seed: seed of the train/test split of the offline sets.

    Returns:
        Images as float32 in [0, 1], ``(n, height, width, channels)`` or ``(n, features)`` if ``flat``;
        token sets as int32 ``(n, time)``; labels int32 ``(n,)``.
    """
    if name not in NAMES:
        raise ValueError(f"unknown dataset {name!r}; expected one of: {', '.join(NAMES)}")
    (x, y), (x_test, y_test), kind, _ = _arrays(name, seed, 10000, 200)
    if flat and kind == "image":
        x, x_test = x.reshape(len(x), -1), x_test.reshape(len(x_test), -1)
    return (x, y.astype("int32")), (x_test, y_test.astype("int32"))


def load(name, batch_size=32, validation_split=0.2, seed=0, num_samples=None, num_words=10000,
         sequence_length=200):
    """Load dataset ``name`` as train/validation/test ``tf.data`` pipelines.

    Args:
        name: one of ``NAMES``; ``mnist``, ``cifar10`` and ``imdb`` need a download (or keras' cache).
        batch_size: examples per batch.
        validation_split: fraction of the training set held out for validation.
        seed: seed of the split and of the shuffling.
        num_samples: keep only the first ``num_samples`` training examples (small runs).
        num_words, sequence_length: vocabulary size and padded length for ``imdb``.

    Returns:
        A ``Data``. Image inputs are float32 in [0, 1] of shape ``(height, width, channels)``.

    Raises:
        ValueError: unknown name or bad sizes. DatasetUnavailableError: a download is needed while offline.
    """
    if name not in NAMES:
        raise ValueError(f"unknown dataset {name!r}; expected one of: {', '.join(NAMES)}")
    if not 0.0 < validation_split < 1.0:
        raise ValueError(f"validation_split must be in (0, 1); received validation_split={validation_split}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1; received batch_size={batch_size}")
    (x, y), (x_test, y_test), kind, vocab_size = _arrays(name, seed, num_words, sequence_length)
    y, y_test = y.astype("int32"), y_test.astype("int32")
    if num_samples is not None:
        x, y = x[:num_samples], y[:num_samples]
    order = np.random.default_rng(seed).permutation(len(y))
    n_val = max(1, int(round(validation_split * len(y))))
    val_idx, train_idx = order[:n_val], order[n_val:]
    arrays = {"train": (x[train_idx], y[train_idx]), "val": (x[val_idx], y[val_idx]), "test": (x_test, y_test)}
    return Data(
        train=pipeline(*arrays["train"], batch_size, shuffle_seed=seed),
        val=pipeline(*arrays["val"], batch_size),
        test=pipeline(*arrays["test"], batch_size),
        input_shape=tuple(x.shape[1:]),
        num_classes=int(max(y.max(), y_test.max()) + 1),
        kind=kind,
        vocab_size=vocab_size,
        arrays=arrays,
    )
