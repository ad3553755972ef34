"""How each section of snippets/tf_zoo/datasets.py is used when copied alone."""

USES = {
    "digits": """
import numpy as np

(x_train, y_train), (x_test, y_test) = digits_arrays(seed=0)
assert x_train.shape == (1437, 64) and x_test.shape == (360, 64)
assert x_train.dtype == np.float32 and 0.0 <= x_train.min() <= x_train.max() <= 1.0
assert set(np.unique(y_test)) == set(range(10))
(x_a, _), _ = digits_arrays(seed=0, test_size=0.25)
assert x_a.shape == (1347, 64)
""",
    "pipeline": """
import numpy as np

x = np.arange(10, dtype="float32").reshape(5, 2)
y = np.arange(5)
batches = [(bx.numpy(), by.numpy()) for bx, by in pipeline(x, y, batch_size=2)]
assert [len(by) for _, by in batches] == [2, 2, 1]
assert np.array_equal(np.concatenate([bx for bx, _ in batches]), x)  # in order
shuffled = np.concatenate([by.numpy() for _, by in pipeline(x, y, 2, shuffle_seed=0)])
assert sorted(shuffled.tolist()) == [0, 1, 2, 3, 4]
""",
    "mnist1d": """
import mnist1d.data

# Generating the 5,000 sequences takes seconds, and a fresh generation repeats the arrays (seeded; checked by
# test_mnist1d_leaves_the_global_generators_alone in tests/tf_zoo/test_datasets.py): the second call reuses them.
generated, make_dataset = [], mnist1d.data.make_dataset


def make_once(args):
    if not generated:
        generated.append(make_dataset(args))
    return generated[0]


mnist1d.data.make_dataset = make_once  # what mnist1d_arrays imports when called
(x, y), (x_test, y_test) = mnist1d_arrays()
assert x.shape == (4000, 40) and x_test.shape == (1000, 40)
assert x.dtype == np.float32 and sorted(set(y.tolist())) == list(range(10))
(xs, ys), _ = mnist1d_arrays(shuffled=True)
assert (ys == y).all() and not np.allclose(xs, x)
assert np.allclose(np.sort(xs, axis=1), np.sort(x, axis=1))  # same values, moved
""",
}
NEEDS = {}
