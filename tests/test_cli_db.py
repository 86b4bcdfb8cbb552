"""`guestlist db ...` end to end, on every configured database."""

from __future__ import annotations

from click.testing import CliRunner

from guestlist.seeds.cli import cli


def run(url: str, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["--database-url", url, *args], catch_exceptions=False)


def test_upgrade_check_downgrade_cycle(db_url: str) -> None:
    behind = run(db_url, "db", "check")
    assert behind.exit_code == 1
    assert "run 'guestlist db upgrade'" in behind.output

    assert run(db_url, "db", "upgrade").exit_code == 0
    current = run(db_url, "db", "current")
    assert current.output.strip().endswith("(head)")
    check = run(db_url, "db", "check")
    assert check.exit_code == 0, check.output
    assert "models and migrations agree" in check.output

    assert run(db_url, "db", "downgrade", "base").exit_code == 0
    assert run(db_url, "db", "current").output.strip() == "base"
    assert run(db_url, "db", "upgrade").exit_code == 0
    assert run(db_url, "db", "check").exit_code == 0


def test_history_lists_the_initial_revision(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = run(f"sqlite:///{tmp_path / 'h.db'}", "db", "history")
    assert result.exit_code == 0
    assert "initial schema" in result.output


def test_unreachable_server_is_one_line_without_password() -> None:
    url = "postgresql://postgres:s3cr3t-pw@127.0.0.1:1/nowhere"
    result = CliRunner().invoke(cli, ["--database-url", url, "db", "current"])
    assert result.exit_code == 1
    assert "s3cr3t-pw" not in result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: cannot use database postgresql://postgres:***@")


def test_help_never_shows_the_password(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GUESTLIST_DATABASE_URL", "postgresql://u:hunter2-pw@db/x")
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "hunter2-pw" not in result.output
    assert "GUESTLIST_DATABASE_URL" in result.output


def test_python_dash_m_seeds_is_the_cli() -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "guestlist", "--help"], capture_output=True, text=True, check=True)
    assert "guestlist" in out.stdout and "db" in out.stdout
