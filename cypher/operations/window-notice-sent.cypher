// The planned window's email has gone to AO users (sent once).
MATCH (o:ServiceOutage {id: $id})
SET o.noticeSent = $note
RETURN o.id AS id
