/**
 * The analytics schema: the only labels, relationship types and property keys an
 * analyst's query may name (docs/analytics.md publishes it). Everything else is refused
 * by default, so a property added to the graph tomorrow is out of the console's reach
 * until someone adds it here on purpose.
 *
 * A key is checked by name, not by the label of the variable it is read from (a blind
 * `MATCH (n) RETURN n.id` reads `id` wherever it is). So a key may be listed only if it
 * is harmless on every node that has it: `BLIND_READABLE` lists the keys of the allowed
 * set that nodes of other labels hold too, with the reason each is harmless, and
 * test/integration/analytics-schema.test.ts fails when the graph holds an allowed key on
 * a label that lists it nowhere.
 */

/** Labels and the keys analysts may read on them. */
export const ANALYTICS_LABELS: Readonly<Record<string, readonly string[]>> = {
  Unit: ['urn', 'title', 'level', 'levelRank', 'credit', 'contentHash'],
  Qualification: [
    'qan',
    'title',
    'level',
    'levelRank',
    'totalCredits',
    'size',
    'operationalStart',
    'operationalEnd',
    'validityYears',
    'minLevel',
    'minLevelRank',
    'minLevelCredits',
    'contentHash',
  ],
  RuleGroup: ['key', 'id', 'title', 'mandatory', 'minCredits', 'maxCredits', 'minUnits', 'maxUnits', 'position'],
  BarredSet: ['key', 'position'],
  Exemption: ['key', 'name', 'credits', 'position'],
  // Organisation names are not personal details (SPEC 6, issue 18 part 10).
  Organisation: ['ukprn', 'name', 'nation', 'kind'],
  Provider: ['ukprn', 'name', 'region'],
  Occupation: ['code', 'title'],
  FundingRule: ['id', 'name', 'ageBands', 'maxLevel', 'maxLevelRank'],
  Learner: ['uln', 'available', 'linkedTo', 'registeredAt'],
  Achievement: [
    'key',
    'recordId',
    'aoUkprn',
    'uln',
    'kind',
    'urn',
    'qan',
    'credit',
    'level',
    'awardDate',
    'grade',
    'providerUkprn',
    'language',
    'status',
    'underChallenge',
    'late',
    'version',
    'action',
    'submittedAt',
    'submittedBy',
    'changedAt',
    'changedBy',
    'batchId',
    'batchRow',
  ],
  AchievementVersion: [
    'key',
    'version',
    'action',
    'credit',
    'level',
    'awardDate',
    'grade',
    'status',
    'late',
    'changedAt',
    'changedBy',
    'supersededAt',
    'supersededBy',
  ],
  AccessEvent: ['at', 'subject', 'organisation', 'roles', 'what', 'outcome'],
  RecordLink: ['uln', 'createdAt', 'expiresAt', 'singleUse', 'usedAt', 'revokedAt'],
  AvailabilityRequest: ['id', 'uln', 'available', 'channel', 'requestedAt', 'handledAt', 'handledBy'],
  Challenge: ['id', 'uln', 'recordKey', 'aoUkprn', 'channel', 'status', 'filedAt', 'resolvedAt', 'serviceHours'],
  ServiceOutage: ['start', 'end'],
  Batch: [
    'id',
    'aoUkprn',
    'nation',
    'subject',
    'kind',
    'bytes',
    'validateOnly',
    'source',
    'rows',
    'unitRows',
    'qualificationRows',
    'malformedRows',
    'status',
    'receivedAt',
    'startedAt',
    'loadingAt',
    'finishedAt',
    'pass',
    'chunk',
    'processed',
    'accepted',
    'rejected',
    'unchanged',
    'late',
    'problems',
    'attempts',
  ],
  BatchRejection: ['batchId', 'n', 'row', 'recordId', 'field', 'code'],
};

/** Relationship types and the keys analysts may read on them. */
export const ANALYTICS_RELATIONSHIPS: Readonly<Record<string, readonly string[]>> = {
  OWNS: [],
  HAS_GROUP: [],
  INCLUDES: ['position'],
  HAS_BARRED: [],
  BARS: ['position'],
  IN_GROUP: [],
  COUNTS_AS: ['global', 'qan', 'position'],
  OFFERS: ['from', 'to'],
  LEADS_TO: [],
  FUNDS: [],
  ACHIEVED: [],
  FOR_UNIT: [],
  FOR_QUALIFICATION: [],
  AWARDED: [],
  OF: [],
  SHARES_RECORD: [],
  ABOUT: [],
  CONCERNS: [],
  ADDRESSED_TO: [],
  PREVIOUS_VERSION: [],
  SUBMITTED: [],
};

/**
 * Keys of the allowed set that nodes of labels outside the schema also hold, and why
 * reading them there (by a blind variable) gives nothing away.
 */
export const BLIND_READABLE: Readonly<Record<string, { keys: readonly string[]; why: string }>> = {
  PersonalDetails: { keys: ['uln'], why: 'the ULN the Learner node shows anyway; every personal field is sealed' },
  Representative: { keys: ['name'], why: 'the name is sealed (an AES-GCM ciphertext), readable by the service only' },
  User: {
    keys: ['id', 'roles', 'organisation', 'createdAt', 'disabled'],
    why: 'ids, roles and organisations of staff accounts; the email and every secret are sealed or keyed hashes',
  },
  ApiClient: {
    keys: ['id', 'name', 'roles', 'organisation', 'createdAt', 'createdBy', 'revokedAt'],
    why: "an organisation's name for its own program, its roles and dates; the secret is a keyed hash",
  },
  RefreshToken: {
    keys: ['id', 'createdAt', 'expiresAt', 'revokedAt'],
    why: 'the public half of a token and its dates; the secret is a keyed hash and is not listed',
  },
  SigningKey: { keys: ['createdAt', 'current'], why: 'public key records (no private key is in the graph)' },
  Worker: { keys: ['name', 'kind', 'at', 'startedAt'], why: 'process names and heartbeats' },
  AnalyticsQuery: { keys: ['at'], why: 'when a query ran; its text, author and outcome are under other keys' },
};

/**
 * Names read with a dot that are not graph keys: the components of dates, times and
 * durations. Listed so `a.awardDate.year` works; a node key of the same name would be
 * caught by the schema test like any other.
 */
export const VALUE_ACCESSORS = [
  'year',
  'quarter',
  'month',
  'week',
  'weekYear',
  'dayOfQuarter',
  'quarterDay',
  'day',
  'ordinalDay',
  'dayOfWeek',
  'weekDay',
  'hour',
  'minute',
  'second',
  'millisecond',
  'microsecond',
  'nanosecond',
  'epochSeconds',
  'epochMillis',
  'years',
  'quarters',
  'months',
  'weeks',
  'days',
  'hours',
  'minutes',
  'seconds',
  'milliseconds',
  'microseconds',
  'nanoseconds',
] as const;

/** Functions an analyst may call (case-insensitive in Cypher, compared in lower case). */
export const ANALYTICS_FUNCTIONS = [
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'collect',
  'percentilecont',
  'percentiledisc',
  'stdev',
  'stdevp',
  'size',
  'length',
  'head',
  'last',
  'tail',
  'range',
  'reverse',
  'coalesce',
  'nullif',
  'isempty',
  'tostring',
  'tostringornull',
  'tointeger',
  'tointegerornull',
  'tofloat',
  'tofloatornull',
  'toboolean',
  'tobooleanornull',
  'tolower',
  'toupper',
  'trim',
  'ltrim',
  'rtrim',
  'btrim',
  'substring',
  'left',
  'right',
  'replace',
  'split',
  'round',
  'floor',
  'ceil',
  'abs',
  'sign',
  'sqrt',
  'log',
  'log10',
  'exp',
  'e',
  'pi',
  'rand',
  'date',
  'datetime',
  'localdatetime',
  'localtime',
  'time',
  'duration',
  'date.truncate',
  'datetime.truncate',
  'duration.between',
  'duration.inmonths',
  'duration.indays',
  'duration.inseconds',
  'timestamp',
  'labels',
  'type',
  'startnode',
  'endnode',
  'nodes',
  'relationships',
  'all',
  'any',
  'none',
  'single',
  'reduce',
  'exists',
  'valuetype',
  'elementid',
] as const;

/** Read-only procedures that tell nothing about any one node. */
export const ANALYTICS_PROCEDURES = ['db.labels', 'db.relationshiptypes', 'db.propertykeys'] as const;

/** Every key an analyst may name: the schema's, for labels and relationships, and the value accessors. */
export function allowedKeys(): Set<string> {
  const keys = new Set<string>(VALUE_ACCESSORS);
  for (const list of Object.values(ANALYTICS_LABELS)) for (const k of list) keys.add(k);
  for (const list of Object.values(ANALYTICS_RELATIONSHIPS)) for (const k of list) keys.add(k);
  return keys;
}

/** Labels and relationship types an analyst may name. */
export function allowedNames(): Set<string> {
  return new Set([...Object.keys(ANALYTICS_LABELS), ...Object.keys(ANALYTICS_RELATIONSHIPS)]);
}
