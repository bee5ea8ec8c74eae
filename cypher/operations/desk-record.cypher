// The service desk log (charter section 5): a call received, with its category (1 to 4,
// or DC) when known. The summary says what the call is about, never who the caller is.
CREATE (c:DeskCall {
  id: $id,
  receivedAt: datetime($receivedAt),
  channel: $channel,
  organisation: $organisation,
  summary: $summary,
  category: $category,
  status: 'open',
  recordedAt: datetime($now),
  recordedBy: $by
})
RETURN c.id AS id
