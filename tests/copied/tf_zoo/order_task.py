"""How each section of snippets/tf_zoo/order_task.py is used when copied alone."""

USES = {
    "order_data": """
x, y = order_data(200, length=6, seed=0)
assert x.shape == (200, 6) and set(np.unique(y)) == {0, 1}
assert ((x == 1).sum(1) == 1).all() and ((x == 2).sum(1) == 1).all()
first = (x == 1).argmax(1) < (x == 2).argmax(1)
assert (first == (y == 1)).all()
""",
}
