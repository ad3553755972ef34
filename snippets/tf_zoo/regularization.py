"""Overfitting on purpose, and the four remedies: L1/L2 penalties, dropout, early stopping, augmentation."""

# --8<-- [start:variants]
import keras
import numpy as np


def augmenter(seed=0):
    """Random shifts of up to one pixel and small rotations of 8x8 digit images (active only in training)."""
    return keras.Sequential([keras.layers.Reshape((8, 8, 1)),
                             keras.layers.RandomTranslation(0.125, 0.125, fill_mode="constant", seed=seed),
                             keras.layers.RandomRotation(0.05, fill_mode="constant", seed=seed),
                             keras.layers.Flatten()], name="augment")


def overfit_variant(name, num_features=64, num_classes=10, width=256, patience=3, seed=0):
    """The same over-sized MLP (two hidden layers of ``width``) with one remedy ``name``:
    ``none``, ``l2``, ``l1``, ``dropout``, ``early stopping`` (after ``patience`` epochs without a better
    validation loss) or ``augmentation``.

    Returns:
        ``(model, callbacks)``: an uncompiled model and the callbacks its training needs.
    """
    keras.utils.set_random_seed(seed)
    config = {"input_shape": (num_features,), "num_classes": num_classes, "hidden_units": (width, width),
              "dropout": 0.0}
    config.update({"l2": {"l2": 3e-3}, "l1": {"l1": 3e-4}, "dropout": {"dropout": 0.5}}.get(name, {}))
    model = build_mlp(**config)
    if name == "dropout":  # build_mlp drops after every hidden layer but the last; add one before the output
        model = keras.Sequential([*model.layers[:-1], keras.layers.Dropout(0.5), model.layers[-1]])
    if name == "augmentation":
        model = keras.Sequential([keras.Input((num_features,)), augmenter(seed), model])
    callbacks = []
    if name == "early stopping":
        callbacks.append(keras.callbacks.EarlyStopping(patience=patience, restore_best_weights=True))
    return model, callbacks


def compare_remedies(x_train, y_train, x_val, y_val, names, epochs=12, batch_size=16, width=256, lr=3e-3, seed=0):
    """Train every variant in ``names`` (hidden layers of ``width``) on the same small training set.

    Returns:
        ``{name: history dict}`` with ``loss``, ``accuracy``, ``val_loss``, ``val_accuracy`` per epoch.
    """
    histories = {}
    for name in names:
        model, callbacks = overfit_variant(name, x_train.shape[1], int(y_train.max()) + 1, width, seed=seed)
        model.compile(optimizer=keras.optimizers.Adam(lr), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"], steps_per_execution=8)  # same maths, fewer calls: faster
        histories[name] = model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=epochs,
                                    batch_size=batch_size, validation_batch_size=len(y_val), verbose=0,
                                    callbacks=callbacks).history
    return histories


def gap(history):
    """Validation minus training accuracy at the epoch with the best validation accuracy."""
    best = int(np.argmax(history["val_accuracy"]))
    return history["accuracy"][best] - history["val_accuracy"][best]
# --8<-- [end:variants]

# Outside the section: the pages include models/mlp.py:build_mlp before it, so the shown code runs
# without this package.
from snippets.tf_zoo.models.mlp import build_mlp
