"""Alembic's script directory, shipped as a package so installs can migrate."""
