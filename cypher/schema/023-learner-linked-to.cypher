// Credit and availability queries find the records merged into a master ULN by this.
CREATE INDEX learner_linked_to IF NOT EXISTS FOR (l:Learner) ON (l.linkedTo)
