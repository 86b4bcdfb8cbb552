-- **Kim in Beijing**: his recorded visits to China, six years apart.
SELECT event_date, event_slug, event_kind
FROM attendance_report
WHERE person_slug = 'kim-jong-un'
  AND host_state_code = 'CHN'
  AND status IN ('expected', 'confirmed', 'attended')
ORDER BY event_date
