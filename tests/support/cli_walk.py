"""Every command of the ``guestlist`` tree, with arguments that make sense, for tests that try them all.

Walking the click tree (rather than listing commands by hand) means a command
added later is covered by the secrets and hostile-input tests at once.
"""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import click

from guestlist.seeds.cli import cli

from .hsg import VISITS_V064

# A sensible value per argument name, from the bundled seeds.
TYPICAL = {
    "revision": "head",
    "role": f"gl_reader_{uuid.uuid4().hex[:8]}",  # roles are server-wide: one name per test run
    "event": "beijing-victory-day-parade-2025",
    "event_a": "beijing-victory-day-parade-2015",
    "event_b": "beijing-victory-day-parade-2025",
    "organization": "eu",
    "person": "kim-jong-un",
    "state": "PRK",
    "subject": "kim-jong-un",  # chart timeline STATE|PERSON
    "query": "traditional friend",
    "sql": "SELECT state_code, status FROM attendance_report WHERE event_slug = 'beijing-victory-day-parade-2025'",
    "text": "Kim Jong-un",
    "title": "President of Russia",
}


def leaf_commands() -> list[tuple[tuple[str, ...], click.Command]]:
    """(path, command) for every runnable command, e.g. (('report', 'guest-list'), <Command>)."""
    ctx = click.Context(cli)
    out: list[tuple[tuple[str, ...], click.Command]] = []

    def walk(group: click.Group, path: tuple[str, ...]) -> None:
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if isinstance(command, click.Group):
                walk(command, (*path, name))
            elif command is not None:
                out.append(((*path, name), command))

    walk(cli, ())
    return out


def groups() -> list[tuple[str, ...]]:
    """Paths of the groups, root included: () , ('db',), ('report',) ..."""
    ctx = click.Context(cli)
    paths: list[tuple[str, ...]] = [()]
    for name in cli.list_commands(ctx):
        if isinstance(cli.get_command(ctx, name), click.Group):
            paths.append((name,))
    return paths


def arguments(command: click.Command) -> list[click.Argument]:
    return [p for p in command.params if isinstance(p, click.Argument)]


def text_options(command: click.Command) -> list[click.Option]:
    """Options that take a free value (not flags, not choices): where hostile text can go."""
    return [
        p
        for p in command.params
        if isinstance(p, click.Option) and not p.is_flag and not isinstance(p.type, click.Choice) and "--help" not in p.opts
    ]


def typical_args(path: tuple[str, ...], command: click.Command, workdir: Path) -> list[str]:
    """An ordinary invocation of ``command``: files under ``workdir``, slugs from the bundled seeds."""
    workdir.mkdir(parents=True, exist_ok=True)
    args = list(path)
    for param in arguments(command):
        name = param.name or ""
        if name in TYPICAL:
            args.append(TYPICAL[name] if path != ("db", "downgrade") else "base")
        elif name == "directory":
            args.append(str(workdir / f"{'-'.join(path)}-out"))
        elif name == "file" and path[0] == "import":
            popolo = workdir / "popolo-in.json"
            popolo.write_text(json.dumps({"persons": [], "organizations": []}), encoding="utf-8")
            args.append(str(popolo))
        elif name == "file":
            args.append(str(workdir / f"{'-'.join(path)}-out.json"))
        elif name == "path" and path == ("import", "hsg-visits"):
            # a dry run: the walks try every option on a database that must stay as it was
            args += [str(small_release(workdir)), "--dry-run"]
        elif name == "paths":
            pass  # no path: the bundled seeds
        elif param.required:
            raise AssertionError(f"no typical value for argument {name!r} of {' '.join(path)}: add one to TYPICAL")
    for option in command.params:
        if isinstance(option, click.Option) and option.required and option.name == "output":  # guestlist chart
            args += [option.opts[0], str(workdir / f"{'-'.join(path)}-out.svg")]
    return args


def small_release(workdir: Path) -> Path:
    """A release of the visits small enough to import in a moment: v0.6.4's file of the 1870s (two visits), as published."""
    data = workdir / VISITS_V064.name / "data"
    data.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(VISITS_V064 / "data" / "1870.xml", data / "1870.xml")
    return data.parent
