"""The docs cannot rot: every example in README.md and docs/*.md runs here.

- Every ```sql block runs on every database against the bundled seeds (each
  statement of a block on its own). The example queries (package data,
  ``guestlist.models.reports.queries``) give the answers below, and docs/sql.md shows them as
  the package holds them.
- Every ``guestlist`` command in a ```sh or ```console block runs, on SQLite,
  in a folder of its own holding a seeded ``guestlist.db`` (what the README's
  ``guestlist setup`` makes), in page order, so a page may use what its
  earlier commands wrote. In a ```console block the lines after ``$ COMMAND``
  are its output and must be what it prints (stdout and stderr together);
  ``...`` stands for any text within a line, or for any lines when it is a
  line of its own. An output with an ``Error:`` line wants a failing exit.
- Every ```python block runs the same way; a ```text block right after it
  is its output. A ```text block right after a ```sql block is its answer,
  one row a line, columns joined by ``|``, NULL as nothing (the ``sqlite3``
  shell's way), on every database.

A command that cannot run here is in ``NOT_RUN`` with the test that runs it
instead; other programs (pip, datasette, ...) are not run. A bare ``` block
is a synopsis or a message, never run, so it may not hold a ``$`` prompt.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from guestlist.models.reports import queries
from guestlist.models.views import ALL_VIEWS
from guestlist.seeds import docs_blocks

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(?P<lang>[\w-]*)[ \t]*\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)
QUERY_MARKER = re.compile(r"<!-- query: (?P<name>[a-z0-9-]+) -->\s*$")
ENV_PREFIX = re.compile(r"^(?:[A-Z_]+=\S*\s+)*")
# Programs the docs show that these tests leave to others (their own docs, or the tests named).
OTHER_PROGRAMS = {"pip", "python", "datasette", "frictionless", "sqlite3", "mkdocs", "alembic"}
# (page, command) -> why it does not run here, and what runs it instead
NOT_RUN = {
    ("reliability.md", "guestlist db upgrade"):
        "waits for another upgrade's lock on PostgreSQL: tests/test_lock_wait.py",
    ("reliability.md", "GUESTLIST_READONLY_PASSWORD=... guestlist db grant-readonly reporter"):
        "roles exist on PostgreSQL and MariaDB only: tests/test_readonly.py",
    ("reliability.md", "guestlist db grant-readonly reporter --host 127.0.0.1"):
        "roles exist on PostgreSQL and MariaDB only: tests/test_readonly.py",
    ("reliability.md", "guestlist --wait 5 seed"): "waits for a sqlite3 shell's lock: tests/test_lock_wait.py",
    ("reliability.md", "guestlist --wait 5 db upgrade"): "waits for another upgrade on PostgreSQL: tests/test_lock_wait.py",
    ("charts.md", "guestlist serve --port 8001"): "serves until stopped: tests/test_serve.py",
}

# name -> the rows the example query returns against the bundled seeds
ANSWERS: dict[str, list[tuple[Any, ...]]] = {
    'who-is-coming': [
        ('CHN', 'Xi Jinping', 'host', 'head_of_state', 'attended'),
        ('ARM', 'Nikol Pashinyan', 'guest', 'head_of_government', 'attended'),
        ('AZE', 'Ilham Aliyev', 'guest', 'head_of_state', 'attended'),
        ('BGR', 'Atanas Zafirov', 'guest', 'minister', 'attended'),
        ('BLR', 'Alexander Lukashenko', 'guest', 'head_of_state', 'attended'),
        ('BRA', 'Celso Amorim', 'guest', 'senior_official', 'attended'),
        ('COG', 'Denis Sassou Nguesso', 'guest', 'head_of_state', 'attended'),
        ('CUB', 'Miguel Díaz-Canel', 'guest', 'head_of_state', 'attended'),
        ('HUN', 'Péter Szijjártó', 'guest', 'minister', 'attended'),
        ('IDN', 'Prabowo Subianto', 'guest', 'head_of_state', 'attended'),
        ('IRN', 'Masoud Pezeshkian', 'guest', 'head_of_state', 'attended'),
        ('KAZ', 'Kassym-Jomart Tokayev', 'guest', 'head_of_state', 'attended'),
        ('KGZ', 'Sadyr Japarov', 'guest', 'head_of_state', 'attended'),
        ('KHM', 'Norodom Sihamoni', 'guest', 'head_of_state', 'attended'),
        ('KOR', 'Woo Won-shik', 'guest', 'senior_official', 'attended'),
        ('LAO', 'Thongloun Sisoulith', 'guest', 'head_of_state', 'attended'),
        ('MDV', 'Mohamed Muizzu', 'guest', 'head_of_state', 'attended'),
        ('MMR', 'Min Aung Hlaing', 'guest', 'head_of_state', 'attended'),
        ('MNG', 'Ukhnaa Khurelsukh', 'guest', 'head_of_state', 'attended'),
        ('MYS', 'Anwar Ibrahim', 'guest', 'head_of_government', 'attended'),
        ('NIC', None, 'guest', 'senior_official', 'expected'),
        ('NPL', 'KP Sharma Oli', 'guest', 'head_of_government', 'attended'),
        ('PAK', 'Shehbaz Sharif', 'guest', 'head_of_government', 'attended'),
        ('PRK', 'Kim Jong Un', 'guest', 'head_of_state', 'attended'),
        ('RUS', 'Vladimir Putin', 'guest', 'head_of_state', 'attended'),
        ('SGP', 'Gan Kim Yong', 'guest', 'minister', 'attended'),
        ('SRB', 'Aleksandar Vulin', 'guest', 'other', 'attended'),
        ('SRB', 'Aleksandar Vučić', 'guest', 'head_of_state', 'attended'),
        ('SVK', 'Robert Fico', 'guest', 'head_of_government', 'attended'),
        ('TJK', 'Emomali Rahmon', 'guest', 'head_of_state', 'attended'),
        ('TKM', 'Serdar Berdimuhamedov', 'guest', 'head_of_state', 'attended'),
        ('UZB', 'Shavkat Mirziyoyev', 'guest', 'head_of_state', 'attended'),
        ('VEN', None, 'guest', 'senior_official', 'expected'),
        ('VNM', 'Luong Cuong', 'guest', 'head_of_state', 'attended'),
        ('ZWE', 'Emmerson Mnangagwa', 'guest', 'head_of_state', 'attended'),
        (None, 'Adrian Năstase', 'guest', 'other', 'attended'),
        (None, 'Daniel Andrews', 'guest', 'other', 'attended'),
        (None, 'Dilma Rousseff', 'guest', 'other', 'attended'),
        (None, 'Helen Clark', 'guest', 'other', 'attended'),
        (None, 'John Key', 'guest', 'other', 'attended'),
        (None, 'Li Junhua', 'guest', 'senior_official', 'expected'),
        (None, 'Viorica Dăncilă', 'guest', 'other', 'attended'),
        (None, 'Yukio Hatoyama', 'guest', 'other', 'attended'),
        (None, 'Yves Leterme', 'guest', 'other', 'attended'),
    ],
    'who-stays-away': [
        ('HUN', 'Viktor Orbán', 'head_of_government', 'not_attending', '2025-09-04'),
        ('IND', 'Narendra Modi', 'head_of_government', 'declined', '2025-09-03'),
        ('JPN', 'Shigeru Ishiba', 'head_of_government', 'not_attending', '2025-08-28'),
        ('KOR', 'Lee Jae-myung', 'head_of_state', 'not_attending', '2025-08-22'),
        ('NPL', 'Ramchandra Paudel', 'head_of_state', 'not_attending', '2025-08-28'),
        ('USA', 'Donald Trump', 'head_of_state', 'not_attending', '2025-08-28'),
        (None, 'Bob Carr', 'other', 'declined', '2025-09-03'),
    ],
    'counted-not-named': [
        ('attended', None, 100, None, 'parade aircraft', '2025-09-08'),
        ('attended', None, 12000, 'more than', 'PLA troops mobilised', '2025-09-13'),
        ('attended', None, 25, 'more than', 'states whose leaders attended (Reuters)', '2025-09-03'),
        ('attended', None, 25, 'over', 'foreign heads of state and government', '2025-09-03'),
        ('attended', None, 26, None, 'countries whose heads of state or government attended', '2025-09-13'),
        ('attended', None, 26, None, 'countries whose leaders attended', '2025-09-03'),
        ('attended', None, 26, None, 'foreign leaders', '2025-09-03'),
        ('attended', None, 26, None, 'foreign states whose leaders attended (AP)', '2025-09-03'),
        ('attended', None, 45000, None, 'parade troops', '2025-09-08'),
        ('attended', None, 600, None, 'parade vehicles', '2025-09-08'),
        ('attended', None, None, 'about two dozen', 'countries whose leaders joined Xi', '2025-09-03'),
        ('boycotted', None, None, 'most', 'Western leaders', '2025-08-28'),
        ('confirmed', None, 14, None, 'countries of the invited international friends', '2025-08-28'),
        ('confirmed', None, 26, None, 'foreign leaders invited by Xi Jinping', '2025-08-28'),
        ('confirmed', None, 26, None, 'foreign leaders invited by Xi Jinping', '2025-08-28'),
        ('confirmed', None, 26, None, 'heads of state and government', '2025-08-28'),
        ('confirmed', None, 50, None, 'international friends and representatives of their families', '2025-08-28'),
        ('expected', 'head_of_state', 26, None, 'other heads of state', '2025-08-28'),
        ('expected', 'head_of_state', 30, 'more than', 'heads of state, as Lukashenko put it', '2025-09-01'),
        ('expected', None, 1, None, 'EU leaders attending', '2025-08-28'),
        ('expected', None, 100, None, 'parade aircraft', '2025-08-26'),
        ('expected', None, 10000, 'over', 'parade participants', '2025-09-02'),
        ('expected', None, 10000, 'over', 'parade personnel', '2025-08-26'),
        ('expected', None, 11, None, 'former presidents and prime ministers on the main stand', '2025-09-03'),
        ('expected', None, 24, None, 'heads of state and government of countries other than China, Russia and North Korea', '2025-09-02'),
        ('expected', None, 25, None, 'other heads of state and government on the main stand', '2025-09-03'),
        ('expected', None, 50, 'around', 'politicians and high-ranking officials from 30 European countries', '2025-09-02'),
        ('not_attending', None, None, 'all', 'leaders of the U.S., Western Europe, Japan, South Korea and India', '2025-09-03'),
    ],
    'eu-share': [
        (27, 3),
    ],
    'eu-members-per-parade': [
        ('2015-09-03', 'CZE', 'Miloš Zeman', 'head_of_state'),
        ('2015-09-03', 'FRA', 'Laurent Fabius', 'minister'),
        ('2015-09-03', 'GBR', 'Kenneth Clarke', 'envoy'),
        ('2015-09-03', 'HUN', None, 'envoy'),
        ('2015-09-03', 'ITA', 'Paolo Gentiloni', 'minister'),
        ('2015-09-03', 'NLD', 'Nout Wellink', 'envoy'),
        ('2015-09-03', 'POL', 'Małgorzata Kidawa-Błońska', 'senior_official'),
        ('2025-09-03', 'BGR', 'Atanas Zafirov', 'minister'),
        ('2025-09-03', 'HUN', 'Péter Szijjártó', 'minister'),
        ('2025-09-03', 'SVK', 'Robert Fico', 'head_of_government'),
    ],
    'north-korea-2015-vs-2025': [
        ('2015-09-03', 'Choe Ryong-hae', 'senior_official', 'attended'),
        ('2015-09-03', 'Kim Jong Un', 'head_of_state', 'not_attending'),
        ('2025-09-03', 'Kim Jong Un', 'head_of_state', 'attended'),
    ],
    'came-in-2015-not-2025': [
        ('BIH', 'Bosnia and Herzegovina', 'Dragan Čović'),
        ('COD', 'Congo, The Democratic Republic of the', 'Joseph Kabila'),
        ('CZE', 'Czechia', 'Miloš Zeman'),
        ('EGY', 'Egypt', 'Abdel-Fattah al-Sisi'),
        ('SDN', 'Sudan', 'Omar al-Bashir'),
        ('TLS', 'Timor-Leste', 'Taur Matan Ruak'),
        ('ZAF', 'South Africa', 'Jacob Zuma'),
    ],
    'kim-meets-putin': [
        ('2023-09-13', 'kim-putin-summit-2023', 'bilateral_meeting', 'RUS'),
        ('2024-06-19', 'kim-putin-summit-2024', 'state_visit', 'PRK'),
        ('2025-09-03', 'beijing-victory-day-parade-2025', 'military_parade', 'CHN'),
    ],
    'north-korean-leaders-at-chinese-parades': [
        ('1959-10-01', 'beijing-national-day-parade-1959', 'Kim Il Sung'),
        ('2025-09-03', 'beijing-victory-day-parade-2025', 'Kim Jong Un'),
    ],
    'what-the-parade-commemorates': [
        ('japan-surrender-1945', 'Surrender of Japan', '1945-09-02', 80),
    ],
    'parades-side-by-side': [
        ('1959-10-01', 'beijing-national-day-parade-1959', 1, 1, 1, 0),
        ('2015-09-03', 'beijing-victory-day-parade-2015', 47, 41, 25, 5),
        ('2025-09-03', 'beijing-victory-day-parade-2025', 49, 34, 27, 6),
    ],
    'kim-status-history': [
        ('2025-08-28', 'confirmed', 'imonmion-2025-08-kim-beijing-parade'),
        ('2025-08-28', 'confirmed', 'pakistantoday-2025-08-28-26-foreign-leaders'),
        ('2025-09-03', 'attended', 'thestar-2025-09-03-anwar-v-day-parade'),
        ('2025-09-03', 'attended', 'devdiscourse-2025-09-03-parade-draws-global-leaders'),
        ('2025-09-03', 'attended', 'ap-2025-09-03-world-leaders-joining-parade'),
    ],
    'known-on-28-august': [
        ('kim-jong-un', 'confirmed', '2025-08-28'),
        ('vladimir-putin', 'confirmed', '2025-08-28'),
    ],
    'sources-disagree': [
    ],
    'kim-in-china': [
        ('2019-01-07', 'kim-jong-un-visit-to-china-2019', 'visit'),
        ('2025-09-03', 'beijing-victory-day-parade-2025', 'military_parade'),
    ],
}


# ------------------------------------------------------------ reading the pages


@dataclass(frozen=True)
class Block:
    """One fenced block of a page: where it starts, its language and text, and what follows it."""

    page: Path
    line: int
    lang: str
    body: str
    before: str  # the page's text up to the fence
    output: str | None  # a ```text block right after: what the block prints or returns

    @property
    def where(self) -> str:
        return f"{self.page.name}:{self.line}"


def blocks(page: Path) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    found = list(FENCE.finditer(text))
    out = []
    for i, match in enumerate(found):
        output = None
        if i + 1 < len(found) and found[i + 1].group("lang") == "text" and not text[match.end() : found[i + 1].start()].strip():
            output = found[i + 1].group("body")
        line = text.count("\n", 0, match.start()) + 1
        out.append(Block(page, line, match.group("lang"), match.group("body"), text[: match.start()], output))
    return out


ALL_BLOCKS = [b for page in PAGES for b in blocks(page)]


@dataclass(frozen=True)
class Step:
    """One thing to run in a page's folder: a command line or a Python block, with its shown output."""

    where: str
    kind: str  # "command" or "python"
    text: str
    output: str | None


def _command_lines(body: str) -> Iterator[str]:
    joined = body.replace("\\\n", " ")
    for line in joined.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            yield line.strip()


def _bare(command: str) -> str:
    """The command without its trailing comment and extra spaces (how NOT_RUN names it)."""
    return " ".join(re.sub(r"\s+#.*$", "", command).split())


def _program(command: str) -> str:
    return ENV_PREFIX.sub("", command).split()[0]


def _complete(command: str) -> bool:
    """The command is whole: no quote left open, no line ending in a backslash."""
    try:
        shlex.split(command, comments=True)
    except ValueError:
        return False
    return True


def steps(page: Path) -> list[Step]:
    found: list[Step] = []
    for block in blocks(page):
        if block.lang == "python":
            found.append(Step(block.where, "python", block.body, block.output))
        elif block.lang == "sh":
            found += [Step(block.where, "command", c, None) for c in _command_lines(block.body)]
        elif block.lang == "console":
            command: str | None = None
            shown: list[str] = []
            for line in block.body.splitlines():
                if command is not None and not shown and not _complete(command):
                    command += "\n" + line  # a quoted argument over several lines, as a shell reads it
                elif line.startswith("$ "):
                    if command is not None:
                        found.append(Step(block.where, "command", command, "\n".join(shown)))
                    command, shown = line[2:].strip(), []
                else:
                    shown.append(line)
            assert command is not None, f"{block.where}: a console block without a '$ ' line"
            found.append(Step(block.where, "command", command, "\n".join(shown)))
    return found


def runnable(page: Path, step: Step) -> bool:
    if step.kind == "python":
        return True
    if (page.name, _bare(step.text)) in NOT_RUN:
        return False
    program = _program(step.text)
    if program == "guestlist":
        return True
    if step.text.startswith("python -m guestlist.seeds.synthetic "):
        return True  # it writes the documents the next command loads
    assert program in OTHER_PROGRAMS, f"{step.where}: what program is {program!r}? ({step.text})"
    return False


def shown_pattern(shown: str) -> re.Pattern[str]:
    """A shown output as a pattern: '...' is any text in a line, or any lines as a line of its own."""
    parts = []
    for line in shown.rstrip("\n").split("\n"):
        line = line.rstrip()
        if line == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append("[^\n]*?".join(re.escape(piece) for piece in line.split("...")) + "\n")
    return re.compile("".join(parts))


def plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def statements(body: str) -> list[str]:
    return [s.strip() for s in re.split(r";[ \t]*(?:\n|$)", body) if s.strip()]


SQL_BLOCKS = [b for b in ALL_BLOCKS if b.lang == "sql"]
SQL_STATEMENTS = [(f"{b.where}#{i}", sql) for b in SQL_BLOCKS for i, sql in enumerate(statements(b.body), 1)]
SQL_ANSWERS = {f"{b.where}#1": b.output for b in SQL_BLOCKS if b.output is not None}
QUERIES = queries.load()
PAGES_WITH_STEPS = [p for p in PAGES if any(runnable(p, s) for s in steps(p))]


# ------------------------------------------------------------ the reading rules


def test_the_pages_have_examples_of_every_kind() -> None:
    assert len(QUERIES) >= 8 and set(QUERIES) == set(ANSWERS)
    assert len(SQL_STATEMENTS) > len(QUERIES)
    run = [s for p in PAGES for s in steps(p) if runnable(p, s)]
    assert sum(s.kind == "python" for s in run) >= 4
    assert sum(s.output is not None for s in run) >= 8
    assert len(run) >= 30


def test_no_prompt_outside_a_console_block() -> None:
    """A '$ guestlist ...' in a bare block would be an example nobody runs."""
    for block in ALL_BLOCKS:
        if block.lang != "console":
            assert not re.search(r"^\$ ", block.body, re.M), f"{block.where}: use a ```console block"


def test_every_not_run_entry_names_an_example_that_exists() -> None:
    shown = {(p.name, _bare(s.text)) for p in PAGES for s in steps(p)}
    assert set(NOT_RUN) <= shown, set(NOT_RUN) - shown


def test_the_sql_page_shows_the_packaged_queries() -> None:
    assert docs_blocks.shown("queries", docs=ROOT / "docs") == docs_blocks.made("queries"), (
        "docs/sql.md's example queries are stale: run `python -m guestlist.seeds.docs_blocks` and commit docs/sql.md"
    )
    marked = {}
    for block in SQL_BLOCKS:
        last = block.before.rstrip("\n").rsplit("\n", 1)[-1]
        if QUERY_MARKER.match(last):
            marked.setdefault(QUERY_MARKER.match(last).group("name"), []).append(block)
    assert set(marked) == set(QUERIES)
    for name, found in marked.items():
        assert [b.page.name for b in found] == ["sql.md"], name
        assert found[0].body.strip() == QUERIES[name].sql, name


def test_every_view_and_column_is_documented() -> None:
    """Each view has its heading on the SQL page, and each of its columns is named there."""
    text = (ROOT / "docs" / "sql.md").read_text(encoding="utf-8")
    for view in ALL_VIEWS:
        assert f"## `{view.name}`" in text, view.name
        missing = [c.name for c in view.columns if f"`{c.name}`" not in text]
        assert not missing, (view.name, missing)


def test_examples_only_read_views() -> None:
    """The examples teach the public interface, never the internal tables."""
    views = {v.name for v in ALL_VIEWS}
    for where, sql in [*SQL_STATEMENTS, *((q.name, q.sql) for q in QUERIES.values())]:
        named = set(re.findall(r"\b(?:FROM|JOIN)\s+([a-z_]+)", sql, re.I))
        assert named and named <= views, (where, named - views)


def test_shown_output_patterns() -> None:
    pattern = shown_pattern("a\n...\nz ... end")
    assert pattern.fullmatch("a\nb\nc\nz mid end\n") and pattern.fullmatch("a\nz  end\n")
    assert not pattern.fullmatch("a\nz end\nextra\n") and not pattern.fullmatch("b\nz end\n")


# ------------------------------------------------------------ SQL, every database


@pytest.fixture(scope="module")
def seeded(seeded_engine: Engine) -> Engine:
    """The bundled seeds, loaded once per database (report_data's shared fixture)."""
    return seeded_engine


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_example_query_gives_its_answer(seeded: Engine, name: str) -> None:
    sql = QUERIES[name].sql
    with seeded.connect() as conn:
        got = [tuple(plain(v) for v in row) for row in conn.exec_driver_sql(sql)]
    expected = ANSWERS[name]
    if re.search(r"\bORDER\s+BY\b", sql, re.I):
        assert got == expected
    else:
        assert Counter(got) == Counter(expected)


@pytest.mark.parametrize(("where", "sql"), SQL_STATEMENTS, ids=[w for w, _ in SQL_STATEMENTS])
def test_every_sql_block_runs(seeded: Engine, where: str, sql: str) -> None:
    with seeded.connect() as conn:
        rows = conn.exec_driver_sql(sql).fetchall()
    assert rows or "claim_conflicts" in sql, f"{where}: no rows from the bundled seeds"  # no conflicts in them
    if where in SQL_ANSWERS:
        shown = "".join("|".join("" if v is None else str(plain(v)) for v in row) + "\n" for row in rows)
        assert shown == SQL_ANSWERS[where], f"{where} answers:\n{shown}"


def test_a_shown_answer_belongs_to_a_single_statement() -> None:
    for block in SQL_BLOCKS:
        assert block.output is None or len(statements(block.body)) == 1, block.where


# ------------------------------------------------------------ commands and Python, SQLite


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A guestlist.db made the README's way: `guestlist setup` in an empty folder."""
    folder = tmp_path_factory.mktemp("setup")
    done = subprocess.run(["guestlist", "setup"], cwd=folder, env=_env(), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "sqlite:///guestlist.db is at head" in done.stdout
    return folder / "guestlist.db"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUESTLIST_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"  # stdout and stderr interleave as printed
    env["GUESTLIST_DEBUG"] = "1"  # a bug shows its traceback
    return env


def run_report(step: Step, folder: Path) -> subprocess.CompletedProcess[str]:
    argv = ["bash", "-c", step.text] if step.kind == "command" else [sys.executable, "-c", step.text]
    return subprocess.run(argv, cwd=folder, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=600)


@pytest.mark.parametrize("page", PAGES_WITH_STEPS, ids=[p.name for p in PAGES_WITH_STEPS])
def test_every_command_and_python_example_runs(page: Path, seeded_file: Path, tmp_path: Path) -> None:
    shutil.copyfile(seeded_file, tmp_path / "guestlist.db")
    for step in steps(page):
        if not runnable(page, step):
            continue
        done = run_report(step, tmp_path)
        failing = step.output is not None and re.search(r"^Error:", step.output, re.M)
        assert (done.returncode != 0) == bool(failing), f"{step.where}: {step.text}\n{done.stdout[-3000:]}"
        if step.output is not None:
            got = "".join(line.rstrip() + "\n" for line in done.stdout.splitlines())
            assert shown_pattern(step.output).fullmatch(got), f"{step.where}: {step.text}\nprinted:\n{got[-3000:]}"
