-- **North Korea in 2015 against 2025**: a senior official then, the leader now.
SELECT event_date, person_name, capacity, status
FROM attendance_report
WHERE state_code = 'PRK'
  AND event_slug IN ('beijing-victory-day-parade-2015', 'beijing-victory-day-parade-2025')
ORDER BY event_date, person_slug
