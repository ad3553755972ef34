"""Forward and forward+backward time of the NumPy primitives against TensorFlow's ops, on the CPU.

Primitives: ``conv2d`` vs ``tf.nn.conv2d``, ``max_pool2d`` vs ``tf.nn.max_pool2d``, ``lstm`` vs
``keras.layers.LSTM`` and ``scaled_dot_product_attention`` vs the same three ops in TensorFlow: the plain code
the pages show and readers copy, not a tuned version of it. TensorFlow runs
inside ``tf.function`` (traced before timing); its backward is ``tf.GradientTape`` inside the same function, so
on both sides "fwd+bwd" is a forward pass followed by every gradient (inputs and weights). NumPy and
TensorFlow alternate in blocks of calls and each reports its fastest call, so load from other processes hits
both alike. Everything is float32. Writes a Markdown table to ``benchmarks/results/primitives.md``.

    python benchmarks/bench_primitives.py --repeats 15
"""

import argparse
import functools
import math
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
from report import command, cpu_model, versions, write  # benchmarks/report.py

from snippets.numpy_nn.conv import conv2d, conv2d_backward
from snippets.numpy_nn.lstm import lstm, lstm_backward
from snippets.numpy_nn.pooling import max_pool2d, max_pool2d_backward

RESULTS = Path(__file__).parent / "results" / "primitives.md"
# primitive: the most NumPy / TensorFlow may be in geometric mean over the shapes, or None
GOALS = {"conv2d": 2.0, "max_pool2d": 2.0, "lstm": 2.0, "attention": None}


def conv_cases(tf, rng, batch=None):
    for n, size, c_in, c_out, k, stride, padding in [
        (32, 28, 1, 32, 3, 1, "same"),  # first layer of an MNIST CNN
        (32, 28, 32, 64, 3, 1, "same"),
        (32, 14, 64, 64, 3, 2, "same"),  # strided downsampling
        (16, 32, 3, 16, 5, 1, "valid"),  # CIFAR-sized input, 5x5 kernel
        (8, 56, 64, 64, 3, 1, "same"),  # a ResNet stage
    ]:
        n = min(n, batch or n)
        x = rng.standard_normal((n, size, size, c_in), dtype=np.float32)
        kernel = rng.standard_normal((k, k, c_in, c_out), dtype=np.float32)
        dy = rng.standard_normal(conv2d(x, kernel, stride, padding).shape, dtype=np.float32)

        def np_both(x=x, kernel=kernel, dy=dy, stride=stride, padding=padding):
            conv2d(x, kernel, stride, padding)
            return conv2d_backward(dy, x, kernel, stride, padding)

        op = functools.partial(_tf_conv, tf, strides=stride, padding=padding.upper())
        tensors = [tf.constant(a) for a in (x, kernel)]
        yield (f"x {x.shape}, kernel {kernel.shape}, stride {stride}, {padding}",
               functools.partial(conv2d, x, kernel, stride, padding), np_both,
               functools.partial(tf.function(op), *tensors),
               functools.partial(_tape(tf, op), tf.constant(dy), *tensors))


def pool_cases(tf, rng, batch=None):
    for n, size, c, pool, stride, padding in [
        (32, 28, 32, 2, 2, "valid"),
        (32, 14, 64, 2, 2, "valid"),
        (8, 56, 64, 3, 2, "same"),  # ResNet's stem pooling: overlapping windows
        (16, 31, 16, 2, 2, "same"),  # odd size: the last window hangs over the edge
    ]:
        n = min(n, batch or n)
        x = rng.standard_normal((n, size, size, c), dtype=np.float32)
        dy = rng.standard_normal(max_pool2d(x, pool, stride, padding).shape, dtype=np.float32)

        def np_both(x=x, dy=dy, pool=pool, stride=stride, padding=padding):
            max_pool2d(x, pool, stride, padding)  # the forward pass, timed with the backward
            return max_pool2d_backward(dy, x, pool, stride, padding)

        op = functools.partial(_tf_max_pool, tf, ksize=pool, strides=stride, padding=padding.upper())
        yield (f"x {x.shape}, pool {pool}, stride {stride}, {padding}",
               functools.partial(max_pool2d, x, pool, stride, padding), np_both,
               functools.partial(tf.function(op), tf.constant(x)),
               functools.partial(_tape(tf, op), tf.constant(dy), tf.constant(x)))


def lstm_cases(tf, keras, rng, batch=None):
    for n, steps, units in [(32, 50, 64), (32, 50, 256)]:
        x = rng.standard_normal((min(n, batch or n), steps, units), dtype=np.float32)
        layer = keras.layers.LSTM(units, return_sequences=True, return_state=True)
        layer.build(x.shape)
        weights = layer.get_weights()
        dsequence = rng.standard_normal(x.shape, dtype=np.float32)

        def np_both(x=x, weights=weights, dsequence=dsequence):
            *_, cache = lstm(x, *weights, return_cache=True)
            return lstm_backward(dsequence, cache)

        @tf.function
        def tf_both(d, a, layer=layer):
            with tf.GradientTape() as tape:
                tape.watch(a)
                sequence = layer(a)[0]
            return [sequence, *tape.gradient(sequence, [a, *layer.trainable_weights], output_gradients=d)]

        yield (f"x {x.shape}, units {units} (Keras: `keras.layers.LSTM`)",
               functools.partial(lstm, x, *weights), np_both,
               functools.partial(tf.function(layer), tf.constant(x)),
               functools.partial(tf_both, tf.constant(dsequence), tf.constant(x)))


def attention_cases(tf, rng, batch=None):
    from snippets.numpy_nn.attention import scaled_dot_product_attention, scaled_dot_product_attention_backward

    def tf_attention(q, k, v):
        scores = tf.matmul(q, k, transpose_b=True) / math.sqrt(q.shape[-1])
        return tf.matmul(tf.nn.softmax(scores, axis=-1), v)

    for shape in [(32, 8, 64, 64), (8, 8, 128, 64), (4, 4, 512, 32)]:  # (batch, heads, sequence, depth)
        shape = (min(shape[0], batch or shape[0]), *shape[1:])
        q, k, v = (rng.standard_normal(shape, dtype=np.float32) for _ in range(3))
        dy = rng.standard_normal(shape, dtype=np.float32)

        def np_both(q=q, k=k, v=v, dy=dy):
            scaled_dot_product_attention(q, k, v)
            return scaled_dot_product_attention_backward(dy, q, k, v)

        tensors = [tf.constant(a) for a in (q, k, v)]
        yield (f"q, k, v {shape}",
               functools.partial(scaled_dot_product_attention, q, k, v), np_both,
               functools.partial(tf.function(tf_attention), *tensors),
               functools.partial(_tape(tf, tf_attention), tf.constant(dy), *tensors))


def _tf_conv(tf, x, kernel, strides, padding):
    return tf.nn.conv2d(x, kernel, strides, padding)


def _tf_max_pool(tf, x, ksize, strides, padding):
    return tf.nn.max_pool2d(x, ksize, strides, padding)


def _tape(tf, op):
    """A tf.function computing every input's gradient of ``sum(op(*inputs) * d)``."""

    @tf.function
    def both(d, *inputs):
        with tf.GradientTape() as tape:
            tape.watch(inputs)
            y = op(*inputs)
        # y is returned too: a gradient that does not need it (a convolution's) would let TensorFlow prune the
        # forward pass away, and then "fwd+bwd" would time the backward alone
        return [y, *tape.gradient(y, inputs, output_gradients=d)]

    return both


def race(np_fn, tf_fn, repeats, blocks=3):
    """Fastest call of each side in milliseconds, from ``blocks`` alternating blocks of ``repeats`` calls.

    Blocks, not single calls, alternate: TensorFlow's thread pool keeps spinning for a moment after each
    op, and a NumPy call right behind it would pay for that.
    """
    np_fn(), _materialize(tf_fn())  # warm-up (and TensorFlow's tracing)
    best = [math.inf, math.inf]
    for _ in range(blocks):
        for side, fn in enumerate([np_fn, lambda: _materialize(tf_fn())]):
            time.sleep(0.05)
            for _ in range(repeats):
                start = time.perf_counter()
                fn()
                best[side] = min(best[side], time.perf_counter() - start)
    return best[0] * 1e3, best[1] * 1e3


def _materialize(result):
    """Bring TensorFlow's results back as NumPy arrays, as the NumPy side returns them."""
    items = result if isinstance(result, (list, tuple)) else [result]
    return [t.numpy() for t in items]


def _load():
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "unknown"


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="calls per block")
    parser.add_argument("--blocks", type=int, default=3, help="alternating blocks per side and shape (default: 3)")
    parser.add_argument("--batch", type=int, default=None,
                        help="at most this many examples per shape (default: each shape's own; 1 for a quick check)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    import keras
    import tensorflow as tf

    rng = np.random.default_rng(args.seed)
    suites = {"conv2d": conv_cases(tf, rng, args.batch), "max_pool2d": pool_cases(tf, rng, args.batch),
              "lstm": lstm_cases(tf, keras, rng, args.batch)}
    try:
        suites["attention"] = attention_cases(tf, rng, args.batch)
        import snippets.numpy_nn.attention  # noqa: F401  (fails here, not halfway, if it is missing)
    except ImportError:
        del suites["attention"]
        print("attention: snippets.numpy_nn.attention not found; skipped", file=sys.stderr)

    load_before = _load()
    rows, ratios = [], {}
    for name, cases in suites.items():
        for label, np_fwd, np_both, tf_fwd, tf_both in cases:
            fwd = race(np_fwd, tf_fwd, args.repeats, args.blocks)
            both = race(np_both, tf_both, args.repeats, args.blocks)
            ratios.setdefault(name, []).extend([fwd[0] / fwd[1], both[0] / both[1]])
            rows.append((name, label, *fwd, fwd[0] / fwd[1], *both, both[0] / both[1]))
            print(f"{name:10s} {label:60s} fwd {fwd[0] / fwd[1]:5.2f}x  fwd+bwd {both[0] / both[1]:5.2f}x", flush=True)

    lines = [
        "| primitive | shape | NumPy fwd ms | TF fwd ms | NumPy / TF "
        "| NumPy fwd+bwd ms | TF fwd+bwd ms | NumPy / TF |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [f"| `{r[0]}` | {r[1]} | {r[2]:.2f} | {r[3]:.2f} | {r[4]:.2f}x | {r[5]:.2f} | {r[6]:.2f} | "
              f"{r[7]:.2f}x |" for r in rows]
    lines += ["", "| primitive | geometric mean NumPy / TF | worst | goal | verdict |", "|---|---:|---:|---|---|"]
    for name, values in ratios.items():
        mean, worst, goal = geomean(values), max(values), GOALS[name]
        if goal is None:
            text, verdict = "none set", "n/a"
        else:
            text, verdict = f"mean ≤ {goal}x", "met" if mean <= goal else "**missed**"
        lines.append(f"| `{name}` | {mean:.2f}x | {worst:.2f}x | {text} | {verdict} |")
    lines += [
        "",
        f"Ratios below 1 mean NumPy is faster. Fastest call of {args.blocks} alternating blocks of {args.repeats} "
        "calls "
        "per shape and side, float32; TensorFlow inside `tf.function`, traced before timing; "
        "fwd+bwd is a forward pass and every gradient.",
        "",
        f"- CPU: {cpu_model()}, {os.cpu_count()} cores visible, shared with other work while this ran: "
        f"1-minute load average {load_before} before, {_load()} after (above the core count, every ratio is noisy)",
        f"- {versions(tf, keras)}",
        f"- Command: `{command('bench_primitives.py', argv)}`",
    ]
    write(args.output, lines)


if __name__ == "__main__":
    main()
