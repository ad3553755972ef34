"""Throughput of the article's 784-128-64-10 MLP: these NumPy primitives vs Keras ``fit``, on the CPU.

Both train the same architecture (Dense 128 relu, Dropout 0.2, Dense 64 relu, Dense 10; Adam; sparse
categorical cross-entropy) for one epoch on the same random float32 data, at each batch size, after a
warm-up epoch on a slice of the data (so Keras' graph tracing is not timed). The NumPy side is the plain code
the pages show: ``mlp`` with a ``Dropout`` layer, ``Sequential.fit`` and ``Adam``, with the losses of
``snippets/numpy_nn/losses.py``. It also times the dense layers' forward + backward against bare ``np.matmul``
on the same shapes. Writes a Markdown table to ``benchmarks/results/numpy_mlp.md``.

    python benchmarks/bench_numpy_mlp.py --samples 16384 --trials 15 --batch-sizes 32 128 512
"""

import argparse
import os
import sys
import time
from functools import partial
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# BLAS reads its thread count when NumPy is imported, so --blas-threads must act before that import.
if "--blas-threads" in sys.argv[:-1]:
    _threads = sys.argv[sys.argv.index("--blas-threads") + 1]
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_var] = _threads

import numpy as np  # noqa: E402
from report import command, cpu_model, versions, write  # noqa: E402  (benchmarks/report.py)

from snippets.numpy_nn import losses  # noqa: E402
from snippets.numpy_nn.dense import Dense  # noqa: E402
from snippets.numpy_nn.network import Sequential, mlp  # noqa: E402
from snippets.numpy_nn.optimizers import Adam  # noqa: E402
from snippets.numpy_nn.regularization import Dropout  # noqa: E402

SIZES = [784, 128, 64, 10]
RESULTS = Path(__file__).parent / "results" / "numpy_mlp.md"
GOAL = 1.5  # NumPy samples/s over Keras fit's, at every batch size
DENSE_GOAL = 0.8  # dense forward+backward GFLOP/s over bare np.matmul's


def numpy_model(rng):
    layers = mlp(SIZES, rng)  # Dense, ReLU, Dense, ReLU, Dense
    layers.insert(2, Dropout(0.2, rng))  # after the first ReLU, as in the Keras model
    return Sequential(
        layers,
        partial(losses.sparse_categorical_cross_entropy, from_logits=True),
        partial(losses.sparse_categorical_cross_entropy_backward, from_logits=True),
    )


def keras_model(keras):
    model = keras.Sequential([
        keras.Input((784,)),
        keras.layers.Dense(128, activation="relu"), keras.layers.Dropout(0.2),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


def time_numpy(x, y, batch_size, seed, trials):
    """Samples per second of each of ``trials`` one-epoch runs (each on a fresh model)."""
    speeds = []
    for trial in range(trials):
        rng = np.random.default_rng(seed + trial)
        model = numpy_model(rng)
        warm = min(len(x), 8 * batch_size)
        model.fit(x[:warm], y[:warm], Adam(), epochs=1, batch_size=batch_size, rng=rng)
        start = time.perf_counter()
        model.fit(x, y, Adam(), epochs=1, batch_size=batch_size, rng=rng)
        speeds.append(len(x) / (time.perf_counter() - start))
    return speeds


def time_keras(keras, x, y, batch_size, seed, trials):
    """Samples per second of each of ``trials`` one-epoch ``fit`` calls (each on a fresh model)."""
    speeds = []
    for trial in range(trials):
        keras.utils.set_random_seed(seed + trial)
        model = keras_model(keras)
        warm = min(len(x), 8 * batch_size)
        model.fit(x[:warm], y[:warm], epochs=1, batch_size=batch_size, verbose=0)  # traces the graph
        start = time.perf_counter()
        model.fit(x, y, epochs=1, batch_size=batch_size, verbose=0)
        speeds.append(len(x) / (time.perf_counter() - start))
    return speeds


def best_time(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def dense_efficiency(batch_size, repeats, seed):
    """GFLOP/s of Dense forward+backward over the three layers, and of the same matmuls done bare."""
    rng = np.random.default_rng(seed)
    layers = [Dense(d_in, units, rng) for d_in, units in zip(SIZES[:-1], SIZES[1:], strict=True)]
    xs = [rng.standard_normal((batch_size, d), dtype=np.float32) for d in SIZES[:-1]]
    dys = [rng.standard_normal((batch_size, d), dtype=np.float32) for d in SIZES[1:]]
    flops = sum(6 * batch_size * a * b for a, b in zip(SIZES[:-1], SIZES[1:], strict=True))

    def layered():
        for layer, x, dy in zip(layers, xs, dys, strict=True):
            layer.forward(x)
            layer.backward(dy)

    def bare():
        for layer, x, dy in zip(layers, xs, dys, strict=True):
            W = layer.params["W"]
            np.matmul(x, W)
            np.matmul(x.T, dy)
            np.matmul(dy, W.T)

    return flops / best_time(layered, repeats) / 1e9, flops / best_time(bare, repeats) / 1e9


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=16384, help="training samples in the timed epoch")
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[32, 128, 512])
    parser.add_argument("--repeats", type=int, default=20, help="repeats of the dense timing (best is kept)")
    parser.add_argument("--trials", type=int, default=15,
                        help="one-epoch runs per framework and batch size (the fastest is judged)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--blas-threads", type=int, default=None,
                        help="threads for NumPy's BLAS (default: the library's own choice); TensorFlow keeps its own")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    import keras
    import tensorflow as tf

    rng = np.random.default_rng(args.seed)
    x = rng.random((args.samples, 784), dtype=np.float32)
    y = rng.integers(0, 10, args.samples)
    # Every NumPy measurement first: after a Keras fit, TensorFlow's thread pools keep threads that compete
    # with NumPy's BLAS threads for this machine's cores, which made NumPy's numbers vary by 15% run to run.
    numpy_side = {
        batch_size: (time_numpy(x, y, batch_size, args.seed, args.trials),
                     *dense_efficiency(batch_size, args.repeats, args.seed))
        for batch_size in args.batch_sizes
    }
    rows = []
    for batch_size in args.batch_sizes:
        ours, layered, bare = numpy_side[batch_size]
        theirs = time_keras(keras, x, y, batch_size, args.seed, args.trials)
        rows.append((batch_size, ours, theirs, layered, bare))
        print(f"batch {batch_size:4d}: numpy {max(ours):9.0f} samples/s, keras {max(theirs):9.0f} samples/s, "
              f"ratio {max(ours) / max(theirs):5.2f} (medians {np.median(ours) / np.median(theirs):5.2f}); "
              f"dense {layered:6.1f} GFLOP/s vs matmul {bare:6.1f} GFLOP/s")

    # The goal is judged on the fastest run of each side: noise on a shared machine only ever slows a run
    # down. The ratio of the medians shows how far a typical pair of runs sits from it.
    lines = [
        f"| batch size | NumPy samples/s | Keras `fit` samples/s | NumPy / Keras | goal ≥ {GOAL}x | "
        "ratio of the medians |",
        "|---:|---:|---:|---:|:---:|---:|",
    ]
    for batch_size, ours, theirs, _, _ in rows:
        ratio = max(ours) / max(theirs)
        lines.append(
            f"| {batch_size} | {max(ours):,.0f} | {max(theirs):,.0f} | {ratio:.2f}x | "
            f"{'met' if ratio >= GOAL else '**missed**'} | {np.median(ours) / np.median(theirs):.2f}x |"
        )
    lines += [
        "",
        f"| batch size | dense fwd+bwd GFLOP/s | bare `np.matmul` GFLOP/s | dense / matmul | goal ≥ {DENSE_GOAL:.0%} |",
        "|---:|---:|---:|---:|:---:|",
    ]
    for batch_size, _, _, layered, bare in rows:
        efficiency = layered / bare
        lines.append(f"| {batch_size} | {layered:.1f} | {bare:.1f} | {efficiency:.0%} | "
                     f"{'met' if efficiency >= DENSE_GOAL else '**missed**'} |")
    lines += [
        "",
        f"One epoch of {args.samples:,} random float32 samples after a warm-up epoch on 8 batches; the "
        f"784-128-64-10 MLP with Dropout(0.2) and Adam in both. Samples/s: the fastest of {args.trials} runs "
        f"each (each on a fresh model), which the goal is judged on; the last column divides the two sides' "
        f"median runs. Dense: best of {args.repeats} forward+backward passes through the three layers.",
        "",
        f"- CPU: {cpu_model()}, {os.cpu_count()} cores visible (shared with other work while this ran)",
        f"- {versions(tf, keras)}",
        f"- NumPy BLAS threads: {os.environ.get('OPENBLAS_NUM_THREADS', 'library default')}; "
        "TensorFlow: its default thread pools",
        f"- Command: `{command('bench_numpy_mlp.py', argv)}`",
    ]
    write(args.output, lines)


if __name__ == "__main__":
    main()
