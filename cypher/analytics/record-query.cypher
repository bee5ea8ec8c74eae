// The analysts' console: who ran which query, when, and what came of it (SPEC 6).
// queryText has its string literals masked; the label and queryText are out of the
// console's own reach (docs/analytics.md).
CREATE (:AnalyticsQuery {
  at: datetime(),
  subject: $subject,
  organisation: $organisation,
  queryText: $text,
  outcome: $outcome,
  reason: $reason,
  rows: $rows,
  ms: $ms
})
