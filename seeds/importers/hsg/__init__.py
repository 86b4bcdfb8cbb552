"""The Office of the Historian's data (U.S. Department of State), read as guestlist facts.

The office publishes its visits by foreign leaders to the United States as tagged releases of XML
files (``HistoryAtState/visits``: ``data/<decade>.xml`` checked by ``schema/``). This package reads
them: :mod:`.release` finds a release's files and says which release they are (version and data
commit, so every fact can name where it came from); :mod:`.visits` reads and checks every visit row
and interprets its free text (the visitor's title and name, the kind of visit), counting every value
it had to interpret so the importer can show what it guessed; :mod:`.states` resolves the office's
country ids to the state of the visit's day.
"""
