// Human-handled requests finished in [$from, $to) with their handling time in service
// hours: data challenges resolved (OCF 08) and availability requests taken by telephone
// (OCF 07; online and API changes are instant and handled by nobody).
CALL {
  MATCH (c:Challenge)
  WHERE c.resolvedAt >= datetime($from) AND c.resolvedAt < datetime($to)
  RETURN 'challenge' AS kind, c.serviceHours AS serviceHours
  UNION ALL
  MATCH (r:AvailabilityRequest)
  WHERE r.handledAt >= datetime($from) AND r.handledAt < datetime($to) AND r.channel = 'telephone'
  RETURN 'availability' AS kind, r.serviceHours AS serviceHours
}
RETURN kind, serviceHours
