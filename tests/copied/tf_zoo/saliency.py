"""How each section of snippets/tf_zoo/saliency.py is used when copied alone."""

USES = {
    "saliency": """
import keras

keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Flatten(),
                          keras.layers.Dense(3, activation="softmax")])
images = np.random.default_rng(0).random((2, 4, 4, 1)).astype("float32")
maps, predicted = saliency(model, images)
assert maps.shape == (2, 4, 4) and (maps >= 0).all() and maps.any()
assert predicted.shape == (2,)
""",
}
