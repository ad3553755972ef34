"""How each section of snippets/numpy_nn/clipping.py is used when copied alone."""

USES = {
    "clip_by_norm": """
out = clip_by_norm({"W": np.array([3.0, 4.0], np.float32), "b": np.ones(1)}, 1.0)
assert out["W"].dtype == np.float32 and np.allclose(out["W"], [0.6, 0.8])
assert out["b"].tolist() == [1.0]
""",
}
# Sections no page includes yet (the challenges pages are to): move each into USES when a page shows it.
PENDING = {
    "clip_by_value": """
out = clip_by_value({"W": np.array([-3.0, 0.5, 2.0])}, 1.0)
assert out["W"].tolist() == [-1.0, 0.5, 1.0]
""",
    "clip_by_global_norm": """
out, norm = clip_by_global_norm({"W": np.array([3.0]), "b": np.array([4.0])}, 1.0)
assert norm == 5.0 and np.allclose([out["W"][0], out["b"][0]], [0.6, 0.8])
""",
}
NEEDS = {}
