"""Measuring vanishing and exploding gradients: per-layer gradient norms and activations of deep MLPs."""

# --8<-- [start:deep_mlp]
import keras


def deep_mlp(depth=20, units=32, activation="sigmoid",
             initializer="glorot_uniform", batch_norm=False, residual=False,
             num_features=64, num_classes=10):
    """A stack of ``depth`` Dense layers of width ``units``, for studying
    how gradients flow.

    Args:
        depth: number of hidden Dense layers.
        units: width of every hidden layer.
        activation: hidden activation (``sigmoid``, ``relu``, ...).
        initializer: a Keras initializer name (``glorot_uniform``,
            ``he_normal``, ...) or a float, the standard deviation of
            N(0, std) weights.
        batch_norm: BatchNormalization between each Dense and its
            activation.
        residual: add each block's input to its output (``x + f(x)``);
            the first layer has no skip.
        num_features, num_classes: input width and number of classes.

    Returns:
        An uncompiled ``keras.Model``; its hidden Dense layers are named
        ``dense_0`` ... ``dense_{depth-1}``.
    """
    if depth < 1 or units < 1:
        raise ValueError("deep_mlp expects depth >= 1 and units >= 1; "
                         f"received depth={depth}, units={units}")
    x = inputs = keras.Input((num_features,))
    for i in range(depth):
        init = initializer
        if isinstance(initializer, float):  # a fresh draw for every layer
            init = keras.initializers.RandomNormal(stddev=initializer)
        h = keras.layers.Dense(units, kernel_initializer=init,
                               use_bias=not batch_norm, name=f"dense_{i}")(x)
        if batch_norm:
            h = keras.layers.BatchNormalization(name=f"batch_norm_{i}")(h)
        h = keras.layers.Activation(activation, name=f"activation_{i}")(h)
        x = keras.layers.Add()([x, h]) if residual and i > 0 else h
    outputs = keras.layers.Dense(num_classes, activation="softmax",
                                 name="output")(x)
    return keras.Model(inputs, outputs)
# --8<-- [end:deep_mlp]


# --8<-- [start:gradient_norms]
import keras
import numpy as np
import tensorflow as tf


def layer_gradient_norms(model, x, y):
    """The L2 norm of the loss gradient with respect to each hidden
    layer's kernel (layers named ``dense_0``, ``dense_1``, ...), first
    layer first.

    Args:
        model: a classifier with softmax outputs.
        x: ``(batch, num_features)`` inputs; y: ``(batch,)`` int labels.

    Returns:
        A float64 array of shape ``(depth,)``.
    """
    kernels = [layer.kernel for layer in model.layers
               if layer.name.startswith("dense_")]
    if not kernels:
        names = [layer.name for layer in model.layers]
        raise ValueError("layer_gradient_norms expects layers named "
                         f"dense_0, dense_1, ...; received {names}")
    with tf.GradientTape() as tape:
        y_hat = model(x, training=True)
        loss = keras.ops.mean(
            keras.losses.sparse_categorical_crossentropy(y, y_hat))
    grads = tape.gradient(loss, kernels)
    return np.array([float(keras.ops.norm(g)) for g in grads])
# --8<-- [end:gradient_norms]


# --8<-- [start:activations]
import keras


def layer_outputs(model, x, prefix="activation_", training=True):
    """The outputs on ``x`` of every layer whose name starts with
    ``prefix`` (``activation_`` or ``dense_`` in ``deep_mlp``), in order.

    Returns:
        A list of NumPy arrays of shape ``(batch, units)``.
    """
    outputs = [layer.output for layer in model.layers
               if layer.name.startswith(prefix)]
    probe = keras.Model(model.input, outputs)
    values = probe(x, training=training)
    if len(outputs) == 1:  # a model with one output returns it bare
        values = [values]
    return [keras.ops.convert_to_numpy(h) for h in values]
# --8<-- [end:activations]


# --8<-- [start:clipping]
import keras
import numpy as np


def clipped_losses(model, x, y, steps=30, lr=0.05, clipnorm=None):
    """Training loss per step of plain SGD on one batch, optionally
    clipping the gradients' global norm to ``clipnorm``.

    Returns:
        A float64 array of shape ``(steps,)``; ``inf`` becomes ``nan``.
    """
    optimizer = keras.optimizers.SGD(lr, global_clipnorm=clipnorm)
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy")
    losses = [model.train_on_batch(x, y) for _ in range(steps)]
    losses = np.asarray(losses, dtype=np.float64)
    return np.where(np.isfinite(losses), losses, np.nan)
# --8<-- [end:clipping]


# The gradient-norm figure's five networks (the page runs the same table).
VARIANTS = {
    "sigmoid, Glorot init": {},
    "ReLU, He init": {"activation": "relu", "initializer": "he_normal"},
    "sigmoid + batch norm": {"batch_norm": True},
    "sigmoid + residual": {"residual": True},
    "ReLU, N(0, 0.4) init": {"activation": "relu", "initializer": 0.4},
}


def variant_gradient_norms(x, y, variants=VARIANTS, depth=20, seed=0):
    """``{label: layer_gradient_norms}`` of one fresh ``deep_mlp`` per entry of ``variants``."""
    norms = {}
    for label, config in variants.items():
        keras.utils.set_random_seed(seed)
        norms[label] = layer_gradient_norms(deep_mlp(depth=depth, **config), x, y)
    return norms
