"""Every country id of the Office of the Historian's visits resolves to the state of its day."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections import Counter
from functools import cache

import pycountry
import pytest
import sqlalchemy as sa

from guestlist.models.states import State
from guestlist.seeds import reference
from guestlist.seeds.importers.hsg import states
from guestlist.seeds.importers.hsg.states import HsgStateError, Interpretations, state_of
from guestlist.seeds.loader import load
from tests.support.hsg import HSG

RELEASES = ("visits-v0.6.1", "visits-v0.6.4")


@cache
def triples() -> frozenset[tuple[str, str, dt.date]]:
    """(id, label, start date) of every visit of both releases, read from the XML itself."""
    found: set[tuple[str, str, dt.date]] = set()
    for release in RELEASES:
        files = sorted((HSG / release / "data").glob("*.xml"))
        assert files, f"no release data under {HSG / release}"  # fail loudly, never skip
        for path in files:
            for visit in ET.parse(path).getroot().iter("visit"):
                origin = visit.find("from")
                start = visit.findtext("start-date")
                assert origin is not None and start, f"{path}: visit {visit.findtext('id')} lacks from or start-date"
                found.add((origin.get("id", ""), origin.text or "", dt.date.fromisoformat(start)))
    return frozenset(found)


def test_every_id_of_both_releases_resolves_and_the_table_has_nothing_else() -> None:
    seen = {id_ for id_, _, _ in triples()}
    assert len(seen) == 203
    assert seen == set(states.IDS)
    resolved = Counter(state_of(id_, label, day) for id_, label, day in triples())
    assert set(resolved) <= states.codes()


def test_present_codes_are_iso_3166_1_and_eras_are_declared_or_bundled() -> None:
    for id_, rule in states.IDS.items():
        if rule.present is not None:
            assert pycountry.countries.get(alpha_3=rule.present) is not None, id_
        for code in rule.eras:
            assert code in states.DECLARED or code in reference.HISTORIC_STATES, (id_, code)
    for code, declared in states.DECLARED.items():
        assert (pycountry.historic_countries.get(alpha_3=code) is not None) == declared.iso_3166_3, code
        assert pycountry.countries.get(alpha_3=code) is None, code


def _on(id_: str, label: str, day: str) -> str:
    return state_of(id_, label, dt.date.fromisoformat(day))


@pytest.mark.parametrize(
    ("id_", "label", "day", "code"),
    [
        ("russia", "U.S.S.R.", "1959-09-15", "SUN"),
        ("russia", "U.S.S.R.", "1990-05-31", "SUN"),
        ("russia", "Russia", "1992-06-15", "RUS"),
        ("benin", "Dahomey (Benin)", "1969-07-01", "DHY"),
        ("benin", "Benin", "1991-01-01", "BEN"),
        ("burkina-faso", "Upper Volta", "1965-03-01", "HVO"),
        ("burkina-faso", "Burkina Faso", "2008-01-01", "BFA"),
        ("congo-democratic-republic", "Democratic Republic of the Congo (Zaire)", "1963-05-30", "COD"),
        ("congo-democratic-republic", "Democratic Republic of the Congo (Zaire)", "1971-10-27", "ZAR"),
        ("congo-democratic-republic", "Democratic Republic of the Congo (Zaire)", "1997-05-16", "ZAR"),
        ("congo-democratic-republic", "Democratic Republic of the Congo (Zaire)", "1997-05-17", "COD"),
        ("congo-republic", "Congo, Republic of", "1961-01-01", "COG"),
        ("burma", "Burma", "1955-06-29", "BUR"),
        ("burma", "Burma", "2012-01-01", "MMR"),
        ("hawaii", "Hawaii", "1874-12-12", "XHK"),
        ("hawaii", "Hawaii", "1898-01-26", "XHR"),
        ("kosovo", "Kosovo", "2008-07-17", "XKX"),
        ("czechoslovakia", "Czechoslovakia (government-in-exile)", "1943-05-12", "CSK"),
        ("german-democratic-republic", "German Democratic Republic", "1990-06-11", "DDR"),
        ("yugoslavia", "Yugoslavia", "2001-05-09", "YUG"),
        ("zimbabwe", "Zimbabwe Rhodesia", "1979-07-09", "RHO"),
        ("zimbabwe", "Zimbabwe", "1980-08-21", "ZWE"),
        ("turkey", "Turkey", "1954-01-01", "TUR"),
        ("turkiye", "Türkiye", "2024-07-10", "TUR"),
        ("korea", "Korea, South", "2017-06-29", "KOR"),
        ("korea-south", "Korea", "1953-01-01", "KOR"),
        ("somoa", "Somoa", "2022-09-28", "WSM"),
        ("samoa", "Western Samoa", "1990-01-01", "WSM"),
        ("czech-republic", "Czech Republic", "1993-01-01", "CZE"),
        ("czechia", "Czechia", "2019-01-01", "CZE"),
        ("swaziland", "Swaziland", "1968-01-01", "SWZ"),
        ("eswatini", "Eswatini", "2022-12-13", "SWZ"),
        ("macedonia", "Macedonia, Former Yugoslav Republic of", "1997-06-16", "MKD"),
        ("north-macedonia", "North Macedonia", "2024-07-10", "MKD"),
        ("taiwan", "China, Republic of", "1961-07-31", "TWN"),
        ("tanzania", "Tanganyika", "1961-07-17", "TZA"),
        ("holy-see", "Vatican City", "1965-01-01", "VAT"),
        ("timor-leste", "East Timor", "2002-10-02", "TLS"),
    ],
)
def test_the_date_decides_the_state(id_: str, label: str, day: str, code: str) -> None:
    assert _on(id_, label, day) == code


def test_the_tricky_rows_of_the_releases_resolve_as_expected() -> None:
    """The same expectations, over the real rows rather than chosen days."""
    by = Counter((id_, label, state_of(id_, label, day)) for id_, label, day in triples())
    assert {c for (i, lab, c) in by if (i, lab) == ("russia", "U.S.S.R.")} == {"SUN"}
    assert {c for (i, lab, c) in by if (i, lab) == ("benin", "Dahomey (Benin)")} == {"DHY"}
    assert {c for (i, lab, c) in by if i == "burkina-faso" and "Upper Volta" in lab} == {"HVO"}
    congo = {c for (i, _, c) in by if i == "congo-democratic-republic"}
    assert congo == {"COD", "ZAR"}
    for id_, label, day in triples():
        if id_ == "congo-democratic-republic":
            zaire = dt.date(1971, 10, 27) <= day <= dt.date(1997, 5, 16)
            assert state_of(id_, label, day) == ("ZAR" if zaire else "COD"), day
    assert {c for (i, _, c) in by if i == "hawaii"} == {"XHK", "XHR"}
    assert {c for (i, _, c) in by if i == "kosovo"} == {"XKX"}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("turkey", "turkiye"),
        ("czech-republic", "czechia"),
        ("swaziland", "eswatini"),
        ("korea", "korea-south"),
        ("somoa", "samoa"),
        ("macedonia", "north-macedonia"),
    ],
)
def test_two_ids_of_one_state_are_one_state(a: str, b: str) -> None:
    assert states.same_state(a, b)


def test_an_unknown_id_is_refused_in_one_line_with_a_suggestion() -> None:
    with pytest.raises(HsgStateError) as caught:
        state_of("turky", "Turkey", dt.date(2000, 1, 1))
    message = str(caught.value)
    assert message == "unknown country id 'turky'; did you mean 'turkey'?"
    assert "\n" not in message


def test_a_day_none_of_the_ids_states_covers_is_refused() -> None:
    with pytest.raises(HsgStateError, match=r"country id 'kosovo' names no state on 1999-06-01"):
        state_of("kosovo", "Kosovo", dt.date(1999, 6, 1))
    with pytest.raises(HsgStateError, match=r"'hawaii' names no state on 1894-01-01"):
        state_of("hawaii", "Hawaii", dt.date(1894, 1, 1))


def test_interpretations_are_counted_by_id_and_label() -> None:
    seen = Interpretations()
    for id_, label, day in sorted(triples()):
        state_of(id_, label, day, seen)
    by_label = seen.by_label()
    assert set(by_label[("russia", "U.S.S.R.")]) == {"SUN"}
    assert set(by_label[("benin", "Dahomey (Benin)")]) == {"DHY"}
    assert set(by_label[("congo-democratic-republic", "Democratic Republic of the Congo (Zaire)")]) == {
        "COD",
        "ZAR",
    }
    assert set(by_label[("tanzania", "Tanganyika")]) == {"TZA"}
    assert ("russia", "Russia") not in by_label  # the present state under its own name is no interpretation
    assert ("turkiye", "Türkiye") not in by_label
    assert ("kosovo", "Kosovo") not in by_label  # an id that names its own state, gone or not ISO
    assert ("yugoslavia", "Yugoslavia") not in by_label
    assert set(by_label[("burma", "Burma")]) == {"BUR", "MMR"}  # the label outlived the name
    assert seen.total() == sum(seen.counts.values()) > 0


def test_the_document_declares_only_what_the_reference_lacks_each_with_a_quoted_source() -> None:
    document = states.states_document()
    bundled = {s["code"] for s in reference.states_document()["states"]}
    declared = {s["code"] for s in document["states"]}
    assert not declared & bundled
    assert states.codes() <= declared | bundled
    sources = {s["slug"]: s for s in document["sources"]}
    for state in document["states"]:
        assert state["source"] in sources, state["code"]
        assert sources[state["source"]]["note"].startswith("Quoted: "), state["code"]
        assert state["valid_until"] or state["valid_from"], state["code"]


def test_the_document_loads_with_the_reference_states_and_every_code_exists(migrated_url: str) -> None:
    load(migrated_url, [("reference-states", reference.states_document()), ("hsg-states", states.states_document())])
    st, successor = State.__table__, State.__table__.alias("successor")
    query = sa.select(st.c.code, st.c.valid_from, st.c.valid_until, successor.c.code).select_from(
        st.outerjoin(successor, successor.c.id == st.c.successor_id)
    )
    engine = sa.create_engine(migrated_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(query).all()
    finally:
        engine.dispose()
    stored = {code: (start, end, after) for code, start, end, after in rows}
    assert states.codes() <= set(stored)
    assert stored["ZAR"][1:] == (dt.date(1997, 5, 16), "COD")
    assert stored["XHR"] == (dt.date(1894, 7, 4), dt.date(1898, 8, 11), "USA")
    assert stored["XKX"] == (dt.date(2008, 2, 17), None, None)
    assert stored["YUG"][2] == "SCG" and stored["SCG"][2] == "SRB"
    again = load(
        migrated_url, [("reference-states", reference.states_document()), ("hsg-states", states.states_document())]
    )
    assert (again.added, again.changed) == (0, 0)  # loading again writes nothing
