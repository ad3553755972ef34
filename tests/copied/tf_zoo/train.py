"""How each section of snippets/tf_zoo/train.py is used when copied alone."""

USES = {
    "compile_in_scope": """
import numpy as np
import tensorflow as tf


def build():
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(3),
                             keras.layers.Dense(2, activation="softmax",
                                                dtype="float32")])


model = compile_in_scope(build, tf.distribute.get_strategy(),
                         "mixed_bfloat16", lr=0.5)
assert model.layers[0].compute_dtype == "bfloat16"
assert model.layers[1].compute_dtype == "float32"
assert keras.mixed_precision.global_policy().name == "float32"  # restored
x = np.random.default_rng(0).normal(size=(16, 4)).astype("float32")
history = model.fit(x, (x[:, 0] > 0).astype("int32"), epochs=2, verbose=0)
assert np.isfinite(history.history["loss"]).all()
""",
    "distributed_step": """
import numpy as np

strategy = tf.distribute.get_strategy()  # one replica; the same code runs many
with strategy.scope():
    model = keras.Sequential([keras.Input((3,)),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(0.1),
                  loss="sparse_categorical_crossentropy")
train_step = make_step(model, strategy)
measure = make_step(model, strategy, training=False)
x = np.random.default_rng(0).normal(size=(32, 3)).astype("float32")
y = (x[:, 0] > 0).astype("int32")
batches = tf.data.Dataset.from_tensor_slices((x, y)).batch(8)
batches = strategy.experimental_distribute_dataset(batches)
loss_before, _, count = (float(v) for v in measure(x, y))
for epoch in range(10):
    for x_batch, y_batch in batches:
        train_step(x_batch, y_batch)
loss_after, correct, _ = (float(v) for v in measure(x, y))
assert count == 32 and loss_after < loss_before and correct > 24
""",
}
NEEDS = {}
