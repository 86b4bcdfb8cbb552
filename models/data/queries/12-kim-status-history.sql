-- **How Kim's status developed**: every claim, oldest first.
SELECT reported_on, status, source_slug
FROM attendance_history
WHERE event_slug = 'beijing-victory-day-parade-2025'
  AND person_slug = 'kim-jong-un'
ORDER BY reported_on, claim_id
