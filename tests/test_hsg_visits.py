"""Reading the Office of the Historian's visits: both real releases, and broken files.

No database: these read the XML only. Each release is read and interpreted once per module.
"""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from guestlist.models import vocab
from guestlist.models.errors import SeedError
from guestlist.seeds.importers.hsg.release import KNOWN_RELEASES, Release, find_release
from guestlist.seeds.importers.hsg.visits import (
    TITLES,
    VISIT_KINDS,
    Interpretations,
    Reading,
    interpret,
    read_visits,
)
from tests.support.hsg import VISITS_V061, VISITS_V064, release_folder

# Measured on the files; the README's 3,264 visits and 1,533 visitor strings of v0.6.4 agree.
EXPECTED = {
    "0.6.1": {"rows": 3196, "visitors": 1509, "visitors_cleaned": 1503, "persons": 3202, "two": 6},
    "0.6.4": {"rows": 3264, "visitors": 1540, "visitors_cleaned": 1533, "persons": 3271, "two": 7},
}
KINDS = {
    "0.6.1": {
        "visit": 1330,
        "working visit": 681,
        "private visit": 477,
        "official working visit": 310,
        "official visit": 223,
        "state visit": 175,
    },
    "0.6.4": {
        "visit": 1374,
        "working visit": 694,
        "private visit": 478,
        "official working visit": 311,
        "official visit": 231,
        "state visit": 176,
    },
}


@pytest.fixture(scope="module", params=[VISITS_V061, VISITS_V064], ids=["v0.6.1", "v0.6.4"])
def release(request: pytest.FixtureRequest) -> tuple[Release, list[Reading]]:
    found = find_release(release_folder(request.param))
    return found, [interpret(v) for v in read_visits(found.files)]


@pytest.fixture(scope="module")
def latest() -> dict[int, Reading]:
    found = find_release(release_folder(VISITS_V064))
    return {v.id: interpret(v) for v in read_visits(found.files)}


def test_a_release_is_recognised_by_its_files_and_named_with_its_data_commit(release):
    found, _ = release
    known = {r.version: r for r in KNOWN_RELEASES}[found.version]
    assert found.known and found.data_commit == known.data_commit and found.published == known.published
    assert [f.name for f in found.files] == sorted(known.files) and found.schema is not None
    assert found.label == f"v{found.version} (data commit {known.data_commit})"


def test_the_data_folder_or_one_file_finds_the_same_release():
    assert find_release(VISITS_V064 / "data").version == "0.6.4"
    one = find_release(VISITS_V061 / "data" / "2020.xml")
    assert (one.version, one.data_commit, one.root) == ("0.6.1", "ba6cb39", VISITS_V061)


def test_a_copy_under_another_name_is_recognised_by_its_bytes_and_a_wrong_name_refused(tmp_path):
    shutil.copytree(VISITS_V064 / "data", tmp_path / "copy" / "data")
    assert find_release(tmp_path / "copy").data_commit == "3eaf8e0"
    with pytest.raises(SeedError, match=r"given as 0\.6\.1 but these files are release v0\.6\.4"):
        find_release(tmp_path / "copy", version="0.6.1")
    shutil.copytree(VISITS_V064 / "data", tmp_path / "visits-v0.6.1" / "data")
    with pytest.raises(
        SeedError, match=r"the folder visits-v0\.6\.1 says 0\.6\.1 but these files are release v0\.6\.4 as published"
    ):
        find_release(tmp_path / "visits-v0.6.1")
    edited = tmp_path / "visits-v0.6.4" / "data"
    shutil.copytree(VISITS_V064 / "data", edited)
    (edited / "1950.xml").write_bytes((edited / "1950.xml").read_bytes().replace(b"Truman", b"Trumann"))
    with pytest.raises(SeedError, match=r"1950\.xml: is not the file of release v0\.6\.4 as published"):
        find_release(tmp_path / "visits-v0.6.4")
    with pytest.raises(SeedError, match=r"field 'version': given as 0\.6\.5 but the folder is named visits-v0\.6\.4$"):
        find_release(tmp_path / "visits-v0.6.4", version="0.6.5")


def test_an_unknown_release_needs_its_version_said(tmp_path):
    data = tmp_path / "mine" / "data"
    data.mkdir(parents=True)
    (data / "2020.xml").write_text(visit_file(visit_xml(1)), encoding="utf-8")
    with pytest.raises(
        SeedError, match="cannot tell which release this is: name the folder visits-vX.Y.Z or give the version"
    ):
        find_release(tmp_path / "mine")
    stated = find_release(tmp_path / "mine", version="v0.7.0")
    assert (stated.version, stated.data_commit, stated.known) == ("0.7.0", None, False)
    (tmp_path / "mine").rename(tmp_path / "visits-v0.7.0")
    assert find_release(tmp_path / "visits-v0.7.0").version == "0.7.0"
    with pytest.raises(SeedError, match=r"given as 0\.7\.1 but the folder is named visits-v0\.7\.0"):
        find_release(tmp_path / "visits-v0.7.0", version="0.7.1")
    unchanged = find_release(VISITS_V061 / "data" / "1870.xml")  # the folder's name decides between 0.6.1 and 0.6.4
    assert unchanged.version == "0.6.1"
    shutil.copy(VISITS_V061 / "data" / "1870.xml", tmp_path / "1870.xml")
    with pytest.raises(SeedError, match=r"these files are in releases v0\.6\.1, v0\.6\.4: say which"):
        find_release(tmp_path / "1870.xml")
    assert find_release(tmp_path / "1870.xml", version="0.6.4").data_commit == "3eaf8e0"
    with pytest.raises(
        SeedError, match=r"field 'data commit': given as abc1234 but release v0\.6\.4 is data commit 3eaf8e0"
    ):
        find_release(tmp_path / "1870.xml", version="0.6.4", data_commit="abc1234")


def test_counts_of_rows_visitor_strings_and_persons(release):
    found, readings = release
    expected = EXPECTED[found.version]
    visitors = [r.visit.visitor for r in readings]
    assert len(readings) == expected["rows"]
    assert len({r.visit.id for r in readings}) == expected["rows"]
    assert len(set(visitors)) == expected["visitors"]
    assert len({" ".join(v.split()) for v in visitors}) == expected["visitors_cleaned"]
    assert sum(len(r.visitors) for r in readings) == expected["persons"]
    assert sum(len(r.visitors) == 2 for r in readings) == expected["two"]


def test_every_row_names_one_or_two_persons_with_a_name_and_a_capacity(release):
    _, readings = release
    for r in readings:
        assert len(r.visitors) in (1, 2), r.visit
        for person in r.visitors:
            assert person.name.strip() and person.name == " ".join(person.name.split()), r.visit
            assert person.capacity in vocab.CAPACITY
            assert person.capacity == (TITLES[person.title] if person.title else "other")
        assert r.event_kind in vocab.EVENT_KIND and r.kind in (*VISIT_KINDS, "visit")


def test_every_title_form_maps_to_a_capacity(release):
    _, readings = release
    forms = Counter((p.written, p.title, p.capacity) for r in readings for p in r.visitors)
    assert len({title for _, title, _ in forms}) == 41  # 40 titles and none
    assert len({written for written, _, _ in forms}) == 47  # as written: typos, spacing, capitalisation, none
    assert ("Prime Minster", "Prime Minister", "head_of_government") in forms
    assert ("President-Elect", "President-elect", "other") in forms
    capacities = Counter()
    for (_, _, capacity), n in forms.items():
        capacities[capacity] += n
    assert capacities["head_of_state"] > capacities["head_of_government"] > capacities["other"] > 0


def test_description_kinds(release):
    found, readings = release
    assert Counter(r.kind for r in readings) == KINDS[found.version]


def test_interpretations_are_counted_by_value(release):
    found, readings = release
    counts = Interpretations.of(readings)
    lines = counts.lines()
    assert lines[0] == "description 'Attended the Nuclear Security Summit.' read as visit: 70"
    assert "title 'Prime Minster' read as Prime Minister: 2" in lines
    assert "title 'Prime Ministere' read as Prime Minister: 1" in lines
    assert "title 'President- elect' read as President-elect: 1" in lines
    assert "title 'Prime MinisterHaidar al- Abadi' read as Prime Minister (a space missing): 1" in lines
    assert "visitor without a title 'Valdas Adamkus' read as capacity other: 1" in lines
    assert "visitor 'Premier & Prince Sihanouk' read as one person, Premier: 1" in lines
    assert ("kind 'Offical Visit' read as official visit: 6" in lines) == (found.version == "0.6.4")  # rows of 2024
    assert all(n > 0 for n in counts.values())
    assert sum(counts[i] for i in counts if i.what == "description") == KINDS[found.version]["visit"]


def test_known_rows(latest):
    summit = latest[2089]  # the 2010 Nuclear Security Summit
    assert (summit.visit.start, summit.visit.end, summit.visit.from_id) == (
        date(2010, 4, 12),
        date(2010, 4, 13),
        "china",
    )
    assert summit.visit.from_label == "China, People’s Republic of"
    assert [(p.title, p.name, p.capacity) for p in summit.visitors] == [("President", "Hu Jintao", "head_of_state")]
    assert (summit.kind, summit.event_kind, summit.visit.description) == (
        "visit",
        "visit",
        "Attended the Nuclear Security Summit.",
    )
    elect = latest[1082]
    assert [(p.written, p.title, p.name, p.capacity) for p in elect.visitors] == [
        ("President- elect", "President-elect", "Ernesto Zedillo Ponce de Leon", "other")
    ]
    assert (elect.kind, elect.visit.start) == ("private visit", date(1994, 11, 22))
    two = latest[3246]
    assert [(p.title, p.name, p.capacity) for p in two.visitors] == [
        ("President", "Andrzej Duda", "head_of_state"),
        ("Prime Minister", "Donald Tusk", "head_of_government"),
    ]
    assert (two.kind, two.visit.modified, two.visit.created.year) == ("working visit", None, 2025)
    uae = latest[3239]
    assert [(p.title, p.name) for p in uae.visitors] == [("President", "Mohamed bin Zayed Al Nahyan")]
    assert (uae.kind, uae.event_kind) == ("official visit", "official_visit")
    sihanouk = latest[2410]
    assert [(p.written, p.title, p.name, p.capacity) for p in sihanouk.visitors] == [
        ("Premier & Prince", "Premier", "Sihanouk", "head_of_government")
    ]
    hawaii = latest[2138]
    assert (hawaii.visit.from_id, hawaii.visitors[0].name, hawaii.visitors[0].capacity) == (
        "hawaii",
        "Kalakaua",
        "head_of_state",
    )
    assert latest[2077].visitors[0].name == "Carlos Mauricio Funes"
    names = {(p.title, p.name) for r in latest.values() for p in r.visitors}
    honorifics = {("Amir", "Tamim bin Hamad al-Thani"), ("President", "Hilda C. Heine"), ("Regent", "Abdul Ilah")}
    honorifics |= {("Prime Minister", "Sheikh Hasina"), ("Emperor", "Pedro II"), ("Prime Minister", "Norodom Kantol")}
    assert honorifics <= names
    assert ("Sultan", "Hassanal Bolkiah") in names and ("President", "Benigno S. Aquino, 3rd") in names


# Broken files: one line naming the file, the visit and the field.

FIELDS = {
    "id": "{id}",
    "start-date": "2010-03-08",
    "end-date": "2010-03-09",
    "visitor": "President Carlos Mauricio Funes",
    "from": None,
    "description": "Working visit.",
    "created-by": "wicentowskijc",
    "created-datetime": "2012-04-02T10:53:34.11-04:00",
    "last-modified-by": "wicentowskijc",
    "last-modified-datetime": "2012-04-02T10:53:34.11-04:00",
}


def visit_xml(number: int, **change: str | None) -> str:
    parts = []
    for tag, value in FIELDS.items():
        value = change.get(tag.replace("-", "_"), value)
        if tag == "from":
            parts.append('<from id="el-salvador">El Salvador</from>')
        elif value is not None:
            parts.append(f"<{tag}>{value.format(id=number)}</{tag}>")
    return "<visit>" + "".join(parts) + "</visit>"


def visit_file(*visits: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n<visits>\n' + "\n".join(visits) + "\n</visits>\n"


def refusal(tmp_path: Path, *files: str) -> str:
    paths = []
    for n, text in enumerate(files):
        path = tmp_path / f"{2000 + 10 * n}.xml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    with pytest.raises(SeedError) as caught:
        read_visits(paths)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_malformed_xml_is_one_line_naming_the_file_and_line(tmp_path):
    message = refusal(tmp_path, visit_file(visit_xml(7)).replace("</visitor>", "</visiter>"))
    assert message.startswith(f"{tmp_path / '2000.xml'}:3: is not well-formed XML")


def test_a_missing_date_names_the_visit_and_the_field(tmp_path):
    message = refusal(tmp_path, visit_file(visit_xml(7), visit_xml(8, start_date=None)))
    assert message == f"{tmp_path / '2000.xml'}:4: visit 8: field 'start-date': is missing"


def test_a_missing_id_names_the_visit_by_its_line(tmp_path):
    message = refusal(tmp_path, visit_file(visit_xml(7), visit_xml(8, id=None)))
    assert message == f"{tmp_path / '2000.xml'}:4: the visit at line 4: field 'id': is missing"


def test_an_end_before_the_start(tmp_path):
    message = refusal(tmp_path, visit_file(visit_xml(7, end_date="2010-03-07")))
    assert (
        message == f"{tmp_path / '2000.xml'}:3: visit 7: field 'end-date': 2010-03-07 is before the start, 2010-03-08"
    )


def test_a_bad_date(tmp_path):
    message = refusal(tmp_path, visit_file(visit_xml(7, start_date="2010-02-30")))
    assert message == f"{tmp_path / '2000.xml'}:3: visit 7: field 'start-date': '2010-02-30' is not a date (YYYY-MM-DD)"


def test_a_duplicate_id_across_files(tmp_path):
    message = refusal(tmp_path, visit_file(visit_xml(7)), visit_file(visit_xml(8), visit_xml(7)))
    assert (
        message
        == f"{tmp_path / '2010.xml'}: visit 7: field 'id': is also the id of the visit of 2010-03-08 in {tmp_path / '2000.xml'}"
    )


def test_visits_out_of_order_and_unknown_fields(tmp_path):
    message = refusal(tmp_path, visit_file(visit_xml(7, start_date="2010-03-09"), visit_xml(8)))
    assert message.endswith(
        "visit 8: field 'start-date': 2010-03-08 is before the start of the visit above it (visit 7, 2010-03-09): visits are in the order of their start"
    )
    message = refusal(tmp_path, visit_file(visit_xml(7).replace("</visit>", "<note>x</note></visit>")))
    assert message.endswith("visit 7: field 'note': is not a field of a visit")


def test_an_empty_modification_time_is_accepted_as_the_releases_have_it(tmp_path):
    path = tmp_path / "2020.xml"
    path.write_text(
        visit_file(
            visit_xml(7).replace(
                "<last-modified-datetime>2012-04-02T10:53:34.11-04:00</last-modified-datetime>",
                "<last-modified-datetime/>",
            )
        ),
        encoding="utf-8",
    )
    (visit,) = read_visits([path])
    assert visit.modified is None and visit.file == str(path)


@pytest.mark.parametrize(
    ("broken", "ending"),
    [
        (lambda v: v.replace("<id>7</id>", "<id>seven</id>"), "visit seven: field 'id': 'seven' is not an integer"),
        (
            lambda v: v.replace(' id="el-salvador"', ""),
            "visit 7: field 'from': the country id '' is missing or not an XML name",
        ),
        (
            lambda v: v.replace("Working visit.", "Working <b>visit</b>."),
            "visit 7: field 'description': <b> in a description (only <em> may be)",
        ),
        (
            lambda v: v.replace("2012-04-02T10:53:34.11-04:00</created", "2012-04-02</created"),
            "visit 7: field 'created-datetime': '2012-04-02' is not a date and time",
        ),
        (lambda v: v.replace("President Carlos Mauricio Funes", " "), "visit 7: field 'visitor': is empty"),
        (
            lambda v: v.replace("<visitor>", "<visitor2>").replace("</visitor>", "</visitor2>"),
            "visit 7: field 'visitor2': is not a field of a visit",
        ),
    ],
)
def test_each_field_is_checked_as_the_schema_checks_it(tmp_path, broken, ending):
    assert refusal(tmp_path, visit_file(broken(visit_xml(7)))).endswith(ending)


def test_a_file_that_is_not_a_list_of_visits(tmp_path):
    assert refusal(tmp_path, visit_file(visit_xml(7)).replace("visits>", "trips>")).endswith(
        "2000.xml:2: the root element is <trips>, not <visits>"
    )
    assert refusal(tmp_path, visit_file()).endswith("2000.xml:2: holds no <visit>")
