"""How each section of snippets/tf_zoo/models/resnet.py is used when copied alone."""

USES = {
    "residual_block": """
import numpy as np

inputs = keras.Input((8, 8, 4))
same = residual_block(inputs, 4)               # identity shortcut
down = residual_block(same, 8, strides=2)      # 1x1 projection shortcut
assert tuple(same.shape) == (None, 8, 8, 4)
assert tuple(down.shape) == (None, 4, 4, 8)
assert tuple(conv_bn(inputs, 6, 3).shape) == (None, 8, 8, 6)
model = keras.Model(inputs, down)
y = keras.ops.convert_to_numpy(model(np.ones((2, 8, 8, 4), "float32")))
assert y.shape == (2, 4, 4, 8) and np.all(y >= 0)  # after the final ReLU
""",
}
NEEDS = {}
