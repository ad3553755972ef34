"""One module per model (or family of models); ``snippets.tf_zoo.registry.MODELS`` names them.

The convention every model module follows (``tests/tf_zoo/test_models.py`` checks every model of the
registry's table through it):

* ``def build_<name>(...) -> keras.Model``: uncompiled, written with ``keras.layers`` and ``keras.ops`` only
  (never ``import tensorflow``: the model must run on any Keras backend), importing nothing from this
  package, so the code a page shows runs when copied alone. Every argument has a default, so
  ``build_model("<name>")`` works. One line in ``registry.MODELS`` makes it a zoo model: for each kind of
  input it reads (``registry.KINDS``), the module, the builder and any fixed arguments
  (``lstm``, ``gru`` and ``bilstm`` are ``recurrent.build_recurrent`` with ``cell``/``bidirectional`` fixed).
* The model outputs class probabilities of shape ``y.shape + (num_classes,)`` (softmax) from an output
  layer created with ``dtype="float32"``, so mixed precision keeps the softmax and the loss in float32.
  It trains with ``sparse_categorical_crossentropy``.
* Image, vector and float-sequence models take ``input_shape`` and ``num_classes``; token models take
  ``vocab_size`` and ``num_classes`` (and optionally ``sequence_length``). The training entry point uses
  these names to build a model for a dataset.
* A module-level ``SMOKE`` dict describes a tiny version for the tests (a module holding several zoo
  models keys it by model name: ``SMOKE = {"lstm": {...}, "gru": {...}}``)::

      SMOKE = {
          "config": {...},        # builder kwargs for a tiny model
          "input_shape": (8,),    # shape of one example, without the batch axis
          "num_classes": 3,       # labels are drawn from range(num_classes)
          "params": 219,          # exact model.count_params(), derived by a formula in a comment
          "vocab_size": 20,       # optional: inputs are int32 tokens in [1, vocab_size) instead of N(0, 1)
      }

* Models whose inputs are not ``(x, y)`` batches of independent examples (e.g. one whole graph) also define
  ``smoke_data(rng) -> (x, y)``: ``x`` is whatever ``model(x)`` takes (an array or a tuple of arrays),
  ``y`` int labels with ``model(x).shape == y.shape + (num_classes,)``. The tests then use it instead of
  the default (16 examples of ``input_shape``). Its batch axis must have an even size (>= 2) so the
  two-replica MirroredStrategy test can split it.
"""
