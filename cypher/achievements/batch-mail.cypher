// What became of the completion email (sent, or why not), for the batch's status.
MATCH (b:Batch {id: $id})
SET b.mail = $mail
RETURN b.mail AS mail
