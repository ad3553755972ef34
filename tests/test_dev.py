"""``dev.py``, the two commands of the README and the publishing build."""

import dev


def test_the_published_build_runs_the_notebooks_at_full_size(monkeypatch):
    """GitHub Actions sets CI=true in every job; the notebooks read CI to run small (for the suite's build)."""
    calls = []
    monkeypatch.setattr(dev, "ensure_venv", lambda: None)
    monkeypatch.setattr(dev, "run", lambda *cmd, **kwargs: calls.append((cmd, kwargs)))
    monkeypatch.setitem(dev.ENV, "CI", "true")
    dev.build()
    [(cmd, kwargs)] = calls
    assert cmd[1:] == ("-m", "mkdocs", "build", "--strict")
    assert "CI" not in kwargs["env"] and kwargs["env"]["TF_CPP_MIN_LOG_LEVEL"] == "3"
