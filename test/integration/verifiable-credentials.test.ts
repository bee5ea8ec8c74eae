/**
 * Issue 17 point 6: a verifiable record. A learner's record and one qualification award on
 * it are issued as signed W3C Verifiable Credentials (Open Badges 3.0 / CLR 2.0); an
 * independent library (jsonwebtoken, with Node's own JWK import; not jose, which signs)
 * verifies them offline from the JWKS alone, and reads the revocation status list the same
 * way; a tampered field fails; amending or withdrawing a carried record revokes.
 */
import t from 'tap';
import { createPublicKey } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import jwt from 'jsonwebtoken';
import { setupApp, tokenFor } from '../helpers/app.js';
import { learner, loadSample, upsertLearners } from '../helpers/fixtures.js';

const ULN = '9276308686';
const AWARD = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
const ada = { uln: ULN, given_name: 'Ada', family_name: 'Lovelace', date_of_birth: '2004-12-10', gender: 'F' };
const FOOD = '600/1101/4';

t.test('issue, verify independently, tamper, amend and withdraw', async (t) => {
  const { app } = await setupApp(t);
  await loadSample(app.deps.graph);
  await upsertLearners(app.deps.graph, [learner(ULN)]);
  const ao = { authorization: `Bearer ${await tokenFor(app, 'ao-user')}` };
  const me = { authorization: `Bearer ${await tokenFor(app, 'learner')}` };
  const submit = async (payload: Record<string, string>) => {
    const res = await app.inject({ method: 'POST', url: '/achievements', headers: ao, payload });
    t.ok(res.statusCode < 300, `${payload.record_id} ${payload.action}: ${res.body}`);
  };
  for (const [id, urn] of [
    ['c1', 'H/601/4101'],
    ['c2', 'K/601/4102'],
  ]) {
    await submit({ record_id: id, action: 'ADD', ...ada, urn, credit: '1', level: '2', award_date: AWARD });
  }
  await submit({ record_id: 'q1', action: 'ADD', ...ada, qan: FOOD, level: '2', award_date: AWARD });

  // What a verifier holds: the JWKS, fetched once. Everything after is offline.
  const jwks = (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json<{
    keys: { kid: string }[];
  }>();
  function independentVerify(token: string): Record<string, any> {
    const { header } = jwt.decode(token, { complete: true })!;
    const jwk = jwks.keys.find((k) => k.kid === header.kid);
    if (!jwk) throw new Error(`kid ${header.kid} is not in the JWKS`);
    return jwt.verify(token, createPublicKey({ key: jwk as never, format: 'jwk' }), {
      algorithms: ['ES256'],
    }) as Record<string, any>;
  }
  async function revokedBit(index: number): Promise<boolean> {
    const res = await app.inject({ method: 'GET', url: '/credentials/status/revocation-1' });
    t.equal(res.headers['content-type'], 'application/vc+jwt');
    const list = independentVerify(res.body);
    t.equal(list.credentialSubject.type, 'BitstringStatusList');
    const bytes = gunzipSync(Buffer.from(list.credentialSubject.encodedList.slice(1), 'base64url'));
    t.ok(bytes.length >= 16_384, 'at least 16 KB of bits');
    return (bytes[index >> 3] & (0x80 >> (index & 7))) !== 0;
  }
  const verify = async (credential: string) =>
    (await app.inject({ method: 'POST', url: '/credentials/verify', payload: { credential } })).json();

  const issued = await app.inject({ method: 'POST', url: '/me/credentials', headers: me, payload: {} });
  t.equal(issued.statusCode, 201, issued.body);
  const record = issued.json();
  t.equal(record.kind, 'record');
  t.ok(
    jwks.keys.some((k) => k.kid === record.kid),
    'signed with a key published in the JWKS',
  );
  const award = (
    await app.inject({ method: 'POST', url: '/me/credentials', headers: me, payload: { qan: FOOD } })
  ).json();
  t.equal(award.kind, 'award');

  // Offline, with another library.
  const r = independentVerify(record.credential);
  t.same(r.type, ['VerifiableCredential', 'ClrCredential']);
  t.ok(r['@context'].includes('https://www.w3.org/ns/credentials/v2'));
  t.equal(r.credentialSubject.type[0], 'ClrSubject');
  t.same(
    r.credentialSubject.achievement.map((a: any) => a.humanCode).sort(),
    ['600/1101/4', 'H/601/4101', 'K/601/4102'],
    'the record credential states the award and both unit credits',
  );
  const a = independentVerify(award.credential);
  t.same(a.type, ['VerifiableCredential', 'OpenBadgeCredential']);
  t.equal(a.credentialSubject.achievement.humanCode, FOOD);
  t.equal(a.credentialSubject.achievement.achievementType, 'Award');
  t.equal(a.credentialStatus.type, 'BitstringStatusListEntry');
  t.equal(a.credentialStatus.statusPurpose, 'revocation');
  t.equal(a.iss, app.config.jwtIssuer);
  t.notOk(await revokedBit(Number(r.credentialStatus.statusListIndex)), 'not revoked in the status list');
  t.not(r.credentialStatus.statusListIndex, a.credentialStatus.statusListIndex, 'each credential its own index');

  t.match(await verify(record.credential), { status: 'valid', kid: record.kid });
  t.match(await verify(award.credential), { status: 'valid' });

  // Tamper one field: the award's title.
  const [h, p, s] = award.credential.split('.');
  const body = JSON.parse(Buffer.from(p, 'base64url').toString());
  body.credentialSubject.achievement.name = 'Level 7 Diploma in Everything';
  const forged = `${h}.${Buffer.from(JSON.stringify(body)).toString('base64url')}.${s}`;
  t.throws(() => independentVerify(forged), { name: 'JsonWebTokenError' }, 'the independent library refuses it');
  t.match(await verify(forged), { status: 'tampered' });
  t.match(await verify('not a credential'), { status: 'malformed' });
  const accessToken = me.authorization.slice('Bearer '.length);
  t.match(await verify(accessToken), { status: 'malformed' }, 'an access token is not a credential');

  // Amend a unit credit: the record credential carries it, the award credential does not.
  await submit({
    record_id: 'c1',
    action: 'AMEND',
    ...ada,
    urn: 'H/601/4101',
    credit: '1',
    level: '2',
    award_date: AWARD,
    grade: 'Merit',
  });
  t.match(await verify(record.credential), { status: 'revoked', changedRecords: ['c1'] });
  t.ok(await revokedBit(Number(r.credentialStatus.statusListIndex)), 'the status list says revoked');
  t.match(await verify(award.credential), { status: 'valid' }, 'the award credential still holds');
  t.notOk(await revokedBit(Number(a.credentialStatus.statusListIndex)));

  // Withdraw the award.
  await submit({ record_id: 'q1', action: 'WITHDRAW' });
  t.match(await verify(award.credential), { status: 'revoked', changedRecords: ['q1'] });
  t.ok(await revokedBit(Number(a.credentialStatus.statusListIndex)), 'withdrawn: revoked in the status list');
  t.ok(independentVerify(award.credential), 'its signature is still good: revocation is the status list, offline too');

  const none = await app.inject({ method: 'POST', url: '/me/credentials', headers: me, payload: { qan: FOOD } });
  t.equal(none.statusCode, 404, 'no active award, no award credential');
  t.equal(none.json().code, 'AWARD_NOT_FOUND');
  const other = await app.inject({
    method: 'POST',
    url: '/me/credentials',
    headers: { authorization: `Bearer ${await tokenFor(app, 'ao-user')}` },
    payload: {},
  });
  t.equal(other.statusCode, 403, 'only a learner issues their own');
});
