// Schedule a maintenance window (kind planned or emergency): a ServiceOutage that has not
// begun yet, with what users are told and from when.
CREATE (o:ServiceOutage {
  id: $id,
  kind: $kind,
  start: datetime($start),
  end: datetime($end),
  announceFrom: datetime($announceFrom),
  messageEn: $messageEn,
  messageCy: $messageCy,
  reason: $reason,
  inCoreHours: $inCoreHours,
  cancelled: false,
  source: 'operator',
  createdAt: datetime($now),
  createdBy: $createdBy
})
RETURN o.id AS id
