/**
 * Tokens (jose): an asymmetric ES256 signing key, access tokens with issuer, audience,
 * expiry and algorithm pinned, and the public keys as a JWKS. The role guard that uses
 * them lives in guard.ts.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import {
  jwtVerify,
  generateKeyPair,
  exportJWK,
  importJWK,
  importPKCS8,
  calculateJwkThumbprint,
  createLocalJWKSet,
  errors as joseErrors,
  type JWK,
  type CryptoKey,
} from 'jose';
import type { Config } from '../config.js';

export const ALGORITHM = 'ES256';

/** The roles of SPEC section 6. */
export const ROLES = [
  'learner',
  'ao-user',
  'ao-admin',
  'provider-user',
  'provider-admin',
  'careers-adviser',
  'analyst',
  'operator',
] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Who is calling, as the token says. */
export interface Principal {
  /** User or API client id. */
  subject: string;
  roles: Role[];
  /** UKPRN of the caller's organisation, for organisation roles. */
  organisation?: string;
  /** The learner's own ULN, for the learner role. */
  uln?: string;
  tokenId: string;
}

export interface TokenClaims {
  subject: string;
  roles: Role[];
  organisation?: string;
  uln?: string;
  /** Lifetime in seconds; defaults to the configured access-token lifetime. */
  expiresIn?: number;
}

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function keyFromJwk(jwk: JWK): Promise<SigningKey> {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.d) {
    throw new Error('the signing key must be a private EC P-256 JWK (ES256)');
  }
  const privateKey = (await importJWK(jwk, ALGORITHM)) as CryptoKey;
  const { d: _private, ...pub } = jwk;
  const kid = jwk.kid ?? (await calculateJwkThumbprint(pub));
  return { kid, privateKey, publicJwk: { ...pub, kid, alg: ALGORITHM, use: 'sig' } };
}

/**
 * The signing key from SIGNING_KEY, or else from the key file, generated there (mode 0600)
 * the first time so that a local service keeps its tokens valid across restarts.
 */
export async function loadSigningKey(config: Config): Promise<SigningKey> {
  if (config.signingKey) {
    const raw = config.signingKey.trim();
    if (raw.startsWith('{')) return keyFromJwk(JSON.parse(raw) as JWK);
    const key = await importPKCS8(raw, ALGORITHM, { extractable: true });
    return keyFromJwk(await exportJWK(key));
  }
  if (existsSync(config.signingKeyFile)) {
    return keyFromJwk(JSON.parse(readFileSync(config.signingKeyFile, 'utf8')) as JWK);
  }
  const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const { d: _private, ...pub } = jwk;
  jwk.kid = await calculateJwkThumbprint(pub);
  mkdirSync(path.dirname(config.signingKeyFile), { recursive: true });
  writeFileSync(config.signingKeyFile, JSON.stringify(jwk, null, 2), { mode: 0o600 });
  return keyFromJwk(jwk);
}

/** What the app needs of a token issuer: the identity KeyRing (src/identity/keys.ts) provides it. */
export interface Tokens {
  issue(claims: TokenClaims): Promise<string>;
  verify(token: string): Promise<Principal>;
  publicJwks(): { keys: JWK[] };
  /** Sign a verifiable credential (typ vc+jwt) with the current published key. */
  signCredential?(payload: Record<string, unknown>): Promise<{ jwt: string; kid: string }>;
}

export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

/**
 * The checks every access token passes, against the keys the identity KeyRing publishes: ES256 only, issuer, audience, times, typ, a known
 * role. Throws TokenError with a reason a caller may be told.
 */
export async function verifyAccessToken(
  token: string,
  keys: ReturnType<typeof createLocalJWKSet>,
  opts: { issuer: string; audience: string; now?: Date },
): Promise<Principal> {
  try {
    const { payload } = await jwtVerify(token, keys, {
      algorithms: [ALGORITHM],
      issuer: opts.issuer,
      audience: opts.audience,
      requiredClaims: ['sub', 'exp', 'iat', 'jti'],
      typ: 'at+jwt',
      ...(opts.now ? { currentDate: opts.now } : {}),
    });
    const roles = Array.isArray(payload.roles) ? payload.roles.filter(isRole) : [];
    if (roles.length === 0) throw new TokenError('the token carries no known role');
    return {
      subject: payload.sub as string,
      roles,
      organisation: typeof payload.org === 'string' ? payload.org : undefined,
      uln: typeof payload.uln === 'string' ? payload.uln : undefined,
      tokenId: payload.jti as string,
    };
  } catch (err) {
    if (err instanceof TokenError) throw err;
    if (err instanceof joseErrors.JWTExpired) throw new TokenError('the token has expired');
    if (err instanceof joseErrors.JWSSignatureVerificationFailed)
      throw new TokenError('the token signature is not valid');
    if (err instanceof joseErrors.JWTClaimValidationFailed)
      throw new TokenError(`the token claim "${err.claim}" is not acceptable`);
    if (err instanceof joseErrors.JOSEAlgNotAllowed) throw new TokenError('the token is not signed with ES256');
    if (err instanceof joseErrors.JWKSNoMatchingKey)
      throw new TokenError('the token was not signed by a key this service publishes');
    throw new TokenError('the token is malformed');
  }
}
