-- **What was known on 28 August?** Kim's and Putin's status for the 2025 parade as of that day.
SELECT person_slug, status, valid_from
FROM attendance_timeline
WHERE event_slug = 'beijing-victory-day-parade-2025'
  AND person_slug IN ('kim-jong-un', 'vladimir-putin')
  AND valid_from <= '2025-08-28'
  AND (valid_until IS NULL OR valid_until > '2025-08-28')
ORDER BY person_slug
