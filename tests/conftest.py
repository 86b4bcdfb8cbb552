"""Registers the shared fixtures of ``tests/support/fixtures.py``; test modules take them by name.

Helpers live in ``tests/support/``; test modules import from there, never from each other or from here.
"""

pytest_plugins = ["tests.support.fixtures"]
