"""What every export says about the dataset as a whole: title, description, licence.

One place, so the Data Package, the Datasette metadata and the Popolo
document never disagree about the licence.
"""

from __future__ import annotations

TITLE = "guestlist: who attended which state event"
DESCRIPTION = (
    "State events (military parades, summits, state visits, bilateral meetings, press briefings): "
    "who attended, which state each person represented, in which capacity, and which source says so. "
    "Every fact names its source and a short supporting quote."
)
LICENSE = "MIT"
LICENSE_URL = "https://opensource.org/licenses/MIT"
LICENSES = [{"name": LICENSE, "path": LICENSE_URL, "title": "MIT License"}]
