-- **North Korean leaders at Chinese military parades**: 1959, then 2025.
SELECT event_date, event_slug, person_name
FROM attendance_report
WHERE state_code = 'PRK'
  AND host_state_code = 'CHN'
  AND event_kind = 'military_parade'
  AND capacity IN ('head_of_state', 'head_of_government')
  AND status IN ('expected', 'confirmed', 'attended')
ORDER BY event_date
