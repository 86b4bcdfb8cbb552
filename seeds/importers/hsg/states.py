"""The state of each country id of the Office of the Historian's visits, on the day of the visit.

The office files each visit under a country id (``russia``, ``benin``) and a
label as written then ("U.S.S.R.", "Dahomey (Benin)"). The id names today's
state; the label may name the state of that day. :func:`state_of` resolves
an id, label and day to a state code through one declared table,
:data:`IDS`: each id has its present ISO 3166-1 code (``None`` where the
state is gone) and, in order, the historic or non-ISO states it covered,
whose dates in :data:`DECLARED` decide which applies on a day. The date
decides, not the label: a label naming a former state on a day after that
state ended (or the reverse) resolves by the date, and is counted as an
interpretation (:class:`Interpretations`) so the importer can report it.

Dates: ``valid_until`` is the state's last day, as the ``states`` table
means it; where a source gives the day a change took effect (a renaming, a
union), that day belongs to the new state and the old one ends the day
before. Every date and successor comes from a stored page quoted in
:data:`SOURCES`; the ISO 3166-3 codes, names and numbers come from
pycountry. The Kingdom and the Republic of Hawaii and Kosovo are not in
ISO 3166; they carry codes of the ``X`` range, as Kosovo's XKX is used.

Errors: an unknown id, or a day on which the id's states did not exist, is
a :class:`HsgStateError` (a :class:`ValueError` the importer wraps into a
``SeedError`` naming the file, the visit and the ``from`` field); its
message is one line, with a did-you-mean for an unknown id.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Any

import pycountry

from guestlist.seeds import reference

FORMAT = "guestlist/1"
ISO_3166_3_SOURCE = "pycountry-iso-3166-3-hsg"


class HsgStateError(ValueError):
    """A country id the table does not know, or a day none of its states covers; one line."""


@dataclass(frozen=True)
class Source:
    """A stored page a date or successor was read from, with the words that say it."""

    slug: str
    title: str
    url: str
    publisher: str
    quote: str
    kind: str = "other"


@dataclass(frozen=True)
class Declared:
    """A state the bundled ISO 3166-1 list lacks: gone (ISO 3166-3) or outside ISO 3166."""

    name: str
    iso_3166_3: bool
    valid_from: dt.date | None
    valid_until: dt.date | None
    successor: str | None
    source: str  # the page for valid_until (or valid_from where the state still exists)
    sources: tuple[str, ...] = ()  # further pages for the other facts
    official_name: str | None = None


@dataclass(frozen=True)
class Rule:
    """One id: its present state, the states it covered before, and labels that name another state.

    ``eras`` are tried in order; the first whose dates contain the day wins,
    else ``present``. ``marked`` maps a label that names a state other than
    the one the id stands for today (or both, as "Democratic Republic of the
    Congo (Zaire)") to what it names, for people reading the table: a row
    with such a label is always counted as an interpretation, whatever the
    date decides.
    """

    present: str | None
    eras: tuple[str, ...] = ()
    marked: Mapping[str, str] = field(default_factory=dict)


SOURCES: dict[str, Source] = {
    s.slug: s
    for s in (
        Source(
            "richxsearch-republic-of-dahomey",
            "Republic of Dahomey",
            "https://wiki.richxsearch.com/view_html.php?lang=en&q=Republic_of_Dahomey&sq=Communism",
            "Rich X Search (Wikipedia text)",
            "On 1 August 1960, it attained full independence from France.",
            "encyclopedia",
        ),
        Source(
            "traveligo-benin-history",
            "Benin: history, language, culture",
            "https://jp.traveligo.com/travel/africa/benin/history-language-culture",
            "traveligo",
            "On 30 November 1975, it was renamed to Benin.",
        ),
        Source(
            "piglix-republic-of-upper-volta",
            "Republic of Upper Volta",
            "http://piglix.com/piglix-tmpl.php?title=Republic_of_Upper_Volta",
            "piglix (Wikipedia text)",
            "On August 5, 1960, it attained full independence from France. [...] the country changed its name "
            'on August 4, 1984, from Upper Volta to Burkina Faso, which means "Land of Incorruptible People".',
            "encyclopedia",
        ),
        Source(
            "thewallpapers-congo-renamed-zaire",
            "The Democratic Republic of the Congo is renamed Zaire",
            "https://thewallpapers.net/history/post/191/the-democratic-republic-of-the-congo-is-renamed-zaire",
            "thewallpapers.net",
            "On October 27, 1971, the Democratic Republic of the Congo underwent a significant transformation "
            'as it was officially renamed "Zaire."',
        ),
        Source(
            "blackthen-zaire-renamed-congo",
            "May 17, 1997: Zaire Renamed Democratic Republic of Congo",
            "https://blackthen.com/may-17-1997-zaire-renamed-democratic-republic-congo/",
            "BlackThen",
            "May 17, 1997: Zaire Renamed Democratic Republic of Congo [...] On this day in Black history, Zaire "
            "is renamed the Democratic Republic of Congo.",
            "news_article",
        ),
        Source(
            "citizendium-myanmar",
            "Myanmar",
            "https://en.citizendium.org./wiki/index.php?direction=prev&oldid=422162&title=Myanmar",
            "Citizendium",
            "Burma was a British colony until independence on 4 January 1948.",
            "encyclopedia",
        ),
        Source(
            "taylorfrancis-burma-myanmar-name",
            "Burma or Myanmar (book chapter abstract)",
            "https://www.taylorfrancis.com/books/9780429494611/chapters/10.4324/9780429494611-3",
            "Taylor & Francis",
            "On June 18, 1989, the martial law government of Burma declared that the country\u2019s official "
            "name (in English) would henceforth be Myanmar.",
        ),
        Source(
            "worddisk-dissolution-of-czechoslovakia",
            "Dissolution of Czechoslovakia",
            "https://worddisk.com/wiki/Dissolution_of_Czechoslovakia/",
            "WordDisk (Wikipedia text)",
            "The Dissolution of Czechoslovakia [...] took effect on January 1, 1993, and was the "
            "self-determined split of the federal republic of Czechoslovakia into the independent countries "
            "of the Czech Republic and Slovakia.",
            "encyclopedia",
        ),
        Source(
            "pubaffairs-german-unity-day",
            "German Unity Day marks 32 years since reunification",
            "https://www.pubaffairsbruxelles.eu/eu-in-the-media/german-unity-day-marks-32-years-since-reunification/",
            "Public Affairs Bruxelles",
            "On October 3, 1990, Eastern Germany, or the German Democratic Republic (GDR), ceased to exist, "
            "and five newly created states on its former territory joined the Federal Republic of Germany",
            "news_article",
        ),
        Source(
            "blackfacts-yugoslavia-serbia-montenegro",
            "Yugoslavia to officially become Serbia and Montenegro",
            "https://web2.blackfacts.com/fact/yugoslavia-to-officially-become-serbia-and-montenegro",
            "BlackFacts",
            "On Tuesday, February 4, 2003, the parliament of the Federal Republic of Yugoslavia voted to "
            "disband itself [...] The new country taking its place is called Serbia and Montenegro.",
        ),
        Source(
            "archiverdict-serbia-and-montenegro",
            "Serbia and Montenegro",
            "https://archiverdict.fandom.com/wiki/Serbia_and_Montenegro",
            "Fandom",
            "The state union effectively came to an end after Montenegro's formal declaration of independence "
            "on 3 June 2006 [...] After the dissolution, Serbia continued to be the legal successor of the union",
        ),
        Source(
            "when-zimbabwe-independence",
            "Zimbabwe independence (search results page)",
            "https://when.com/content;_ylt=AwrhQi8cco1nTr04EBmoCmVH;_ylu=Y29sbwNiZjEEcG9zAzExBHZ0aWQDBHNlYwNyZWwtZWFzdA--?ei=UTF-8&q=zimbabwe+independence+with+prince+charles+and+mary&s_it=rs-rhr1",
            "when.com",
            "The country gained official independence as Zimbabwe on 18 April 1980.",
        ),
        Source(
            "wikipedia-2009-kingdom-of-hawaii",
            "Kingdom of Hawaii (archived 2009-05-21)",
            "http://replay.web.archive.org/web/20090521181839/http://en.wikipedia.org/wiki/Kingdom_of_Hawaii",
            "Wikipedia, via the Internet Archive",
            "Monarchy overthrown January 17, 1893 [...] Republic declared July 4, 1894",
            "encyclopedia",
        ),
        Source(
            "thomsonreuters-hawaii-annexed",
            "Today in 1898: Hawaii annexed by United States",
            "https://blog.legalsolutions.thomsonreuters.com/legal-research/today-in-1898-hawaii-annexed-by-united-states/",
            "Thomson Reuters",
            "the flag of the Republic of Hawaii was lowered on August 12, 1898.",
        ),
        Source(
            "tama-kosovo-independence",
            "Kosovo Became Independent on February 17, 2008",
            "https://tama.wtf/society/today/kosovo/",
            "tama.wtf",
            "February 17, 2008 is the day when the Republic of Kosovo became independent.",
        ),
    )
}

# States the visits need that reference.states_document() lacks (it has ISO 3166-1 and the USSR).
DECLARED: dict[str, Declared] = {
    "DHY": Declared(
        "Dahomey",
        True,
        dt.date(1960, 8, 1),
        dt.date(1975, 11, 29),
        "BEN",
        "traveligo-benin-history",
        ("richxsearch-republic-of-dahomey",),
        "Republic of Dahomey",
    ),
    "HVO": Declared(
        "Upper Volta",
        True,
        dt.date(1960, 8, 5),
        dt.date(1984, 8, 3),
        "BFA",
        "piglix-republic-of-upper-volta",
        official_name="Republic of Upper Volta",
    ),
    "ZAR": Declared(
        "Zaire",
        True,
        dt.date(1971, 10, 27),
        dt.date(1997, 5, 16),
        "COD",
        "blackthen-zaire-renamed-congo",
        ("thewallpapers-congo-renamed-zaire",),
    ),
    "BUR": Declared(
        "Burma",
        True,
        dt.date(1948, 1, 4),
        dt.date(1989, 6, 17),
        "MMR",
        "taylorfrancis-burma-myanmar-name",
        ("citizendium-myanmar",),
    ),
    "CSK": Declared(
        "Czechoslovakia",
        True,
        None,
        dt.date(1992, 12, 31),
        None,  # split into two states, CZE and SVK; the table has room for one successor
        "worddisk-dissolution-of-czechoslovakia",
    ),
    "DDR": Declared(
        "German Democratic Republic",
        True,
        None,
        dt.date(1990, 10, 2),
        "DEU",
        "pubaffairs-german-unity-day",
    ),
    "YUG": Declared(
        "Yugoslavia",
        True,
        None,
        dt.date(2003, 2, 3),
        "SCG",
        "blackfacts-yugoslavia-serbia-montenegro",
    ),
    "SCG": Declared(
        "Serbia and Montenegro",
        True,
        dt.date(2003, 2, 4),
        dt.date(2006, 6, 2),
        "SRB",
        "archiverdict-serbia-and-montenegro",
        ("blackfacts-yugoslavia-serbia-montenegro",),
    ),
    "RHO": Declared(
        "Southern Rhodesia",
        True,
        None,
        dt.date(1980, 4, 17),
        "ZWE",
        "when-zimbabwe-independence",
    ),
    "XHK": Declared(
        "Kingdom of Hawaii",
        False,
        None,
        dt.date(1893, 1, 16),
        "XHR",
        "wikipedia-2009-kingdom-of-hawaii",
    ),
    "XHR": Declared(
        "Republic of Hawaii",
        False,
        dt.date(1894, 7, 4),
        dt.date(1898, 8, 11),
        "USA",
        "thomsonreuters-hawaii-annexed",
        ("wikipedia-2009-kingdom-of-hawaii",),
    ),
    "XKX": Declared("Kosovo", False, dt.date(2008, 2, 17), None, None, "tama-kosovo-independence"),
}


# Every id of visits v0.6.1 and v0.6.4. Ids that name one state twice share its code.
IDS: dict[str, Rule] = {
    "afghanistan": Rule("AFG"),
    "albania": Rule("ALB"),
    "algeria": Rule("DZA"),
    "angola": Rule("AGO"),
    "antigua-barbuda": Rule("ATG"),
    "argentina": Rule("ARG"),
    "armenia": Rule("ARM"),
    "australia": Rule("AUS"),
    "austria": Rule("AUT"),
    "azerbaijan": Rule("AZE"),
    "bahamas": Rule("BHS"),
    "bahrain": Rule("BHR"),
    "bangladesh": Rule("BGD"),
    "barbados": Rule("BRB"),
    "belarus": Rule("BLR"),
    "belgium": Rule("BEL"),
    "belize": Rule("BLZ"),
    "benin": Rule("BEN", ("DHY",), {"Dahomey (Benin)": "Dahomey (DHY)"}),
    "bolivia": Rule("BOL"),
    "bosnia-herzegovina": Rule("BIH", marked={"Bosnian Federation": "a federation, not the state's name"}),
    "botswana": Rule("BWA"),
    "brazil": Rule("BRA"),
    "brunei": Rule("BRN"),
    "bulgaria": Rule("BGR"),
    "burkina-faso": Rule(
        "BFA", ("HVO",), {"Upper Volta": "Upper Volta (HVO)", "Upper Volta (Burkina Faso)": "Upper Volta (HVO)"}
    ),
    "burma": Rule("MMR", ("BUR",), {"Burma": "Burma (BUR)"}),
    "burundi": Rule("BDI"),
    "cambodia": Rule("KHM"),
    "cameroon": Rule("CMR"),
    "canada": Rule("CAN"),
    "cape-verde": Rule("CPV"),
    "central-african-republic": Rule("CAF"),
    "chad": Rule("TCD"),
    "chile": Rule("CHL"),
    "china": Rule("CHN", marked={"China, Republic of": "the Republic of China, as the taiwan id's rows do"}),
    "colombia": Rule("COL"),
    "comoros": Rule("COM"),
    "congo-democratic-republic": Rule(
        "COD", ("ZAR",), {"Democratic Republic of the Congo (Zaire)": "both COD and Zaire (ZAR)"}
    ),
    "congo-republic": Rule("COG"),
    "cook-islands": Rule("COK"),
    "costa-rica": Rule("CRI"),
    "cote-divoire": Rule("CIV"),
    "croatia": Rule("HRV"),
    "cuba": Rule("CUB"),
    "cyprus": Rule("CYP"),
    "czech-republic": Rule("CZE"),
    "czechia": Rule("CZE"),
    "czechoslovakia": Rule(None, ("CSK",)),
    "denmark": Rule("DNK"),
    "djibouti": Rule("DJI"),
    "dominica": Rule("DMA"),
    "dominican-republic": Rule("DOM"),
    "ecuador": Rule("ECU"),
    "egypt": Rule("EGY"),
    "el-salvador": Rule("SLV"),
    "equatorial-guinea": Rule("GNQ"),
    "eritrea": Rule("ERI"),
    "estonia": Rule("EST"),
    "eswatini": Rule("SWZ"),
    "ethiopia": Rule("ETH"),
    "fiji": Rule("FJI"),
    "finland": Rule("FIN"),
    "france": Rule("FRA"),
    "french-polynesia": Rule("PYF"),
    "gabon": Rule("GAB"),
    "gambia": Rule("GMB"),
    "georgia": Rule("GEO"),
    "german-democratic-republic": Rule(None, ("DDR",)),
    "germany": Rule("DEU"),
    "ghana": Rule("GHA"),
    "greece": Rule("GRC"),
    "grenada": Rule("GRD"),
    "guatemala": Rule("GTM"),
    "guinea": Rule("GIN"),
    "guinea-bissau": Rule("GNB"),
    "guyana": Rule("GUY"),
    "haiti": Rule("HTI"),
    "hawaii": Rule(None, ("XHK", "XHR")),
    "holy-see": Rule("VAT"),
    "honduras": Rule("HND"),
    "hungary": Rule("HUN"),
    "iceland": Rule("ISL"),
    "india": Rule("IND"),
    "indonesia": Rule("IDN"),
    "iran": Rule("IRN"),
    "iraq": Rule("IRQ"),
    "ireland": Rule("IRL"),
    "israel": Rule("ISR"),
    "italy": Rule("ITA"),
    "jamaica": Rule("JAM"),
    "japan": Rule("JPN"),
    "jordan": Rule("JOR"),
    "kazakhstan": Rule("KAZ"),
    "kenya": Rule("KEN"),
    "kiribati": Rule("KIR"),
    "korea": Rule("KOR"),
    "korea-south": Rule("KOR"),
    "kosovo": Rule(None, ("XKX",)),
    "kuwait": Rule("KWT"),
    "kyrgyzstan": Rule("KGZ"),
    "laos": Rule("LAO"),
    "latvia": Rule("LVA"),
    "lebanon": Rule("LBN"),
    "lesotho": Rule("LSO"),
    "liberia": Rule("LBR"),
    "libya": Rule("LBY"),
    "liechtenstein": Rule("LIE"),
    "lithuania": Rule("LTU"),
    "luxembourg": Rule("LUX"),
    "macedonia": Rule("MKD"),
    "madagascar": Rule("MDG"),
    "malawi": Rule("MWI"),
    "malaysia": Rule("MYS"),
    "mali": Rule("MLI"),
    "malta": Rule("MLT"),
    "marshall-islands": Rule("MHL"),
    "mauritania": Rule("MRT"),
    "mauritius": Rule("MUS"),
    "mexico": Rule("MEX"),
    "micronesia": Rule("FSM"),
    "moldova": Rule("MDA"),
    "monaco": Rule("MCO"),
    "mongolia": Rule("MNG"),
    "montenegro": Rule("MNE"),
    "morocco": Rule("MAR"),
    "mozambique": Rule("MOZ"),
    "namibia": Rule("NAM"),
    "nauru": Rule("NRU"),
    "nepal": Rule("NPL"),
    "netherlands": Rule("NLD"),
    "new-caledonia": Rule("NCL"),
    "new-zealand": Rule("NZL"),
    "nicaragua": Rule("NIC"),
    "niger": Rule("NER"),
    "nigeria": Rule("NGA"),
    "niue": Rule("NIU"),
    "north-macedonia": Rule("MKD"),
    "norway": Rule("NOR"),
    "oman": Rule("OMN"),
    "pakistan": Rule("PAK"),
    "palau": Rule("PLW"),
    "panama": Rule("PAN"),
    "papua-new-guinea": Rule("PNG"),
    "paraguay": Rule("PRY"),
    "peru": Rule("PER"),
    "philippines": Rule("PHL"),
    "poland": Rule("POL"),
    "portugal": Rule("PRT"),
    "qatar": Rule("QAT"),
    "romania": Rule("ROU"),
    "russia": Rule("RUS", ("SUN",), {"U.S.S.R.": "the USSR (SUN)"}),
    "rwanda": Rule("RWA"),
    "saint-kitts-nevis": Rule("KNA"),
    "saint-lucia": Rule("LCA"),
    "saint-vincent-grenadines": Rule("VCT"),
    "samoa": Rule("WSM"),
    "sao-tome-and-principe": Rule("STP"),
    "saudi-arabia": Rule("SAU"),
    "senegal": Rule("SEN"),
    "serbia": Rule("SRB"),
    "seychelles": Rule("SYC"),
    "sierra-leone": Rule("SLE"),
    "singapore": Rule("SGP"),
    "slovakia": Rule("SVK"),
    "slovenia": Rule("SVN"),
    "solomon-islands": Rule("SLB"),
    "somalia": Rule("SOM"),
    "somoa": Rule("WSM"),
    "south-africa": Rule("ZAF"),
    "south-sudan": Rule("SSD"),
    "spain": Rule("ESP"),
    "sri-lanka": Rule("LKA"),
    "sudan": Rule("SDN"),
    "suriname": Rule("SUR"),
    "swaziland": Rule("SWZ"),
    "sweden": Rule("SWE"),
    "switzerland": Rule("CHE"),
    "syria": Rule("SYR"),
    "taiwan": Rule("TWN"),
    "tajikistan": Rule("TJK"),
    "tanzania": Rule("TZA", marked={"Tanganyika": "Tanganyika, not Tanzania"}),
    "thailand": Rule("THA"),
    "timor-leste": Rule("TLS"),
    "togo": Rule("TGO"),
    "tonga": Rule("TON"),
    "trinidad-and-tobago": Rule("TTO"),
    "tunisia": Rule("TUN"),
    "turkey": Rule("TUR"),
    "turkiye": Rule("TUR"),
    "turkmenistan": Rule("TKM"),
    "tuvalu": Rule("TUV"),
    "uganda": Rule("UGA"),
    "ukraine": Rule("UKR"),
    "united-arab-emirates": Rule("ARE"),
    "united-kingdom": Rule("GBR"),
    "uruguay": Rule("URY"),
    "uzbekistan": Rule("UZB"),
    "venezuela": Rule("VEN"),
    "vietnam": Rule("VNM"),
    "yemen": Rule("YEM", marked={"Yemen Arab Republic": "the Yemen Arab Republic, not Yemen"}),
    "yugoslavia": Rule(None, ("YUG",)),
    "zambia": Rule("ZMB"),
    "zimbabwe": Rule("ZWE", ("RHO",), {"Zimbabwe Rhodesia": "Zimbabwe Rhodesia (RHO)"}),
}


@dataclass
class Interpretations:
    """What :func:`state_of` decided where the label and the id's present state disagree.

    Keyed by (id, label as written, code chosen), counted per row, so an
    import summary can say "russia / U.S.S.R. -> SUN: 41 rows".
    """

    counts: Counter[tuple[str, str, str]] = field(default_factory=Counter)

    def by_label(self) -> dict[tuple[str, str], Counter[str]]:
        """Per (id, label): how many rows went to each code."""
        out: dict[tuple[str, str], Counter[str]] = {}
        for (id_, label, code), n in sorted(self.counts.items()):
            out.setdefault((id_, label), Counter())[code] += n
        return out

    def total(self) -> int:
        return sum(self.counts.values())


def _historic_dates(code: str) -> tuple[dt.date | None, dt.date | None]:
    if code in DECLARED:
        return DECLARED[code].valid_from, DECLARED[code].valid_until
    facts = reference.HISTORIC_STATES[code]
    return facts.get("valid_from"), facts.get("valid_until")


def _within(day: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    return (start is None or start <= day) and (end is None or day <= end)


def state_of(id_: str, label: str | None, day: dt.date, interpretations: Interpretations | None = None) -> str:
    """The code of the state ``id_`` stood for on ``day``; the date decides, the label is counted.

    Raises :class:`HsgStateError` for an id :data:`IDS` does not have (with a
    did-you-mean) or a day none of the id's states covers (Kosovo before its
    independence, Hawaii between the monarchy and the republic).
    """
    rule = IDS.get(id_)
    if rule is None:
        close = difflib.get_close_matches(id_, list(IDS), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise HsgStateError(f"unknown country id '{id_}'{hint}")
    code = next((c for c in rule.eras if _within(day, *_historic_dates(c))), rule.present)
    if code is None:
        spans = ", ".join(f"{c} {_span(c)}" for c in rule.eras)
        raise HsgStateError(f"country id '{id_}' names no state on {day.isoformat()} (it covers {spans})")
    text = (label or "").strip()
    differs = rule.present is not None and code != rule.present  # an id of a gone state names it: no dispute
    if interpretations is not None and (differs or text in rule.marked):
        interpretations.counts[(id_, text, code)] += 1
    return code


def _span(code: str) -> str:
    start, end = _historic_dates(code)
    return f"{start.isoformat() if start else '...'} to {end.isoformat() if end else '...'}"


def codes() -> set[str]:
    """Every code :func:`state_of` can return."""
    out = {c for rule in IDS.values() for c in (*rule.eras, rule.present) if c is not None}
    return out


def same_state(a: str, b: str) -> bool:
    """Whether two ids stand for one state today (``turkey`` and ``turkiye``)."""
    ra, rb = IDS[a], IDS[b]
    return ra.present is not None and ra.present == rb.present


def states_document() -> dict[str, Any]:
    """A guestlist/1 document of the states in :data:`DECLARED`, to load with ``reference.states_document()``.

    Each state's ``source`` is the page for its last day (or, for a state
    that still exists, its first); the other pages it rests on are listed
    too, every one with its quote in the note. The document's own source
    is pycountry's ISO 3166-3 data, for the codes, names and numbers.
    """
    pycountry_version = version("pycountry")
    used = sorted({s for d in DECLARED.values() for s in (d.source, *d.sources)})
    states = []
    for code, d in sorted(DECLARED.items()):
        row: dict[str, Any] = {"code": code, "name": d.name}
        if d.iso_3166_3:
            withdrawn = pycountry.historic_countries.get(alpha_3=code)
            if withdrawn is None:
                raise LookupError(f"pycountry has no ISO 3166-3 entry for {code}")
            row["alpha2"] = withdrawn.alpha_2
            row["numeric"] = getattr(withdrawn, "numeric", None)
        row["official_name"] = d.official_name
        row["valid_from"] = d.valid_from
        row["valid_until"] = d.valid_until
        row["successor"] = d.successor
        row["source"] = d.source
        states.append(row)
    return {
        "format": FORMAT,
        "source": {
            "slug": ISO_3166_3_SOURCE,
            "title": f"ISO 3166-3 codes of former states, as packaged by pycountry {pycountry_version}",
            "kind": "reference_dataset",
            "author": None,
            "publisher": "pycountry (data from Debian iso-codes)",
            "published_on": None,
            "url": f"https://pypi.org/project/pycountry/{pycountry_version}/",
            "retrieved_on": None,
            "note": (
                "Codes, names and numbers of the ISO 3166-3 states the Office of the Historian's visits "
                "need (guestlist.seeds.importers.hsg.states); ISO's withdrawal dates are of the codes, not "
                "the states, so the states' dates come from the pages cited per state."
            ),
        },
        "sources": [_source_record(SOURCES[slug]) for slug in used],
        "states": states,
    }


def _source_record(s: Source) -> dict[str, Any]:
    return {
        "slug": s.slug,
        "title": s.title,
        "kind": s.kind,
        "author": None,
        "publisher": s.publisher,
        "published_on": None,
        "url": s.url,
        "retrieved_on": None,
        "note": f"Quoted: \u201c{s.quote}\u201d",
    }
