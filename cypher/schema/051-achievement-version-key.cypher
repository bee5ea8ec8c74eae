// Earlier versions of a record are found by the record's key (operators, audits).
CREATE INDEX achievement_version_key IF NOT EXISTS FOR (v:AchievementVersion) ON (v.key)
