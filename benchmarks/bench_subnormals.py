"""Optimizer steps once running averages turn subnormal: NumPy with and without the flush, and Keras.

Half of the float32 weights get one random gradient and then 0 forever, as behind a dead ReLU unit; their
running averages shrink by a constant factor every step until, unflushed, they are subnormal floats. For
SGD(momentum=0.9), RMSprop and Adam, this times the median step over the first and the last 100 of
``--steps`` steps: the optimizer wrapped in ``FlushSubnormals`` (every 32 steps, averages below 2^24 times the
smallest normal float become 0), the plain optimizer, and the Keras optimizer inside a ``tf.function``
(TensorFlow flushes subnormals to zero on the CPU). Writes ``benchmarks/results/subnormals.md``.

    python benchmarks/bench_subnormals.py --steps 2000
"""

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
from report import command, versions, write  # benchmarks/report.py, next to this script

from snippets.numpy_nn import optimizers

RESULTS = Path(__file__).parent / "results" / "subnormals.md"
CONFIGS = [("SGD", {"momentum": 0.9}), ("RMSprop", {}), ("Adam", {})]


def gradients(size, seed):
    """(first, then): a random gradient for every weight, then one that is 0 for the first half."""
    rng = np.random.default_rng(seed)
    first = rng.standard_normal(size, dtype=np.float32) * 1e-3
    then = first.copy()
    then[: size // 2] = 0
    return first, then


def median_steps_numpy(name, kwargs, size, steps, seed, flush):
    """Median seconds per step over the first and the last 100 steps, and the subnormal count at the end."""
    plain = getattr(optimizers, name)(**kwargs)
    optimizer = optimizers.FlushSubnormals(plain) if flush else plain
    w = np.random.default_rng(seed).standard_normal(size, dtype=np.float32)
    first, then = gradients(size, seed)
    times = []
    for step in range(steps):
        start = time.perf_counter()
        optimizer.step({"w": w}, {"w": first if step == 0 else then})
        times.append(time.perf_counter() - start)
    tiny = np.finfo(np.float32).tiny
    states = [a for key in ("m", "v", "v_hat", "mg") for a in getattr(plain, key, {}).values()]
    subnormal = sum(int(np.count_nonzero((a != 0) & (np.abs(a) < tiny))) for a in states)
    return np.median(times[:100]), np.median(times[-100:]), subnormal


def median_steps_keras(keras, tf, name, kwargs, size, steps, seed):
    optimizer = getattr(keras.optimizers, name)(**kwargs)
    w = keras.Variable(np.random.default_rng(seed).standard_normal(size, dtype=np.float32))
    first, then = (tf.constant(g) for g in gradients(size, seed))

    @tf.function
    def step(g):
        optimizer.apply_gradients([(g, w)])

    step(first)  # traces; counts as the first step
    times = []
    for _ in range(steps - 1):
        start = time.perf_counter()
        step(then)
        times.append(time.perf_counter() - start)
    return np.median(times[:100]), np.median(times[-100:])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="float32 weights (half of them frozen)")
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.steps < 200:
        parser.error(f"--steps must be at least 200 (two windows of 100 steps); received {args.steps}")

    import keras
    import tensorflow as tf

    lines = [
        "| optimizer | NumPy, `FlushSubnormals`: first → last 100 steps | subnormal at the end | NumPy, plain | "
        "subnormal at the end | Keras (`tf.function`) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, kwargs in CONFIGS:
        flushed = median_steps_numpy(name, kwargs, args.size, args.steps, args.seed, flush=True)
        unflushed = median_steps_numpy(name, kwargs, args.size, args.steps, args.seed, flush=False)
        theirs = median_steps_keras(keras, tf, name, kwargs, args.size, args.steps, args.seed)
        label = name + "".join(f"({k}={v})" for k, v in kwargs.items())

        def cell(first, last):
            return f"{first * 1e6:,.0f} → {last * 1e6:,.0f} µs ({last / first:.1f}x)"

        lines.append(f"| `{label}` | {cell(*flushed[:2])} | {flushed[2]:,} | {cell(*unflushed[:2])} | "
                     f"{unflushed[2]:,} | {cell(*theirs)} |")
        print(lines[-1])
    lines += [
        "",
        f"{args.size:,} float32 weights, half of them with a zero gradient after the first step; median step time "
        f"over the first and the last 100 of {args.steps:,} steps, in one run.",
        "",
        f"- {versions(tf, keras)}; {os.cpu_count()} cores visible",
        f"- Command: `{command('bench_subnormals.py', argv)}`",
    ]
    write(args.output, lines)


if __name__ == "__main__":
    main()
