SELECT status, capacity, count, quantifier, description, reported_on
FROM participation_counts
WHERE event_slug = 'beijing-victory-day-parade-2025'
