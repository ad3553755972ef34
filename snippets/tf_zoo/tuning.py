"""A small, real hyperparameter search: a plain grid over the zoo's MLP on scikit-learn's digits."""

# --8<-- [start:grid_search]
import itertools

import keras
import numpy as np


def grid_search(grid, x_train, y_train, x_val, y_val, epochs=10, seed=0):
    """Train the zoo's ``mlp`` once per combination of ``grid`` and score it on the validation set.

    Args:
        grid: ``{hyperparameter: [values]}``; ``lr``, ``batch_size`` and ``epochs`` go to training, every
            other key (``hidden_units``, ``dropout``, ``l2``, ...) to ``build_mlp``.
        x_train, y_train, x_val, y_val: ``(n, features)`` float32 inputs and int labels.
        epochs: default number of epochs when ``grid`` has no ``epochs``.
        seed: the same initial weights and batch order for every combination.

    Returns:
        A list of dicts, one per combination: its hyperparameters plus ``val_accuracy`` (best epoch),
        ``best_epoch`` and ``train_accuracy`` (last epoch), in grid order.
    """
    results = []
    for values in itertools.product(*grid.values()):
        config = dict(zip(grid, values, strict=True))
        fit = {"lr": 1e-3, "batch_size": 32, "epochs": epochs}
        fit.update({k: config[k] for k in fit if k in config})
        keras.utils.set_random_seed(seed)
        model = build_mlp(input_shape=x_train.shape[1:], num_classes=int(y_train.max()) + 1,
                            **{k: v for k, v in config.items() if k not in fit})
        model.compile(optimizer=keras.optimizers.Adam(fit["lr"]), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"], steps_per_execution=8)  # same maths, fewer calls: faster
        history = model.fit(x_train, y_train, batch_size=fit["batch_size"], epochs=fit["epochs"],
                            validation_data=(x_val, y_val), validation_batch_size=len(y_val), verbose=0).history
        best = int(np.argmax(history["val_accuracy"]))
        results.append({**config, "val_accuracy": history["val_accuracy"][best], "best_epoch": best + 1,
                        "train_accuracy": history["accuracy"][-1]})
    return results
# --8<-- [end:grid_search]

# Outside the section: the pages include models/mlp.py:build_mlp before it, so the shown code runs
# without this package.
from snippets.tf_zoo.models.mlp import build_mlp
