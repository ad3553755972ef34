"""grid_search: one run per combination, scored on validation, reproducible, the grid's keys routed right."""

import numpy as np

from snippets.tf_zoo.datasets import digits_arrays
from snippets.tf_zoo.models.mlp import build_mlp
from snippets.tf_zoo.tuning import grid_search


def test_grid_search_runs_every_combination_in_grid_order_and_is_reproducible():
    (x, y), _ = digits_arrays()
    x_train, y_train, x_val, y_val = x[:300], y[:300], x[300:500], y[300:500]
    grid = {"lr": [1e-3, 1e-2], "hidden_units": [(8,), (32,)], "batch_size": [64]}
    results = grid_search(build_mlp, grid, x_train, y_train, x_val, y_val, epochs=3)
    assert [(r["lr"], r["hidden_units"]) for r in results] == [
        (1e-3, (8,)), (1e-3, (32,)), (1e-2, (8,)), (1e-2, (32,))]
    for r in results:
        assert 1 <= r["best_epoch"] <= 3 and 0.0 <= r["val_accuracy"] <= 1.0
    best = max(results, key=lambda r: r["val_accuracy"])
    assert best["lr"] == 1e-2 and best["val_accuracy"] > 0.7  # 3 epochs at 0.001 are too few here
    again = grid_search(build_mlp, {"lr": [1e-2], "hidden_units": [(32,)], "batch_size": [64]},
                        x_train, y_train, x_val, y_val, epochs=3)
    np.testing.assert_allclose(again[0]["val_accuracy"], results[3]["val_accuracy"])


def test_epochs_in_the_grid_override_the_default():
    (x, y), _ = digits_arrays()
    seen = []

    def build(**config):
        seen.append(sorted(config))
        return build_mlp(**config)

    results = grid_search(build, {"epochs": [1, 2], "dropout": [0.0]}, x[:100], y[:100], x[100:150], y[100:150])
    assert [r["best_epoch"] <= r["epochs"] for r in results] == [True, True]
    assert seen == [["dropout", "input_shape", "num_classes"]] * 2  # lr/batch_size/epochs never reach build
