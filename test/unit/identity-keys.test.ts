import t from 'tap';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { KeyRing, CLOCK_SKEW_SECONDS } from '../../src/identity/keys.js';
import { testConfig } from '../helpers/config.js';

async function configWithKey() {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return testConfig({ SIGNING_KEY: JSON.stringify(await exportJWK(privateKey)), ACCESS_TOKEN_SECONDS: '900' });
}

t.test('rotation: old tokens verify until they expire, new tokens use the new key', async (t) => {
  const config = await configWithKey();
  let clock = Date.parse('2026-03-02T09:00:00Z');
  const ring = await KeyRing.create(config, { file: null, now: () => clock });
  const first = ring.currentKid;
  const before = await ring.issue({ subject: 'usr_a', roles: ['ao-user'], organisation: '10000001' });
  t.equal(decodeProtectedHeader(before).kid, first);
  t.same(
    ring.publicJwks().keys.map((k) => k.kid),
    [first],
  );

  const status = await ring.rotate();
  const second = ring.currentKid;
  t.not(second, first);
  t.same(
    status.map((s) => [s.kid, s.current]),
    [
      [first, false],
      [second, true],
    ],
  );
  t.equal(
    status[0].publishUntil,
    new Date(clock + (900 + CLOCK_SKEW_SECONDS) * 1000).toISOString(),
    'published until its tokens have expired, plus skew',
  );

  const jwks = ring.publicJwks();
  t.same(
    jwks.keys.map((k) => k.kid),
    [second, first],
    'current first, then the previous',
  );
  for (const k of jwks.keys) t.notOk('d' in k, 'no private part');

  const after = await ring.issue({ subject: 'usr_b', roles: ['operator'] });
  t.equal(decodeProtectedHeader(after).kid, second, 'new tokens use the new key');
  t.equal((await ring.verify(before)).subject, 'usr_a', 'an old token still verifies');
  t.equal((await ring.verify(after)).subject, 'usr_b');
  const outside = createLocalJWKSet(jwks);
  const opts = {
    issuer: config.jwtIssuer,
    audience: config.jwtAudience,
    algorithms: ['ES256'],
    currentDate: new Date(clock),
  };
  t.equal((await jwtVerify(before, outside, opts)).payload.sub, 'usr_a', 'anyone with the JWKS verifies the old token');
  t.equal((await jwtVerify(after, outside, opts)).payload.sub, 'usr_b', 'and the new one');

  clock += (900 + CLOCK_SKEW_SECONDS) * 1000 + 1;
  t.same(
    ring.publicJwks().keys.map((k) => k.kid),
    [second],
    'the previous key is gone once its tokens have expired',
  );
  await t.rejects(ring.verify(before), /expired|not signed by a key/);
});

t.test('a token issued with a longer lifetime keeps its key published as long', async (t) => {
  const config = await configWithKey();
  const clock = Date.parse('2026-03-02T09:00:00Z');
  const ring = await KeyRing.create(config, { file: null, now: () => clock });
  await ring.issue({ subject: 's', roles: ['operator'], expiresIn: 7200 });
  const [old] = await ring.rotate();
  t.equal(old.publishUntil, new Date(clock + (7200 + CLOCK_SKEW_SECONDS) * 1000).toISOString());
});

t.test('two rotations in a row keep every key whose tokens are alive', async (t) => {
  const config = await configWithKey();
  let clock = Date.parse('2026-03-02T09:00:00Z');
  const ring = await KeyRing.create(config, { file: null, now: () => clock });
  const a = await ring.issue({ subject: 'a', roles: ['analyst'] });
  await ring.rotate();
  clock += 60_000;
  const b = await ring.issue({ subject: 'b', roles: ['analyst'] });
  await ring.rotate();
  t.equal(ring.publicJwks().keys.length, 3);
  t.equal((await ring.verify(a)).subject, 'a');
  t.equal((await ring.verify(b)).subject, 'b');
});

t.test('the ring is seeded from the configured key, and a rotation survives a restart', async (t) => {
  const config = await configWithKey();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plr-ring-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'ring.json');
  const seeded = await KeyRing.create(config, { file: null });
  const legacy = await seeded.issue({ subject: 'old', roles: ['careers-adviser'] });
  const configured = JSON.parse(config.signingKey!) as { x: string; y: string };
  t.match(
    seeded.publicJwks().keys,
    [{ x: configured.x, y: configured.y }],
    'before any rotation the one key is the configured one',
  );

  const ring = await KeyRing.create(config, { file });
  t.equal((await ring.verify(legacy)).subject, 'old', 'a token signed with the configured key verifies');
  t.same(ring.publicJwks(), seeded.publicJwks(), 'before any rotation the JWKS is the same');
  await ring.rotate();
  t.equal(statSync(file).mode & 0o777, 0o600, 'the ring file is for its owner only');

  const again = await KeyRing.create(config, { file });
  t.equal(again.currentKid, ring.currentKid, 'the rotated key is current after a restart');
  t.same(again.publicJwks(), ring.publicJwks());
  t.equal((await again.verify(legacy)).subject, 'old');
  const fresh = await ring.issue({ subject: 'new', roles: ['analyst'] });
  t.equal((await again.verify(fresh)).subject, 'new');
});

t.test('the ring refuses foreign, malformed and expired tokens', async (t) => {
  const config = await configWithKey();
  const ring = await KeyRing.create(config, { file: null });
  const other = await KeyRing.create(await configWithKey(), { file: null });
  await t.rejects(
    ring.verify(await other.issue({ subject: 'x', roles: ['operator'] })),
    /not signed by a key this service publishes/,
  );
  await t.rejects(ring.verify('not.a.token'), /malformed/);
  await t.rejects(ring.verify(await ring.issue({ subject: 'x', roles: ['operator'], expiresIn: -10 })), /expired/);
  const token = await ring.issue({ subject: 'x', roles: ['learner'], uln: '9276308686' });
  t.same(await ring.verify(token), {
    subject: 'x',
    roles: ['learner'],
    organisation: undefined,
    uln: '9276308686',
    tokenId: (await ring.verify(token)).tokenId,
  });
});
