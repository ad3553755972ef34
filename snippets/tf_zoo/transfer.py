"""Transfer learning without downloads: reuse a saved zoo model's features for a new task."""

# --8<-- [start:transfer]
import keras


def new_head(base, num_classes, feature_layer=-2):
    """A new classifier on ``base``'s features.

    ``base`` up to ``feature_layer``, frozen, then a fresh softmax Dense with
    ``num_classes`` outputs.

    Args:
        base: a trained Keras model (e.g. loaded from a ``.keras`` file).
        num_classes: classes of the new task.
        feature_layer: index of the layer whose output are the features
            (-2: the one before the output layer).

    Returns:
        ``(model, features)``: the new uncompiled model and the (frozen)
        feature extractor inside it.
    """
    features = keras.Model(base.inputs, base.layers[feature_layer].output,
                           name="features")
    features.trainable = False
    outputs = keras.layers.Dense(num_classes, activation="softmax",
                                 dtype="float32", name="new_head")
    return (keras.Model(features.inputs, outputs(features.output),
                        name=f"{base.name}_transfer"), features)


def fine_tune(model, features, x, y, validation_data, epochs=(5, 5),
              lr=(1e-3, 1e-4), batch_size=32, validation_freq=1, verbose=0):
    """Train the new head with ``features`` frozen, then fine-tune it all.

    The second phase unfreezes everything with a smaller learning rate:
    large updates would wreck the pretrained features.

    Args:
        model, features: from ``new_head``.
        x, y: training examples ``(n, *input_shape)`` and int labels
            ``(n,)`` of the new task.
        validation_data: ``(x_val, y_val)`` of the new task.
        epochs, lr: per phase, (frozen, unfrozen).
        batch_size: examples per step.
        validation_freq: validate every this many epochs (a divisor of both
            phases' epochs validates their last epoch).
        verbose: Keras' fit verbosity.

    Returns:
        ``{"frozen": history dict, "unfrozen": history dict}``.
    """
    histories = {}
    phases = (("frozen", False, epochs[0], lr[0]),
              ("unfrozen", True, epochs[1], lr[1]))
    for phase, trainable, n, rate in phases:
        features.trainable = trainable  # takes effect at the next compile
        model.compile(optimizer=keras.optimizers.Adam(rate),
                      loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
        histories[phase] = model.fit(
            x, y, batch_size=batch_size, validation_data=validation_data,
            epochs=n, validation_freq=validation_freq, verbose=verbose,
        ).history
    return histories
# --8<-- [end:transfer]
