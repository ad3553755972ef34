"""Measuring vanishing and exploding gradients: per-layer gradient norms of deep fully connected networks."""

# --8<-- [start:deep_mlp]
import keras


def deep_mlp(depth=20, units=32, activation="sigmoid", initializer="glorot_uniform", batch_norm=False,
             residual=False, num_features=64, num_classes=10):
    """A deep stack of ``depth`` Dense layers of width ``units``, for studying gradient flow.

    Args:
        depth: number of hidden Dense layers.
        units: width of every hidden layer.
        activation: hidden activation (``sigmoid``, ``relu``, ...).
        initializer: kernel initializer (``glorot_uniform``, ``he_normal``, or a Keras initializer).
        batch_norm: BatchNormalization between each Dense and its activation.
        residual: add each block's input to its output (``x + f(x)``); the first layer has no skip.
        num_features, num_classes: input width and number of classes.

    Returns:
        An uncompiled ``keras.Model``; its hidden Dense layers are named ``dense_0`` ... ``dense_{depth-1}``.
    """
    x = inputs = keras.Input((num_features,))
    for i in range(depth):
        h = keras.layers.Dense(units, kernel_initializer=initializer, use_bias=not batch_norm,
                               name=f"dense_{i}")(x)
        if batch_norm:
            h = keras.layers.BatchNormalization()(h)
        h = keras.layers.Activation(activation)(h)
        x = keras.layers.Add()([x, h]) if residual and i > 0 else h
    outputs = keras.layers.Dense(num_classes, activation="softmax", name="output")(x)
    return keras.Model(inputs, outputs)
# --8<-- [end:deep_mlp]


# --8<-- [start:gradient_norms]
import numpy as np
import tensorflow as tf


def layer_gradient_norms(model, x, y):
    """The L2 norm of the loss gradient with respect to each hidden layer's kernel, first layer first.

    Args:
        model: from ``deep_mlp``; x ``(batch, num_features)``; y int labels ``(batch,)``.

    Returns:
        A float64 array of shape ``(depth,)``.
    """
    kernels = [layer.kernel for layer in model.layers if layer.name.startswith("dense_")]
    with tf.GradientTape() as tape:
        loss = keras.losses.sparse_categorical_crossentropy(y, model(x, training=True))
        loss = tf.reduce_mean(loss)
    grads = tape.gradient(loss, kernels)
    return np.array([float(tf.norm(g)) for g in grads])
# --8<-- [end:gradient_norms]


# --8<-- [start:clipping]
def clipped_losses(model, x, y, steps=30, lr=0.05, clipnorm=None):
    """Training loss per step of plain SGD, optionally clipping the gradients' global norm to ``clipnorm``.

    Returns:
        A float64 array of shape ``(steps,)``; ``inf``/``nan`` are replaced by ``nan`` for plotting.
    """
    optimizer = keras.optimizers.SGD(lr, global_clipnorm=clipnorm)
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy")
    losses = [model.train_on_batch(x, y) for _ in range(steps)]
    losses = np.asarray(losses, dtype=np.float64)
    return np.where(np.isfinite(losses), losses, np.nan)
# --8<-- [end:clipping]
