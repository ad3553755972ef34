"""One worker of the two-worker test (test_multi_worker.py), run in its own process with its own TF_CONFIG.

Usage: ``TF_CONFIG=... python -m tests.tf_zoo.multi_worker_check OUTPUT WEIGHTS.npz``. Trains a small zoo
model for two epochs with ``strategy="multi_worker"``, saves its final weights to WEIGHTS.npz and prints one
JSON line: {"strategy": ..., "loss": [...], "val_loss": [...], "metrics": {...}, "path": ...}.
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

from snippets.tf_zoo.cli import quiet_tensorflow  # noqa: E402

quiet_tensorflow()  # no TensorFlow start-up lines on stderr: the test checks it stays empty

from snippets.tf_zoo.train import train  # noqa: E402


def main(output, weights):
    result = train("mlp", "digits", epochs=2, batch_size=64, strategy="multi_worker", hidden_units=(16,),
                   lr=3e-3, early_stopping=2, output=output, verbose=2)
    np.savez(weights, *result.model.get_weights())
    print(json.dumps({"strategy": result.strategy, "loss": result.history["loss"],
                      "val_loss": result.history["val_loss"], "metrics": result.metrics,
                      "path": str(result.path) if result.path else None}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
