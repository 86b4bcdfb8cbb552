"""Bulk loading against the databases' own import tools, re-seeding, memory, reports, start-up.

    python -m tests.benchmarks.bulk_load [--persons N --events M --participations K] [--smoke] [--json FILE]
    python -m tests.benchmarks.bulk_load --search-only [--pairs N]

Everything is measured in one run on one machine, side by side:

- SQLite: ``guestlist seed`` of the generated documents into a fresh database
  (at head, holding the reference states the documents refer to) against
  the ``sqlite3`` shell importing the same final rows as CSV into the same
  tables, and against ``sqlite-utils insert`` of the same CSV files. The
  shell's ``.import`` cannot write NULL, so each table is imported into a
  temporary table and copied over with ``NULLIF`` in one INSERT ... SELECT,
  all in C, in one transaction: the floor.
- PostgreSQL (when ``GUESTLIST_TEST_POSTGRES_URL`` or ``--postgres-url`` is
  set): the same load against ``psql \\copy`` of the same final rows.
- Re-seed of the unchanged documents: time, and rows written (the loader's
  added + changed, checked against the SQLite file's bytes and PostgreSQL's
  own tuple counters). The loader's ledger skips the bulk files it holds, so
  a re-seed with ``--recheck``, which reads and compares every row, is
  measured beside it (no target: what a full verification costs).
- Peak RSS of the ``guestlist seed`` process (its rusage, from ``wait4``).
- Median latency of the reports at full size, with their query plans: a
  state's record both as its first page and whole, each against the target.
- Full-text search (docs/search.md): the first seed with the live search
  index against ``guestlist seed --no-search-index`` of the same documents
  (SQLite and PostgreSQL), and the median of a one-word search (a generated
  person's family name) once the index is checked equal to the rows.
- ``guestlist --help`` against ``python -c "import click"``.

``--search-only`` runs just the search-index lines (the seed with against
without the live index, ``--pairs`` alternating pairs per database, with
the CPU time of each seed process, and the one-word search medians), so
they can be measured at full size without the slow baselines.

``--smoke`` runs a tiny size and asserts correctness instead of timing
targets: equal row counts everywhere, zero rows written on re-seed, and no
report plan that scans the participation or claim tables in full.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
# Tables the generated documents fill, parents first.
TABLES = ("sources", "organizations", "memberships", "offices", "persons", "positions", "events",
          "attendance", "attendance_claims", "attendance_counts")
GENERATED = {"participant_key"}
SKIPPED = "bulk files not read: unchanged since loaded in full"  # what a re-seed that skips says
TARGETS = {
    "sqlite_vs_import": 2.0,
    "postgres_vs_copy": 2.0,
    "reseed_vs_load": 0.5,
    "rss_mb": 300,
    "report_ms": 10.0,
    "help_vs_click": 1.5,
    "search_ms": 20.0,
    "index_vs_none": 1.15,
}


@dataclass
class Run:
    wall: float
    rss_mb: float
    stdout: str
    stderr: str
    cpu: float = 0.0  # user + sys of that process: steadier than wall time on a shared machine


@dataclass
class Row:
    measure: str
    value: float | None
    reference: float | None = None
    unit: str = "s"
    target: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.reference:
            return None
        return self.value / self.reference


@dataclass
class Results:
    sizes: dict[str, int]
    rows: list[Row] = field(default_factory=list)
    plans: dict[str, Any] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        print(f"  {row.measure}: {_fmt(row.value, row.unit)}" + (f" (reference {_fmt(row.reference, row.unit)})" if row.reference else ""), flush=True)

    def check(self, ok: bool, what: str) -> None:
        if not ok:
            self.failures.append(what)
            print(f"  CHECK FAILED: {what}", flush=True)


# -- processes -----------------------------------------------------------------------
def run(cmd: list[str], *, stdin: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run a command to completion; wall time and the peak RSS of that very process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        handle = stdin.open("rb") if stdin else subprocess.DEVNULL
        try:
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, stdin=handle, stdout=out, stderr=err, env=env)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
        finally:
            if stdin:
                handle.close()  # type: ignore[union-attr]
        out.seek(0)
        err.seek(0)
        result = Run(wall, usage.ru_maxrss / 1024, out.read().decode(errors="replace"), err.read().decode(errors="replace"),
                     usage.ru_utime + usage.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark: {' '.join(cmd)} failed ({proc.returncode}):\n{result.stderr[-2000:]}")
    return result


def guestlist() -> list[str]:
    script = Path(sys.executable).with_name("guestlist")
    return [str(script)] if script.exists() else [sys.executable, "-m", "guestlist"]


def seed(url: str, data: Path, *options: str) -> tuple[Run, tuple[int, int, int]]:
    result = run([*guestlist(), "--database-url", url, "seed", *options, str(data)])
    found = re.findall(r"(\d+) added, (\d+) changed, (\d+) unchanged", result.stdout + result.stderr)
    if not found:
        raise SystemExit(f"benchmark: no summary line in the seed output:\n{result.stdout[-1000:]}")
    added, changed, unchanged = (int(x) for x in found[-1])
    return result, (added, changed, unchanged)


def digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# -- databases -----------------------------------------------------------------------
def base_database(url: str) -> None:
    """At head, with the reference states the generated documents refer to."""
    from guestlist.models.db.migrate import upgrade
    from guestlist.seeds.loader import bundled, load

    upgrade(url)
    load(url, bundled()[:1])


def counts(url: str) -> dict[str, int]:
    from guestlist.models.db import create_engine

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {t: int(conn.exec_driver_sql(f"SELECT COUNT(*) FROM {t}").scalar() or 0) for t in TABLES}
    finally:
        engine.dispose()


def max_ids(url: str) -> dict[str, int]:
    from guestlist.models.db import create_engine

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {t: int(conn.exec_driver_sql(f"SELECT COALESCE(MAX(id), 0) FROM {t}").scalar()) for t in TABLES}
    finally:
        engine.dispose()


def columns_of(url: str, table: str) -> list[str]:
    from guestlist.models.db import create_engine

    engine = create_engine(url)
    try:
        return [c["name"] for c in sa.inspect(engine).get_columns(table) if c["name"] not in GENERATED]
    finally:
        engine.dispose()


# -- search index: with against without --------------------------------------------------
def index_row(label: str, live: Run | list[Run], bare: Run | list[Run]) -> Row:
    """The seed with the live index against the seed without, by wall time (the target) and by
    CPU time of the seed process (in the note: less moved by other work on the machine)."""
    lives, bares = (live if isinstance(live, list) else [live]), (bare if isinstance(bare, list) else [bare])
    wall, ref = statistics.median(r.wall for r in lives), statistics.median(r.wall for r in bares)
    cpu, cpu_ref = statistics.median(r.cpu for r in lives), statistics.median(r.cpu for r in bares)
    runs = f"median of {len(lives)} pairs; " if len(lives) > 1 else ""
    return Row(f"{label}: seed with the live search index vs without", wall, ref,
               target=f"<= {TARGETS['index_vs_none']}x", met=wall <= TARGETS["index_vs_none"] * ref,
               note=f"{runs}{'client ' if label == 'PostgreSQL' else ''}CPU {cpu:.1f} s vs {cpu_ref:.1f} s = {cpu / cpu_ref:.2f}x"
                    f"{' (the server does the indexing)' if label == 'PostgreSQL' else ''}; load {_load()}")


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def bench_index_only(results: Results, work: Path, data: Path, admin: str | None, pairs: int) -> None:
    """``--search-only``: the seed with and without the live index, in alternating pairs, and the
    one-word search medians, on SQLite and (with an admin URL) PostgreSQL; nothing else."""
    base = work / "base.db"
    base_database(f"sqlite:///{base}")
    lives, bares = [], []
    for i in range(pairs):
        for kind, runs, options in (("live", lives, ()), ("bare", bares, ("--no-search-index",))):
            target = work / f"{kind}.db"
            shutil.copy(base, target)
            print(f"SQLite: guestlist seed {' '.join(options)} (pair {i + 1} of {pairs}, load {_load()})", flush=True)
            runs.append(seed(f"sqlite:///{target}", data, *options)[0])
            print(f"  {runs[-1].wall:.2f} s wall, {runs[-1].cpu:.2f} s CPU", flush=True)
    results.add(index_row("SQLite", lives, bares))
    bench_search(results, f"sqlite:///{work / 'live.db'}", "sqlite")
    if not admin:
        print("PostgreSQL: skipped (set GUESTLIST_TEST_POSTGRES_URL or --postgres-url)", flush=True)
        return
    from tests.support.databases import new_database

    os.environ.setdefault("GUESTLIST_TEST_POSTGRES_URL", admin)
    lives, bares = [], []
    for i in range(pairs):
        for kind, runs, options in (("bare", bares, ("--no-search-index",)), ("live", lives, ())):
            with new_database("postgresql", work, "empty") as url:
                base_database(url)
                print(f"PostgreSQL: guestlist seed {' '.join(options)} (pair {i + 1} of {pairs}, load {_load()})", flush=True)
                runs.append(seed(url, data, *options)[0])
                print(f"  {runs[-1].wall:.2f} s wall, {runs[-1].cpu:.2f} s CPU of the seed process", flush=True)
                if kind == "live" and i == pairs - 1:
                    results.add(index_row("PostgreSQL", lives, bares))
                    bench_search(results, url, "postgresql")


# -- SQLite --------------------------------------------------------------------------
def sqlite_floor_files(seeded: Path, base_ids: dict[str, int], url: str, out: Path) -> Path:
    """CSV of every row the seed added, and the sqlite3 script that imports them."""
    out.mkdir(parents=True, exist_ok=True)
    script = [".mode csv", "BEGIN;"]
    for table in TABLES:
        cols = columns_of(url, table)
        csv_path = out / f"{table}.csv"
        with csv_path.open("w") as handle:
            subprocess.run(["sqlite3", "-csv", "-header", str(seeded),
                            f"SELECT {', '.join(cols)} FROM {table} WHERE id > {base_ids[table]} ORDER BY id"],
                           stdout=handle, check=True)
        if csv_path.stat().st_size == 0:
            csv_path.unlink()
            continue
        script.append(f".import --schema temp {csv_path} raw_{table}")
        script.append(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(f'NULLIF({c}, {chr(39) * 2})' for c in cols)} "
                      f"FROM temp.raw_{table};")
    script.append("COMMIT;")
    path = out / "import.sql"
    path.write_text("\n".join(script) + "\n")
    return path


def bench_sqlite(results: Results, work: Path, data: Path) -> Path:
    base = work / "base.db"
    base_database(f"sqlite:///{base}")
    base_ids = max_ids(f"sqlite:///{base}")

    seeded = work / "seeded.db"
    shutil.copy(base, seeded)
    url = f"sqlite:///{seeded}"
    print("SQLite: guestlist seed", flush=True)
    first, summary = seed(url, data)
    results.facts["sqlite_first_seed"] = dict(zip(("added", "changed", "unchanged"), summary))
    loaded = counts(url)
    results.facts["rows"] = loaded

    bare_db = work / "bare.db"
    shutil.copy(base, bare_db)
    print("SQLite: guestlist seed --no-search-index", flush=True)
    bare, _ = seed(f"sqlite:///{bare_db}", data, "--no-search-index")
    results.add(index_row("SQLite", first, bare))
    bare_db.unlink()

    before = digest(seeded)
    print("SQLite: re-seed", flush=True)
    again, (added, changed, _) = seed(url, data)
    unchanged_file = digest(seeded) == before
    results.check(added + changed == 0, f"SQLite re-seed wrote {added} added + {changed} changed rows")
    results.check(unchanged_file, "SQLite re-seed changed the database file")
    results.check(SKIPPED in again.stdout, "SQLite re-seed read bulk files the ledger holds")
    print("SQLite: re-seed --recheck", flush=True)
    recheck, (added_r, changed_r, _) = seed(url, data, "--recheck")
    results.check(added_r + changed_r == 0, f"SQLite re-seed --recheck wrote {added_r} added + {changed_r} changed rows")

    print("SQLite: floor (sqlite3 .import) and sqlite-utils", flush=True)
    script = sqlite_floor_files(seeded, base_ids, url, work / "floor")
    floor_db = work / "floor.db"
    shutil.copy(base, floor_db)
    floor = run(["sqlite3", str(floor_db)], stdin=script)
    results.check(counts(f"sqlite:///{floor_db}") == loaded, "sqlite3 .import gave other row counts")

    utils_db = work / "utils.db"
    shutil.copy(base, utils_db)
    utils_time = 0.0
    for table in TABLES:
        csv_path = work / "floor" / f"{table}.csv"
        if csv_path.exists():
            utils_time += run([str(Path(sys.executable).with_name("sqlite-utils")), "insert", str(utils_db), table,
                               str(csv_path), "--csv", "--empty-null"]).wall
    results.check(counts(f"sqlite:///{utils_db}") == loaded, "sqlite-utils gave other row counts")

    results.add(Row("SQLite: guestlist seed vs sqlite3 .import", first.wall, floor.wall,
                    target=f"<= {TARGETS['sqlite_vs_import']}x", met=first.wall <= TARGETS["sqlite_vs_import"] * floor.wall))
    results.add(Row("SQLite: guestlist seed vs sqlite-utils insert", first.wall, utils_time,
                    target="< 1x", met=first.wall < utils_time))
    results.add(Row("SQLite: re-seed vs first load", again.wall, first.wall, target=f"<= {TARGETS['reseed_vs_load']}x",
                    met=again.wall <= TARGETS["reseed_vs_load"] * first.wall and added + changed == 0 and unchanged_file,
                    note=f"rows written {added + changed}; file {'unchanged' if unchanged_file else 'CHANGED'}"))
    results.add(Row("SQLite: re-seed --recheck vs first load", recheck.wall, first.wall,
                    note=f"every row read and compared; rows written {added_r + changed_r}"))
    results.add(Row("guestlist seed peak RSS", first.rss_mb, unit="MB", target=f"<= {TARGETS['rss_mb']} MB",
                    met=first.rss_mb <= TARGETS["rss_mb"], note="SQLite, first load"))
    results.facts["sqlite_reseed_rss_mb"] = again.rss_mb
    return seeded


# -- PostgreSQL ------------------------------------------------------------------------
def libpq(url: str) -> str:
    return re.sub(r"^postgresql\+\w+://", "postgresql://", url)


def pg_written(url: str) -> int:
    from guestlist.models.db import create_engine

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.exec_driver_sql(
                "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables WHERE schemaname = 'public'"
            ).scalar())
    finally:
        engine.dispose()


def bench_postgres(results: Results, work: Path, data: Path, admin: str, smoke: bool) -> str | None:
    from tests.support.databases import new_database

    os.environ.setdefault("GUESTLIST_TEST_POSTGRES_URL", admin)
    with new_database("postgresql", work, "empty") as url, new_database("postgresql", work, "empty") as floor_url:
        base_database(url)
        base_ids = max_ids(url)
        print("PostgreSQL: guestlist seed", flush=True)
        first, _ = seed(url, data)
        with new_database("postgresql", work, "empty") as bare_url:
            base_database(bare_url)
            print("PostgreSQL: guestlist seed --no-search-index", flush=True)
            bare, _ = seed(bare_url, data, "--no-search-index")
        results.add(index_row("PostgreSQL", first, bare))
        loaded = counts(url)
        time.sleep(1.5)  # the seed's backend has exited; its tuple counters are flushed
        written_before = pg_written(url)
        print("PostgreSQL: re-seed", flush=True)
        again, (added, changed, _) = seed(url, data)
        time.sleep(1.5)
        written = pg_written(url) - written_before
        results.check(added + changed == 0, f"PostgreSQL re-seed reported {added} added + {changed} changed")
        results.check(written == 0, f"PostgreSQL re-seed wrote {written} tuples (pg_stat_user_tables)")
        results.check(SKIPPED in again.stdout, "PostgreSQL re-seed read bulk files the ledger holds")
        print("PostgreSQL: re-seed --recheck", flush=True)
        recheck, (added_r, changed_r, _) = seed(url, data, "--recheck")
        results.check(added_r + changed_r == 0, f"PostgreSQL re-seed --recheck wrote {added_r} added + {changed_r} changed rows")

        print("PostgreSQL: floor (psql \\copy)", flush=True)
        out = work / "pgfloor"
        out.mkdir(exist_ok=True)
        script = []
        for table in TABLES:
            cols = ", ".join(columns_of(url, table))
            path = out / f"{table}.csv"
            subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", libpq(url), "-c",
                            f"\\copy (SELECT {cols} FROM {table} WHERE id > {base_ids[table]} ORDER BY id) TO '{path}' CSV HEADER"],
                           check=True)
            script.append(f"\\copy {table} ({cols}) FROM '{path}' CSV HEADER")
        (out / "copy.sql").write_text("\n".join(script) + "\n")
        base_database(floor_url)
        floor = run(["psql", "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-f", str(out / "copy.sql"), libpq(floor_url)])
        results.check(counts(floor_url) == loaded, "psql \\copy gave other row counts")
        results.add(Row("PostgreSQL: guestlist seed vs psql \\copy", first.wall, floor.wall,
                        target=f"<= {TARGETS['postgres_vs_copy']}x", met=first.wall <= TARGETS["postgres_vs_copy"] * floor.wall))
        results.add(Row("PostgreSQL: re-seed vs first load", again.wall, first.wall, target=f"<= {TARGETS['reseed_vs_load']}x",
                        met=again.wall <= TARGETS["reseed_vs_load"] * first.wall and written == 0,
                        note=f"tuples written {written}"))
        results.add(Row("PostgreSQL: re-seed --recheck vs first load", recheck.wall, first.wall,
                        note=f"every row read and compared; rows written {added_r + changed_r}"))
        results.facts["postgres_rss_mb"] = first.rss_mb
        bench_reports(results, url, "postgresql", smoke)
        bench_search(results, url, "postgresql")
    return None


# -- reports ---------------------------------------------------------------------------
def bench_reports(results: Results, url: str, dialect: str, smoke: bool, runs: int = 21) -> None:
    from guestlist.models.db import create_engine
    from tests.support.plans import pick_arguments, report_calls, report_plans

    engine = create_engine(url)
    try:
        if dialect == "postgresql":
            with engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
        with engine.connect() as conn:
            args = pick_arguments(conn)
        plans = report_plans(engine, args, index_only=smoke and dialect == "postgresql")
        results.plans[dialect] = {"arguments": asdict(args), "reports": [asdict(p) for p in plans]}
        with engine.connect() as conn:
            for (name, call), plan in zip(report_calls(args).items(), plans):
                rows = call(conn)  # warm
                if name.endswith("(whole record)"):  # how much a whole record is, beside its time
                    name = f"{name[:-1]}, {len(rows):,} rows)"
                times = []
                for _ in range(runs):
                    start = time.perf_counter()
                    call(conn)
                    times.append(time.perf_counter() - start)
                median_ms = statistics.median(times) * 1000
                results.check(not plan.scans, f"{dialect} {name} scans in full: {plan.scans}")
                limit = TARGETS["report_ms"] if dialect == "sqlite" else None
                results.add(Row(f"{'SQLite' if dialect == 'sqlite' else 'PostgreSQL'}: report {name} (median)", median_ms,
                                unit="ms", target=f"<= {limit} ms, no full scan" if limit else "no full scan",
                                met=(median_ms <= limit if limit else True) and not plan.scans,
                                note="plan: " + ("full scan" if plan.scans else "index lookups only")))
    finally:
        engine.dispose()


# -- search ------------------------------------------------------------------------------
def bench_search(results: Results, url: str, dialect: str, runs: int = 21) -> None:
    """Median of a one-word search (a generated person's family name, in a handful of entries),
    after checking that the index the seed built equals the rows."""
    from guestlist.models.db import create_engine
    from guestlist.models.search import search, stale

    label = "SQLite" if dialect == "sqlite" else "PostgreSQL"
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            out_of_step = stale(conn)
            results.check(not out_of_step, f"{label} search index out of step with the rows: {out_of_step}")
            entries = conn.execute(sa.text("SELECT COUNT(*) FROM search_entries")).scalar_one()
            name = conn.execute(sa.text("SELECT name FROM persons ORDER BY id DESC LIMIT 1")).scalar_one()
            word = name.split()[-1]
            hits = search(word, db=conn)  # warm
            results.check(bool(hits), f"{label} search for {word!r} found nothing")
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                search(word, db=conn)
                times.append(time.perf_counter() - start)
        median_ms = statistics.median(times) * 1000
        results.facts[f"{dialect}_search_entries"] = entries
        results.add(Row(f"{label}: one-word search (median)", median_ms, unit="ms", target=f"<= {TARGETS['search_ms']} ms",
                        met=median_ms <= TARGETS["search_ms"], note=f"{word!r}: {len(hits)} hits among {entries:,} entries"))
    finally:
        engine.dispose()


# -- start-up ----------------------------------------------------------------------------
def bench_startup(results: Results, runs: int = 15) -> None:
    """Medians of interleaved runs, so both commands see the same machine load."""
    click_cmd, help_cmd = [sys.executable, "-c", "import click"], [*guestlist(), "--help"]
    run(click_cmd), run(help_cmd)  # warm the file cache
    pairs = [(run(click_cmd).wall, run(help_cmd).wall) for _ in range(runs)]
    click_time = statistics.median(c for c, _ in pairs)
    help_time = statistics.median(h for _, h in pairs)
    results.add(Row("guestlist --help vs python -c 'import click'", help_time, click_time,
                    target=f"<= {TARGETS['help_vs_click']}x", met=help_time <= TARGETS["help_vs_click"] * click_time))


# -- output ------------------------------------------------------------------------------
def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value:.2f} s" if value >= 0.1 else f"{value * 1000:.0f} ms"
    if unit == "ms":
        return f"{value:.2f} ms"
    return f"{value:.0f} {unit}"


def table(results: Results) -> str:
    head = ("measure", "guestlist", "reference", "ratio", "target", "met", "note")
    lines = [head]
    for r in results.rows:
        lines.append((r.measure, _fmt(r.value, r.unit), _fmt(r.reference, r.unit) if r.reference else "",
                      f"{r.ratio:.2f}x" if r.ratio is not None else "", r.target,
                      "" if r.met is None else ("yes" if r.met else "NO"), r.note))
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(head))]
    out = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(line, widths)) + " |" for line in lines]
    out.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--participations", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--smoke", action="store_true", help="tiny size; assert correctness, not timings")
    parser.add_argument("--search-only", action="store_true",
                        help="only the seed with against without the live search index, and the search medians")
    parser.add_argument("--pairs", type=int, default=1, help="with --search-only: alternating seed pairs per database")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    parser.add_argument("--workdir", type=Path, help="keep the data and databases here (default: a temporary folder)")
    parser.add_argument("--postgres-url", default=os.environ.get("GUESTLIST_TEST_POSTGRES_URL"),
                        help="an admin URL whose server may create throw-away databases (default: GUESTLIST_TEST_POSTGRES_URL)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.persons, args.events, args.participations = 300, 40, 1500
    sys.path.insert(0, str(ROOT))
    work = args.workdir or Path(tempfile.mkdtemp(prefix="guestlist-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    sizes = {"persons": args.persons, "events": args.events, "participations": args.participations}
    results = Results(sizes)
    try:
        data = work / "data"
        shutil.rmtree(data, ignore_errors=True)
        print(f"generating {sizes} into {data}", flush=True)
        made = run([sys.executable, "-m", "guestlist.seeds.synthetic", "--persons", str(args.persons), "--events", str(args.events),
                    "--participations", str(args.participations), "--out", str(data), "--seed", str(args.seed)])
        results.facts["generate_s"] = round(made.wall, 2)
        results.facts["csv_bytes"] = sum(p.stat().st_size for p in data.glob("*.csv"))
        if args.search_only:
            bench_index_only(results, work, data, args.postgres_url, args.pairs)
            return finish(args, sizes, results)
        seeded = bench_sqlite(results, work, data)
        bench_reports(results, f"sqlite:///{seeded}", "sqlite", args.smoke)
        bench_search(results, f"sqlite:///{seeded}", "sqlite")
        if args.postgres_url:
            bench_postgres(results, work, data, args.postgres_url, args.smoke)
        else:
            print("PostgreSQL: skipped (set GUESTLIST_TEST_POSTGRES_URL or --postgres-url)", flush=True)
        bench_startup(results, runs=5 if args.smoke else 15)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    return finish(args, sizes, results)


def finish(args: argparse.Namespace, sizes: dict[str, int], results: Results) -> int:
    """The table, the JSON file if asked, and the exit status."""
    print()
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(
            {"sizes": sizes, "rows": [{**asdict(r), "ratio": r.ratio} for r in results.rows], "facts": results.facts,
             "plans": results.plans, "failures": results.failures}, indent=2, default=str))
    if results.failures:
        print("\nfailed checks:\n- " + "\n- ".join(results.failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
