-- **Where do sources disagree?** Present against absent claims side by side (none in the bundled
-- data).
SELECT event_slug, person_slug, state_code, present_status, present_source_slug, absent_status, absent_source_slug
FROM claim_conflicts
ORDER BY event_date, event_slug, present_claim_id, absent_claim_id
