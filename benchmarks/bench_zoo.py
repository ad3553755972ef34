"""Training throughput of the zoo's entry point against the article's plain ``model.fit`` on NumPy arrays.

Run from the repository root:

    python benchmarks/bench_zoo.py            # writes benchmarks/results/zoo.md

Each row trains the same model on the same fixed-size random data (MNIST-sized images, 10 classes, 20% held
out for validation as in the article) and reports training samples per second, timed over the epochs after
the first (which pays for tracing and compilation), and the ratio to the plain way measured in the same
run. "plain" is the article's code: ``model.fit(x, y, batch_size=32, validation_split=0.2)``. "zoo
defaults" is ``snippets.tf_zoo.train.train`` with no options. The other rows change one thing at a time
from the plain way. On a machine with a GPU the same command measures the GPU path (its defaults then
include mixed precision and XLA).
"""

import argparse
import os
import pathlib
import platform
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from snippets.tf_zoo import build_model, datasets, devices  # noqa: E402
from snippets.tf_zoo.train import train  # noqa: E402

RESULTS = pathlib.Path(__file__).resolve().parent / "results" / "zoo.md"


class TrainTimer(keras.callbacks.Callback):
    """Seconds spent training in each epoch (validation excluded)."""

    def __init__(self):
        super().__init__()
        self.seconds, self._start, self._stop = [], None, None

    def on_epoch_begin(self, epoch, logs=None):
        self._start, self._stop = time.perf_counter(), None

    def on_test_begin(self, logs=None):
        if self._stop is None:
            self._stop = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append((self._stop or time.perf_counter()) - self._start)


def plain(name, x, y, epochs, batch_size=32, jit_compile=False, precision="float32", pipeline=False,
          steps_per_execution=1):
    """The article's way, optionally with one option changed. Returns timed training seconds per epoch."""
    keras.utils.set_random_seed(0)
    keras.mixed_precision.set_global_policy(precision)
    try:
        model = build_model(name, input_shape=x.shape[1:])
    finally:
        keras.mixed_precision.set_global_policy("float32")
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                  jit_compile=jit_compile, steps_per_execution=steps_per_execution)
    timer = TrainTimer()
    if pipeline:
        n_val = len(y) // 5
        train_ds = datasets.pipeline(x[n_val:], y[n_val:], batch_size, shuffle_seed=0)
        val_ds = datasets.pipeline(x[:n_val], y[:n_val], batch_size)
        model.fit(train_ds, validation_data=val_ds, epochs=epochs, verbose=0, callbacks=[timer], shuffle=False)
    else:
        model.fit(x, y, batch_size=batch_size, epochs=epochs, validation_split=0.2, verbose=0,
                  callbacks=[timer])
    return timer.seconds[1:]


def zoo(name, x, y, epochs, **options):
    """The zoo's entry point with its defaults (or ``options``)."""
    timer = TrainTimer()
    train(name, (x, y), epochs=epochs, callbacks=[timer], **options)
    return timer.seconds[1:]


def variants(on_gpu):
    rows = [("plain (the article's model.fit on NumPy)", lambda n, x, y, e: plain(n, x, y, e)),
            ("zoo defaults", lambda n, x, y, e: zoo(n, x, y, e)),
            ("plain + tf.data (shuffled index batches, gather, prefetch)",
             lambda n, x, y, e: plain(n, x, y, e, pipeline=True)),
            ("plain + steps_per_execution=8", lambda n, x, y, e: plain(n, x, y, e, steps_per_execution=8)),
            ("plain + XLA (jit_compile=True)", lambda n, x, y, e: plain(n, x, y, e, jit_compile=True)),
            ("plain + batch size 128", lambda n, x, y, e: plain(n, x, y, e, batch_size=128)),
            ("plain + mixed_bfloat16", lambda n, x, y, e: plain(n, x, y, e, precision="mixed_bfloat16"))]
    if on_gpu:
        rows.append(("plain + mixed_float16", lambda n, x, y, e: plain(n, x, y, e, precision="mixed_float16")))
    return rows


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--samples", type=int, default=4000, help="examples per run, 20%% held out (default 4000)")
    p.add_argument("--epochs", type=int, default=3, help="epochs per run; the first is not timed (default 3)")
    p.add_argument("--repeat", type=int, default=2, help="runs per variant; the fastest counts (default 2)")
    p.add_argument("--models", nargs="+", default=["mlp", "cnn"])
    p.add_argument("--output", type=pathlib.Path, default=RESULTS)
    args = p.parse_args(argv)
    rng = np.random.default_rng(0)
    x = rng.random((args.samples, 28, 28, 1), dtype=np.float32)
    y = rng.integers(0, 10, size=args.samples).astype("int32")
    gpus = devices.gpus()
    device = (f"{len(gpus)} GPU(s): " + tf.config.experimental.get_device_details(gpus[0]).get("device_name", "?")
              if gpus else f"CPU only ({os.cpu_count()} logical cores, {platform.processor() or platform.machine()})")
    lines = ["| model | variant | samples/s | vs plain |", "|---|---|---:|---:|"]
    for name in args.models:
        data = x.reshape(len(x), -1) if name == "mlp" else x  # the article's MLP reads flat 784-vectors
        rows = variants(bool(gpus))
        best = {label: np.inf for label, _ in rows}
        for _ in range(args.repeat):  # round robin, so every variant sees the same machine load
            for label, run in rows:
                best[label] = min(best[label], float(np.median(run(name, data, y, args.epochs))))
        base = best[rows[0][0]]
        for label, seconds in best.items():
            # best of --repeat runs: other processes on a shared machine only ever slow a run down
            lines.append(f"| {name} | {label} | {0.8 * args.samples / seconds:,.0f} | {base / seconds:.2f}x |")
            print(lines[-1], flush=True)
    command = "python benchmarks/bench_zoo.py " + " ".join(argv if argv is not None else sys.argv[1:])
    header = [f"Device: {device}. TensorFlow {tf.__version__}, Keras {keras.__version__}, "
              f"Python {platform.python_version()}. {args.samples} random 28x28x1 examples (80% trained on), "
              f"batch size 32 unless stated, median of epochs 2-{args.epochs}, "
              f"best of {args.repeat} runs.", "",
              f"Command: `{command.strip()}`", ""]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(header + lines) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
