-- **The EU's share.** The EU's members on the day of the parade, and how many of them were
-- present; `3` of `27`.
SELECT COUNT(DISTINCT m.state_code) AS eu_members,
       COUNT(DISTINCT r.state_code) AS present
FROM state_memberships m
LEFT JOIN attendance_report r
  ON r.state_code = m.state_code
  AND r.event_slug = 'beijing-victory-day-parade-2025'
  AND r.status IN ('expected', 'confirmed', 'attended')
WHERE m.organization_slug = 'eu'
  AND m.joined_on <= '2025-09-03'
  AND (m.left_on IS NULL OR '2025-09-03' <= m.left_on)
