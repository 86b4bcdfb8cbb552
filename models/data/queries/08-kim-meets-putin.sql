-- **Kim's meetings with Putin**: every event both were present at.
SELECT k.event_date, k.event_slug, k.event_kind, k.host_state_code
FROM attendance_report k
JOIN attendance_report p ON p.event_id = k.event_id
WHERE k.person_slug = 'kim-jong-un'
  AND p.person_slug = 'vladimir-putin'
  AND k.status IN ('expected', 'confirmed', 'attended')
  AND p.status IN ('expected', 'confirmed', 'attended')
ORDER BY k.event_date
