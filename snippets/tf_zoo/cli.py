"""Command line: ``python -m snippets.tf_zoo list | train NAME | export MODEL.keras``.

Every argument is parsed and checked before TensorFlow is imported, so ``--help`` and a typo answer at once;
TensorFlow (and everything that imports it) is imported inside the functions that train or export.
"""

import argparse
import contextlib
import math
import os
import pathlib
import re
import sys

from snippets.tf_zoo import registry

# What the CLI offers, without importing TensorFlow (tests/tf_zoo/test_cli.py checks these tables against
# datasets.py and devices.py): dataset name -> (kind of input, offline alternative or None if offline).
DATASETS = {
    "digits": ("image", None),
    "shapes": ("image", None),
    "sentiment": ("tokens", None),
    "mnist1d": ("sequence", None),
    "mnist1d-shuffled": ("sequence", None),
    "mnist": ("image", "digits"),
    "cifar10": ("image", "shapes"),
    "imdb": ("tokens", "sentiment"),
}
STRATEGIES = ("auto", "cpu", "gpu", "mirrored", "multi_worker")
PRECISIONS = ("auto", "float32", "mixed_float16", "mixed_bfloat16")
TFLITE = ("float", "dynamic", "int8")


def datasets_for(name):
    """The datasets model ``name`` reads, offline ones first."""
    kinds = registry.reads(name)
    return [d for d, (kind, _) in DATASETS.items() if kind in kinds]  # DATASETS lists the offline ones first


def trainable_models():
    """The zoo models that some dataset of ``DATASETS`` fits, offline (the ones the CLI lists and trains)."""
    return [name for name in registry.list_models()
            if any(DATASETS[d][1] is None for d in datasets_for(name))]


def check_output(output):
    """``output`` as a writable directory (created if missing); ValueError if it is a file, lies under a file
    or cannot be written."""
    out = pathlib.Path(output)
    for parent in [out, *out.parents]:
        if parent.exists():
            if not parent.is_dir():
                where = "is a file" if parent == out else f"lies under {parent}, which is a file"
                raise ValueError(f"output must be a directory; received {str(out)!r}, which {where}")
            if not os.access(parent, os.W_OK | os.X_OK):
                raise ValueError(f"output must be a writable directory; received {str(out)!r}, but {parent} "
                                 "is not writable")
            break
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ValueError(f"output must be a writable directory; received {str(out)!r} ({error})") from None
    return out


@contextlib.contextmanager
def _stderr_to_devnull(quiet=True):
    """Send the process's stderr (file descriptor 2, where TensorFlow's C++ code writes) to /dev/null."""
    if not quiet:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def quiet_tensorflow(verbose=False):
    """Import TensorFlow without its C++ start-up lines (unless ``verbose``).

    ``TF_CPP_MIN_LOG_LEVEL`` silences its later logs, but a few lines (oneDNN, CUDA drivers) are printed
    before TensorFlow reads it, so the import itself runs with the process's stderr sent to /dev/null.
    """
    if not verbose:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    with _stderr_to_devnull(not verbose and "tensorflow" not in sys.modules):
        import absl.logging
        import tensorflow as tf
    if not verbose:
        absl.logging.set_verbosity(absl.logging.ERROR)
        tf.get_logger().setLevel("ERROR")  # e.g. retracing notes when one process trains several models
    return tf


def _number(kind, minimum_text, accept):
    """An argparse type: ``kind`` (int or float) that ``accept`` approves, else a one-line usage error."""
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {minimum_text}; received {text!r}") from None
        if not accept(value):
            raise argparse.ArgumentTypeError(f"expected {minimum_text}; received {text}")
        return value

    return parse


POSITIVE_INT = _number(int, "an integer >= 1", lambda v: v >= 1)
POSITIVE_FLOAT = _number(float, "a finite number > 0", lambda v: math.isfinite(v) and v > 0)
SEED = _number(int, "an integer in [0, 2**32)", lambda v: 0 <= v < 2**32)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line (and exit code 2), without the usage text."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def parser():
    """The argument parser of ``python -m snippets.tf_zoo``."""
    p = _Parser(prog="python -m snippets.tf_zoo",
                                description="Train and export the Keras models of the snippets zoo.")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="print every model, what it reads and the datasets it fits",
                   description="Print every model, what it reads and the datasets it fits.")
    t = sub.add_parser("train", help="train a model and save it as OUTPUT/NAME.keras",
                       description="Train a zoo model on a dataset; prints progress and the test metrics "
                                   "and writes OUTPUT/NAME.keras (after every epoch and at the end).")
    t.add_argument("name", metavar="NAME", help="a model name from `list`")
    t.add_argument("--dataset", default="digits", choices=DATASETS, metavar="DATASET",
                   help="training data (default: digits): " + ", ".join(DATASETS)
                        + "; mnist, cifar10 and imdb need a download")
    t.add_argument("--epochs", type=POSITIVE_INT, default=5, help="passes over the training set (default: 5)")
    t.add_argument("--batch-size", type=POSITIVE_INT, default=32, help="global batch size (default: 32)")
    t.add_argument("--strategy", default="auto", choices=STRATEGIES, metavar="STRATEGY",
                   help="auto (all GPUs, one GPU or the CPU), cpu, gpu, mirrored (all GPUs) or multi_worker "
                        "(the machines in TF_CONFIG) (default: auto)")
    t.add_argument("--precision", default="auto", choices=PRECISIONS, metavar="PRECISION",
                   help="auto (mixed_float16 on a GPU, float32 on a CPU), float32, mixed_float16 or "
                        "mixed_bfloat16 (default: auto)")
    t.add_argument("--jit", default="auto", choices=("auto", "on", "off"), metavar="{auto,on,off}",
                   help="XLA compilation; auto: on for a GPU, off for a CPU (default: auto)")
    t.add_argument("--lr", type=POSITIVE_FLOAT, default=1e-3, help="Adam learning rate (default: 0.001)")
    t.add_argument("--early-stopping", type=POSITIVE_INT, default=None, metavar="PATIENCE",
                   help="stop after PATIENCE epochs without a better val_loss (default: off)")
    t.add_argument("--seed", type=SEED, default=0, help="random seed (default: 0)")
    t.add_argument("--output", default=".", help="directory for NAME.keras (default: .)")
    t.add_argument("--verbose", action="store_true", help="show TensorFlow's own log lines")
    e = sub.add_parser("export", help="write a .keras model as a SavedModel and as TFLite files",
                       description="Write MODEL.keras as OUTPUT/NAME_saved_model/ (TensorFlow Serving) and "
                                   "OUTPUT/NAME.tflite, NAME-dynamic.tflite, NAME-int8.tflite.")
    e.add_argument("model", metavar="MODEL.keras", help="a model saved by `train`")
    e.add_argument("--output", default=".", help="directory for the exports (default: .)")
    e.add_argument("--tflite", nargs="*", default=list(TFLITE), choices=TFLITE, metavar="KIND",
                   help="TFLite versions: float, dynamic (int8 weights), int8 (int8 weights and "
                        "activations, calibrated on --dataset) (default: all three)")
    e.add_argument("--dataset", choices=DATASETS, metavar="DATASET",
                   help="the data the model was trained on, to calibrate int8 (default: digits)")
    e.add_argument("--verbose", action="store_true", help="show TensorFlow's own log lines")
    return p


def _check_train(p, args):
    if args.name not in registry.list_models():
        p.error(f"unknown model {args.name!r}; expected one of: {', '.join(trainable_models())}")
    fits = datasets_for(args.name)
    if args.name not in trainable_models():
        p.error(f"model {args.name!r} has no offline dataset in this CLI; train it from Python")
    if args.dataset not in fits:
        kind = DATASETS[args.dataset][0]
        models = [m for m in trainable_models() if kind in registry.reads(m)]
        p.error(f"model {args.name!r} does not fit --dataset {args.dataset}: it reads "
                f"{' or '.join(registry.reads(args.name))} inputs, {args.dataset} holds {kind} inputs; try "
                f"--dataset {fits[0]} (models for {args.dataset}: {', '.join(models)})")
    if args.strategy == "multi_worker" and not os.environ.get("TF_CONFIG"):
        p.error("--strategy multi_worker needs the TF_CONFIG environment variable describing the cluster "
                "and this worker's task; received none")


def _list():
    print(f"{'model':<12} {'reads':<9} datasets (* needs a download)")
    for name in trainable_models():
        shown = False
        for kind in registry.reads(name):
            names = [d + ("*" if DATASETS[d][1] else "") for d in datasets_for(name) if DATASETS[d][0] == kind]
            if names:
                print(f"{'' if shown else name:<12} {kind:<9} {', '.join(names)}")
                shown = True
    return 0


def _as_flags(error):
    """An error of the Python API in the flags a user types: ``strategy='cpu'`` -> ``--strategy cpu``."""
    return re.sub(r"\b(strategy|precision|dataset)='([-\w]+)'", r"--\1 \2", str(error))


def _metrics_line(logs):
    """``loss 0.1234, accuracy 0.9500, val_loss ...``: losses first, validation after training."""
    names = sorted(logs, key=lambda k: (k.startswith("val_"), k.removeprefix("val_") != "loss", k))
    return ", ".join(f"{k} {logs[k]:.4f}" for k in names)


def _epoch_lines():
    """A Keras callback printing one plain line per epoch (for pipes and logs: no bar, no timings)."""
    import keras

    class EpochLines(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            print(f"epoch {epoch + 1}/{self.params['epochs']}: {_metrics_line(logs or {})}", flush=True)

    return EpochLines()


def _train(p, args):
    quiet_tensorflow(args.verbose)
    from snippets.tf_zoo import datasets
    from snippets.tf_zoo.train import train

    terminal = sys.stdout.isatty()  # a progress bar on a terminal, one plain line per epoch otherwise
    jit = {"auto": "auto", "on": True, "off": False}[args.jit]
    try:
        result = train(args.name, args.dataset, epochs=args.epochs, batch_size=args.batch_size,
                       strategy=args.strategy, precision=args.precision, jit_compile=jit, lr=args.lr,
                       early_stopping=args.early_stopping, seed=args.seed, output=args.output,
                       verbose=1 if terminal else 0, callbacks=() if terminal else (_epoch_lines(),))
    except datasets.DatasetUnavailableError:
        p.exit(2, f"{p.prog}: error: dataset {args.dataset!r} must be downloaded, but the download host is "
                  f"unreachable (offline); use --dataset {DATASETS[args.dataset][1]}, which needs no download\n")
    except ValueError as error:
        p.exit(2, f"{p.prog}: error: {_as_flags(error)}\n")
    print(f"strategy: {result.strategy}, precision: {result.precision}")
    print(f"test: {_metrics_line(result.metrics)}")
    if result.path is not None:
        print(f"saved {result.path}")
    return 0


def _check_export(p, args):
    model_path = pathlib.Path(args.model)
    if model_path.suffix != ".keras" or not model_path.is_file():
        p.error(f"MODEL.keras must be a .keras file; received {args.model!r}"
                + ("" if model_path.is_file() else ", which does not exist"))
    if "int8" in args.tflite and args.dataset is None:
        args.dataset = "digits"


def _export(p, args):
    model_path = pathlib.Path(args.model)
    quiet_tensorflow(args.verbose)
    import keras

    from snippets.tf_zoo import datasets, export

    out = args.output
    try:
        model = keras.models.load_model(model_path)
        stem = model_path.stem
        directory = export.export_saved_model(model, out / f"{stem}_saved_model")
        print(f"saved {directory}")
        calibration = None
        if "int8" in args.tflite:
            (x, _), _ = datasets.load_arrays(args.dataset)
            calibration = x[:200]
        for kind in args.tflite:
            try:
                with _stderr_to_devnull(not args.verbose):  # the int8 converter prints its settings
                    flat = export.to_tflite(model, None if kind == "float" else kind, calibration)
            except ValueError:
                raise
            except Exception as error:  # the converter's own errors: many lines of MLIR
                print(f"{p.prog}: error: TFLite's built-in operations cannot express {stem} "
                      f"({type(error).__name__}; recurrent layers, for one, need TensorFlow's own ops); "
                      "the SavedModel above is complete", file=sys.stderr)
                return 1
            path = out / (f"{stem}.tflite" if kind == "float" else f"{stem}-{kind}.tflite")
            path.write_bytes(flat)
            print(f"saved {path} ({len(flat) / 1024:.1f} KiB)")
    except datasets.DatasetUnavailableError:
        p.exit(2, f"{p.prog}: error: dataset {args.dataset!r} must be downloaded, but the download host is "
                  f"unreachable (offline); use --dataset {DATASETS[args.dataset][1]}, which needs no download\n")
    except ValueError as error:
        p.exit(2, f"{p.prog}: error: {error}\n")
    return 0


def main(argv=None):
    """Run the command line; returns the exit code (2 for bad arguments, with one line on stderr)."""
    p = parser()
    args = p.parse_args(argv)
    if args.command == "list":
        return _list()
    if args.command == "train":
        _check_train(p, args)
    else:
        _check_export(p, args)
    try:
        args.output = check_output(args.output)
    except ValueError as error:
        p.error(f"--output: {error}")
    return _train(p, args) if args.command == "train" else _export(p, args)


if __name__ == "__main__":
    sys.exit(main())
