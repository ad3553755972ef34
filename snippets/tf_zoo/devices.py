"""Choosing where and how a model trains: strategy and precision policy."""

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

    ``auto``: ``MirroredStrategy`` over every GPU if there are several, the
    one GPU if there is one, else the default (CPU) strategy. ``cpu``: the
    CPU even if GPUs exist. ``gpu``: the first GPU. ``mirrored``: synchronous
    data parallelism over all GPUs (or over logical CPU devices when there
    are at least two and no GPU, which is how the tests run it).
    ``multi_worker``: several machines, each described by the ``TF_CONFIG``
    environment variable.

    Raises:
        ValueError: unknown name, a GPU strategy without a GPU, or
            ``multi_worker`` without a valid ``TF_CONFIG``.
    """
    if name not in STRATEGIES:
        raise ValueError(f"unknown strategy {name!r}; expected one of: "
                         f"{', '.join(STRATEGIES)}")
    n_gpus = len(gpus())
    if name == "auto":
        name = "mirrored" if n_gpus > 1 else "gpu" if n_gpus == 1 else "cpu"
        if name == "cpu":
            return tf.distribute.get_strategy()  # the default: no wrapping
    if name == "cpu":
        return tf.distribute.OneDeviceStrategy("/cpu:0")
    if name == "gpu":
        if not n_gpus:
            raise ValueError("strategy='gpu' needs a GPU, but TensorFlow "
                             "sees none; use strategy='cpu' or 'auto'")
        return tf.distribute.OneDeviceStrategy("/gpu:0")
    if name == "mirrored":
        cpus = tf.config.list_logical_devices("CPU")
        devices = None if n_gpus else tuple(d.name for d in cpus)
        if devices is not None and len(devices) < 2:
            raise ValueError("strategy='mirrored' needs GPUs (or several "
                             "logical CPU devices), but TensorFlow sees no "
                             "GPU; use strategy='cpu' or 'auto'")
        return _collective(devices)
    cluster_spec(os.environ.get("TF_CONFIG"))  # fail here, clearly
    return _collective("multi_worker")


def cluster_spec(tf_config):
    """The workers and this task of ``TF_CONFIG`` (a JSON string), checked.

    Returns:
        ``(workers, index)``: the list of ``"host:port"`` and this worker's
        position in it.
    """
    example = ('e.g. {"cluster": {"worker": ["host1:12345", "host2:12345"]},'
               ' "task": {"type": "worker", "index": 0}}')
    if not tf_config:
        raise ValueError("strategy='multi_worker' needs the TF_CONFIG "
                         "environment variable describing the cluster and "
                         f"this worker's task, {example}; received none")
    try:
        config = json.loads(tf_config)
    except json.JSONDecodeError as error:
        raise ValueError(f"TF_CONFIG is not valid JSON ({error}); expected "
                         f"{example}; received {tf_config!r}") from None
    if not isinstance(config, dict):
        config = {}
    cluster, task = config.get("cluster"), config.get("task")
    workers = cluster.get("worker") if isinstance(cluster, dict) else None
    if not (isinstance(workers, list) and workers
            and all(isinstance(w, str) and ":" in w for w in workers)):
        raise ValueError("TF_CONFIG needs a 'cluster' with a list of "
                         f"'worker' addresses, {example}; received "
                         f"{tf_config!r}")
    index = task.get("index") if isinstance(task, dict) else None
    if (not isinstance(task, dict) or task.get("type") != "worker"
            or not isinstance(index, int) or not 0 <= index < len(workers)):
        raise ValueError("TF_CONFIG needs a 'task' of type 'worker' with an "
                         f"index below {len(workers)}, {example}; "
                         f"received {tf_config!r}")
    return workers, index


@functools.cache
def _collective(devices):
    """One strategy per process and device set: two MirroredStrategy objects
    in one process can give their all-reduces the same collective keys."""
    if devices == "multi_worker":
        return tf.distribute.MultiWorkerMirroredStrategy()
    return tf.distribute.MirroredStrategy(list(devices) if devices else None)


def describe(strategy):
    """A strategy in words: ``"cpu"``, ``"gpu"``, ``"mirrored over 2
    devices"`` or ``"multi_worker over 2 workers"``."""
    if isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy):
        workers = len(strategy.cluster_resolver.cluster_spec().as_dict()
                      .get("worker", [])) or 1
        return f"multi_worker over {workers} workers"
    if isinstance(strategy, tf.distribute.MirroredStrategy):
        return f"mirrored over {strategy.num_replicas_in_sync} devices"
    if isinstance(strategy, tf.distribute.OneDeviceStrategy):
        device = strategy.extended.worker_devices[0]
        return "gpu" if "GPU" in device.upper() else "cpu"
    return "gpu" if gpus() else "cpu"  # the default strategy: one device


def resolve_precision(name="auto"):
    """The Keras dtype policy name for ``name``: ``auto`` is
    ``mixed_float16`` on a GPU, else ``float32``.

    Raises:
        ValueError: unknown name, or ``mixed_float16`` without a GPU (CPUs
            have no fast float16 maths).
    """
    if name not in PRECISIONS:
        raise ValueError(f"unknown precision {name!r}; expected one of: "
                         f"{', '.join(PRECISIONS)}")
    if name == "auto":
        return "mixed_float16" if gpus() else "float32"
    if name == "mixed_float16" and not gpus():
        raise ValueError("precision='mixed_float16' needs a GPU, but "
                         "TensorFlow sees none; use 'mixed_bfloat16' or "
                         "'float32' on a CPU")
    return name


def resolve_jit(jit_compile="auto"):
    """XLA on or off: ``auto`` compiles on a GPU, where it fuses kernels, and
    not on a CPU, where it slowed small models down
    (benchmarks/results/zoo.md)."""
    if jit_compile == "auto":
        return bool(gpus())
    if not isinstance(jit_compile, bool):
        raise ValueError("jit_compile must be True, False or 'auto'; "
                         f"received jit_compile={jit_compile!r}")
    return jit_compile
