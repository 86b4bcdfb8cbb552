-- **Who stays away?** Named participants with an absent status, then the aggregate claims about
-- those nobody names.
SELECT state_code, person_name, capacity, status, reported_on
FROM attendance_report
WHERE event_slug = 'beijing-victory-day-parade-2025'
  AND status IN ('declined', 'boycotted', 'not_attending')
ORDER BY CASE WHEN state_code IS NULL THEN 1 ELSE 0 END, state_code, person_name
