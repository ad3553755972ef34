"""Command line: ``python -m snippets.tf_zoo list`` and ``python -m snippets.tf_zoo train NAME ...``."""

import argparse
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def parser():
    """The argument parser of ``python -m snippets.tf_zoo``."""
    from snippets.tf_zoo import datasets, devices

    p = argparse.ArgumentParser(prog="python -m snippets.tf_zoo",
                                description="Build and train the Keras models of the snippets zoo.")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="print every registered model with its parameter count (default config)")
    t = sub.add_parser("train", help="train a model and save it as NAME.keras",
                       description="Train a zoo model on a dataset; prints the final metrics and writes "
                                   "OUTPUT/NAME.keras.")
    t.add_argument("name", help="a model name from `list`")
    t.add_argument("--dataset", default="digits", choices=datasets.NAMES,
                   help="training data (default: digits); mnist, cifar10 and imdb need a download, the "
                        "others work offline")
    t.add_argument("--epochs", type=int, default=5, help="passes over the training set (default: 5)")
    t.add_argument("--batch-size", type=int, default=32, help="global batch size (default: 32)")
    t.add_argument("--strategy", default="auto", choices=devices.STRATEGIES,
                   help="auto: all GPUs, one GPU or the CPU; mirrored: all GPUs; multi_worker: machines "
                        "in TF_CONFIG (default: auto)")
    t.add_argument("--precision", default="auto", choices=devices.PRECISIONS,
                   help="auto: mixed_float16 on a GPU, float32 on a CPU (default: auto)")
    t.add_argument("--jit", default="auto", choices=("auto", "on", "off"),
                   help="XLA compilation; auto: on for a GPU, off for a CPU (default: auto)")
    t.add_argument("--lr", type=float, default=1e-3, help="Adam learning rate (default: 0.001)")
    t.add_argument("--early-stopping", type=int, default=None, metavar="PATIENCE",
                   help="stop after PATIENCE epochs without a better val_loss (default: off)")
    t.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    t.add_argument("--output", default=".", help="directory for NAME.keras, checkpoints, logs (default: .)")
    return p


def main(argv=None):
    """Run the command line; returns the exit code (2 for bad arguments)."""
    p = parser()
    args = p.parse_args(argv)
    from snippets.tf_zoo import build_model, list_models

    if args.command == "list":
        for name in list_models():
            print(f"{name:<12} {build_model(name).count_params():>12,} parameters")
        return 0

    from snippets.tf_zoo.datasets import DatasetUnavailableError
    from snippets.tf_zoo.train import train

    if args.name not in list_models():
        p.exit(2, f"error: unknown model {args.name!r}; expected one of: {', '.join(list_models())}\n")
    if args.epochs < 1 or args.batch_size < 1:
        p.exit(2, f"error: --epochs and --batch-size must be >= 1; received {args.epochs} and {args.batch_size}\n")
    jit = {"auto": "auto", "on": True, "off": False}[args.jit]
    try:
        result = train(args.name, args.dataset, epochs=args.epochs, batch_size=args.batch_size,
                       strategy=args.strategy, precision=args.precision, jit_compile=jit, lr=args.lr,
                       early_stopping=args.early_stopping, seed=args.seed, output=args.output, verbose=1)
    except (ValueError, DatasetUnavailableError) as error:
        p.exit(2, f"error: {error}\n")
    print(f"strategy: {result.strategy}, precision: {result.precision}")
    print("test " + ", ".join(f"{k}: {v:.4f}" for k, v in result.metrics.items()))
    print(f"saved {result.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
