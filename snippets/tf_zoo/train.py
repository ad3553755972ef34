"""The training entry point: one call that trains a zoo model on a CPU, one GPU or many, unchanged.

    from snippets.tf_zoo.train import train
    result = train("cnn", "digits", epochs=5)
    print(result.history["val_accuracy"][-1], result.metrics)
"""

import dataclasses
import inspect
import pathlib

import keras
import numpy as np

from snippets.tf_zoo import datasets, devices
from snippets.tf_zoo.registry import get_builder, list_models


@dataclasses.dataclass
class TrainResult:
    """What ``train`` returns: the trained model, its per-epoch history and its test metrics."""

    model: keras.Model
    history: dict  # {"loss": [...], "accuracy": [...], "val_loss": [...], "val_accuracy": [...]}
    metrics: dict  # {"loss": ..., "accuracy": ...} on the test set
    strategy: str  # the strategy class that ran it, e.g. "_DefaultDistributionStrategy", "MirroredStrategy"
    precision: str
    path: pathlib.Path | None = None  # the saved .keras file, when ``output`` was given


def model_kind(name):
    """What model ``name`` reads: ``"tokens"`` (its builder takes ``vocab_size``), ``"image"`` (it takes
    ``input_shape``: images or vectors) or ``"other"`` (e.g. whole graphs), from the builder's signature."""
    params = inspect.signature(get_builder(name)).parameters
    return "tokens" if "vocab_size" in params else "image" if "input_shape" in params else "other"


def build_for(name, data, **config):
    """Build registered model ``name`` sized for ``data`` (a ``datasets.Data``); ValueError on a mismatch."""
    if model_kind(name) != data.kind:
        fits = [m for m in list_models() if model_kind(m) == data.kind]
        raise ValueError(f"model {name!r} does not fit this dataset: it reads {model_kind(name)} inputs but "
                         f"the dataset holds {data.kind} inputs; models for it: {', '.join(fits)}")
    params = inspect.signature(get_builder(name)).parameters
    sizes = {"num_classes": data.num_classes}
    if data.kind == "tokens":
        sizes["vocab_size"] = data.vocab_size
        if "sequence_length" in params:
            sizes["sequence_length"] = data.input_shape[0]
    else:
        sizes["input_shape"] = data.input_shape
    return get_builder(name)(**{**sizes, **config})


def _as_data(data, batch_size, seed):
    if isinstance(data, datasets.Data):
        return data
    if isinstance(data, str):
        return datasets.load(data, batch_size=batch_size, seed=seed)
    if isinstance(data, (tuple, list)) and len(data) == 2:
        x, y = np.asarray(data[0]), np.asarray(data[1]).astype("int32")
        if x.shape[0] != y.shape[0]:
            raise ValueError(f"x and y must have the same number of examples; received {x.shape[0]} and {y.shape[0]}")
        order = np.random.default_rng(seed).permutation(len(y))
        n_val = max(1, len(y) // 5)
        val, tr = order[:n_val], order[n_val:]
        kind = "tokens" if np.issubdtype(x.dtype, np.integer) else "image"
        pipe = datasets.pipeline
        return datasets.Data(pipe(x[tr], y[tr], batch_size, seed), pipe(x[val], y[val], batch_size),
                             pipe(x[val], y[val], batch_size), tuple(x.shape[1:]), int(y.max() + 1), kind,
                             int(x.max() + 1) if kind == "tokens" else 0)
    raise ValueError(f"data must be a dataset name, a datasets.Data or an (x, y) pair; received {type(data).__name__}")


def _callbacks(early_stopping, output, verbose):
    callbacks = []
    if early_stopping:
        callbacks.append(keras.callbacks.EarlyStopping(patience=early_stopping, restore_best_weights=True))
    if output is not None:
        callbacks.append(keras.callbacks.ModelCheckpoint(output / "checkpoint.keras", save_best_only=True))
        try:
            import tensorboard  # noqa: F401  (optional: logs only when it is installed)

            callbacks.append(keras.callbacks.TensorBoard(log_dir=str(output / "logs")))
        except ImportError:
            if verbose:
                print("tensorboard is not installed; no TensorBoard logs")
    return callbacks


# --8<-- [start:compile_in_scope]
import keras


def compile_in_scope(build, strategy, precision="float32", lr=1e-3, jit_compile=False, steps_per_execution=1):
    """Build a model inside ``strategy``'s scope under the dtype policy ``precision`` and compile it there.

    Built in the scope, the model's variables live where the strategy puts them (one copy per replica under
    ``MirroredStrategy``); the policy makes its layers compute in 16 bits under mixed precision. The model
    code itself never mentions either.

    Args:
        build: a function of no arguments returning an uncompiled ``keras.Model``.
        strategy: a ``tf.distribute.Strategy``, e.g. ``tf.distribute.get_strategy()`` (the default one).
        precision: a Keras dtype policy: ``float32``, ``mixed_float16`` or ``mixed_bfloat16``.
        lr: Adam's learning rate.
        jit_compile: compile the training step with XLA.
        steps_per_execution: batches per call into the compiled training step.

    Returns:
        The compiled ``keras.Model`` (sparse categorical cross-entropy, accuracy).
    """
    with strategy.scope():
        previous = keras.mixed_precision.global_policy()
        keras.mixed_precision.set_global_policy(precision)
        try:
            model = build()
        finally:  # the policy applies to this model only
            keras.mixed_precision.set_global_policy(previous)
        model.compile(optimizer=keras.optimizers.Adam(lr), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"], jit_compile=jit_compile, steps_per_execution=steps_per_execution)
    return model
# --8<-- [end:compile_in_scope]


def train(model, data, *, epochs=5, batch_size=32, strategy="auto", precision="auto", jit_compile="auto",
          lr=1e-3, steps_per_execution=None, early_stopping=None, output=None, seed=0, verbose=0,
          callbacks=(), **model_config):
    """Compile and fit ``model`` on ``data`` under a distribution strategy and a precision policy.

    Args:
        model: a registered model name (built inside the strategy scope, sized for the data, with
            ``model_config``) or an uncompiled ``keras.Model`` (float32; cloned into a multi-device scope).
        data: a dataset name (``datasets.NAMES``), a ``datasets.Data`` or an ``(x, y)`` pair of arrays.
        epochs: passes over the training set.
        batch_size: global batch size (split across replicas) when ``data`` is a name or arrays.
        strategy: ``auto``, ``cpu``, ``gpu``, ``mirrored`` or ``multi_worker`` (see ``devices.make_strategy``).
        precision: ``auto`` (mixed_float16 on a GPU, else float32), ``float32``, ``mixed_float16``,
            ``mixed_bfloat16``; the zoo's output layers stay float32 either way.
        jit_compile: XLA; ``auto`` turns it on only on a GPU.
        lr: Adam's learning rate.
        steps_per_execution: batches per call into the compiled training step; None: 8 without
            distribution (measured faster than 1 for the mlp and the cnn on a CPU, benchmarks/results/zoo.md),
            1 under a multi-replica strategy, where Keras' multi-step loop fails on distributed iterators.
        early_stopping: patience in epochs on ``val_loss`` (restoring the best weights), or None.
        output: a directory for the best checkpoint, TensorBoard logs (when installed) and ``<name>.keras``.
        seed: seeds Python, NumPy and TensorFlow, and the data's split and shuffling.
        verbose: 0 silent, 1 progress bar, 2 one line per epoch.
        callbacks: more Keras callbacks.

    Returns:
        A ``TrainResult`` with the model, ``history`` (per-epoch lists) and test ``metrics``.
    """
    keras.utils.set_random_seed(seed)
    dist = devices.make_strategy(strategy)
    policy = devices.resolve_precision(precision)
    data = _as_data(data, batch_size, seed)
    if isinstance(model, str):
        def build():
            return build_for(model, data, **model_config)
    elif isinstance(model, keras.Model):
        if policy != "float32":
            raise ValueError(f"precision={policy!r} needs the model by name, so it is built under that "
                             "policy; received a built keras.Model")

        def build():
            if dist.num_replicas_in_sync == 1:
                return model
            clone = keras.models.clone_model(model)  # variables must be created inside the strategy's scope
            clone.set_weights(model.get_weights())
            return clone
    else:
        raise ValueError(f"model must be a registered name or a keras.Model; received {type(model).__name__}")
    net = compile_in_scope(build, dist, policy, lr=lr, jit_compile=devices.resolve_jit(jit_compile),
                           steps_per_execution=steps_per_execution or (8 if dist.num_replicas_in_sync == 1 else 1))
    out = pathlib.Path(output) if output is not None else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    history = net.fit(data.train, validation_data=data.val, epochs=epochs, verbose=verbose,
                      shuffle=False, callbacks=[*_callbacks(early_stopping, out, verbose), *callbacks])
    metrics = net.evaluate(data.test, verbose=0, return_dict=True)
    path = None
    if out is not None:
        path = out / f"{net.name}.keras"
        net.save(path)
    return TrainResult(net, history.history, metrics, type(dist).__name__, policy, path)
