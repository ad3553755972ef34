"""Choosing where and how a model trains: the distribution strategy and the precision policy."""

import functools
import json
import os

import tensorflow as tf

STRATEGIES = ("auto", "cpu", "gpu", "mirrored", "multi_worker")
PRECISIONS = ("auto", "float32", "mixed_float16", "mixed_bfloat16")


def gpus():
    """The GPUs TensorFlow can see (an empty list on a CPU-only machine)."""
    return tf.config.list_physical_devices("GPU")


def make_strategy(name="auto"):
    """A ``tf.distribute.Strategy`` for ``name``.

    ``auto``: every visible GPU with ``MirroredStrategy`` if there are several, the one GPU if there is one,
    else the default (CPU) strategy. ``cpu``: the CPU even if GPUs exist. ``gpu``: the first GPU.
    ``mirrored``: synchronous data parallelism over all GPUs (or over logical CPU devices when there are
    at least two and no GPU, which is how the tests run it). ``multi_worker``: several machines, each
    described by the ``TF_CONFIG`` environment variable.

    Raises:
        ValueError: unknown name, a GPU strategy without a GPU, or ``multi_worker`` without ``TF_CONFIG``.
    """
    if name not in STRATEGIES:
        raise ValueError(f"unknown strategy {name!r}; expected one of: {', '.join(STRATEGIES)}")
    n_gpus = len(gpus())
    if name == "auto":
        name = "mirrored" if n_gpus > 1 else "gpu" if n_gpus == 1 else "cpu"
        if name == "cpu":
            return tf.distribute.get_strategy()  # the default strategy: no wrapping, no overhead
    if name == "cpu":
        return tf.distribute.OneDeviceStrategy("/cpu:0")
    if name == "gpu":
        if not n_gpus:
            raise ValueError("strategy='gpu' needs a GPU, but TensorFlow sees none; use strategy='cpu' or 'auto'")
        return tf.distribute.OneDeviceStrategy("/gpu:0")
    if name == "mirrored":
        devices = None if n_gpus else tuple(d.name for d in tf.config.list_logical_devices("CPU"))
        if devices is not None and len(devices) < 2:
            raise ValueError("strategy='mirrored' needs GPUs (or several logical CPU devices), but TensorFlow "
                             "sees no GPU; use strategy='cpu' or 'auto'")
        return _collective(devices)
    if "TF_CONFIG" not in os.environ:
        raise ValueError("strategy='multi_worker' needs the TF_CONFIG environment variable describing the "
                         "cluster and this worker's task; received no TF_CONFIG")
    json.loads(os.environ["TF_CONFIG"])  # fail here, clearly, on malformed JSON
    return _collective("multi_worker")


@functools.cache
def _collective(devices):
    """One strategy per process and device set: two MirroredStrategy objects in one process can give their
    all-reduces the same collective keys and abort with a shape mismatch."""
    if devices == "multi_worker":
        return tf.distribute.MultiWorkerMirroredStrategy()
    return tf.distribute.MirroredStrategy(list(devices) if devices else None)


def resolve_precision(name="auto"):
    """The Keras dtype policy name for ``name``: ``auto`` is ``mixed_float16`` on a GPU, else ``float32``.

    Raises:
        ValueError: unknown name, or ``mixed_float16`` without a GPU (CPUs have no fast float16 maths).
    """
    if name not in PRECISIONS:
        raise ValueError(f"unknown precision {name!r}; expected one of: {', '.join(PRECISIONS)}")
    if name == "auto":
        return "mixed_float16" if gpus() else "float32"
    if name == "mixed_float16" and not gpus():
        raise ValueError("precision='mixed_float16' needs a GPU, but TensorFlow sees none; "
                         "use 'mixed_bfloat16' or 'float32' on a CPU")
    return name


def resolve_jit(jit_compile="auto"):
    """XLA on or off: ``auto`` compiles on a GPU, where it fuses kernels, and not on a CPU, where it was
    measured to slow small models down (benchmarks/results/zoo.md)."""
    if jit_compile == "auto":
        return bool(gpus())
    if not isinstance(jit_compile, bool):
        raise ValueError(f"jit_compile must be True, False or 'auto'; received jit_compile={jit_compile!r}")
    return jit_compile
