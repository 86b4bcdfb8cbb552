"""The settings table (``guestlist.models.settings``): one declaration that the options, the library and the docs read.

- every setting is documented in ``docs/cli.md``, with its default and
  meaning, as the table makes it;
- every option that reads an environment variable takes its name from the
  table, and every setting is an option of the command line;
- the library reads the same entries: the URL, the lock wait, the crash
  guard's debug switch;
- no ``GUESTLIST_*`` variable is read or named in the shipped code without
  being in the table.
"""

from __future__ import annotations

import re

import click
import pytest

from guestlist.models.db.urls import resolve_url
from guestlist.models.db.waits import seconds_from_env
from guestlist.models.settings import DATABASE_URL, DEBUG, SETTINGS, WAIT
from guestlist.seeds import docs_blocks
from guestlist.seeds.cli import cli
from guestlist.seeds.cli.guard import debugging, set_debug

from .support.cli_walk import leaf_commands
from .support.package import PACKAGE_DIRS

CLI_PAGE = docs_blocks.DOCS / "cli.md"
NAMES = {setting.name for setting in SETTINGS}


def _options() -> list[tuple[tuple[str, ...], click.Option]]:
    """(command path, option) for every option of the root group and of every command."""
    found = [((), p) for p in cli.params if isinstance(p, click.Option)]
    for path, command in leaf_commands():
        found += [(path, p) for p in command.params if isinstance(p, click.Option)]
    return found


def test_every_setting_is_documented_in_the_cli_page() -> None:
    page = CLI_PAGE.read_text(encoding="utf-8")
    for setting in SETTINGS:
        row = next((line for line in page.splitlines() if line.startswith(f"| `{setting.name}` |")), None)
        assert row is not None, f"docs/cli.md does not document {setting.name}"
        assert f"`{setting.shown_default()}`" in row and setting.help in row, row
    assert docs_blocks.shown("settings") == docs_blocks.made("settings"), (
        "docs/cli.md's settings table is stale: run `python -m guestlist.seeds.docs_blocks` and commit docs/cli.md"
    )


def test_the_options_take_their_environment_variables_from_the_table() -> None:
    options = _options()
    with_envvar = {(path, option.opts[0]): option.envvar for path, option in options if option.envvar}
    assert set(with_envvar.values()) <= NAMES, with_envvar
    for setting in SETTINGS:
        words = setting.option.split()  # e.g. "db grant-readonly --password TEXT": the command, the flag, its value
        at = next(i for i, word in enumerate(words) if word.startswith("--"))
        carrying = [o for path, o in options if path == tuple(words[:at]) and words[at] in o.opts]
        assert len(carrying) == 1, (setting.name, setting.option)
        option = carrying[0]
        if setting is DEBUG:  # the crash guard reads it, since a crash can come before options are parsed
            assert option.envvar is None and DEBUG.name in (option.help or "")
        else:
            assert option.envvar == setting.name and option.show_envvar, setting.name
        assert setting.help in (option.help or ""), setting.name


def test_the_library_reads_the_same_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    for setting in SETTINGS:
        monkeypatch.delenv(setting.name, raising=False)
    set_debug(False)  # as a run without --debug leaves it
    assert resolve_url(None) == DATABASE_URL.default
    assert seconds_from_env() == WAIT.default
    assert not debugging()
    monkeypatch.setenv(DATABASE_URL.name, "sqlite:///elsewhere.db")
    monkeypatch.setenv(WAIT.name, "7.5")
    monkeypatch.setenv(DEBUG.name, "yes")
    assert resolve_url(None) == "sqlite:///elsewhere.db"
    assert resolve_url("sqlite:///given.db") == "sqlite:///given.db"
    assert seconds_from_env() == 7.5
    assert debugging()


def test_every_variable_the_code_names_is_in_the_table() -> None:
    named: dict[str, set[str]] = {}
    for folder in {*PACKAGE_DIRS.values()}:
        for path in folder.rglob("*.py"):
            for name in re.findall(r"GUESTLIST_[A-Z_]+", path.read_text(encoding="utf-8")):
                named.setdefault(name, set()).add(str(path.relative_to(folder.parent)))
    assert {name: where for name, where in named.items() if name not in NAMES} == {}
