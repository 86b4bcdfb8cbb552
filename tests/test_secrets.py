"""A password in the database URL never shows: not in output, errors, logs or --help.

Every command of the CLI (walked from the click tree, so new ones are
covered) is run against unreachable servers and against real ones, with the
URL given as --database-url and as GUESTLIST_DATABASE_URL, with all Python
logging switched on at DEBUG (SQLAlchemy's SQL echo, Alembic, the pool).
The password is checked in every spelling: as typed, percent-encoded, and
decoded.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from guestlist.models.db.urls import mask_url, scrub
from guestlist.seeds.cli import cli

from .support.cli import assert_clean_failure, cli_env
from .support.cli_walk import TYPICAL, groups, leaf_commands, typical_args
from .support.databases import SERVER_PARAMS

PASSWORD = "Hunter2-s3cr3t-PW"
# '@', '/', ':' and '%' must be percent-encoded in a URL; the decoded form must not leak either.
RAW_SPECIAL = "p@ss/w:rd%Zq9"
ENCODED_SPECIAL = "p%40ss%2Fw%3Ard%25Zq9"
ROLE_PASSWORD = "R0le-pa55-never-shown"
SECRETS = (PASSWORD, RAW_SPECIAL, ENCODED_SPECIAL, ROLE_PASSWORD, "Hunter2", "s3cr3t")

UNREACHABLE = [
    f"postgresql://postgres:{PASSWORD}@127.0.0.1:1/guestlist",
    f"postgresql+psycopg://reader:{ENCODED_SPECIAL}@127.0.0.1:1/guestlist?connect_timeout=2",
    f"mysql+pymysql://root:{PASSWORD}@127.0.0.1:1/guestlist",
    f"mysql+pymysql://app:{ENCODED_SPECIAL}@localhost:1/guestlist",
]
# The password as a query parameter, as drivers also accept it.
QUERY_FORMS = {
    "pg-query": f"postgresql+psycopg://postgres@127.0.0.1:1/guestlist?password={PASSWORD}&connect_timeout=2",
    "pg-libpq": f"postgresql+psycopg:///guestlist?host=127.0.0.1&port=1&user=postgres&password={ENCODED_SPECIAL}",
    "mysql-query": f"mysql+pymysql://root@127.0.0.1:1/guestlist?password={PASSWORD}",
    "mysql-passwd": f"mysql+pymysql://root@127.0.0.1:1/guestlist?passwd={ENCODED_SPECIAL}",
    "sqlite-query": f"sqlite:///guestlist-secret.db?password={PASSWORD}",
}


def all_logging(caplog: pytest.LogCaptureFixture) -> None:
    """DEBUG everywhere; SQLAlchemy's own logger defaults to WARN, so it is set too (its SQL echo)."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy")


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked in: {text[:2000]}"


def run_everything(url: str, workdir: Path, caplog: pytest.LogCaptureFixture, *, via_env: bool) -> int:
    """Every command once; returns how many ran. Asserts nothing leaked and no traceback."""
    ran = 0
    for path, command in leaf_commands():
        args = typical_args(path, command, workdir)
        if path == ("db", "grant-readonly"):
            args += ["--password", ROLE_PASSWORD]
        caplog.clear()
        if via_env:
            result = CliRunner().invoke(cli, args, env={"GUESTLIST_DATABASE_URL": url})
        else:
            result = CliRunner().invoke(cli, ["--database-url", url, *args])
        assert_no_secret(result.output)
        assert_no_secret(caplog.text)
        assert_no_secret(repr(result.exception) if result.exception and not isinstance(result.exception, SystemExit) else "")
        assert "Traceback" not in result.output, (path, result.output)
        if result.exit_code != 0:
            assert result.exception is None or isinstance(result.exception, SystemExit), (path, result.exception)
        ran += 1
    return ran


@pytest.mark.parametrize("url", UNREACHABLE, ids=["pg", "pg-encoded", "mysql", "mysql-encoded"])
def test_unreachable_server_every_command_fails_in_one_line_without_the_password(
    url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    all_logging(caplog)
    for via_env in (False, True):
        assert run_everything(url, tmp_path, caplog, via_env=via_env) >= 20
    # The commands that must reach the database each fail with exactly one line.
    for args in (["db", "current"], ["db", "upgrade"], ["seed"], ["setup"], ["report", "events"], ["export", "seeds", str(tmp_path / "x")]):
        result = CliRunner().invoke(cli, ["--database-url", url, *args])
        assert result.exit_code == 1, (args, result.output)
        assert_clean_failure(result.output)
        assert mask_url(url).split("@")[0] in result.output or "cannot use database" in result.output


@pytest.mark.parametrize("url", QUERY_FORMS.values(), ids=QUERY_FORMS.keys())
def test_a_password_in_the_query_never_shows(url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    all_logging(caplog)
    assert run_everything(url, tmp_path, caplog, via_env=False) >= 20
    for args in (["db", "current"], ["db", "upgrade"], ["seed"], ["setup"], ["report", "events"]):
        result = CliRunner().invoke(cli, ["--database-url", url, *args])
        assert result.exit_code == 1, (args, result.output)
        assert_clean_failure(result.output)
        assert_no_secret(result.output + caplog.text)
    proc = subprocess.run([sys.executable, "-m", "guestlist", "setup"], env=cli_env(url, GUESTLIST_DEBUG=""), capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert_clean_failure(proc.stderr)
    assert_no_secret(proc.stdout + proc.stderr)
    assert not (tmp_path / "guestlist-secret.db").exists()


def test_help_of_every_command_and_group_never_shows_the_password() -> None:
    env = {"GUESTLIST_DATABASE_URL": UNREACHABLE[1], "GUESTLIST_READONLY_PASSWORD": ROLE_PASSWORD}
    shown = 0
    for path in groups():
        result = CliRunner().invoke(cli, [*path, "--help"], env=env)
        assert result.exit_code == 0
        assert_no_secret(result.output)
        shown += 1
    for path, _command in leaf_commands():
        result = CliRunner().invoke(cli, [*path, "--help"], env=env)
        assert result.exit_code == 0, (path, result.output)
        assert_no_secret(result.output)
        shown += 1
    version = CliRunner().invoke(cli, ["--version"], env=env)
    assert_no_secret(version.output)
    assert shown >= 25


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://u:{PASSWORD}@h:notaport/db",
        f"postgresql//u:{PASSWORD}@h/db",
        f"postgresql://u:{RAW_SPECIAL}@127.0.0.1:1/db",  # unencoded '@': refused before any driver sees it
        f"nosuchdb://u:{PASSWORD}@h/db",
        f"postgresql://u:{PASSWORD}@[::1/db",
    ],
)
def test_malformed_urls_fail_in_one_line_without_the_password(url: str) -> None:
    for args in (["--database-url", url, "db", "current"], ["--read-only", "--database-url", url, "report", "events"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1, result.output
        assert_clean_failure(result.output)
        assert_no_secret(result.output)
    env = cli_env(url)
    proc = subprocess.run([sys.executable, "-m", "guestlist", "db", "upgrade"], env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert_clean_failure(proc.stderr)
    assert_no_secret(proc.stdout + proc.stderr)


def test_scrub_and_mask_cover_every_spelling() -> None:
    url = f"postgresql://app:{ENCODED_SPECIAL}@db.example:5432/x"
    message = f"failed for {url}: password '{RAW_SPECIAL}' rejected ({ENCODED_SPECIAL})"
    assert_no_secret(scrub(message, url))
    assert_no_secret(mask_url(url))
    assert mask_url(url) == "postgresql://app:***@db.example:5432/x"
    for url in QUERY_FORMS.values():
        assert_no_secret(mask_url(url))
        decoded = RAW_SPECIAL if ENCODED_SPECIAL in url else PASSWORD
        assert_no_secret(scrub(f"cannot connect to {url} (the server echoed {decoded})", url))
    # libpq connection strings and keyword arguments, as drivers print them.
    for text in (
        f"connection failed: host=h user=u password={PASSWORD} dbname=x",
        f"host=h password='{RAW_SPECIAL} with space' port=5",
        f"connect(**{{'user': 'u', 'password': '{PASSWORD}'}})",
        f"dsn: PASSWD={PASSWORD}&sslpassword={ENCODED_SPECIAL}",
    ):
        assert_no_secret(scrub(text))
    assert scrub(f"host=h password={PASSWORD} port=5") == "host=h password=*** port=5"


# --- real servers: the password works, so every command really runs --------


@pytest.fixture
def password_login(migrated_url: str) -> Iterator[tuple[str, str]]:
    """(URL without password, user) of a login that has PASSWORD (created here, dropped after)."""
    dialect = make_url(migrated_url).get_backend_name()
    user = f"gl_pw_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(migrated_url, isolation_level="AUTOCOMMIT")
    database = make_url(migrated_url).database
    with admin.connect() as conn:
        if dialect == "postgresql":
            conn.exec_driver_sql(f"CREATE ROLE {user} LOGIN SUPERUSER PASSWORD '{PASSWORD}'")
        else:
            conn.exec_driver_sql(f"CREATE USER '{user}'@'%%' IDENTIFIED BY '{PASSWORD}'")
            conn.exec_driver_sql(f"GRANT ALL ON `{database}`.* TO '{user}'@'%%' WITH GRANT OPTION")
            conn.exec_driver_sql(f"GRANT CREATE USER ON *.* TO '{user}'@'%%'")
    yield make_url(migrated_url).set(username=user).render_as_string(hide_password=False), user
    with admin.connect() as conn:
        if dialect == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{user}'")
            for role in (user, TYPICAL["role"]):
                if conn.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).first():
                    conn.exec_driver_sql(f"DROP OWNED BY {role}")
                    conn.exec_driver_sql(f"DROP ROLE {role}")
        else:
            for role in (user, TYPICAL["role"]):
                conn.exec_driver_sql(f"DROP USER IF EXISTS '{role}'@'%%'")
    admin.dispose()


@pytest.fixture
def password_url(password_login: tuple[str, str]) -> str:
    return make_url(password_login[0]).set(password=PASSWORD).render_as_string(hide_password=False)


def query_forms(url: str, user: str) -> dict[str, str]:
    """The working URL of each query form of the password, for this server's test database."""
    parsed = make_url(url)
    forms = {"query": parsed.update_query_dict({"password": PASSWORD})}
    if parsed.get_backend_name() == "postgresql":
        forms["libpq"] = parsed.set(username=None, host=None, port=None).update_query_dict(
            {"host": parsed.host or "", "port": str(parsed.port or 5432), "user": user, "password": PASSWORD}
        )
    else:
        forms["passwd"] = parsed.update_query_dict({"passwd": PASSWORD})
    return {name: form.render_as_string(hide_password=False) for name, form in forms.items()}


@pytest.mark.parametrize("dialect", SERVER_PARAMS, indirect=True)
def test_real_server_password_in_the_query_works_and_never_shows(
    password_login: tuple[str, str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    all_logging(caplog)
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: guestlist/1\nsource: {slug: s, title: t, kind: nonsense}\n", encoding="utf-8")
    for name, url in query_forms(*password_login).items():
        caplog.clear()
        for args, code in ((["setup"], 0), (["db", "current"], 0), (["report", "events"], 0), (["seed", str(bad)], 1), (["db", "downgrade", "zzz"], 1)):
            result = CliRunner().invoke(cli, ["--database-url", url, *args])
            assert result.exit_code == code, (name, args, result.output)
            if code:
                assert_clean_failure(result.output)
            assert_no_secret(result.output + caplog.text)
        assert "SELECT" in caplog.text  # the SQL echo really was on
        wrong = url.replace(PASSWORD, "Wrong-" + PASSWORD)
        denied = CliRunner().invoke(cli, ["--database-url", wrong, "db", "current"])
        if denied.exit_code:  # the test server may trust local logins whatever the password
            assert_clean_failure(denied.output)
        assert_no_secret(denied.output + caplog.text)
        proc = subprocess.run([sys.executable, "-m", "guestlist", "db", "upgrade"], env=cli_env(url), capture_output=True, text=True, check=False)
        assert proc.returncode == 0, name
        assert_no_secret(proc.stdout + proc.stderr)


@pytest.mark.parametrize("dialect", SERVER_PARAMS, indirect=True)
def test_real_server_every_command_and_its_logs_keep_the_password(
    password_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    all_logging(caplog)
    setup = CliRunner().invoke(cli, ["--database-url", password_url, "setup"])
    assert setup.exit_code == 0, setup.output
    assert_no_secret(setup.output + caplog.text)
    assert "SELECT" in caplog.text  # the SQL echo really was on
    assert run_everything(password_url, tmp_path / "opt", caplog, via_env=False) >= 20
    assert run_everything(password_url, tmp_path / "env", caplog, via_env=True) >= 20
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: guestlist/1\nsource: {slug: s, title: t, kind: nonsense}\n", encoding="utf-8")
    for args in (["seed", str(bad)], ["report", "guest-list", "no-such-event"], ["db", "downgrade", "zzz"]):
        result = CliRunner().invoke(cli, ["--database-url", password_url, *args])
        assert result.exit_code == 1, result.output
        assert_clean_failure(result.output)
        assert_no_secret(result.output + caplog.text)
    wrong = make_url(password_url).set(password="Wrong-" + PASSWORD).render_as_string(hide_password=False)
    denied = CliRunner().invoke(cli, ["--database-url", wrong, "db", "current"])
    assert_no_secret(denied.output)
