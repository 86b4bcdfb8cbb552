"""Least privilege for reporting: a login that can read and nothing else.

Analysts and dashboards should not be able to change the data they report
on, by mistake or through an injected query. On PostgreSQL and MariaDB,
:func:`grant_readonly` creates (or brings back in line) a role with SELECT on
every table and reporting view of this database and no other privilege there,
then checks the result with the server's own privilege functions, so a role
that still could write is reported rather than silently left so.

SQLite has no roles: the file's permissions decide who may write, and
:func:`guestlist.models.db.readonly_url` (``guestlist --read-only``) opens it with ``mode=ro``, in
which SQLite itself refuses every write. The same switch puts server sessions
into read-only transactions, a guard against mistakes rather than a security
boundary (the role is that).

Passwords never travel in clear text when it can be avoided: PostgreSQL gets
a SCRAM verifier computed by libpq, MariaDB a ``mysql_native_password`` hash,
so neither server logs nor error messages can contain the password.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import GuestlistError
from ..settings import READ_ONLY, READONLY_PASSWORD
from .engine import Database, bind, connect

ROLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
MYSQL_HOST = re.compile(r"[A-Za-z0-9_.%:-]{1,255}")
WRITE_PRIVILEGES = ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
SQLITE_EXPLANATION = (
    "SQLite has no roles: make the database file read-only for the people who report "
    "(file permissions, or hand them a copy) and open it with 'guestlist --read-only' "
    f"({READ_ONLY.name}=1), which uses SQLite's mode=ro so every write fails"
)


@dataclass
class GrantResult:
    """What :func:`grant_readonly` did, for the one-line summary."""

    role: str
    created: bool
    password_set: bool
    relations: list[str] = field(default_factory=list)
    revoked: list[str] = field(default_factory=list)


def check_role_name(role: str) -> str:
    """Plain identifiers only: they are spliced into GRANT statements, which take no parameters."""
    if not ROLE_NAME.fullmatch(role):
        raise GuestlistError(
            f"role name {role[:80]!r} is not allowed: use letters, digits and '_' "
            "(starting with a letter or '_', at most 63 characters)"
        )
    return role


def grant_readonly(db: Database, role: str, password: str | None = None, *, host: str = "%") -> GrantResult:
    """Create or update ``role`` so it can SELECT every table and view of ``db``, and nothing else.

    ``db`` is a URL, an engine or a connection; the grants are committed
    unless the connection is in a transaction of the caller's, who then
    commits. ``password`` is required for a new role and optional for an
    existing one (which then keeps its password). ``host`` is MariaDB's host
    part of the account (``'role'@'host'``).
    """
    check_role_name(role)
    if not MYSQL_HOST.fullmatch(host):
        raise GuestlistError(f"host {host[:80]!r} is not allowed: use e.g. %, localhost or 127.0.0.1")
    with bind(db) as target:
        backend = target.dialect.name
        if backend == "sqlite":
            raise GuestlistError(SQLITE_EXPLANATION)
        with connect(target) as conn, _transaction(conn):
            if backend == "postgresql":
                return _grant_postgresql(conn, role, password)
            if backend in ("mysql", "mariadb"):
                return _grant_mysql(conn, role, password, host)
            raise GuestlistError(f"grant-readonly does not know the {backend} database")


@contextmanager
def _transaction(conn: Connection) -> Iterator[None]:
    """The caller's transaction when there is one; else one of the grant's own, committed at the end."""
    if conn.in_transaction():
        yield
        return
    with conn.begin():
        yield


def role_exists(db: Database, role: str, *, host: str = "%") -> bool:
    """Whether the role (MariaDB: the account ``'role'@'host'``) exists already on ``db``, a URL, engine or connection."""
    check_role_name(role)
    with bind(db) as target:
        if target.dialect.name == "sqlite":
            return False
        with connect(target) as conn:
            return _exists(conn, role, host)


def _exists(conn: Connection, role: str, host: str) -> bool:
    if conn.dialect.name == "postgresql":
        return conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first() is not None
    grants = _mysql_grants(conn, role, host)
    return grants is not None


def _need_password(role: str, password: str | None) -> str:
    if not password:
        raise GuestlistError(
            f"role {role} is new and needs a password: --password, {READONLY_PASSWORD.name}, or the prompt"
        )
    return password


# --- PostgreSQL -------------------------------------------------------------


def _grant_postgresql(conn: Connection, role: str, password: str | None) -> GrantResult:
    ident = conn.dialect.identifier_preparer.quote_identifier(role)
    database, schema, me = conn.execute(sa.text("SELECT current_database(), current_schema(), current_user")).one()
    q_db = conn.dialect.identifier_preparer.quote_identifier(database)
    q_schema = conn.dialect.identifier_preparer.quote_identifier(schema)
    if role == me:
        raise GuestlistError(f"role {role} is the one running this command; choose a role of its own for reading")
    existing = conn.execute(
        sa.text(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls FROM pg_roles WHERE rolname = :r"
        ),
        {"r": role},
    ).first()
    if existing is not None and any(existing):
        raise GuestlistError(
            f"role {role} is a superuser or may create roles or databases; choose a role of its own for reading"
        )
    memberships = (
        conn.execute(
            sa.text(
                "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
                "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = :r ORDER BY 1"
            ),
            {"r": role},
        )
        .scalars()
        .all()
    )
    if memberships:
        raise GuestlistError(
            f"role {role} is a member of {', '.join(memberships)} and would have their privileges; "
            "revoke those memberships or choose another role"
        )
    owned = (
        conn.execute(
            sa.text(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = :s AND pg_get_userbyid(c.relowner) = :r ORDER BY 1 LIMIT 5"
            ),
            {"s": schema, "r": role},
        )
        .scalars()
        .all()
    )
    if owned:
        raise GuestlistError(f"role {role} owns {', '.join(owned)} (an owner may do anything); choose another role")

    attributes = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
    created = existing is None
    if created:
        password = _need_password(role, password)
    password_sql = f" PASSWORD {_pg_password_literal(conn, role, password)}" if password else ""
    verb = "CREATE" if created else "ALTER"
    conn.exec_driver_sql(f"{verb} ROLE {ident} {attributes}{password_sql}")

    for statement in (
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {q_schema} FROM {ident}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {q_schema} FROM {ident}",
        f"REVOKE ALL ON SCHEMA {q_schema} FROM {ident}",
        f"REVOKE ALL ON DATABASE {q_db} FROM {ident}",
        f"GRANT CONNECT ON DATABASE {q_db} TO {ident}",
        f"GRANT USAGE ON SCHEMA {q_schema} TO {ident}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {q_schema} TO {ident}",
        # Views and tables added by later migrations (run as this user) stay readable.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {q_schema} GRANT SELECT ON TABLES TO {ident}",
    ):
        conn.exec_driver_sql(statement)

    relations = _pg_verify(conn, role, database, schema)
    return GrantResult(role=role, created=created, password_set=bool(password), relations=relations)


def _pg_password_literal(conn: Connection, role: str, password: str) -> str:
    """A SCRAM verifier from libpq (the password itself never reaches the server)."""
    raw = conn.connection.driver_connection
    pgconn = getattr(raw, "pgconn", None)
    if pgconn is not None:  # psycopg 3
        verifier = pgconn.encrypt_password(password.encode(), role.encode(), b"scram-sha-256").decode()
    else:  # psycopg2 and others: let the driver quote the clear text
        return str(sa.literal(password).compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    if not re.fullmatch(r"[A-Za-z0-9+/=$:-]+", verifier):
        raise GuestlistError("libpq returned an unexpected password verifier")
    return f"'{verifier}'"


def _pg_verify(conn: Connection, role: str, database: str, schema: str) -> list[str]:
    """Ask the server what the role may do; refuse a result that could still write."""
    rows = (
        conn.execute(
            sa.text(
                "SELECT c.relname, c.relkind, has_table_privilege(:r, c.oid, 'SELECT') AS can_read, "
                + ", ".join(f"has_table_privilege(:r, c.oid, '{p}') AS {p.lower()}" for p in WRITE_PRIVILEGES)
                + ", has_any_column_privilege(:r, c.oid, 'INSERT') OR has_any_column_privilege(:r, c.oid, 'UPDATE') AS columns"
                " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = :s AND c.relkind IN ('r', 'v', 'm', 'p') ORDER BY c.relname"
            ),
            {"r": role, "s": schema},
        )
        .mappings()
        .all()
    )
    problems = [f"cannot read {r['relname']}" for r in rows if not r["can_read"]]
    problems += [
        f"may {p} {r['relname']}" for r in rows for p in (*[w.lower() for w in WRITE_PRIVILEGES], "columns") if r[p]
    ]
    may = conn.execute(
        sa.text("SELECT has_schema_privilege(:r, :s, 'CREATE'), has_database_privilege(:r, :d, 'CREATE')"),
        {"r": role, "s": schema, "d": database},
    ).one()
    if may[0]:
        problems.append(
            f"may create tables in schema {schema} (granted to PUBLIC, as before PostgreSQL 15: "
            f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC)"
        )
    if may[1]:
        problems.append(f"may create schemas in database {database} (granted to PUBLIC)")
    if problems:
        raise GuestlistError(
            f"role {role} would not be read-only: " + "; ".join(problems[:5]) + "; nothing was changed"
        )
    return [r["relname"] for r in rows]


# --- MariaDB ----------------------------------------------------------------


def mysql_native_hash(password: str) -> str:
    """The ``mysql_native_password`` hash, as ``PASSWORD()`` computes it, without sending the password."""
    return "*" + hashlib.sha1(hashlib.sha1(password.encode("utf-8")).digest()).hexdigest().upper()


def _run(conn: Connection, statement: str) -> Any:
    """exec_driver_sql for statements with a literal '%' (pymysql formats even without parameters)."""
    return conn.exec_driver_sql(statement.replace("%", "%%"))


def _account(role: str, host: str) -> str:
    return f"'{role}'@'{host}'"


def _mysql_grants(conn: Connection, role: str, host: str) -> list[str] | None:
    """SHOW GRANTS for the account, or None when it does not exist."""
    try:
        return list(_run(conn, f"SHOW GRANTS FOR {_account(role, host)}").scalars())
    except sa.exc.DBAPIError as exc:
        if getattr(exc.orig, "args", [None])[0] == 1141:  # ER_NONEXISTING_GRANT
            return None
        raise


def _grant_mysql(conn: Connection, role: str, password: str | None, host: str) -> GrantResult:
    account = _account(role, host)
    database = conn.exec_driver_sql("SELECT DATABASE()").scalar()
    if not database:
        raise GuestlistError("the database URL names no database")
    me = conn.exec_driver_sql("SELECT CURRENT_USER()").scalar() or ""
    if me == f"{role}@{host}":
        raise GuestlistError(f"account {account} is the one running this command; choose an account of its own")
    grants = _mysql_grants(conn, role, host)
    created = grants is None
    if not created:
        _mysql_refuse_broad(grants or [], account)
    if created:
        password = _need_password(role, password)
        _run(conn, f"CREATE USER {account} IDENTIFIED BY PASSWORD '{mysql_native_hash(password)}'")
        grants = _mysql_grants(conn, role, host) or []
    elif password:
        _run(conn, f"ALTER USER {account} IDENTIFIED BY PASSWORD '{mysql_native_hash(password)}'")

    revoked = []
    for grant in grants or []:
        target = _mysql_grant_target(grant, database)
        if target is None:
            continue
        _run(conn, f"REVOKE ALL PRIVILEGES ON {target} FROM {account}")
        if "WITH GRANT OPTION" in grant:
            _run(conn, f"REVOKE GRANT OPTION ON {target} FROM {account}")
        revoked.append(target)
    # '_' and '%' are wildcards in database-level grants: escape them, or the
    # grant would also cover gl_test2, glXtest and the like.
    _run(conn, f"GRANT SELECT ON {_mysql_db_pattern(database)}.* TO {account}")

    relations = _mysql_verify(conn, role, host, database)
    return GrantResult(role=account, created=created, password_set=bool(password), relations=relations, revoked=revoked)


def _mysql_refuse_broad(grants: list[str], account: str) -> None:
    """Server-wide privileges, roles and proxies reach beyond this database: not ours to strip."""
    for grant in grants:
        if not re.match(r"GRANT .+ ON .+ TO ", grant) or grant.startswith("GRANT PROXY"):
            raise GuestlistError(f"account {account} holds roles or proxy rights; choose an account of its own")
        if " ON *.* TO " in grant and not grant.startswith("GRANT USAGE ON *.*"):
            raise GuestlistError(f"account {account} has server-wide privileges; choose an account of its own")


def _mysql_db_pattern(database: str) -> str:
    escaped = database.replace("`", "``").replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%")
    return f"`{escaped}`"


def _mysql_grant_target(grant: str, database: str) -> str | None:
    """``db.*`` or ``db.table`` when a SHOW GRANTS line is about this database (escaped or not)."""
    for name in (f"`{database.replace('`', '``')}`", _mysql_db_pattern(database)):
        match = re.search(rf" ON ({re.escape(name)}\.(?:\*|`(?:[^`]|``)+`)) TO ", grant)
        if match:
            return match.group(1)
    return None


def _mysql_verify(conn: Connection, role: str, host: str, database: str) -> list[str]:
    """The account's grants on this database are exactly SELECT on all of it."""
    grants = _mysql_grants(conn, role, host) or []
    account = _account(role, host)
    _mysql_refuse_broad(grants, account)
    ours = [g for g in grants if _mysql_grant_target(g, database) is not None]
    for grant in grants:
        pattern = re.search(r" ON `((?:[^`]|``)+)`\.", grant)
        if pattern and grant not in ours:
            like = pattern.group(1).replace("``", "`")
            if conn.execute(sa.text("SELECT :d LIKE :p"), {"d": database, "p": like}).scalar():
                raise GuestlistError(
                    f"account {account} reaches this database through the grant pattern {like!r}; remove it first"
                )
    expected = f"GRANT SELECT ON {_mysql_db_pattern(database)}.* TO `{role}`@`{host}`"
    if ours != [expected]:
        raise GuestlistError(f"account {account} would not be read-only: its grants here are {ours}")
    return list(
        conn.execute(
            sa.text("SELECT table_name FROM information_schema.tables WHERE table_schema = :d ORDER BY 1"),
            {"d": database},
        ).scalars()
    )
