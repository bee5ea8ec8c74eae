// Personal details live on their own node, one per learner, so that they can be kept
// out of reach of analysts by label (SPEC 6).
CREATE CONSTRAINT personal_details_uln IF NOT EXISTS FOR (p:PersonalDetails) REQUIRE p.uln IS UNIQUE
