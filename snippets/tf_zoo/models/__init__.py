"""One module per model; each registers its builder with ``snippets.tf_zoo.registry.register``."""
