"""Controlled vocabularies.

These exact lowercase words are part of the public SQL interface: they are
stored as plain strings and guarded by named CHECK constraints, so a query
written against one database means the same on the others.
"""

STATUS = ("expected", "confirmed", "attended", "declined", "boycotted", "not_attending")
PRESENT_STATUSES = ("expected", "confirmed", "attended")
ABSENT_STATUSES = ("declined", "boycotted", "not_attending")

CAPACITY = (
    "head_of_state",
    "head_of_government",
    "senior_official",
    "minister",
    "envoy",
    "military",
    "other",
)
HEAD_CAPACITIES = ("head_of_state", "head_of_government")

ROLE = ("host", "guest", "participant")

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

# Tables a seed document's `bulk:` files may fill (seeds.loader.bulk), in the order a run writes them.
BULK_TABLE = ("persons", "positions", "events", "attendance", "counts")

# Rank of a status or count claim, after Wikidata's statement ranks (models.attendance):
# a deprecated claim stays on record but is never current; on one day a preferred one beats a normal one.
RANK = ("preferred", "normal", "deprecated")
RANKS_NEEDING_REASON = ("preferred", "deprecated")

# How a participant's current status moved from one claim to the next (models.reports.changes).
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

# What a full-text search hit is (models.search): a claim's or count's quote, a claim's or event's note, ...
SEARCH_KIND = ("quote", "note", "event", "person", "organization", "source")
