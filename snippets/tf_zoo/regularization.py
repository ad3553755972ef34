"""Overfitting on purpose, and its remedies in Keras: L1/L2 penalties, dropout, early stopping, augmentation."""

# --8<-- [start:variants]
import keras
import numpy as np

REMEDIES = ("none", "l2", "l1", "dropout", "early stopping", "augmentation")


def augmenter(seed=0):
    """Random shifts of up to one pixel and small rotations of flat 8x8
    digits (the random layers act only in training)."""
    return keras.Sequential([
        keras.layers.Reshape((8, 8, 1)),
        keras.layers.RandomTranslation(0.125, 0.125, fill_mode="constant",
                                       seed=seed),
        keras.layers.RandomRotation(0.05, fill_mode="constant", seed=seed),
        keras.layers.Flatten(),
    ], name="augment")


def overfit_variant(name, num_features=64, num_classes=10, width=256,
                    patience=3, seed=0):
    """An over-sized MLP (two ReLU layers of ``width``) with one remedy.

    Args:
        name: one of ``REMEDIES``; ``none`` is the plain network.
        num_features, num_classes: input width and number of classes.
        width: units of each hidden layer.
        patience: epochs without a better validation loss before early
            stopping stops.
        seed: seed of the weights, dropout masks and augmentation.

    Returns:
        ``(model, callbacks)``: an uncompiled model mapping
        ``(batch, num_features)`` to ``(batch, num_classes)`` probabilities,
        and the callbacks its training needs.
    """
    if name not in REMEDIES:
        raise ValueError(
            f"overfit_variant expects name in {REMEDIES}; received {name!r}")
    keras.utils.set_random_seed(seed)
    penalty = {"l2": keras.regularizers.L2(3e-3),
               "l1": keras.regularizers.L1(3e-4)}.get(name)
    layers = [keras.Input((num_features,))]
    if name == "augmentation":
        layers.append(augmenter(seed))
    for _ in range(2):
        layers.append(keras.layers.Dense(width, activation="relu",
                                         kernel_regularizer=penalty))
        if name == "dropout":
            layers.append(keras.layers.Dropout(0.5))
    layers.append(keras.layers.Dense(num_classes, activation="softmax",
                                     kernel_regularizer=penalty))
    callbacks = []
    if name == "early stopping":
        callbacks.append(keras.callbacks.EarlyStopping(
            patience=patience, restore_best_weights=True))
    return keras.Sequential(layers), callbacks


def train_variant(name, x, y, x_val, y_val, epochs=12, batch_size=16,
                  width=256, lr=3e-3, seed=0):
    """Train variant ``name`` with Adam on ``(x, y)``, validating each epoch.

    Args:
        x: ``(batch, features)`` float inputs; y: ``(batch,)`` int labels.
        x_val, y_val: the validation split (never the test split).

    Returns:
        ``(model, history)``: the trained model and a dict of lists with
        ``loss``, ``accuracy``, ``val_loss``, ``val_accuracy`` per epoch.
    """
    model, callbacks = overfit_variant(name, x.shape[1], int(y.max()) + 1,
                                       width, seed=seed)
    model.compile(optimizer=keras.optimizers.Adam(lr),
                  loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x, y, validation_data=(x_val, y_val),
                        epochs=epochs, batch_size=batch_size,
                        validation_batch_size=len(y_val), verbose=0,
                        callbacks=callbacks)
    return model, history.history


def gap(history):
    """Training minus validation accuracy, at the epoch with the best
    validation accuracy (positive when the model overfits)."""
    best = int(np.argmax(history["val_accuracy"]))
    return history["accuracy"][best] - history["val_accuracy"][best]
# --8<-- [end:variants]
