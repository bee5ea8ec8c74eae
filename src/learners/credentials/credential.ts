/**
 * Verifiable records (issue 17 point 6), pure: a learner's record, or one qualification
 * award on it, as a W3C Verifiable Credential (data model 2.0) in the Open Badges 3.0 /
 * CLR 2.0 vocabulary, and the Bitstring Status List that says which credentials are
 * revoked. Signing and storage are elsewhere (the key ring, the repository).
 *
 * - One award: an OpenBadgeCredential whose AchievementSubject names the qualification
 *   (an Achievement of type Certificate, Diploma or Award by its size) with its result.
 * - The whole record: a ClrCredential whose ClrSubject lists each active award and unit
 *   credit as an Achievement with its result and awarding organisation.
 * Both carry a credentialStatus entry (BitstringStatusListEntry, purpose revocation).
 */
import { gzipSync, gunzipSync } from 'node:zlib';
import { qualificationSize } from '../../catalogue/model.js';
import type { RecordAchievement } from '../record/record.js';

export const VC_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const CLR_CONTEXT = 'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json';
/** The one status list used so far; a list holds STATUS_LIST_BITS credentials. */
export const REVOCATION_LIST = 'revocation-1';
/** 16 KB of bits: the minimum the Bitstring Status List specification asks for (herd privacy). */
export const STATUS_LIST_BITS = 131_072;

export type CredentialKind = 'record' | 'award';

export interface CredentialInput {
  id: string;
  kind: CredentialKind;
  publicUrl: string;
  uln: string;
  name: { givenName: string | null; familyName: string | null } | null;
  issuedAt: string;
  /** Active achievements to state: every one (record), or the one award. */
  achievements: RecordAchievement[];
  /** Total credits needed, by QAN, for awards (their size). */
  qualificationCredits: ReadonlyMap<string, number>;
  status: { list: string; index: number };
}

export function statusListUrl(publicUrl: string, list: string): string {
  return `${publicUrl}/credentials/status/${list}`;
}

function achievementOf(a: RecordAchievement, input: CredentialInput): Record<string, unknown> {
  const issuer = {
    id: `${input.publicUrl}/organisations/${a.ao.ukprn}`,
    type: ['Profile'],
    name: a.ao.name ?? a.ao.ukprn,
  };
  if (a.kind === 'qualification') {
    const credits = input.qualificationCredits.get(a.qan ?? '');
    return {
      id: `${input.publicUrl}/qualifications/${encodeURIComponent(a.qan ?? '')}`,
      type: ['Achievement'],
      achievementType:
        credits === undefined
          ? 'Certificate'
          : qualificationSize(credits) === 'Award'
            ? 'Award'
            : qualificationSize(credits) === 'Diploma'
              ? 'Diploma'
              : 'Certificate',
      name: a.title ?? a.qan,
      humanCode: a.qan,
      description: `QCF qualification ${a.qan}`,
      criteria: { narrative: 'Awarded by the awarding organisation under the Qualifications and Credit Framework' },
      creator: issuer,
      ...(a.level ? { fieldOfStudy: `QCF level ${a.level}` } : {}),
    };
  }
  return {
    id: `${input.publicUrl}/units/${encodeURIComponent(a.urn ?? '')}`,
    type: ['Achievement'],
    achievementType: 'Competency',
    name: a.title ?? a.urn,
    humanCode: a.urn,
    description: `QCF unit ${a.urn}`,
    criteria: { narrative: 'Credit awarded under the Qualifications and Credit Framework' },
    creator: issuer,
    creditsAvailable: a.credit ?? 0,
    ...(a.level ? { fieldOfStudy: `QCF level ${a.level}` } : {}),
  };
}

function subjectIdentity(input: CredentialInput): Record<string, unknown> {
  const name = input.name ? [input.name.givenName, input.name.familyName].filter(Boolean).join(' ') : '';
  return {
    identifier: [
      { type: 'IdentityObject', identityHash: input.uln, identityType: 'identifier', hashed: false },
      ...(name ? [{ type: 'IdentityObject', identityHash: name, identityType: 'name', hashed: false }] : []),
    ],
  };
}

function result(a: RecordAchievement): Record<string, unknown> {
  return {
    activityEndDate: a.awardDate ? `${a.awardDate}T00:00:00Z` : undefined,
    ...(a.credit !== null && a.kind === 'unit' ? { creditsEarned: a.credit } : {}),
    result: [
      {
        type: ['Result'],
        ...(a.grade ? { value: a.grade } : {}),
        status: 'Completed',
      },
    ],
    source: { id: `urn:ukprn:${a.ao.ukprn}`, type: ['Profile'], name: a.ao.name ?? a.ao.ukprn },
    recordId: a.recordId,
  };
}

/** The credential document (what the JWT's payload is). */
export function buildCredential(input: CredentialInput): Record<string, unknown> {
  const issuer = { id: input.publicUrl, type: ['Profile'], name: 'Personal Learning Record service' };
  const credentialStatus = {
    id: `${statusListUrl(input.publicUrl, input.status.list)}#${input.status.index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: String(input.status.index),
    statusListCredential: statusListUrl(input.publicUrl, input.status.list),
  };
  const common = {
    id: `urn:uuid:${input.id}`,
    issuer,
    validFrom: input.issuedAt,
    credentialStatus,
  };
  if (input.kind === 'award') {
    const [a] = input.achievements;
    return {
      '@context': [VC_CONTEXT, OB_CONTEXT],
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      ...common,
      name: a.title ?? a.qan,
      credentialSubject: {
        type: ['AchievementSubject'],
        ...subjectIdentity(input),
        achievement: achievementOf(a, input),
        ...result(a),
      },
    };
  }
  return {
    '@context': [VC_CONTEXT, CLR_CONTEXT, OB_CONTEXT],
    type: ['VerifiableCredential', 'ClrCredential'],
    ...common,
    name: 'Personal Learning Record',
    credentialSubject: {
      type: ['ClrSubject'],
      ...subjectIdentity(input),
      achievement: input.achievements.map((a) => ({ ...achievementOf(a, input), ...result(a) })),
    },
  };
}

/** The Bitstring Status List: index i is bit i from the left; GZIP, then base64url with the multibase prefix "u". */
export function encodeStatusList(revoked: readonly number[], bits = STATUS_LIST_BITS): string {
  const bytes = Buffer.alloc(Math.ceil(bits / 8));
  for (const i of revoked) {
    if (i >= 0 && i < bits) bytes[i >> 3] |= 0x80 >> (i & 7);
  }
  return `u${gzipSync(bytes).toString('base64url')}`;
}

/** Whether index i is set in an encoded list (what a verifier does). */
export function statusBit(encoded: string, index: number): boolean {
  const bytes = gunzipSync(Buffer.from(encoded.replace(/^u/, ''), 'base64url'));
  return (bytes[index >> 3] & (0x80 >> (index & 7))) !== 0;
}

export function buildStatusListCredential(input: {
  publicUrl: string;
  list: string;
  revoked: readonly number[];
  at: string;
}): Record<string, unknown> {
  const url = statusListUrl(input.publicUrl, input.list);
  return {
    '@context': [VC_CONTEXT],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: input.publicUrl,
    validFrom: input.at,
    credentialSubject: {
      id: `${url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: 'revocation',
      encodedList: encodeStatusList(input.revoked),
    },
  };
}
