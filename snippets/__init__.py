"""Tested code behind every code block of the site: NumPy primitives and a Keras model zoo."""
