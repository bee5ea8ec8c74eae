// The analysts' console: who ran which query, when, and what came of it (SPEC 6). The
// label and every key but `at` are outside the analytics schema, and the full text is
// sealed with the data key (docs/analytics.md): no analyst reads another's query.
CREATE (:AnalyticsQuery {
  at: datetime(),
  analyst: $subject,
  analystOrganisation: $organisation,
  strippedText: $text,
  queryHash: $hash,
  plannedLabels: $labels,
  sealedText: $sealedText,
  result: $outcome,
  refusal: $reason,
  rowCount: $rows,
  elapsedMs: $ms
})
