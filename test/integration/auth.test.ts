import t from 'tap';
import { createLocalJWKSet, jwtVerify, SignJWT, generateKeyPair, decodeProtectedHeader } from 'jose';
import { setupApp, tokenFor, PRINCIPALS } from '../helpers/app.js';
import { ROLES } from '../../src/platform/auth.js';
import { KeyRing } from '../../src/identity/keys.js';

t.test('the role guard and token checks', async (t) => {
  const { app, config } = await setupApp(t);
  const url = '/operations/workers';

  await t.test('no token: 401 with a Bearer challenge', async (t) => {
    const res = await app.inject({ url });
    t.equal(res.statusCode, 401);
    t.equal(res.json().code, 'UNAUTHORIZED');
    t.equal(res.headers['www-authenticate'], 'Bearer');
  });

  await t.test('not a bearer header: 401', async (t) => {
    const res = await app.inject({ url, headers: { authorization: 'Basic abc' } });
    t.equal(res.statusCode, 401);
  });

  await t.test('each role other than operator: 403; operator: 200', async (t) => {
    for (const role of ROLES) {
      const res = await app.inject({ url, headers: { authorization: `Bearer ${await tokenFor(app, role)}` } });
      t.equal(res.statusCode, role === 'operator' ? 200 : 403, role);
      if (role !== 'operator') t.equal(res.json().code, 'FORBIDDEN');
    }
  });

  await t.test('expired token: 401', async (t) => {
    const token = await tokenFor(app, 'operator', { expiresIn: -10 });
    const res = await app.inject({ url, headers: { authorization: `Bearer ${token}` } });
    t.equal(res.statusCode, 401);
    t.match(res.json().message, /expired/);
  });

  await t.test('tampered signature: 401', async (t) => {
    const token = await tokenFor(app, 'operator');
    const [h, p, s] = token.split('.');
    const flipped = s[5] === 'A' ? 'B' : 'A';
    const res = await app.inject({
      url,
      headers: { authorization: `Bearer ${h}.${p}.${s.slice(0, 5)}${flipped}${s.slice(6)}` },
    });
    t.equal(res.statusCode, 401);
  });

  await t.test('tampered payload (role raised) with the old signature: 401', async (t) => {
    const token = await tokenFor(app, 'learner');
    const [h, p, s] = token.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    claims.roles = ['operator'];
    const forged = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const res = await app.inject({ url, headers: { authorization: `Bearer ${h}.${forged}.${s}` } });
    t.equal(res.statusCode, 401);
  });

  await t.test('a token signed by another key, or for another audience, or unsigned: 401', async (t) => {
    const { privateKey } = await generateKeyPair('ES256');
    const now = Math.floor(Date.now() / 1000);
    const foreign = await new SignJWT({ roles: ['operator'] })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .setSubject('x')
      .setIssuer(config.jwtIssuer)
      .setAudience(config.jwtAudience)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .setJti('j')
      .sign(privateKey);
    t.equal(
      (await app.inject({ url, headers: { authorization: `Bearer ${foreign}` } })).statusCode,
      401,
      'foreign key',
    );

    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url');
    const body = Buffer.from(
      JSON.stringify({
        sub: 'x',
        roles: ['operator'],
        iss: config.jwtIssuer,
        aud: config.jwtAudience,
        iat: now,
        exp: now + 60,
        jti: 'j',
      }),
    ).toString('base64url');
    t.equal(
      (await app.inject({ url, headers: { authorization: `Bearer ${header}.${body}.` } })).statusCode,
      401,
      'alg none',
    );

    const other = await app.deps.tokens.issue({ subject: 'x', roles: ['operator'] });
    // The service's own key, every claim right but the audience.
    const otherAud = await (
      await KeyRing.create({ ...config, jwtAudience: 'someone-else' }, { file: null })
    ).issue({ subject: 'x', roles: ['operator'] });
    t.equal(
      (await app.inject({ url, headers: { authorization: `Bearer ${other}` } })).statusCode,
      200,
      'control: right audience',
    );
    const res = await app.inject({ url, headers: { authorization: `Bearer ${otherAud}` } });
    t.equal(res.statusCode, 401, 'wrong audience');
    t.match(res.json().message, /aud/);
  });

  await t.test('a token verifies against the published JWKS', async (t) => {
    const res = await app.inject({ url: '/.well-known/jwks.json' });
    t.equal(res.statusCode, 200);
    const jwks = res.json();
    t.equal(jwks.keys.length, 1);
    t.notOk('d' in jwks.keys[0], 'no private part is published');
    const token = await tokenFor(app, 'careers-adviser');
    t.equal(decodeProtectedHeader(token).kid, jwks.keys[0].kid);
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
      issuer: config.jwtIssuer,
      audience: config.jwtAudience,
      algorithms: ['ES256'],
    });
    t.same(payload.roles, ['careers-adviser']);
    t.equal(payload.sub, PRINCIPALS['careers-adviser'].subject);
  });

  await t.test('whoami returns what the token says', async (t) => {
    const token = await tokenFor(app, 'learner');
    const res = await app.inject({ url: '/auth/whoami', headers: { authorization: `Bearer ${token}` } });
    t.equal(res.statusCode, 200);
    t.same(res.json(), { subject: 'user-learner', roles: ['learner'], uln: '9276308686' });
  });
});

t.test('the signing key survives a restart through its key file', async (t) => {
  const { testConfig } = await import('../helpers/config.js');
  const { rmSync, statSync } = await import('node:fs');
  const file = `.local/keys/test-${process.pid}.json`;
  t.teardown(() => rmSync(file, { force: true }));
  const config = testConfig({ SIGNING_KEY_FILE: file });
  const a = await KeyRing.create(config, { file: null });
  t.equal(statSync(config.signingKeyFile).mode & 0o777, 0o600, 'the private key file is readable by its owner only');
  const b = await KeyRing.create(config, { file: null });
  const token = await a.issue({ subject: 's', roles: ['analyst'] });
  const p = await b.verify(token);
  t.same(p.roles, ['analyst']);
});

t.test('a configured PEM key is used as given', async (t) => {
  const { testConfig } = await import('../helpers/config.js');
  const { exportPKCS8 } = await import('jose');
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const pem = await exportPKCS8(privateKey);
  const svc = await KeyRing.create(testConfig({ SIGNING_KEY: pem }), { file: null });
  const token = await svc.issue({ subject: 's', roles: ['operator'] });
  t.equal((await svc.verify(token)).subject, 's');
  await t.rejects(
    KeyRing.create(testConfig({ SIGNING_KEY: JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'a' }) }), { file: null }),
    /EC P-256/,
  );
});
