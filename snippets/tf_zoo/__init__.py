"""A Keras 3 model zoo: builders written with keras.layers and keras.ops, trained by one entry point.

    from snippets.tf_zoo import list_models, build_model
    model = build_model("mlp")
"""

from snippets.tf_zoo.registry import build_model, list_models

__all__ = ["build_model", "list_models"]
