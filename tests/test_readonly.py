"""Least privilege for reporting: read-only roles on servers, mode=ro on SQLite.

On PostgreSQL and MariaDB ``guestlist db grant-readonly ROLE`` makes a login
that can SELECT every table and view; the tests log in as it and show every
kind of write is refused by the server. On SQLite, ``--read-only`` (and
``create_engine(readonly=True)``, which the report commands use) opens the file
with ``mode=ro`` and a write through it fails.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from guestlist.models.db import create_engine, readonly_url
from guestlist.models.db.privileges import mysql_native_hash
from guestlist.seeds.cli import cli

from .support.cli import assert_clean_failure, run_cli
from .support.databases import SERVER_PARAMS
from .support.snapshots import snapshot

SERVERS = SERVER_PARAMS
PASSWORD = "Rd-0nly pass'\"word"

# Statements a reporting login must not be able to run; {t} is a real table.
WRITES = [
    "INSERT INTO sources (slug, title, kind) VALUES ('x', 'x', 'other')",
    "UPDATE sources SET title = 'changed'",
    "DELETE FROM sources",
    "DELETE FROM alembic_version",
    "CREATE TABLE intruder (id INTEGER)",
    "CREATE VIEW intruder_view AS SELECT 1 AS one",
    "ALTER TABLE sources ADD COLUMN intruder INTEGER",
    "DROP TABLE attendance_counts",
    "DROP TABLE alembic_version",
    "CREATE INDEX ix_intruder ON sources (title)",
]


def invoke(url: str, *args: str, input: str | None = None, **env: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["--database-url", url, *args], input=input, env=env or None)


def seed_one_source(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text("INSERT INTO sources (slug, title, kind) VALUES ('ro-test', 'Read-only test', 'other')")
        )
    engine.dispose()


# --- servers: grant-readonly ------------------------------------------------


def _drop_role(admin_url: str, role: str) -> None:
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            if conn.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).first():
                conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
                conn.exec_driver_sql(f'DROP ROLE "{role}"')
        else:
            for host in ("%", "localhost", "127.0.0.1"):
                conn.exec_driver_sql(f"DROP USER IF EXISTS '{role}'@'{host}'".replace("%", "%%"))
    engine.dispose()


@pytest.fixture
def role(migrated_url: str) -> Iterator[str]:
    """A fresh role name, dropped afterwards (roles outlive databases on a server)."""
    name = f"gl_ro_{uuid.uuid4().hex[:10]}"
    yield name
    _drop_role(migrated_url, name)


def as_role(url: str, role: str, password: str = PASSWORD) -> str:
    return make_url(url).set(username=role, password=password).render_as_string(hide_password=False)


def relations(url: str) -> list[str]:
    engine = create_engine(url)
    inspector = sa.inspect(engine)
    names = inspector.get_table_names() + inspector.get_view_names()
    engine.dispose()
    return sorted(names)


@pytest.mark.parametrize("dialect", SERVERS, indirect=True)
def test_grant_readonly_role_reads_everything_and_writes_nothing(migrated_url: str, role: str) -> None:
    seed_one_source(migrated_url)
    before = snapshot(migrated_url)
    result = invoke(migrated_url, "db", "grant-readonly", role, GUESTLIST_READONLY_PASSWORD=PASSWORD)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("created read-only role")
    assert PASSWORD not in result.output

    engine = create_engine(as_role(migrated_url, role))
    try:
        with engine.connect() as conn:
            for name in relations(migrated_url):
                conn.execute(sa.text(f"SELECT * FROM {name}")).all()
            assert conn.execute(sa.text("SELECT title FROM sources")).scalar() == "Read-only test"
        refused = 0
        for statement in [*WRITES, "TRUNCATE TABLE attendance_claims"]:
            with engine.connect() as conn:
                with pytest.raises(sa.exc.DBAPIError) as info:
                    conn.exec_driver_sql(statement)
                    conn.commit()
                message = str(info.value.orig).lower()
                assert "denied" in message or "permission" in message or "must be owner" in message, message
                refused += 1
        assert refused == len(WRITES) + 1
    finally:
        engine.dispose()
    assert snapshot(migrated_url) == before


def test_grant_readonly_cli_help_and_results_do_not_echo(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["db", "grant-readonly", "--help"], env={"GUESTLIST_READONLY_PASSWORD": PASSWORD})
    assert result.exit_code == 0
    assert PASSWORD not in result.output and "GUESTLIST_READONLY_PASSWORD" in result.output


@pytest.mark.parametrize("dialect", SERVERS, indirect=True)
def test_grant_readonly_takes_back_write_grants_of_an_existing_role(migrated_url: str, role: str) -> None:
    admin = create_engine(migrated_url)
    with admin.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN PASSWORD 'old'")
            conn.exec_driver_sql(f"GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
            conn.exec_driver_sql(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}")
            conn.exec_driver_sql(f"GRANT CREATE ON SCHEMA public TO {role}")
        else:
            database = make_url(migrated_url).database
            conn.exec_driver_sql(f"CREATE USER '{role}'@'%%' IDENTIFIED BY 'old'")
            conn.exec_driver_sql(f"GRANT INSERT, UPDATE, DELETE, CREATE, DROP ON `{database}`.* TO '{role}'@'%%'")
            conn.exec_driver_sql(f"GRANT UPDATE (title) ON `{database}`.sources TO '{role}'@'%%' WITH GRANT OPTION")
    admin.dispose()
    old = as_role(migrated_url, role, "old")
    engine = create_engine(old)
    with engine.begin() as conn:  # it really could write before
        conn.exec_driver_sql("INSERT INTO sources (slug, title, kind) VALUES ('w', 'w', 'other')")
    engine.dispose()

    result = invoke(migrated_url, "db", "grant-readonly", role)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("updated read-only role")

    engine = create_engine(old)  # no password given: the old one still works
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM sources")).scalar() == 1
        for statement in WRITES[:3] + ["CREATE TABLE intruder (id INTEGER)"]:
            with engine.connect() as conn, pytest.raises(sa.exc.DBAPIError):
                conn.exec_driver_sql(statement)
                conn.commit()
    finally:
        engine.dispose()


@pytest.mark.parametrize("dialect", SERVERS, indirect=True)
def test_grant_readonly_sets_a_new_password_without_sending_it(migrated_url: str, role: str) -> None:
    assert invoke(migrated_url, "db", "grant-readonly", role, "--password", "first-pw").exit_code == 0
    again = invoke(migrated_url, "db", "grant-readonly", role, "--password", PASSWORD)
    assert again.exit_code == 0, again.output
    assert "password set" in again.output and PASSWORD not in again.output
    admin = create_engine(migrated_url)
    with admin.connect() as conn:
        if conn.dialect.name == "postgresql":
            stored = conn.exec_driver_sql("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (role,)).scalar()
            assert stored.startswith("SCRAM-SHA-256$") and PASSWORD not in stored
        else:
            stored = conn.exec_driver_sql(
                "SELECT authentication_string FROM mysql.user WHERE user = %s AND host = '%%'", (role,)
            ).scalar()
            assert stored == mysql_native_hash(PASSWORD)
    admin.dispose()
    if make_url(migrated_url).get_backend_name() == "mysql":  # PostgreSQL here trusts local logins
        for password, works in (("first-pw", False), (PASSWORD, True)):
            engine = create_engine(as_role(migrated_url, role, password))
            try:
                with engine.connect() as conn:
                    conn.exec_driver_sql("SELECT 1")
                assert works
            except sa.exc.OperationalError as exc:
                assert not works and "denied" in str(exc.orig).lower()
            finally:
                engine.dispose()


@pytest.mark.parametrize("dialect", SERVERS, indirect=True)
@pytest.mark.parametrize(
    "name, expected",
    [
        ("x; DROP TABLE sources", "is not allowed"),
        ("r'@'%' IDENTIFIED BY 'x", "is not allowed"),
        ("a" * 64, "is not allowed"),
        ("", "is not allowed"),
    ],
)
def test_grant_readonly_refuses_bad_role_names(migrated_url: str, name: str, expected: str) -> None:
    before = snapshot(migrated_url)
    result = invoke(migrated_url, "db", "grant-readonly", name, "--password", "pw")
    assert result.exit_code == 1
    assert_clean_failure(result.output)
    assert expected in result.output
    assert snapshot(migrated_url) == before


@pytest.mark.parametrize("dialect", SERVERS, indirect=True)
def test_grant_readonly_refuses_the_admin_itself_and_a_new_role_without_password(migrated_url: str, role: str) -> None:
    me = make_url(migrated_url).username or ""
    refused = invoke(migrated_url, "db", "grant-readonly", me, "--host", "127.0.0.1", "--password", "pw")
    assert refused.exit_code == 1
    assert_clean_failure(refused.output)
    no_password = invoke(migrated_url, "db", "grant-readonly", role)
    assert no_password.exit_code == 1
    assert_clean_failure(no_password.output)
    assert "needs a password" in no_password.output
    bad_host = invoke(migrated_url, "db", "grant-readonly", role, "--host", "x' OR 1", "--password", "pw")
    assert bad_host.exit_code == 1 and "host" in bad_host.output


@pytest.mark.parametrize("dialect", ["sqlite"], indirect=True)
def test_grant_readonly_on_sqlite_explains_file_permissions_and_read_only_mode(migrated_url: str) -> None:
    result = invoke(migrated_url, "db", "grant-readonly", "reporter", "--password", "pw")
    assert result.exit_code == 1
    assert_clean_failure(result.output)
    assert "SQLite has no roles" in result.output and "--read-only" in result.output


# --- read-only mode ---------------------------------------------------------


@pytest.mark.parametrize("dialect", ["sqlite"], indirect=True)
def test_sqlite_readonly_engine_reads_and_refuses_writes(migrated_url: str) -> None:
    seed_one_source(migrated_url)
    before = snapshot(migrated_url)
    engine = create_engine(migrated_url, readonly=True)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT title FROM sources")).scalar() == "Read-only test"
        for statement in WRITES:
            with engine.connect() as conn, pytest.raises(sa.exc.OperationalError, match="readonly"):
                conn.exec_driver_sql(statement)
                conn.commit()
    finally:
        engine.dispose()
    assert snapshot(migrated_url) == before


def test_sqlite_readonly_never_creates_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "absent.db"
    result = invoke(f"sqlite:///{missing}", "--read-only", "db", "current")
    assert result.exit_code == 1
    assert_clean_failure(result.output)
    assert not missing.exists()


def test_read_only_flag_and_variable_refuse_writes_on_every_database(migrated_url: str) -> None:
    seed_one_source(migrated_url)
    before = snapshot(migrated_url)
    for args, env in ((["--read-only"], {}), ([], {"GUESTLIST_READ_ONLY": "1"})):
        current = run_cli(migrated_url, *args, "db", "current", **env)
        assert current.returncode == 0, current.stderr
        assert "(head)" in current.stdout
        down = run_cli(migrated_url, *args, "db", "downgrade", "-1", **env)
        assert down.returncode == 1
        assert_clean_failure(down.stderr)
        assert "read" in down.stderr.lower()
    assert snapshot(migrated_url) == before


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:////tmp/dir with space/guest#list%.db",
        "sqlite:///relative/ünïcode.db",
        "sqlite:///file:already.db?mode=ro&uri=true",
        "postgresql://u:p%40ss@h:5432/db",
        "postgresql://u@h/db?options=-c%20search_path%3Dx",
        "mysql+pymysql://u:p@h/db?charset=utf8mb4",
    ],
)
def test_readonly_url_is_idempotent_and_keeps_the_database(url: str) -> None:
    once = readonly_url(url)
    assert readonly_url(once) == once
    parsed, original = make_url(once), make_url(url)
    assert (parsed.host, parsed.username, parsed.password) == (original.host, original.username, original.password)
    if parsed.get_backend_name() == "sqlite":
        assert parsed.query["mode"] == "ro" and parsed.query["uri"] == "true"


def test_sqlite_readonly_opens_odd_file_names(tmp_path: Path) -> None:
    odd = tmp_path / "dir with space" / "guest#list%20ü.db"
    odd.parent.mkdir()
    url = f"sqlite:///{odd}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (a INTEGER)")
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
    engine.dispose()
    ro = create_engine(url, readonly=True)
    try:
        with ro.connect() as conn:
            assert conn.exec_driver_sql("SELECT a FROM t").scalar() == 1
            with pytest.raises(sa.exc.OperationalError, match="readonly"):
                conn.exec_driver_sql("INSERT INTO t VALUES (2)")
    finally:
        ro.dispose()


# --- the report commands through read-only access ------------------------------


@pytest.fixture
def set_up(migrated_url: str) -> str:
    result = run_cli(migrated_url, "setup")
    assert result.returncode == 0, result.stderr
    return migrated_url


@pytest.fixture
def new_document(tmp_path: Path) -> str:
    """A document that would write (a new source), to show the write is refused."""
    path = tmp_path / "new.yaml"
    path.write_text("format: guestlist/1\nsource: {slug: ro-new, title: New, kind: other}\n", encoding="utf-8")
    return str(path)


def test_reports_run_read_only_and_seeding_through_it_fails(set_up: str, new_document: str) -> None:
    """--read-only: every report answers; a seed fails in one line and writes nothing."""
    before = snapshot(set_up)
    for args in (["report", "events"], ["report", "guest-list", "beijing-victory-day-parade-2025", "--format", "json"]):
        result = run_cli(set_up, "--read-only", *args)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip()
    seeded = run_cli(set_up, "--read-only", "seed", new_document)
    assert seeded.returncode == 1
    assert_clean_failure(seeded.stderr)
    assert snapshot(set_up) == before


@pytest.mark.parametrize("dialect", SERVERS, indirect=True)
def test_reports_run_as_the_readonly_role_and_seeding_as_it_is_denied(set_up: str, role: str, new_document: str) -> None:
    assert invoke(set_up, "db", "grant-readonly", role, "--password", PASSWORD).exit_code == 0
    reader = as_role(set_up, role)
    before = snapshot(set_up)
    report = run_cli(reader, "report", "guest-list", "beijing-victory-day-parade-2025", "--format", "csv")
    assert report.returncode == 0, report.stderr
    assert "kim-jong-un" in report.stdout
    seeded = run_cli(reader, "seed", new_document)
    assert seeded.returncode == 1
    assert_clean_failure(seeded.stderr)
    assert "denied" in seeded.stderr.lower()
    assert PASSWORD not in seeded.stderr + report.stderr
    assert snapshot(set_up) == before
