-- **The parades side by side**: states represented, heads present, states absent.
SELECT event_date, event_slug, named_participants, states_represented, heads_present, states_absent
FROM event_summary
WHERE event_kind = 'military_parade'
ORDER BY event_date
