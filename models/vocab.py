"""Controlled vocabularies.

These exact lowercase words are part of the public SQL interface: they are
stored as plain strings and guarded by named CHECK constraints, so a query
written against one database means the same on the others.

Every list is declared here once. The models' CHECK constraints, the
column comments and the reports are built from these tuples; migrations
keep their own literal copies (a revision must keep creating what it
created), and tests compare those copies, and the constraints each
database actually holds, against this module (docs/vocabulary.md says how
to add a word).
"""

# A status says the participant is there (or will be) or stays away: every status is one or the other.
ANNOUNCED_STATUSES = ("expected", "confirmed")  # said to be coming, not yet seen there
PRESENT_STATUSES = (*ANNOUNCED_STATUSES, "attended")
ABSENT_STATUSES = ("declined", "boycotted", "not_attending")
STATUS = (*PRESENT_STATUSES, *ABSENT_STATUSES)

HEAD_CAPACITIES = ("head_of_state", "head_of_government")  # the capacities event_summary counts as heads_present
CAPACITY = (*HEAD_CAPACITIES, "senior_official", "minister", "envoy", "military", "other")

ROLE = ("host", "guest", "participant")

# How a person held an office (guestlist.models.persons.Position): an acting holder, a claimant of a
# disputed office or a government in exile is recorded as such, never as a second ordinary holder.
TENURE = ("ordinary", "acting", "disputed", "in_exile")
# Tenures whose holders share an office with rival claimants: no limit of holders at once applies to them.
UNLIMITED_TENURES = ("disputed",)
# What dates a holding rests on: a tenure runs from the day a page says it began to the day it ended;
# an attestation is one day on which a report gives the title (it is never stretched into a tenure).
EVIDENCE = ("tenure", "attested")

DATE_PRECISION = ("day", "month", "year")

EVENT_KIND = (
    "military_parade",
    "summit",
    "state_visit",
    "official_visit",
    "bilateral_meeting",
    "press_briefing",
    "commemoration",
    "series",
    "war",
    "surrender",
    "visit",
    "other",
)

EVENT_RELATION = ("commemorates", "part_of", "follows", "precedes", "responds_to")

ORGANIZATION_KIND = (
    "intergovernmental",
    "military_alliance",
    "economic_bloc",
    "ministry",
    "government",
    "armed_forces",
    "party",
    "other",
)

SOURCE_KIND = (
    "news_article",
    "official_briefing",
    "press_release",
    "reference_dataset",
    "encyclopedia",
    "treaty",
    "other",
)

NAME_KIND = ("alternate", "transliteration", "native", "former", "nickname")

# Tables a seed document's `bulk:` files may fill (guestlist.seeds.loader.bulk), in the order a run writes them.
BULK_TABLE = ("persons", "positions", "events", "attendance", "counts")

# Rank of a status or count claim, after Wikidata's statement ranks (guestlist.models.attendance):
# a deprecated claim stays on record but is never current; on one day a preferred one beats a normal one.
RANK = ("preferred", "normal", "deprecated")
RANKS_NEEDING_REASON = ("preferred", "deprecated")

# How a participant's current status moved from one claim to the next (guestlist.models.reports.changes).
CHANGE = (
    "announced",  # first word on the participant: expected or confirmed
    "came_unannounced",  # first word on the participant says it attended
    "reported_absent",  # first word on the participant: declined, boycotted or not attending
    "confirmed",  # expected -> confirmed
    "came_as_expected",  # expected or confirmed -> attended
    "withdrew",  # expected or confirmed -> absent, said before the event
    "did_not_come",  # expected or confirmed -> absent, said on or after the event's first day
    "came_after_all",  # absent -> attended
    "reconsidered",  # absent -> expected or confirmed
    "attendance_retracted",  # attended -> anything else
    "restated",  # any other change, e.g. declined -> boycotted
)

# What a full-text search hit is (guestlist.models.search): a claim's or count's quote, a claim's or event's note, ...
SEARCH_KIND = ("quote", "note", "event", "person", "organization", "source")


def listed(words: tuple[str, ...], last: str = "or") -> str:
    """``words`` as a comment lists them: 'expected, confirmed or attended'."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


def sample(words: tuple[str, ...], shown: int = 3) -> str:
    """The first ``shown`` words and an ellipsis, as a comment hints at a long vocabulary."""
    return ", ".join(words[:shown]) + (", ..." if len(words) > shown else "")
