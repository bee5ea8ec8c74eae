/**
 * Record-link tokens: JWTs signed with the service's own key (the one its access tokens
 * use and its JWKS publishes) but with their own audience and type, so that a link can
 * never pass for an access token nor an access token for a link. The token carries the
 * link id (jti), the ULN and the expiry; whether it still opens is the graph's answer
 * (revocation, single use), see links.ts and cypher/learners/link-open.cypher.
 */
import { SignJWT, jwtVerify, createLocalJWKSet, errors as joseErrors, type JWTPayload } from 'jose';
import type { Config } from '../../config.js';
import { ALGORITHM, loadSigningKey } from '../../platform/auth.js';
import { LINK_AUDIENCE, LINK_TOKEN_TYPE } from './links.js';

export interface LinkClaims {
  id: string;
  uln: string;
}

export type LinkTokenCheck = { ok: true; claims: LinkClaims; expired: boolean } | { ok: false };

export class LinkSigner {
  private readonly jwks: ReturnType<typeof createLocalJWKSet>;

  private constructor(
    private readonly key: Awaited<ReturnType<typeof loadSigningKey>>,
    private readonly issuer: string,
  ) {
    this.jwks = createLocalJWKSet({ keys: [key.publicJwk] });
  }

  static async create(config: Config): Promise<LinkSigner> {
    return new LinkSigner(await loadSigningKey(config), config.jwtIssuer);
  }

  async sign(link: LinkClaims & { issuedAt: Date; expiresAt: Date }): Promise<string> {
    return new SignJWT({ uln: link.uln })
      .setProtectedHeader({ alg: ALGORITHM, kid: this.key.kid, typ: LINK_TOKEN_TYPE })
      .setIssuer(this.issuer)
      .setAudience(LINK_AUDIENCE)
      .setSubject(`record-link:${link.id}`)
      .setJti(link.id)
      .setIssuedAt(Math.floor(link.issuedAt.getTime() / 1000))
      .setExpirationTime(Math.floor(link.expiresAt.getTime() / 1000))
      .sign(this.key.privateKey);
  }

  /**
   * Check the signature, algorithm, type, issuer and audience. An expired token whose
   * signature is good still gives its claims (expired: true), so that the refusal can be
   * answered precisely and written to the learner's access log.
   */
  async check(token: string, now: Date): Promise<LinkTokenCheck> {
    const claims = (payload: JWTPayload): LinkClaims | null =>
      typeof payload.jti === 'string' && typeof payload.uln === 'string' ? { id: payload.jti, uln: payload.uln } : null;
    try {
      const { payload } = await jwtVerify(token, this.jwks, {
        algorithms: [ALGORITHM],
        issuer: this.issuer,
        audience: LINK_AUDIENCE,
        typ: LINK_TOKEN_TYPE,
        requiredClaims: ['jti', 'exp', 'iat'],
        currentDate: now,
      });
      const c = claims(payload);
      return c ? { ok: true, claims: c, expired: false } : { ok: false };
    } catch (err) {
      // jose checks the signature before the times: an expired token is a genuine one.
      if (err instanceof joseErrors.JWTExpired) {
        const c = claims(err.payload);
        if (c && err.payload.aud === LINK_AUDIENCE && err.payload.iss === this.issuer)
          return { ok: true, claims: c, expired: true };
      }
      return { ok: false };
    }
  }
}

const signers = new WeakMap<Config, Promise<LinkSigner>>();

/** One signer per app configuration, made on first use. */
export function linkSigner(config: Config): Promise<LinkSigner> {
  let signer = signers.get(config);
  if (!signer) {
    signer = LinkSigner.create(config);
    signers.set(config, signer);
    signer.catch(() => signers.delete(config));
  }
  return signer;
}
