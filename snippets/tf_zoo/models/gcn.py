"""A graph convolutional network (Kipf and Welling, 2017) for node classification, in Keras."""

# --8<-- [start:layer]
import keras


@keras.saving.register_keras_serializable(package="zoo")
class GraphConv(keras.layers.Layer):
    """Graph convolution: activation(Â X W + b), Â = D^-1/2 (A + I) D^-1/2,
    as in ``numpy_nn.graph``.

    Called on ``[x, a]``: node features (batch, num_nodes, d_in) and
    adjacency (batch, num_nodes, num_nodes).
    """

    def __init__(self, units, activation=None, use_bias=True, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(units, int) or units < 1:
            raise ValueError("GraphConv expects a positive integer units; "
                             f"received units={units}")
        self.units = units
        self.activation = keras.activations.get(activation)
        self.use_bias = use_bias

    def build(self, input_shape):
        x_shape, a_shape = input_shape
        if len(x_shape) != 3 or len(a_shape) != 3:
            raise ValueError(
                "GraphConv expects [x, a] of shapes (batch, num_nodes, d_in)"
                " and (batch, num_nodes, num_nodes); "
                f"received {x_shape} and {a_shape}")
        self.kernel = self.add_weight(shape=(x_shape[-1], self.units),
                                      initializer="glorot_uniform",
                                      name="kernel")
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(shape=(self.units,),
                                        initializer="zeros", name="bias")

    def call(self, inputs):
        x, a = inputs
        a = keras.ops.cast(a, x.dtype)
        # Â X = D^-1/2 (A (D^-1/2 X) + D^-1/2 X), degrees 1 + row sums of A:
        # the same as with A + I, without building I
        degree = 1.0 + keras.ops.sum(a, axis=-1, keepdims=True)
        d_inv_sqrt = keras.ops.rsqrt(degree)
        scaled = d_inv_sqrt * x
        y = d_inv_sqrt * (keras.ops.matmul(a, scaled) + scaled)
        y = keras.ops.matmul(y, self.kernel)
        if self.use_bias:
            y = y + self.bias
        return self.activation(y)

    def compute_output_shape(self, input_shape):
        return (*input_shape[0][:-1], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": keras.activations.serialize(self.activation),
                "use_bias": self.use_bias}
# --8<-- [end:layer]

import numpy as np

# Tiny version on a 6-node graph with 5 features: GraphConv 5*4+4 = 24, GraphConv 4*3+3 = 15. Total 39.
SMOKE = {
    "config": {"num_nodes": 6, "num_features": 5, "num_classes": 3, "units": (4,)},
    "input_shape": (6, 5),
    "num_classes": 3,
    "params": 39,
}


def smoke_data(rng):
    """Two random undirected 6-node graphs with 5 features per node and a label per node."""
    a = (rng.random((2, 6, 6)) > 0.5).astype("float32")
    a = np.triu(a, 1)
    a = a + np.swapaxes(a, 1, 2)
    x = rng.normal(size=(2, 6, 5)).astype("float32")
    return (x, a), rng.integers(0, 3, size=(2, 6)).astype("int32")


# --8<-- [start:model]
import keras


def build_gcn(num_nodes=34, num_features=34, num_classes=2, units=(16,),
              dropout=0.0):
    """Stacked GraphConv layers (relu) and a softmax GraphConv that
    classifies every node.

    With the defaults (the karate club with one-hot node features):
    34*16+16 + 16*2+2 = 594 parameters.

    Args:
        num_nodes: nodes per graph (None for graphs of any size).
        num_features: features per node.
        num_classes: number of node classes.
        units: width of each hidden GraphConv.
        dropout: dropout rate on the node features before each GraphConv.

    Returns:
        An uncompiled ``keras.Model`` mapping ``[x (batch, num_nodes,
        num_features), a (batch, num_nodes, num_nodes)]`` to class
        probabilities (batch, num_nodes, num_classes).
    """
    x = features = keras.Input(shape=(num_nodes, num_features),
                               name="features")
    a = keras.Input(shape=(num_nodes, num_nodes), name="adjacency")
    for n in units:
        if dropout:
            x = keras.layers.Dropout(dropout)(x)
        x = GraphConv(n, activation="relu")([x, a])
    if dropout:
        x = keras.layers.Dropout(dropout)(x)
    x = GraphConv(num_classes)([x, a])
    outputs = keras.layers.Activation("softmax", dtype="float32")(x)
    return keras.Model([features, a], outputs, name="gcn")
# --8<-- [end:model]
