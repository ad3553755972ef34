"""Few-shot learning by nearest prototypes (Snell et al., 2017): features a
CNN learned on some classes, class means from a few examples of new ones."""

from snippets.tf_zoo.models.cnn import build_cnn

# isort: split
# --8<-- [start:pretrain]
import keras


def pretrain_features(x, y, epochs=15, seed=0):
    """Train the zoo CNN on (x, y); return the part that computes features.

    Args:
        x: images (n, height, width, channels); y: int labels (n,).
        epochs: passes over the data; seed: initial weights and shuffling.

    Returns:
        A ``keras.Model`` mapping images to the flattened output of the last
        convolutional block: the features the classifier read.
    """
    keras.utils.set_random_seed(seed)
    model = build_cnn(input_shape=x.shape[1:], num_classes=int(y.max()) + 1,
                      filters=(16, 32), dropout=0.2)
    model.compile(optimizer=keras.optimizers.Adam(3e-3),
                  loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=epochs, batch_size=32, verbose=0)
    flatten = next(layer for layer in model.layers
                   if isinstance(layer, keras.layers.Flatten))
    return keras.Model(model.inputs, flatten.output)
# --8<-- [end:pretrain]


# --8<-- [start:prototypes]
import numpy as np


def prototype_accuracy(support, support_y, query, query_y, metric="euclidean"):
    """Nearest-prototype classification: each class is the mean of its
    support features; a query takes the class of the nearest mean.

    Args:
        support: features (n_support, d), support_y: their labels.
        query: features (n_query, d), query_y: their labels.
        metric: "euclidean", or "cosine" (features scaled to length 1).

    Returns:
        The fraction of queries classified correctly.
    """
    if metric == "cosine":
        support, query = (f / np.maximum(np.linalg.norm(f, axis=1,
                                                        keepdims=True), 1e-12)
                          for f in (support, query))
    classes = np.unique(support_y)
    prototypes = np.stack([support[support_y == c].mean(axis=0)
                           for c in classes])
    distances = ((query[:, None, :] - prototypes[None]) ** 2).sum(axis=-1)
    return float(np.mean(classes[distances.argmin(axis=1)] == query_y))


def few_shot_accuracy(support, support_y, query, query_y, shots,
                      episodes=20, metric="euclidean", seed=0):
    """Mean accuracy over ``episodes`` random support sets of ``shots``
    examples per class, drawn from (support, support_y)."""
    rng = np.random.default_rng(seed)
    scores = []
    for _ in range(episodes):
        chosen = np.concatenate([
            rng.choice(np.flatnonzero(support_y == c), shots, replace=False)
            for c in np.unique(support_y)])
        scores.append(prototype_accuracy(support[chosen], support_y[chosen],
                                         query, query_y, metric))
    return float(np.mean(scores))
# --8<-- [end:prototypes]


# --8<-- [start:experiment]
import numpy as np


def few_shot_experiment(encode, pool, validation, test, shots=(1, 5, 20),
                        episodes=20):
    """Choose the metric on the validation queries, then measure the test
    accuracy for every number of examples per class.

    Args:
        encode: images -> features (n, d).
        pool: (x, y) of the new classes to draw the few examples from.
        validation, test: (x, y) of queries of the same new classes.
        shots: numbers of examples per class to try.

    Returns:
        (metric, {shots: test accuracy}).
    """
    (x_pool, y_pool), (x_val, y_val), (x_test, y_test) = pool, validation, test
    f_pool, f_val, f_test = encode(x_pool), encode(x_val), encode(x_test)
    on_validation = {
        metric: np.mean([few_shot_accuracy(f_pool, y_pool, f_val, y_val, k,
                                           episodes, metric) for k in shots])
        for metric in ("euclidean", "cosine")}
    metric = max(on_validation, key=on_validation.get)
    curve = {k: few_shot_accuracy(f_pool, y_pool, f_test, y_test, k, episodes,
                                  metric, seed=1) for k in shots}
    return metric, curve
# --8<-- [end:experiment]


def digits_few_shot(shots=(1, 2, 5, 10, 20), seed=0):
    """The research-areas page's run, for its figure: CNN features pretrained on the digits 0-4 and raw pixels,
    tested on the digits 5-9; {name: (metric, {shots: test accuracy})}."""
    from snippets.tf_zoo.datasets import digits_arrays

    (x_train, y_train), (x_test, y_test) = digits_arrays(seed=seed)
    x_train, x_test = x_train.reshape(-1, 8, 8, 1), x_test.reshape(-1, 8, 8, 1)
    old = y_train < 5
    encoder = pretrain_features(x_train[old], y_train[old], seed=seed)
    new = np.flatnonzero(y_train >= 5)
    pool, val = new[::2], new[1::2]
    test = y_test >= 5
    splits = [(x_train[pool], y_train[pool]), (x_train[val], y_train[val]), (x_test[test], y_test[test])]
    encoders = {"CNN features": lambda x: encoder.predict(x, verbose=0), "raw pixels": lambda x: x.reshape(len(x), -1)}
    return {name: few_shot_experiment(encode, *splits, shots=shots) for name, encode in encoders.items()}
