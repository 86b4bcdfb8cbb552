"""The README cannot rot: its example queries run on every database against the
bundled seeds and give the answers below, and its test command is CI's.

A query is a ```sql block right after a line ``<!-- query: NAME -->`` in the
README's ``sql`` section (the same rule the Datasette canned queries use).
Answers are compared in order when the query has an ORDER BY, else as a
multiset. Dates compare as ISO strings.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
QUERY = re.compile(r"^<!-- query: (?P<name>[A-Za-z0-9_-]+) -->[ \t]*\n+```sql[ \t]*\n(?P<sql>.*?)^```", re.M | re.S)


def section(text: str, name: str) -> str:
    match = re.search(rf"<!-- {name}:start -->(.*?)<!-- {name}:end -->", text, re.S)
    assert match, f"README has no {name} section"
    return match.group(1)


def readme_queries() -> dict[str, str]:
    found: dict[str, str] = {}
    for match in QUERY.finditer(section(README, "sql")):
        assert match.group("name") not in found, f"query name {match.group('name')} used twice"
        found[match.group("name")] = match.group("sql").strip()
    return found


QUERIES = readme_queries()

# name -> the rows the query returns against the bundled seeds
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
        ('KOR', 'Lee Jae-myung', 'head_of_state', 'not_attending', '2025-08-20'),
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


def plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


@pytest.fixture(scope="module")
def seeded(seeded_engine: Engine) -> Engine:
    """The bundled seeds, loaded once per database (the shared seeded_engine fixture)."""
    return seeded_engine


def test_the_readme_has_at_least_eight_queries_and_an_answer_for_each() -> None:
    assert len(QUERIES) >= 8
    assert set(QUERIES) == set(ANSWERS)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_readme_query_gives_its_answer(seeded: Engine, name: str) -> None:
    sql = QUERIES[name]
    with seeded.connect() as conn:
        got = [tuple(plain(v) for v in row) for row in conn.exec_driver_sql(sql)]
    expected = ANSWERS[name]
    if re.search(r"\bORDER\s+BY\b", sql, re.I):
        assert got == expected
    else:
        assert Counter(got) == Counter(expected)


def test_readme_test_command_is_the_last_command_of_ci() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.S)
    test_blocks = [b for b in blocks if "pytest" in b]
    assert len(test_blocks) == 1, "README should show one test command"
    readme_command = test_blocks[0].strip().split("&&")[-1].strip()
    ci_lines = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    assert shlex.split(readme_command) == shlex.split(ci_lines[-1])


def test_queries_only_read_views() -> None:
    """The examples teach the public interface, never the internal tables."""
    views = {"attendance_report", "attendance_history", "participation_counts", "event_summary",
             "state_memberships", "event_relations", "attendance_timeline", "claim_conflicts"}
    for name, sql in QUERIES.items():
        named = set(re.findall(r"\b(?:FROM|JOIN)\s+([a-z_]+)", sql, re.I))
        assert named and named <= views, (name, named - views)


def test_every_view_and_column_is_documented() -> None:
    """Each view has its heading in the SQL section, and each of its columns is named there."""
    from models.views import ALL_VIEWS

    text = section(README, "sql")
    for view in ALL_VIEWS:
        assert f"### `{view.name}`" in text, view.name
        missing = [c.name for c in view.columns if f"`{c.name}`" not in text]
        assert not missing, (view.name, missing)
