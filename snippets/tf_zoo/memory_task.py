"""A task that needs memory across time steps: recall the token seen ``lag``
steps ago, through ``lag`` distractors, with Keras' recurrent layers."""

# --8<-- [start:recall_data]
import numpy as np


def recall_data(n, max_lag=40, seed=0):
    """Sequences to remember: padding, one token to recall, then ``lag``
    distractor tokens, with lag drawn from 1 .. max_lag.

    Tokens: 0 pads the start, 1-4 are the tokens to recall, 5-8 the
    distractors. Every sequence has length max_lag + 1 and ends on the
    step where the answer is asked for.

    Args:
        n: number of sequences; max_lag: the longest lag.
        seed: seed of the generator.

    Returns:
        (x, y, lag): int32 tokens (n, max_lag + 1), the class 0-3 of the
        token to recall (n,), and each sequence's lag (n,).
    """
    rng = np.random.default_rng(seed)
    lag = rng.integers(1, max_lag + 1, size=n)
    token = rng.integers(1, 5, size=n)
    x = rng.integers(5, 9, size=(n, max_lag + 1))
    where = max_lag - lag  # the position of the token to recall
    x[np.arange(max_lag + 1) < where[:, None]] = 0
    x[np.arange(n), where] = token
    return x.astype(np.int32), (token - 1).astype(np.int32), lag
# --8<-- [end:recall_data]


# --8<-- [start:train_recall]
import keras
import numpy as np


def train_recall(layer_class, x, y, units=16, epochs=8, batch_size=200,
                 lr=2e-2, seed=0):
    """An Embedding, one recurrent layer and a softmax, trained to recall.

    Args:
        layer_class: ``keras.layers.SimpleRNN``, ``LSTM`` or ``GRU``.
        x, y: tokens (n, time) and labels (n,) from ``recall_data``.
        units: the recurrent state's width.
        epochs: passes over the data; lr: Adam's learning rate.
        batch_size: sequences per step. A step walks the time steps one
            after another whatever the batch, so large batches (fewer
            steps) train faster.
        seed: initial weights and shuffling.

    Returns:
        The trained ``keras.Model``.
    """
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input(shape=(x.shape[1],), dtype="int32"),
        keras.layers.Embedding(9, 8, mask_zero=True),  # 0 = padding: skipped
        layer_class(units),
        keras.layers.Dense(4, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(lr),
                  loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0)
    return model


def accuracy_by_lag(model, x, y, lag, bins):
    """Accuracy of ``model`` on the sequences whose lag falls in each bin.

    Args:
        bins: edges, e.g. [1, 11, 21]: lags 1-10, then 11-20.

    Returns:
        Array (len(bins) - 1,) of accuracies.
    """
    right = model.predict(x, verbose=0).argmax(axis=-1) == y
    which = np.digitize(lag, bins) - 1
    return np.array([right[which == i].mean() for i in range(len(bins) - 1)])
# --8<-- [end:train_recall]
