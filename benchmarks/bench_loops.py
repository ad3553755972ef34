"""What vectorizing buys: a dense layer and a convolution as Python loops, as NumPy array operations and as
TensorFlow ops, timed in one run on the same machine.

Each variant computes the same output (checked before timing); each reports its fastest of ``--repeats`` calls,
so load from other processes hits every variant alike. float32 throughout. Writes a Markdown table to
``benchmarks/results/loops.md``.

    python benchmarks/bench_loops.py --repeats 5
"""

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
from report import command, cpu_model, versions, write  # benchmarks/report.py

from snippets.numpy_nn.conv import conv2d
from snippets.numpy_nn.looped import conv2d_loops, dense_loops, dense_rows

RESULTS = Path(__file__).parent / "results" / "loops.md"
SIZES = {  # (dense: batch, d_in, units), (conv: batch, size, c_in, c_out, k)
    "full": ((32, 256, 128), (4, 28, 8, 16, 3)),
    "small": ((4, 16, 8), (1, 8, 2, 3, 3)),
}


def fastest(fn, repeats):
    """The fastest of ``repeats`` calls of ``fn()``, in seconds (one untimed call first)."""
    fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def cases(tf, sizes, rng):
    """[(operation, multiply-adds, {variant: (fn, output)})] for the dense layer and the convolution."""
    (batch, d_in, units), (n, size, c_in, c_out, k) = sizes
    x = rng.standard_normal((batch, d_in), dtype=np.float32)
    W = rng.standard_normal((d_in, units), dtype=np.float32)
    b = rng.standard_normal(units, dtype=np.float32)
    tx, tW, tb = (tf.constant(a) for a in (x, W, b))
    dense_tf = tf.function(lambda: tf.matmul(tx, tW) + tb)
    dense = {
        "Python loops": lambda: dense_loops(x, W, b),
        "a loop over examples": lambda: dense_rows(x, W, b),
        "NumPy (`x @ W + b`)": lambda: x @ W + b,
        "TensorFlow": lambda: dense_tf().numpy(),
    }
    images = rng.standard_normal((n, size, size, c_in), dtype=np.float32)
    kernel = rng.standard_normal((k, k, c_in, c_out), dtype=np.float32)
    ti, tk = tf.constant(images), tf.constant(kernel)
    conv_tf = tf.function(lambda: tf.nn.conv2d(ti, tk, strides=1, padding="VALID"))
    conv = {
        "a loop over output pixels": lambda: conv2d_loops(images, kernel),
        "NumPy (`conv2d`, im2col)": lambda: conv2d(images, kernel, 1, "valid"),
        "TensorFlow": lambda: conv_tf().numpy(),
    }
    out = size - k + 1
    return [
        (f"dense, x {x.shape} @ W {W.shape}", batch * d_in * units, dense),
        (f"conv2d, x {images.shape}, kernel {kernel.shape}", n * out * out * k * k * c_in * c_out, conv),
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    import keras
    import tensorflow as tf

    rng = np.random.default_rng(0)
    lines = ["| operation | implementation | time per call | multiply-adds per second | vs NumPy |",
             "|---|---|---:|---:|---:|"]
    for name, macs, variants in cases(tf, SIZES[args.size], rng):
        outputs = {variant: fn() for variant, fn in variants.items()}
        reference = next(v for v in outputs if v.startswith("NumPy"))
        for variant, value in outputs.items():  # the same numbers, or the comparison means nothing
            np.testing.assert_allclose(value, outputs[reference], rtol=1e-3, atol=1e-3, err_msg=variant)
        times = {variant: fastest(fn, args.repeats) for variant, fn in variants.items()}
        for variant, seconds in times.items():
            ratio = seconds / times[reference]
            if variant == reference:
                versus = "1x"
            elif ratio >= 1:
                versus = f"{ratio:,.0f}x slower" if ratio >= 10 else f"{ratio:.1f}x slower"
            else:
                versus = f"{1 / ratio:,.0f}x faster" if ratio <= 0.1 else f"{1 / ratio:.1f}x faster"
            lines.append(f"| {name} | {variant} | {_duration(seconds)} | {macs / seconds:,.3g} | {versus} |")
            print(lines[-1], flush=True)
    lines += ["", f"Fastest of {args.repeats} calls each, float32. {cpu_model()}, {os.cpu_count()} cores; "
              f"{versions(tf, keras)}; {time.strftime('%Y-%m-%d')}. Command: "
              f"`{command('bench_loops.py', argv)}`."]
    write(args.output, lines)


def _duration(seconds):
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} us"


if __name__ == "__main__":
    sys.exit(main())
