"""A small, real hyperparameter search: a plain grid, each combination scored on a validation set."""

# --8<-- [start:grid_search]
import itertools

import keras
import numpy as np

FIT_KEYS = {"lr": 1e-3, "batch_size": 32}  # keys for training, not the model


def grid_search(build, grid, x_train, y_train, x_val, y_val, epochs=10,
                seed=0):
    """Train one model per combination of ``grid``; score it on validation.

    Args:
        build: a function returning an uncompiled softmax classifier, such
            as ``build_mlp``; it receives ``input_shape``, ``num_classes``
            and every key of ``grid`` but ``lr``, ``batch_size``, ``epochs``.
        grid: ``{hyperparameter: [values]}``, e.g.
            ``{"lr": [1e-3, 1e-2], "hidden_units": [(32,), (128, 64)]}``.
        x_train, y_train, x_val, y_val: inputs ``(n, ...)``, int labels.
        epochs: number of epochs when ``grid`` has no ``epochs``.
        seed: the same initial weights and batch order for every run.

    Returns:
        One dict per combination, in grid order: its hyperparameters plus
        ``val_accuracy`` (of the best epoch), ``best_epoch`` and
        ``train_accuracy`` (of the last epoch).
    """
    results = []
    for values in itertools.product(*grid.values()):
        config = dict(zip(grid, values, strict=True))
        fit = {**FIT_KEYS, "epochs": epochs}
        fit.update({k: v for k, v in config.items() if k in fit})
        model_config = {k: v for k, v in config.items() if k not in fit}
        keras.utils.set_random_seed(seed)
        model = build(input_shape=x_train.shape[1:],
                      num_classes=int(y_train.max()) + 1, **model_config)
        model.compile(optimizer=keras.optimizers.Adam(fit["lr"]),
                      loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        history = model.fit(x_train, y_train, batch_size=fit["batch_size"],
                            epochs=fit["epochs"], verbose=0,
                            validation_data=(x_val, y_val)).history
        best = int(np.argmax(history["val_accuracy"]))
        results.append({**config, "best_epoch": best + 1,
                        "val_accuracy": history["val_accuracy"][best],
                        "train_accuracy": history["accuracy"][-1]})
    return results
# --8<-- [end:grid_search]
