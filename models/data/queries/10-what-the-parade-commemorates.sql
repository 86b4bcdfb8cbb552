-- **What does the parade commemorate?** The 80th anniversary of Japan's surrender.
SELECT related_event_slug, related_event_name, related_event_date, anniversary
FROM event_relations
WHERE event_slug = 'beijing-victory-day-parade-2025'
  AND relation = 'commemorates'
