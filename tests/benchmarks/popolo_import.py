"""Popolo import at scale against the seed loader, side by side, on every database.

    python -m tests.benchmarks.popolo_import [--persons N] [--smoke] [--json FILE]

One run generates the synthetic seed documents (``guestlist.seeds.synthetic``: YAML and
CSV bulk files) and, from exactly those records, a Popolo document in the
format ``guestlist export popolo`` writes (written object by object, never
held). Then, per database (SQLite always; PostgreSQL and MariaDB when
``GUESTLIST_TEST_POSTGRES_URL`` / ``GUESTLIST_TEST_MYSQL_URL`` are set), two
fresh databases holding the reference states: ``guestlist seed`` of the
folder into one, ``guestlist import popolo`` of the document into the other.
Reported: records, seconds of each, their ratio (target <= 2x), the CPU
seconds of each process (what the wall clock shows on a machine shared with
other work is partly waiting for a core) and the peak
RSS of the import process (its rusage from ``wait4``, which is VmHWM;
target <= 400 MB). Both databases must end with the same row counts.

``--smoke`` runs a tiny size and checks correctness only (equal rows, and a
second import that changes nothing); its timings are printed, not judged.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import resource
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import yaml

from tests.benchmarks.bulk_load import ROOT, TABLES, base_database, counts, guestlist, run

TARGET_RATIO = 2.0
TARGET_RSS_MB = 400


# -- the document ------------------------------------------------------------------------
def _rows(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            yield {k: v for k, v in row.items() if v != ""}


def _ints(row: dict[str, Any], *names: str) -> dict[str, Any]:
    return {**row, **{n: int(row[n]) for n in names if n in row}}


def write_popolo(data: Path, out: Path) -> int:
    """The records of the synthetic folder ``data`` as one Popolo document; returns persons written."""
    docs = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(data.glob("*.yaml"))}
    people, calendar, wire = docs["01-people.yaml"], docs["02-events.yaml"], docs["03-attendance.yaml"]
    sources = [people["source"], calendar["source"], wire["source"], *wire["sources"]]
    registry, events_source, wire_source = people["source"]["slug"], calendar["source"]["slug"], wire["source"]["slug"]
    persons = 0
    with out.open("w", encoding="utf-8") as handle:
        def put(obj: Any) -> None:
            handle.write(json.dumps(obj, ensure_ascii=False, default=str, separators=(",", ":")))

        handle.write('{"guestlist":')
        put({"format": "guestlist-popolo/1", "sources": [{k: v for k, v in s.items() if v is not None} for s in sources]})
        handle.write(',"persons":[')
        for i, row in enumerate(_rows(data / "persons.csv")):
            handle.write("," if i else "")
            put({"id": f"person/{row['slug']}", "name": row["name"], "sort_name": row.get("sort_name"),
                 **({"birth_date": row["birth_date"]} if "birth_date" in row else {}),
                 "guestlist": {"slug": row["slug"], "source": registry}})
            persons += 1
        handle.write('],"organizations":[')
        for i, org in enumerate(people["organizations"]):
            handle.write("," if i else "")
            put({"id": f"organization/{org['slug']}", "name": org["name"], "founding_date": org["founded_on"],
                 "guestlist": {"slug": org["slug"], "kind": org["kind"], "abbreviation": org["abbreviation"], "source": registry}})
        handle.write('],"posts":[')
        for i, office in enumerate(people["offices"]):
            handle.write("," if i else "")
            put({"id": f"post/{office['slug']}", "label": office["title"], "organization_id": f"state/{office['state']}",
                 "guestlist": {"slug": office["slug"], "state": office["state"], "seats": office["seats"],
                               "source": registry}})
        handle.write('],"memberships":[')
        first = True
        for m in people["memberships"]:
            handle.write("" if first else ",")
            first = False
            put({"member": {"id": f"state/{m['state']}"}, "organization_id": f"organization/{m['organization']}",
                 "start_date": m["joined_on"], **({"end_date": m["left_on"]} if m.get("left_on") else {}),
                 "guestlist": {"state": m["state"], "organization": m["organization"], "source": registry}})
        for row in _rows(data / "positions.csv"):
            handle.write("" if first else ",")
            first = False
            put({"person_id": f"person/{row['person']}", "label": row["title"], "role": row["capacity"],
                 "post_id": f"post/{row['office']}", "on_behalf_of_id": f"state/{row['state']}",
                 "start_date": row["start_on"], **({"end_date": row["end_on"]} if "end_on" in row else {}),
                 "guestlist": {"person": row["person"], "office": row["office"], "capacity": row["capacity"],
                               "state": row["state"], "tenure": row["tenure"], "evidence": row["evidence"],
                               "source": registry}})
        handle.write('],"events":[')
        attendance = _peekable(_rows(data / "attendance.csv"))
        tallies = _peekable(_rows(data / "counts.csv"))
        for i, row in enumerate(_rows(data / "events.csv")):
            handle.write("," if i else "")
            slug = row["slug"]
            ext = _ints({k: v for k, v in row.items() if k not in ("name", "description")}, "duration_minutes", "troops")
            ext["prospective"] = ext.get("prospective") == "true"
            ext["source"] = events_source
            event: dict[str, Any] = {"id": f"event/{slug}", "name": row["name"], "guestlist": ext}
            if "description" in row:
                event["description"] = row["description"]
            attendees: dict[tuple[str, str], dict[str, Any]] = {}
            while attendance.peek() is not None and attendance.peek()["event"] == slug:  # type: ignore[index]
                a = next(attendance)
                key = (a.get("person", ""), a["state"])
                if key not in attendees:
                    attendees[key] = {**({"id": f"person/{a['person']}"} if "person" in a else {}), "guestlist": {
                        **({"person": a["person"]} if "person" in a else {}), "state": a["state"], "role": a["role"],
                        "capacity": a["capacity"], **({"description": a["description"]} if "description" in a else {}),
                        "claims": []}}
                attendees[key]["guestlist"]["claims"].append(
                    {"status": a["status"], "reported_on": a["reported_on"], "quote": a["quote"], "source": a["source"]})
            if attendees:
                event["attendees"] = list(attendees.values())
            counted = []
            while tallies.peek() is not None and tallies.peek()["event"] == slug:  # type: ignore[index]
                c = _ints(next(tallies), "count")
                counted.append({k: v for k, v in c.items() if k != "event"} | {"source": wire_source})
            if counted:
                ext["counts"] = counted
            put(event)
        handle.write("]}\n")
    return persons


class _peekable:
    def __init__(self, items: Iterator[dict[str, Any]]):
        self.items, self.head = items, next(items, None)

    def peek(self) -> dict[str, Any] | None:
        return self.head

    def __next__(self) -> dict[str, Any]:
        head, self.head = self.head, next(self.items, None)
        assert head is not None
        return head


def generate(work: Path, persons: int, seed: int = 1) -> tuple[Path, Path]:
    """The synthetic folder and its Popolo document for ``persons`` persons (events and participations scale with it)."""
    data, doc = work / "data", work / "popolo.json"
    shutil.rmtree(data, ignore_errors=True)
    events = max(40, persons // 15)
    run([sys.executable, "-m", "guestlist.seeds.synthetic", "--persons", str(persons), "--events", str(events),
         "--participations", str(persons), "--out", str(data), "--seed", str(seed)])
    write_popolo(data, doc)
    return data, doc


# -- measuring -------------------------------------------------------------------------------
def summary(text: str) -> tuple[int, int, int]:
    found = re.findall(r"(\d+) added, (\d+) changed, (\d+) unchanged", text)
    if not found:
        raise SystemExit(f"benchmark: no summary line in:\n{text[-1000:]}")
    return tuple(int(x) for x in found[-1])  # type: ignore[return-value]


def cpu(function: Any, *args: Any) -> tuple[Any, float]:
    """``function(*args)`` and the CPU seconds (user + system) of the child processes it waited for.

    On a machine shared with other work the wall clock also counts time spent
    waiting for a core; the CPU seconds show the work itself.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = function(*args)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return result, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def bench(dialect: str, work: Path, data: Path, doc: Path, smoke: bool, failures: list[str]) -> dict[str, Any]:
    from tests.support.databases import new_database

    with ExitStack() as stack:
        seed_url = stack.enter_context(new_database(dialect, work, "empty"))
        import_url = stack.enter_context(new_database(dialect, work, "empty"))
        for url in (seed_url, import_url):
            base_database(url)
        before = counts(import_url)
        print(f"{dialect}: guestlist seed", flush=True)
        seeded, seed_cpu = cpu(run, [*guestlist(), "--database-url", seed_url, "seed", str(data)])
        print(f"{dialect}: guestlist import popolo", flush=True)
        imported, import_cpu = cpu(run, [*guestlist(), "--database-url", import_url, "import", "popolo", str(doc)])
        loaded, got = counts(seed_url), counts(import_url)
        if loaded != got:
            failures.append(f"{dialect}: import gave {got}, seed gave {loaded}")
        records = sum(got[t] - before[t] for t in TABLES)
        row = {"database": dialect, "records": records, "seed_s": round(seeded.wall, 2),
               "import_s": round(imported.wall, 2), "ratio": round(imported.wall / seeded.wall, 2),
               "seed_cpu_s": round(seed_cpu, 2), "import_cpu_s": round(import_cpu, 2),
               "cpu_ratio": round(import_cpu / seed_cpu, 2) if seed_cpu else None,
               "seed_rss_mb": round(seeded.rss_mb), "import_rss_mb": round(imported.rss_mb),
               "load": "/".join(f"{x:.1f}" for x in os.getloadavg())}  # the machine's, as the import ended
        if smoke:
            again = run([*guestlist(), "--database-url", import_url, "import", "popolo", str(doc)])
            added, changed, _ = summary(again.stdout)
            if added or changed:
                failures.append(f"{dialect}: a second import wrote {added} added + {changed} changed")
        else:
            if row["ratio"] > TARGET_RATIO:
                failures.append(f"{dialect}: import took {row['ratio']}x the seed (target <= {TARGET_RATIO}x)")
            if row["import_rss_mb"] > TARGET_RSS_MB:
                failures.append(f"{dialect}: import peaked at {row['import_rss_mb']} MB (target <= {TARGET_RSS_MB} MB)")
        print(f"  {row}", flush=True)
        return row


def table(rows: list[dict[str, Any]]) -> str:
    head = ["database", "records", "seed_s", "import_s", "ratio", "seed_cpu_s", "import_cpu_s", "cpu_ratio",
            "seed_rss_mb", "import_rss_mb", "load"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(str(r[h]) for h in head) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=300_000)
    parser.add_argument("--smoke", action="store_true", help="tiny size; check correctness, not timings")
    parser.add_argument("--dialects", default="sqlite,postgresql,mysql")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    parser.add_argument("--workdir", type=Path, help="keep the data and databases here (default: a temporary folder)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.persons = 300
    sys.path.insert(0, str(ROOT))
    from tests.support.databases import server_url

    work = args.workdir or Path(tempfile.mkdtemp(prefix="guestlist-popolo-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    failures: list[str] = []
    try:
        print(f"generating {args.persons} persons into {work}", flush=True)
        data, doc = generate(work, args.persons)
        print(f"  Popolo document: {doc.stat().st_size / 2**20:.1f} MiB", flush=True)
        for dialect in args.dialects.split(","):
            if dialect != "sqlite" and not server_url(dialect):
                print(f"{dialect}: skipped (no server URL in the environment)", flush=True)
                continue
            rows.append(bench(dialect, work, data, doc, args.smoke, failures))
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps({"persons": args.persons, "rows": rows, "failures": failures}, indent=2))
    if failures:
        print("\nfailed checks:\n- " + "\n- ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
