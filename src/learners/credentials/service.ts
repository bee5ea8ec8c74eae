/**
 * Verifiable records (issue 17 point 6): a learner downloads their record, or one
 * qualification award on it, as a signed W3C Verifiable Credential (JWT, typ vc+jwt,
 * ES256, the kid of a key in /.well-known/jwks.json); anyone verifies one (valid,
 * tampered, revoked); the revocation status list is public. What REST answers.
 */
import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import type { Config } from '../../config.js';
import type { Graph } from '../../platform/neo4j.js';
import type { Principal, Tokens } from '../../platform/auth.js';
import { AppError } from '../../platform/errors.js';
import { myRecord } from '../record/service.js';
import { normaliseQan } from '../../catalogue/service.js';
import { REVOCATION_LIST, buildCredential, buildStatusListCredential, type CredentialKind } from './credential.js';
import { credentialState, revokedIndexes, storeCredential } from './repository.js';

export interface CredentialDeps {
  graph: Graph;
  tokens: Tokens;
  config: Config;
  clock?: () => Date;
}

export interface IssuedCredential {
  id: string;
  kind: CredentialKind;
  kid: string;
  /** The signed credential: a compact JWS whose payload is the credential document. */
  credential: string;
  /** The credential document (the JWT's payload), for reading. */
  document: Record<string, unknown>;
}

function signer(tokens: Tokens) {
  if (!tokens.signCredential) throw new AppError(503, 'NO_SIGNER', 'this service has no credential signing key');
  return tokens.signCredential.bind(tokens);
}

/** The signed-in learner's record (no qan) or one qualification award on it, as a verifiable credential. */
export async function issueCredential(
  deps: CredentialDeps,
  principal: Principal,
  request: { qan?: string },
): Promise<IssuedCredential> {
  const sign = signer(deps.tokens);
  const qan = request.qan === undefined ? null : normaliseQan(request.qan);
  const record = await myRecord(deps.graph, principal, qan ? `credential ${qan}` : 'credential');
  const kind: CredentialKind = qan ? 'award' : 'record';
  const active = [...record.awards, ...record.byUnit].filter((a) => a.status === 'active');
  const achievements = qan ? active.filter((a) => a.kind === 'qualification' && a.qan === qan).slice(0, 1) : active;
  if (qan && achievements.length === 0) {
    throw new AppError(404, 'AWARD_NOT_FOUND', `your record holds no active award of qualification ${qan}`);
  }
  const id = randomUUID();
  const now = new Date(Math.floor((deps.clock ?? (() => new Date()))().getTime() / 1000) * 1000).toISOString();
  const { index } = await storeCredential(deps.graph, {
    id,
    uln: record.uln,
    kind,
    qan,
    list: REVOCATION_LIST,
    now,
  });
  const document = buildCredential({
    id,
    kind,
    publicUrl: deps.config.publicUrl,
    uln: record.uln,
    name: record.name,
    issuedAt: now,
    achievements,
    qualificationCredits: new Map(record.byQualification.map((q) => [q.qan, q.totalCredits])),
    status: { list: REVOCATION_LIST, index },
  });
  const { jwt, kid } = await sign({ ...document, jti: document.id, sub: `urn:uln:${record.uln}` });
  return { id, kind, kid, credential: jwt, document };
}

export type VerificationStatus = 'valid' | 'tampered' | 'revoked' | 'unknown-key' | 'malformed' | 'unknown';

export interface Verification {
  status: VerificationStatus;
  message: string;
  kid: string | null;
  credentialId: string | null;
  issuedAt: string | null;
  /** Record ids of carried records amended or withdrawn since issue (when revoked). */
  changedRecords: string[];
}

const answer = (status: VerificationStatus, message: string, extra: Partial<Verification> = {}): Verification => ({
  status,
  message,
  kid: null,
  credentialId: null,
  issuedAt: null,
  changedRecords: [],
  ...extra,
});

/** Check a credential this service issued: its signature against the published keys, then its revocation. */
export async function verifyCredential(deps: CredentialDeps, credential: string): Promise<Verification> {
  let kid: string | null = null;
  try {
    kid = decodeProtectedHeader(credential).kid ?? null;
  } catch {
    return answer('malformed', 'this is not a signed credential (a compact JWS)');
  }
  const jwks = deps.tokens.publicJwks();
  if (!kid || !jwks.keys.some((k) => k.kid === kid)) {
    return answer('unknown-key', 'it was not signed by a key this service publishes', { kid });
  }
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(credential, createLocalJWKSet(jwks), {
      algorithms: ['ES256'],
      issuer: deps.config.jwtIssuer,
      typ: 'vc+jwt',
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JWSInvalid) {
      return answer('tampered', 'the signature does not match the content: it was changed after it was signed', {
        kid,
      });
    }
    return answer('malformed', 'it is not a credential this service issued', { kid });
  }
  const id = typeof payload.id === 'string' ? payload.id.replace(/^urn:uuid:/, '') : null;
  const issuedAt = typeof payload.validFrom === 'string' ? payload.validFrom : null;
  const state = id ? await credentialState(deps.graph, id) : null;
  if (!state || !id) return answer('unknown', 'the signature is good but this service has no record of it', { kid });
  if (state.revokedAt !== null || state.changed.length > 0) {
    return answer('revoked', 'revoked: a record it states was amended or withdrawn after it was issued', {
      kid,
      credentialId: id,
      issuedAt,
      changedRecords: state.changed,
    });
  }
  return answer('valid', 'valid: signed by this service and not revoked', { kid, credentialId: id, issuedAt });
}

/** The revocation list as a signed BitstringStatusListCredential (compact JWS). */
export async function statusListCredential(deps: CredentialDeps, list: string): Promise<string> {
  const sign = signer(deps.tokens);
  const found = await revokedIndexes(deps.graph, list);
  if (!found.exists && list !== REVOCATION_LIST) {
    throw new AppError(404, 'STATUS_LIST_NOT_FOUND', `there is no status list ${list}`);
  }
  const at = new Date(Math.floor((deps.clock ?? (() => new Date()))().getTime() / 1000) * 1000).toISOString();
  const doc = buildStatusListCredential({ publicUrl: deps.config.publicUrl, list, revoked: found.revoked, at });
  return (await sign({ ...doc, jti: doc.id })).jwt;
}
