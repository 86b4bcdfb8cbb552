"""One installed package, ``guestlist``, that a user's own ``models``, ``seeds`` or ``migrations`` cannot disturb.

The distribution maps the repository's folders into ``guestlist``
(``pyproject.toml``). These tests run the installed package as a user
would: from a folder of the user's that holds modules of the generic names,
through ``python -c``, ``python -m guestlist``, the ``guestlist`` command and
Alembic with the checkout's ``alembic.ini``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import distribution
from pathlib import Path

import pytest

from tests.support.package import LISTED, ROOT, TOP, package_folders

GENERIC = ("models", "seeds", "migrations")
SHADOWS = {
    # A user's project: a Django-style models.py, a seeds package with its own
    # __main__, a migrations package. Each fails loudly if guestlist ever imports it.
    "models.py": "raise ImportError('the user\\'s models.py was imported')\n",
    "seeds/__init__.py": "raise ImportError('the user\\'s seeds package was imported')\n",
    "seeds/__main__.py": "raise SystemExit('the user\\'s seeds was run')\n",
    "migrations/__init__.py": "raise ImportError('the user\\'s migrations package was imported')\n",
    "migrations/env.py": "raise ImportError('the user\\'s env.py was run')\n",
}


@pytest.fixture()
def user_folder(tmp_path: Path) -> Path:
    for name, text in SHADOWS.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def run(folder: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, cwd=folder, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_every_package_folder_is_listed_in_pyproject() -> None:
    assert sorted(package_folders()) == sorted(LISTED)


def test_the_distribution_installs_one_top_level_package() -> None:
    top_level = (distribution("guestlist").read_text("top_level.txt") or "").split()
    assert top_level == [TOP]


def test_importing_the_package_loads_no_generic_top_level_module(user_folder: Path) -> None:
    code = (
        "import json, sys\n"
        "import guestlist, guestlist.models, guestlist.seeds.cli, guestlist.seeds.loader\n"
        "from guestlist import reports, search\n"
        "from guestlist.models import Event, upgrade\n"
        "print(json.dumps([reports.__name__, search.__name__, Event.__tablename__, upgrade.__module__,\n"
        f"    sorted(m for m in sys.modules if m.split('.')[0] in {GENERIC!r})]))\n"
    )
    names = json.loads(run(user_folder, sys.executable, "-c", code).stdout)
    assert names == ["guestlist.models.reports", "guestlist.models.search", "events", "guestlist.models.db.migrate", []]


def test_python_m_guestlist_and_the_command_work_beside_a_user_s_modules(user_folder: Path) -> None:
    url = f"sqlite:///{user_folder / 'g.db'}"
    assert "Usage: guestlist [OPTIONS] COMMAND" in run(user_folder, sys.executable, "-m", "guestlist", "--help").stdout
    command = Path(sys.executable).with_name("guestlist")
    run(user_folder, str(command), "--database-url", url, "setup")
    events = run(user_folder, sys.executable, "-m", "guestlist", "--database-url", url, "report", "events", "--format", "csv")
    assert "beijing-victory-day-parade-2025" in events.stdout


def test_alembic_through_alembic_ini_beside_a_user_s_modules(user_folder: Path) -> None:
    url = f"sqlite:///{user_folder / 'a.db'}"
    ini = str(ROOT / "alembic.ini")
    run(user_folder, sys.executable, "-m", "alembic", "-c", ini, "-x", f"database_url={url}", "upgrade", "head")
    current = run(user_folder, sys.executable, "-m", "alembic", "-c", ini, "-x", f"database_url={url}", "current")
    assert "(head)" in current.stdout


def _loaded_after(code: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", code + "\nimport sys, json\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"],
                          capture_output=True, text=True, timeout=120, check=True)
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_the_tables_load_neither_alembic_nor_pycountry_nor_rapidfuzz() -> None:
    loaded = _loaded_after("from guestlist.models import Event")
    assert "sqlalchemy" in loaded
    assert not loaded & {"alembic", "pycountry", "rapidfuzz"}


def test_importing_the_models_package_loads_no_sqlalchemy_until_a_name_is_used() -> None:
    assert "sqlalchemy" not in _loaded_after("import guestlist.models")


def test_the_first_table_name_loads_every_table() -> None:
    code = "from guestlist.models import State\nprint(sorted(State.metadata.tables))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    from guestlist.models import Base

    assert done.stdout.strip() == str(sorted(Base.metadata.tables))


def test_the_package_face_offers_every_table() -> None:
    """``guestlist.models`` names its tables by hand (to stay lazy): it must name each one ``tables`` holds."""
    import guestlist.models
    from guestlist.models import tables

    assert set(tables.__all__) <= set(guestlist.models.__all__)
    assert all(getattr(guestlist.models, name) is getattr(tables, name) for name in tables.__all__)
    assert all(getattr(guestlist.models, name) is not None for name in guestlist.models.__all__)


def test_guestlist_help_loads_no_sqlalchemy() -> None:
    code = (
        "import contextlib, io\n"
        "from guestlist.seeds.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])\n"
    )
    loaded = _loaded_after(code)
    assert "click" in loaded
    assert not loaded & {"sqlalchemy", "alembic", "pycountry"}
