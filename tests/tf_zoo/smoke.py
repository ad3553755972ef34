"""Tiny models and data for every registered zoo model, from each module's ``SMOKE`` (see models/__init__.py)."""


import numpy as np

from snippets.tf_zoo import build_model, list_models
from snippets.tf_zoo.registry import module_of


def spec(name, kind=None):
    """The ``SMOKE`` dict of model ``name``'s module for ``kind`` (ValueError if the module has none)."""
    module = module_of(name, kind)
    if not hasattr(module, "SMOKE"):
        raise ValueError(f"model module {module.__name__} has no SMOKE dict; see snippets/tf_zoo/models/__init__.py")
    return module.SMOKE[name] if name in module.SMOKE else module.SMOKE  # keyed by name: several models


def build(name):
    """A tiny version of model ``name``."""
    return build_model(name, **spec(name)["config"])


def data(name, seed=0, n=16):
    """Tiny ``(x, y)`` for model ``name``: the module's ``smoke_data(rng)`` if it has one, else ``n`` examples."""
    rng = np.random.default_rng(seed)
    module = module_of(name)
    if hasattr(module, "smoke_data"):
        return module.smoke_data(rng)
    s = spec(name)
    shape = (n, *s["input_shape"])
    if "vocab_size" in s:
        x = rng.integers(1, s["vocab_size"], size=shape).astype("int32")
    else:
        x = rng.normal(size=shape).astype("float32")
    return x, rng.integers(0, s["num_classes"], size=n).astype("int32")


def fit_losses(model, x, y, steps=15, lr=1e-2):
    """Compile with Adam(lr) and take ``steps`` full-batch steps on (x, y); the per-step training losses.

    ``train_on_batch`` takes the same steps as ``fit`` on one batch per epoch, without building a tf.data
    pipeline for them (a third less time for these tiny models, whose cost is tracing).
    """
    import keras

    model.compile(optimizer=keras.optimizers.Adam(lr), loss="sparse_categorical_crossentropy")
    # Adam's slots made now, not inside the first step: a tf.function that creates variables is traced twice
    # (once to create them, once without), so this halves the tracing, the cost here; the losses are the same.
    model.optimizer.build(model.trainable_variables)
    losses = []
    for _ in range(steps):
        losses.append(float(model.train_on_batch(x, y)))
        model.reset_metrics()  # else the next step reports the mean loss of every step so far
    return losses


__all__ = ["spec", "build", "data", "fit_losses", "list_models"]
