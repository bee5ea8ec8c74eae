// One maintenance window.
MATCH (o:ServiceOutage {id: $id})
RETURN o.id AS id, o.kind AS kind, toString(o.start) AS start, toString(o.end) AS end,
  toString(o.announceFrom) AS announceFrom, o.messageEn AS messageEn, o.messageCy AS messageCy,
  o.reason AS reason, coalesce(o.inCoreHours, false) AS inCoreHours, coalesce(o.cancelled, false) AS cancelled,
  o.source AS source, o.noticeSent AS noticeSent
