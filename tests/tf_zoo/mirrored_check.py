"""Run in a fresh process by test_mirrored.py: every zoo model under a two-replica MirroredStrategy.

The two logical CPU devices must exist before TensorFlow initialises, hence a separate process.
Usage: ``python -m tests.tf_zoo.mirrored_check [--train] [model names]`` (no names: every model). Prints one
JSON object: {"replicas": 2, "models": {name: {"losses": [...], "shape": [...]}}}, plus "train": {...} with
``--train`` (the training entry point under the same strategy).
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

import keras  # noqa: E402

from snippets.tf_zoo.devices import make_strategy  # noqa: E402
from snippets.tf_zoo.train import train  # noqa: E402
from tests.tf_zoo import smoke  # noqa: E402

# Full-batch steps per model: enough for the loss to fall; tracing takes most of the time. One step per epoch
# from one repeated dataset, so fit makes one distributed iterator (each one costs a trace), not one per epoch.
EPOCHS = 5


def _loss(model, x, y):
    """Mean cross-entropy in inference mode (no dropout noise, unlike the training loss of each epoch)."""
    y_hat = model(x, training=False)
    return float(keras.ops.mean(keras.losses.sparse_categorical_crossentropy(y, y_hat)))


def main(names, with_train=True):
    strategy = make_strategy("mirrored")
    report = {"replicas": strategy.num_replicas_in_sync, "strategy": type(strategy).__name__, "models": {}}
    for name in names:
        keras.utils.set_random_seed(0)
        x, y = smoke.data(name)
        with strategy.scope():
            model = smoke.build(name)
            model.compile(optimizer=keras.optimizers.Adam(1e-2), loss="sparse_categorical_crossentropy")
        xs = tuple(x) if isinstance(x, (tuple, list)) else x
        ds = tf.data.Dataset.from_tensor_slices((xs, y)).batch(len(y)).repeat()
        before = _loss(model, x, y)
        losses = model.fit(ds, epochs=EPOCHS, steps_per_epoch=1, verbose=0, shuffle=False).history["loss"]
        y_hat = keras.ops.convert_to_numpy(model(x, training=False))
        report["models"][name] = {"losses": [float(v) for v in losses], "eval_loss": [before, _loss(model, x, y)],
                                  "shape": list(y_hat.shape),
                                  "expected_shape": list(y.shape) + [smoke.spec(name)["num_classes"]],
                                  "variable": type(model.trainable_variables[0].value).__name__}
    if with_train:
        result = train("mlp", "digits", epochs=2, strategy="mirrored", batch_size=64, hidden_units=(32,))
        report["train"] = {"strategy": result.strategy, "accuracy": float(result.metrics["accuracy"]),
                           "loss": [float(v) for v in result.history["loss"]]}
    print(json.dumps(report))


if __name__ == "__main__":
    args = sys.argv[1:]
    main([a for a in args if a != "--train"] or smoke.list_models(), with_train="--train" in args)
