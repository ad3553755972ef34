"""The training entry point: one call that trains a zoo model on a CPU, one GPU, many GPUs or many machines.

    from snippets.tf_zoo.train import train
    result = train("cnn", "digits", epochs=5)
    print(result.history["val_accuracy"][-1], result.metrics)
"""

import dataclasses
import inspect
import math
import pathlib
import shutil
import tempfile
import warnings

import keras
import numpy as np

from snippets.tf_zoo import datasets, devices, registry
from snippets.tf_zoo.cli import check_output


@dataclasses.dataclass
class TrainResult:
    """What ``train`` returns: the trained model, its per-epoch history and its test metrics."""

    model: keras.Model
    history: dict  # {"loss": [...], "accuracy": [...], "val_loss": [...], "val_accuracy": [...]}
    metrics: dict  # {"loss": ..., "accuracy": ...} on the test set; {} when the data has no test set
    strategy: str  # in words: "cpu", "gpu", "mirrored over 2 devices", "multi_worker over 2 workers"
    precision: str
    path: pathlib.Path | None = None  # the saved .keras file, when ``output`` was given (the chief's only)


def build_for(name, data, **config):
    """Build zoo model ``name`` sized for ``data`` (a ``datasets.Data``); ValueError if it cannot read it."""
    if data.kind not in registry.reads(name):
        raise ValueError(f"model {name!r} does not fit this dataset: it reads {' or '.join(registry.reads(name))} "
                         f"inputs but the dataset holds {data.kind} inputs; models for it: "
                         f"{', '.join(registry.models_for(data.kind))}")
    builder = registry.get_builder(name, data.kind)
    params = inspect.signature(builder).parameters
    sizes = {"num_classes": data.num_classes}
    if data.kind == "tokens":
        sizes["vocab_size"] = data.vocab_size
        if "sequence_length" in params:
            sizes["sequence_length"] = data.input_shape[0]
    elif data.kind == "graph":  # one graph: (num_nodes, num_features) node features
        sizes["num_nodes"], sizes["num_features"] = data.input_shape
    else:
        sizes["input_shape"] = data.input_shape
    return builder(**{**sizes, **config})


def _check_arrays(x, y, what="data"):
    """``(x, y)`` as arrays: finite features, integral non-negative labels, at least two examples."""
    x = np.asarray(x)
    y = np.asarray(y)
    if x.ndim < 1 or y.ndim < 1 or x.shape[0] != y.shape[0]:
        raise ValueError(f"{what}: x and y must have the same number of examples; received shapes "
                         f"{x.shape} and {y.shape}")
    if y.ndim != 1:
        raise ValueError(f"{what}: y must hold one integer class label per example, shape ({x.shape[0]},); "
                         f"received shape {y.shape} (one-hot labels? take their argmax)")
    if len(y) < 2:
        raise ValueError(f"{what}: training needs at least 2 examples (one for training, one for "
                         f"validation); received {len(y)}")
    if not (np.issubdtype(x.dtype, np.number) or x.dtype == bool) or np.issubdtype(x.dtype, np.complexfloating):
        raise ValueError(f"{what}: x must hold real numbers; received dtype {x.dtype}")
    if np.issubdtype(x.dtype, np.floating) and not np.all(np.isfinite(x)):
        raise ValueError(f"{what}: x must be finite; received {int(np.sum(~np.isfinite(x)))} NaN or inf values")
    if not (np.issubdtype(y.dtype, np.integer) or np.issubdtype(y.dtype, np.floating)):
        raise ValueError(f"{what}: y must hold integer class labels; received dtype {y.dtype}")
    if np.issubdtype(y.dtype, np.floating):
        bad = ~np.isfinite(y) | (y != np.round(y))
        if bad.any():
            raise ValueError(f"{what}: y must hold integer class labels; received non-integral labels such as "
                             f"{y[bad].flat[0].item()!r} (round or cast them yourself)")
    if y.min() < 0 or y.max() >= 2**31:
        raise ValueError(f"{what}: class labels must be in [0, 2**31); received labels from {y.min().item()!r} "
                         f"to {y.max().item()!r}")
    if np.issubdtype(x.dtype, np.integer) and x.min() < 0:
        raise ValueError(f"{what}: token ids must be >= 0; received {x.min().item()!r}")
    return x, y.astype("int32")


def _as_data(data, batch_size, seed):
    if isinstance(data, datasets.Data):
        return data
    if isinstance(data, str):
        return datasets.load(data, batch_size=batch_size, seed=seed)
    # ((x, y), (x_test, y_test)), as datasets.load_arrays returns: the test pair is only evaluated at the end
    test = None
    if isinstance(data, tuple) and len(data) == 2 and all(isinstance(d, tuple) and len(d) == 2 for d in data):
        data, test = data
        test = _check_arrays(*test, what="test data")
    if isinstance(data, (tuple, list)) and len(data) == 2:
        x, y = _check_arrays(*data)
        order = np.random.default_rng(seed).permutation(len(y))
        n_val = max(1, len(y) // 5)
        val, tr = order[:n_val], order[n_val:]
        if test is not None and test[0].shape[1:] != x.shape[1:]:
            raise ValueError(f"test data: x_test must hold examples of x's shape {x.shape[1:]}; received shape "
                             f"{test[0].shape[1:]}")
        # int ids are tokens; float (n, time, features) are sequences; other float arrays images or vectors
        kind = "tokens" if np.issubdtype(x.dtype, np.integer) else "sequence" if x.ndim == 3 else "image"
        if kind != "tokens":
            x = x.astype("float32")
        pipe = datasets.pipeline
        num_classes = int(max(y.max(), test[1].max() if test else 0) + 1)
        vocab_size = int(max(x.max(), test[0].max() if test else 0) + 1) if kind == "tokens" else 0
        arrays = {"train": (x[tr], y[tr]), "val": (x[val], y[val])}
        if test is not None:
            arrays["test"] = (test[0].astype(x.dtype), test[1])
        return datasets.Data(pipe(*arrays["train"], batch_size, seed), pipe(*arrays["val"], batch_size),
                             pipe(*arrays["test"], batch_size) if test else None, tuple(x.shape[1:]),
                             num_classes, kind, vocab_size, arrays)
    raise ValueError("data must be a dataset name, a datasets.Data, an (x, y) pair or ((x, y), (x_test, y_test)); "
                     f"received {type(data).__name__}")


def _check_args(epochs, batch_size, lr, early_stopping, verbose, seed, steps_per_execution):
    def positive_int(name, value):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be an integer >= 1; received {name}={value!r}")

    positive_int("epochs", epochs)
    positive_int("batch_size", batch_size)
    if early_stopping is not None:
        positive_int("early_stopping", early_stopping)
    if isinstance(lr, bool) or not isinstance(lr, (int, float, np.floating)) or not (math.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a finite number > 0; received lr={lr!r}")
    if steps_per_execution is not None:
        positive_int("steps_per_execution", steps_per_execution)
    if verbose not in (0, 1, 2):
        raise ValueError(f"verbose must be 0, 1 or 2; received verbose={verbose!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**32:
        raise ValueError(f"seed must be an integer in [0, 2**32); received seed={seed!r}")


# --8<-- [start:compile_in_scope]
import keras


def compile_in_scope(build, strategy, precision="float32", lr=1e-3,
                     jit_compile=False, steps_per_execution=1):
    """Build a model inside ``strategy``'s scope under the dtype policy
    ``precision`` and compile it there.

    Built in the scope, the model's variables live where the strategy puts
    them (one copy per replica under ``MirroredStrategy``); the policy makes
    its layers compute in 16 bits under mixed precision. The model code
    itself never mentions either.

    Args:
        build: a function of no arguments returning an uncompiled model.
        strategy: a ``tf.distribute.Strategy``, e.g.
            ``tf.distribute.get_strategy()`` (the default one).
        precision: a Keras dtype policy: ``float32``, ``mixed_float16`` or
            ``mixed_bfloat16``.
        lr: Adam's learning rate.
        jit_compile: compile the training step with XLA.
        steps_per_execution: batches per call into the training step.

    Returns:
        The compiled ``keras.Model`` (sparse categorical cross-entropy,
        accuracy).
    """
    with strategy.scope():
        previous = keras.mixed_precision.global_policy()
        keras.mixed_precision.set_global_policy(precision)
        try:
            model = build()
        finally:  # the policy applies to this model only
            keras.mixed_precision.set_global_policy(previous)
        model.compile(optimizer=keras.optimizers.Adam(lr),
                      loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"], jit_compile=jit_compile,
                      steps_per_execution=steps_per_execution)
    return model
# --8<-- [end:compile_in_scope]


# --8<-- [start:distributed_step]
import keras
import tensorflow as tf


def make_step(model, strategy, training=True):
    """One synchronous step of ``model`` (compiled) on every replica of
    ``strategy``: what ``fit`` does, written out for the strategies that
    Keras 3's ``fit`` cannot run (``MultiWorkerMirroredStrategy``).

    Each replica divides the summed loss of its share of the batch by the
    size of the whole global batch, so the gradients that the optimizer sums
    over the replicas are those of the global batch's mean loss.

    Returns:
        ``step(x, y) -> (loss_sum, correct, count)``, summed over replicas,
        for ``(x, y)`` from ``strategy.experimental_distribute_dataset``.
        With ``training=False`` it only measures.
    """
    optimizer = model.optimizer
    if training:
        with strategy.scope():
            optimizer.build(model.trainable_variables)

    def replica_step(x, y):
        count = tf.cast(tf.size(y), "float32")
        context = tf.distribute.get_replica_context()
        global_count = context.all_reduce("sum", count)
        with tf.GradientTape() as tape:
            y_hat = model(x, training=training)
            losses = keras.losses.sparse_categorical_crossentropy(y, y_hat)
            loss = tf.reduce_sum(losses) / tf.maximum(global_count, 1.0)
            if model.losses:  # weight penalties, once over all replicas
                loss += tf.add_n(model.losses) / strategy.num_replicas_in_sync
            scaled = optimizer.scale_loss(loss)  # mixed_float16 scaling
        if training:
            grads = tape.gradient(scaled, model.trainable_variables)
            optimizer.apply(grads, model.trainable_variables)
        y_pred = tf.cast(tf.argmax(y_hat, axis=-1), y.dtype)
        correct = tf.reduce_sum(tf.cast(y_pred == y, "float32"))
        return tf.stack([tf.reduce_sum(losses), correct, count])

    @tf.function(reduce_retracing=True)
    def step(x, y):
        sums = strategy.run(replica_step, args=(x, y))
        return strategy.reduce("SUM", sums, axis=None)

    return step
# --8<-- [end:distributed_step]


def _run_epoch(step, dataset, callbacks=None):
    """``{"loss", "accuracy"}`` over one pass of ``step`` on a distributed ``dataset``."""
    loss = correct = count = 0.0
    for batch, (x, y) in enumerate(dataset):
        loss_sum, batch_correct, batch_count = step(x, y).numpy().tolist()
        loss, correct, count = loss + loss_sum, correct + batch_correct, count + batch_count
        if callbacks is not None:
            callbacks.on_train_batch_end(batch, {"loss": loss / count, "accuracy": correct / count})
    return {"loss": loss / max(count, 1.0), "accuracy": correct / max(count, 1.0)}


def _fit_with_steps(net, data, strategy, epochs, verbose, callbacks):
    """``net.fit`` for ``MultiWorkerMirroredStrategy``: the same epochs, history, progress and callbacks,
    with the steps of ``make_step``. Returns ``(history, test metrics)``."""
    import tensorflow as tf

    options = tf.data.Options()  # every worker reads the same batches and keeps its share of each
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA

    def distribute(dataset):
        return strategy.experimental_distribute_dataset(dataset.with_options(options))

    train_ds, val_ds = distribute(data.train), distribute(data.val)
    train_step, eval_step = make_step(net, strategy), make_step(net, strategy, training=False)
    history = keras.callbacks.History()
    steps = int(data.train.cardinality())
    callbacks = keras.callbacks.CallbackList([*callbacks, history], add_progbar=verbose != 0, model=net,
                                             verbose=verbose, epochs=epochs, steps=steps if steps > 0 else None)
    net.stop_training = False
    callbacks.on_train_begin()
    logs = {}
    for epoch in range(epochs):
        callbacks.on_epoch_begin(epoch)
        logs = _run_epoch(train_step, train_ds, callbacks)
        logs.update({f"val_{k}": v for k, v in _run_epoch(eval_step, val_ds).items()})
        callbacks.on_epoch_end(epoch, logs)
        if net.stop_training:
            break
    callbacks.on_train_end(logs)
    metrics = _run_epoch(eval_step, distribute(data.test)) if data.test is not None else {}
    return history.history, metrics


def train(model, data, *, epochs=5, batch_size=32, strategy="auto", precision="auto", jit_compile="auto",
          lr=1e-3, steps_per_execution=None, early_stopping=None, output=None, seed=0, verbose=0,
          callbacks=(), **model_config):
    """Compile and fit ``model`` on ``data`` under a distribution strategy and a precision policy.

    Args:
        model: a registered model name (built inside the strategy scope, sized for the data, with
            ``model_config``) or an uncompiled ``keras.Model`` (float32; cloned into a multi-device scope).
        data: a dataset name (``datasets.NAMES``), a ``datasets.Data``, an ``(x, y)`` pair of arrays (split
            into training and validation; no test metrics) or ``((x, y), (x_test, y_test))``.
        epochs: passes over the training set.
        batch_size: global batch size (split across replicas) when ``data`` is a name or arrays.
        strategy: ``auto``, ``cpu``, ``gpu``, ``mirrored`` or ``multi_worker`` (see ``devices.make_strategy``;
            ``multi_worker`` trains with ``make_step``, as Keras 3's ``fit`` does not support it).
        precision: ``auto`` (mixed_float16 on a GPU, else float32), ``float32``, ``mixed_float16``,
            ``mixed_bfloat16``; the zoo's output layers stay float32 either way.
        jit_compile: XLA; ``auto`` turns it on only on a GPU.
        lr: Adam's learning rate.
        steps_per_execution: batches per call into the compiled training step; None: 8 without
            distribution (measured faster than 1 for the mlp and the cnn on a CPU, benchmarks/results/zoo.md),
            1 under a multi-replica strategy, where Keras' multi-step loop fails on distributed iterators.
        early_stopping: patience in epochs on ``val_loss`` (restoring the best weights), or None.
        output: a directory for ``<name>.keras``, written after every epoch and at the end (under
            ``multi_worker`` by the chief only; the other workers write to a temporary directory).
        seed: seeds Python, NumPy and TensorFlow, and the data's split and shuffling.
        verbose: 0 silent, 1 progress bar, 2 one line per epoch.
        callbacks: more Keras callbacks.

    Returns:
        A ``TrainResult`` with the model, ``history`` (per-epoch lists) and test ``metrics``.

    Raises:
        ValueError: bad arguments or data, found before training starts.
    """
    _check_args(epochs, batch_size, lr, early_stopping, verbose, seed, steps_per_execution)
    dist = devices.make_strategy(strategy)  # first: MultiWorkerMirroredStrategy must come before other TF work
    keras.utils.set_random_seed(seed)
    policy = devices.resolve_precision(precision)
    jit = devices.resolve_jit(jit_compile)
    out = check_output(output) if output is not None else None
    data = _as_data(data, batch_size, seed)
    if isinstance(model, str):
        def build():
            return build_for(model, data, **model_config)
    elif isinstance(model, keras.Model):
        if policy != "float32":
            raise ValueError(f"precision={policy!r} needs the model by name, so it is built under that "
                             "policy; received a built keras.Model")

        expected = model.input_shape[1:] if isinstance(model.input_shape, tuple) else None
        if expected is not None and not (len(expected) == len(data.input_shape) and all(
                e is None or e == r for e, r in zip(expected, data.input_shape, strict=True))):
            raise ValueError(f"the model expects inputs of shape {expected}; received data of shape "
                             f"{data.input_shape}")

        def build():
            if dist.num_replicas_in_sync == 1 and not _multi_worker(dist):
                return model
            clone = keras.models.clone_model(model)  # variables must be created inside the strategy's scope
            clone.set_weights(model.get_weights())
            return clone
    else:
        raise ValueError(f"model must be a registered name or a keras.Model; received {type(model).__name__}")
    net = compile_in_scope(build, dist, policy, lr=lr, jit_compile=jit,
                           steps_per_execution=steps_per_execution or (8 if dist.num_replicas_in_sync == 1 else 1))
    chief = not _multi_worker(dist) or dist.extended.should_checkpoint
    scratch = None if chief or out is None else pathlib.Path(tempfile.mkdtemp(prefix="worker-"))
    target = scratch or out
    extra = []
    if early_stopping:
        extra.append(keras.callbacks.EarlyStopping(patience=early_stopping, restore_best_weights=True))
    filename = f"{model if isinstance(model, str) else net.name}.keras"
    if target is not None:  # one file: the latest epoch, then the returned model
        extra.append(keras.callbacks.ModelCheckpoint(target / filename))
    with warnings.catch_warnings():
        _ignore_keras_copy_warning()
        history, metrics, path = _fit_and_save(net, data, dist, epochs, verbose, [*extra, *callbacks],
                                               target and target / filename, scratch)
    return TrainResult(net, history, metrics, devices.describe(dist), policy, path)


def _fit_and_save(net, data, dist, epochs, verbose, callbacks, path, scratch):
    try:
        if _multi_worker(dist):
            history, metrics = _fit_with_steps(net, data, dist, epochs, verbose, callbacks)
        else:
            history = net.fit(data.train, validation_data=data.val, epochs=epochs, verbose=verbose, shuffle=False,
                              callbacks=callbacks).history
            metrics = net.evaluate(data.test, verbose=0, return_dict=True) if data.test is not None else {}
        if path is not None:
            net.save(path)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return history, metrics, None if scratch else path


def _ignore_keras_copy_warning():
    """Keras 3.15's ``Variable.__array__`` takes no ``copy`` argument, so NumPy 2 warns on every ``model.save``
    (and checkpoint) it makes: a Keras bug (keras-team/keras#21288) this code cannot fix, ignored by its exact
    message."""
    warnings.filterwarnings("ignore", message="__array__ implementation doesn't accept a copy keyword",
                            category=DeprecationWarning)


def _multi_worker(strategy):
    import tensorflow as tf

    return isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)
