-- **Who is coming to the 2025 parade?** Everyone whose current status is present, host first,
-- persons with no state (former leaders in a private capacity, the UN) last.
SELECT state_code, person_name, role, capacity, status
FROM attendance_report
WHERE event_slug = 'beijing-victory-day-parade-2025'
  AND status IN ('expected', 'confirmed', 'attended')
ORDER BY CASE WHEN role = 'host' THEN 0 ELSE 1 END,
         CASE WHEN state_code IS NULL THEN 1 ELSE 0 END, state_code, person_name
