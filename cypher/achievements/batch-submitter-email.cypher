// The submitting user's email for the completion message; API clients have none.
OPTIONAL MATCH (u:User {id: $subject})
RETURN u.emailSealed AS emailSealed, coalesce(u.disabled, false) AS disabled
