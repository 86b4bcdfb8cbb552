"""Seed documents, the loader that is the only door into the database, and the CLI."""
