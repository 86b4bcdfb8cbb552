-- **Heads of state at the 2015 parade whose states sent nobody in 2025.**
SELECT a.state_code, a.state_name, a.person_name
FROM attendance_report a
WHERE a.event_slug = 'beijing-victory-day-parade-2015'
  AND a.capacity = 'head_of_state'
  AND a.status IN ('expected', 'confirmed', 'attended')
  AND NOT EXISTS (
    SELECT 1 FROM attendance_report b
    WHERE b.event_slug = 'beijing-victory-day-parade-2025'
      AND b.state_code = a.state_code
      AND b.status IN ('expected', 'confirmed', 'attended'))
ORDER BY a.state_code
