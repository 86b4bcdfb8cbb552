-- **EU members at each parade**, taking membership on each parade's own date.
SELECT r.event_date, r.state_code, r.person_name, r.capacity
FROM attendance_report r
JOIN state_memberships m
  ON m.state_code = r.state_code
  AND m.organization_slug = 'eu'
  AND m.joined_on <= r.event_date
  AND (m.left_on IS NULL OR r.event_date <= m.left_on)
WHERE r.event_kind = 'military_parade'
  AND r.status IN ('expected', 'confirmed', 'attended')
ORDER BY r.event_date, r.state_code
