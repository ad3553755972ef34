"""A small capsule network (Sabour, Frosst and Hinton, 2017) with routing by agreement, in Keras."""

# --8<-- [start:layers]
import keras


def squash(s, axis=-1):
    """|s|^2 / (1 + |s|^2) * s / |s| with keras.ops; |s| gets a tiny epsilon
    so that its gradient exists at 0."""
    n2 = keras.ops.sum(keras.ops.square(s), axis=axis, keepdims=True)
    return s * (n2 / (1 + n2) * keras.ops.rsqrt(n2 + keras.config.epsilon()))


@keras.saving.register_keras_serializable(package="zoo")
class Squash(keras.layers.Layer):
    """The squash non-linearity as a layer, for the primary capsules."""

    def call(self, s):
        return squash(s)


@keras.saving.register_keras_serializable(package="zoo")
class CapsuleLayer(keras.layers.Layer):
    """Fully connected capsules with dynamic routing, as the NumPy
    ``dynamic_routing``: (batch, num_in, dim_in) lower capsules to
    (batch, num_capsules, dim_capsule) upper ones.
    """

    def __init__(self, num_capsules, dim_capsule, routings=3, **kwargs):
        super().__init__(**kwargs)
        for name, value in (("num_capsules", num_capsules),
                            ("dim_capsule", dim_capsule),
                            ("routings", routings)):
            if type(value) is not int or value < 1:  # bool is no count
                raise ValueError(f"CapsuleLayer expects a positive integer "
                                 f"{name}; received {name}={value!r}")
        self.num_capsules = num_capsules
        self.dim_capsule = dim_capsule
        self.routings = routings

    def build(self, input_shape):
        if len(input_shape) != 3:
            raise ValueError("CapsuleLayer expects inputs of shape (batch, "
                             f"num_in, dim_in); received {input_shape}")
        _, num_in, dim_in = input_shape
        self.kernel = self.add_weight(
            shape=(num_in, self.num_capsules, dim_in, self.dim_capsule),
            initializer="glorot_uniform", name="kernel")

    def call(self, u):
        u_hat = keras.ops.einsum("bid,ijde->bije", u, self.kernel)
        logits = keras.ops.zeros_like(u_hat[..., 0])
        for iteration in range(self.routings):
            c = keras.ops.softmax(logits, axis=-1)
            v = squash(keras.ops.einsum("bij,bijd->bjd", c, u_hat))
            if iteration < self.routings - 1:
                logits = logits + keras.ops.einsum("bijd,bjd->bij", u_hat, v)
        return v

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.num_capsules, self.dim_capsule)

    def get_config(self):
        return {
            **super().get_config(),
            "num_capsules": self.num_capsules,
            "dim_capsule": self.dim_capsule,
            "routings": self.routings,
        }


@keras.saving.register_keras_serializable(package="zoo")
class CapsuleProbabilities(keras.layers.Layer):
    """Capsule lengths |v_j|, normalized to sum to 1, so that the zoo's
    cross-entropy training applies."""

    def call(self, v):
        squares = keras.ops.sum(keras.ops.square(v), axis=-1)
        lengths = keras.ops.sqrt(squares + keras.config.epsilon())
        return lengths / keras.ops.sum(lengths, axis=-1, keepdims=True)


# --8<-- [end:layers]

# Tiny version on 8x8x1: conv 3*3*1*4+4 = 40 -> 6x6x4; primary caps conv 3*3*4*(2*2)+4 = 148, stride 2
# -> 2x2x4 = 2 types x 4 positions = 8 capsules of dim 2; capsule layer 8*3*2*4 = 192 (no bias).
# Total 40 + 148 + 192 = 380.
SMOKE = {
    "config": {
        "input_shape": (8, 8, 1),
        "num_classes": 3,
        "filters": 4,
        "primary_capsules": 2,
        "primary_dim": 2,
        "capsule_dim": 4,
    },
    "input_shape": (8, 8, 1),
    "num_classes": 3,
    "params": 380,
}


# --8<-- [start:model]
import keras


def build_capsnet(input_shape=(8, 8, 1), num_classes=10, filters=32,
                  primary_capsules=8, primary_dim=4, capsule_dim=8, routings=3):
    """Conv2D, a convolutional layer of primary capsules, and one class
    capsule per class, routed by agreement.

    With the defaults on 8x8x1 digits: 320 + 9,248 + 32*10*4*8 = 19,808
    parameters.

    Args:
        input_shape: ``(height, width, channels)`` of one image.
        num_classes: number of classes, one output capsule each.
        filters: filters of the first (relu) convolution.
        primary_capsules: capsule types of the primary capsule layer
            (each 3x3, stride 2).
        primary_dim: dimension of a primary capsule.
        capsule_dim: dimension of a class capsule.
        routings: routing iterations.

    Returns:
        An uncompiled ``keras.Model`` mapping images (batch, height, width,
        channels) to class probabilities (batch, num_classes): the class
        capsules' lengths, normalized.
    """
    if len(input_shape) != 3:
        raise ValueError("capsnet expects input_shape=(height, width, "
                         f"channels); received input_shape={input_shape}")
    inputs = keras.Input(shape=tuple(input_shape))
    x = keras.layers.Conv2D(filters, 3, activation="relu")(inputs)
    x = keras.layers.Conv2D(primary_capsules * primary_dim, 3, strides=2)(x)
    # every spatial position of every capsule type is one capsule
    x = keras.layers.Reshape((-1, primary_dim))(x)
    x = Squash(name="primary_capsules")(x)
    x = CapsuleLayer(num_classes, capsule_dim, routings=routings,
                     name="class_capsules")(x)
    outputs = CapsuleProbabilities(dtype="float32")(x)
    return keras.Model(inputs, outputs, name="capsnet")
# --8<-- [end:model]
