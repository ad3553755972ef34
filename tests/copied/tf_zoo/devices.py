"""How snippets/tf_zoo/devices.py (shown whole) is used when copied alone."""

USES = {
    "": """
assert isinstance(gpus(), list)
strategy = make_strategy("auto")
assert describe(strategy) in ("cpu", "gpu") or "mirrored" in describe(strategy)
assert describe(make_strategy("cpu")) == "cpu"
assert resolve_precision("float32") == "float32"
assert resolve_precision("auto") in ("float32", "mixed_float16")
assert resolve_jit(False) is False and resolve_jit("auto") == bool(gpus())
tf_config = ('{"cluster": {"worker": ["host1:12345", "host2:12345"]}, '
             '"task": {"type": "worker", "index": 1}}')
assert cluster_spec(tf_config) == (["host1:12345", "host2:12345"], 1)
try:
    cluster_spec("{cluster: 1}")
except ValueError as error:
    assert "TF_CONFIG is not valid JSON" in str(error)
else:
    raise AssertionError("a malformed TF_CONFIG was accepted")
""",
}
NEEDS = {}
