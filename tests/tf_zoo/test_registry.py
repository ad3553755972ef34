"""The registry: names map to builders; defining a builder again is harmless, a clash is an error."""

import pytest

from snippets.tf_zoo import build_model, list_models
from snippets.tf_zoo.registry import get_builder, register


def test_lists_the_article_models_and_rejects_unknown_names():
    assert {"mlp", "cnn", "lstm", "gru", "transformer", "resnet"} <= set(list_models())
    with pytest.raises(ValueError, match="unknown model 'perceptron'; expected one of: .*mlp"):
        build_model("perceptron")


def test_running_a_builders_code_again_keeps_the_registered_one():
    original = get_builder("mlp")

    @register("mlp")
    def build_mlp():  # what a page or notebook does when it runs the included builder
        raise AssertionError("must not replace the registered builder")

    assert get_builder("mlp") is original


def test_a_different_function_under_a_taken_name_is_rejected():
    with pytest.raises(ValueError, match="already registered"):

        @register("mlp")
        def build_something_else():
            pass
