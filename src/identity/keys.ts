/**
 * A ring of token-signing keys that can be rotated without signing anyone out.
 *
 * - Tokens are always signed with the current key.
 * - rotate() makes a new current key. The previous one stops signing at once but stays
 *   published in the JWKS, and keeps verifying, until every token it signed has expired:
 *   the later of (rotation + the access-token lifetime) and the latest expiry it actually
 *   signed, plus a minute for clocks that disagree. After that it is dropped.
 * - verify() accepts a token signed by any published key.
 *
 * KeyRing is the app's token issuer (the Tokens interface: issue, verify, publicJwks).
 *
 * Persistence: with a ring file (mode 0600) the ring, private keys included, survives a
 * restart; the first ring is seeded from the configured signing key (SIGNING_KEY or the
 * key file), so tokens issued before the ring existed stay valid. Private keys are never
 * written to the graph: analysts can read the graph.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import {
  SignJWT,
  generateKeyPair,
  exportJWK,
  importJWK,
  importPKCS8,
  calculateJwkThumbprint,
  createLocalJWKSet,
  type JWK,
  type CryptoKey,
} from 'jose';
import type { Config } from '../config.js';
import { ALGORITHM, loadSigningKey, verifyAccessToken, type Principal, type TokenClaims } from '../platform/auth.js';

/** Allowance for clocks that disagree, added to every key's publication. */
export const CLOCK_SKEW_SECONDS = 60;

interface RingKey {
  kid: string;
  privateJwk: JWK;
  privateKey: CryptoKey;
  publicJwk: JWK;
  createdAt: number;
  /** When it stopped signing; absent for the current key. */
  retiredAt?: number;
  /** Published and accepted until then (ms); absent for the current key. */
  publishUntil?: number;
  /** The latest expiry (ms) of a token this key signed, as far as this ring knows. */
  latestExpiry: number;
}

interface RingFile {
  version: 1;
  keys: { jwk: JWK; createdAt: number; retiredAt?: number; publishUntil?: number; latestExpiry: number }[];
}

export interface KeyStatus {
  kid: string;
  current: boolean;
  createdAt: string;
  retiredAt: string | null;
  publishUntil: string | null;
}

async function ringKey(
  privateJwk: JWK,
  times: { createdAt: number; retiredAt?: number; publishUntil?: number; latestExpiry?: number },
): Promise<RingKey> {
  if (privateJwk.kty !== 'EC' || privateJwk.crv !== 'P-256' || !privateJwk.d) {
    throw new Error('a signing key must be a private EC P-256 JWK (ES256)');
  }
  const { d: _d, ...pub } = privateJwk;
  const publicPart = { kty: pub.kty, crv: pub.crv, x: pub.x, y: pub.y };
  const kid = privateJwk.kid ?? (await calculateJwkThumbprint(publicPart));
  const privateKey = (await importJWK({ ...privateJwk, kid }, ALGORITHM)) as CryptoKey;
  return {
    kid,
    privateJwk: { ...privateJwk, kid },
    privateKey,
    publicJwk: { ...publicPart, kid, alg: ALGORITHM, use: 'sig' },
    createdAt: times.createdAt,
    retiredAt: times.retiredAt,
    publishUntil: times.publishUntil,
    latestExpiry: times.latestExpiry ?? 0,
  };
}

async function newPrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  jwk.kid = await calculateJwkThumbprint({ kty: jwk.kty!, crv: jwk.crv!, x: jwk.x!, y: jwk.y! });
  return jwk;
}

/** The configured signing key as a private JWK (creating the key file the first time). */
async function configuredPrivateJwk(config: Config): Promise<JWK> {
  await loadSigningKey(config);
  if (config.signingKey) {
    const raw = config.signingKey.trim();
    if (raw.startsWith('{')) return JSON.parse(raw) as JWK;
    return exportJWK(await importPKCS8(raw, ALGORITHM, { extractable: true }));
  }
  return JSON.parse(readFileSync(config.signingKeyFile, 'utf8')) as JWK;
}

/** Where the ring is kept by default: beside the key file. */
export function defaultRingFile(config: Config): string {
  return config.signingKeyFile.replace(/\.json$/, '') + '.ring.json';
}

export interface KeyRingOptions {
  /** The ring file; null keeps the ring in memory only. Default: beside the key file. */
  file?: string | null;
  /** The clock (ms), for tests. */
  now?: () => number;
}

export class KeyRing {
  private keys: RingKey[];
  private jwks!: ReturnType<typeof createLocalJWKSet>;
  private publishedKids = '';

  private constructor(
    keys: RingKey[],
    private readonly issuer: string,
    private readonly audience: string,
    private readonly defaultSeconds: number,
    private readonly file: string | null,
    private readonly now: () => number,
  ) {
    this.keys = keys;
    this.refresh();
  }

  static async create(config: Config, options: KeyRingOptions = {}): Promise<KeyRing> {
    const file = options.file === undefined ? defaultRingFile(config) : options.file;
    const now = options.now ?? Date.now;
    let keys: RingKey[];
    if (file && existsSync(file)) {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as RingFile;
      if (stored.version !== 1 || !Array.isArray(stored.keys) || stored.keys.length === 0)
        throw new Error(`${file} is not a key ring`);
      keys = await Promise.all(stored.keys.map((k) => ringKey(k.jwk, k)));
    } else {
      keys = [await ringKey(await configuredPrivateJwk(config), { createdAt: now() })];
    }
    if (keys.filter((k) => k.retiredAt === undefined).length !== 1)
      throw new Error('a key ring needs exactly one current key');
    return new KeyRing(keys, config.jwtIssuer, config.jwtAudience, config.accessTokenSeconds, file, now);
  }

  private get current(): RingKey {
    return this.keys.find((k) => k.retiredAt === undefined)!;
  }

  get currentKid(): string {
    return this.current.kid;
  }

  /** Drop keys whose tokens have all expired, and rebuild the verification set when it changed. */
  private refresh(): void {
    const t = this.now();
    this.keys = this.keys.filter((k) => k.publishUntil === undefined || k.publishUntil > t);
    const kids = this.keys.map((k) => k.kid).join(',');
    if (kids !== this.publishedKids) {
      this.jwks = createLocalJWKSet({ keys: this.keys.map((k) => k.publicJwk) });
      this.publishedKids = kids;
    }
  }

  /** The published key set: the current key first, then the previous ones still in use. */
  publicJwks(): { keys: JWK[] } {
    this.refresh();
    const ordered = [
      this.current,
      ...this.keys.filter((k) => k.retiredAt !== undefined).sort((a, b) => b.createdAt - a.createdAt),
    ];
    return { keys: ordered.map((k) => ({ ...k.publicJwk })) };
  }

  status(): KeyStatus[] {
    this.refresh();
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
    return this.keys.map((k) => ({
      kid: k.kid,
      current: k.retiredAt === undefined,
      createdAt: new Date(k.createdAt).toISOString(),
      retiredAt: iso(k.retiredAt),
      publishUntil: iso(k.publishUntil),
    }));
  }

  async issue(claims: TokenClaims): Promise<string> {
    const key = this.current;
    const body: Record<string, unknown> = { roles: claims.roles };
    if (claims.organisation) body.org = claims.organisation;
    if (claims.uln) body.uln = claims.uln;
    const now = Math.floor(this.now() / 1000);
    const exp = now + (claims.expiresIn ?? this.defaultSeconds);
    key.latestExpiry = Math.max(key.latestExpiry, exp * 1000);
    return new SignJWT(body)
      .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: 'at+jwt' })
      .setSubject(claims.subject)
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(key.privateKey);
  }

  /**
   * Sign a verifiable credential (issue 17 point 6) with the current key: a JWT whose
   * payload is the credential, typ "vc+jwt", its kid in the JWKS. It can never pass for an
   * access token: those need typ "at+jwt", an audience and roles.
   */
  async signCredential(payload: Record<string, unknown>): Promise<{ jwt: string; kid: string }> {
    const key = this.current;
    const now = Math.floor(this.now() / 1000);
    const jwt = await new SignJWT(payload)
      .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: 'vc+jwt', cty: 'vc' })
      .setIssuer(this.issuer)
      .setIssuedAt(now)
      .setNotBefore(now)
      .sign(key.privateKey);
    return { jwt, kid: key.kid };
  }

  /** Every access-token check (verifyAccessToken), against every published key. */
  async verify(token: string): Promise<Principal> {
    this.refresh();
    return verifyAccessToken(token, this.jwks, {
      issuer: this.issuer,
      audience: this.audience,
      now: new Date(this.now()),
    });
  }

  /**
   * Make a new current key. The old one is published until its last token has expired.
   * Returns the ring's keys after the rotation.
   */
  async rotate(): Promise<KeyStatus[]> {
    const t = this.now();
    const old = this.current;
    const fresh = await ringKey(await newPrivateJwk(), { createdAt: t });
    old.retiredAt = t;
    old.publishUntil = Math.max(t + this.defaultSeconds * 1000, old.latestExpiry) + CLOCK_SKEW_SECONDS * 1000;
    this.keys.push(fresh);
    this.refresh();
    this.save();
    return this.status();
  }

  private save(): void {
    if (!this.file) return;
    const body: RingFile = {
      version: 1,
      keys: this.keys.map((k) => ({
        jwk: k.privateJwk,
        createdAt: k.createdAt,
        retiredAt: k.retiredAt,
        publishUntil: k.publishUntil,
        latestExpiry: k.latestExpiry,
      })),
    };
    mkdirSync(path.dirname(this.file), { recursive: true });
    // Written beside and renamed into place, so a crash never leaves half a ring.
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(body, null, 2), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
