// The stored response-time figures of the days of a month (YYYY-MM, London).
MATCH (t:ServiceTiming {month: $month})
RETURN t.ocf AS ocf, toString(t.day) AS day, t.count AS count, t.sumMicros AS sumMicros, t.errors AS errors,
  t.histogram AS histogram
ORDER BY day
