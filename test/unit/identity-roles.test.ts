import t from 'tap';
import {
  KIND_ROLES,
  ORGANISATION_KINDS,
  clientRolesProblem,
  isOrganisationKind,
  isUkprn,
  looksLikeEmail,
  mayManage,
  normaliseEmail,
  selfChangeProblem,
  userRolesProblem,
} from '../../src/identity/organisations.js';
import { ROLES, type Principal, type Role } from '../../src/platform/auth.js';

const who = (roles: Role[], organisation?: string, subject = 'usr_me'): Principal => ({
  subject,
  roles,
  organisation,
  tokenId: 'j',
});

t.test('each kind holds its own roles; no kind holds learner; every other role has one kind', async (t) => {
  t.same(KIND_ROLES.ao, ['ao-user', 'ao-admin']);
  t.same(KIND_ROLES.provider, ['provider-user', 'provider-admin']);
  t.same(KIND_ROLES.careers, ['careers-adviser']);
  t.same(KIND_ROLES.operator, ['operator', 'analyst']);
  for (const role of ROLES) {
    const kinds = ORGANISATION_KINDS.filter((k) => KIND_ROLES[k].includes(role));
    t.equal(kinds.length, role === 'learner' ? 0 : 1, `${role}: ${kinds.join(',') || 'no kind'}`);
  }
});

t.test('user roles: allowed for the kind, or a message naming what is not', async (t) => {
  t.equal(userRolesProblem('ao', ['ao-user']), null);
  t.equal(userRolesProblem('ao', ['ao-user', 'ao-admin']), null);
  t.match(userRolesProblem('ao', ['provider-user']), /kind "ao" cannot hold the role provider-user/);
  t.match(userRolesProblem('ao', ['ao-user', 'operator']), /operator/);
  t.match(userRolesProblem('provider', ['learner']), /learner/);
  t.match(userRolesProblem('careers', ['careers-adviser', 'analyst']), /analyst/);
  t.match(userRolesProblem('ao', []), /at least one/);
  t.match(userRolesProblem('ao', ['ao-user', 'ao-user']), /twice/);
  t.match(userRolesProblem('ao', ['root']), /not a role: root/);
  t.equal(userRolesProblem('operator', ['analyst']), null);
});

t.test("client roles: a subset of the kind's roles, never an admin role", async (t) => {
  t.equal(clientRolesProblem('ao', ['ao-user']), null);
  t.match(clientRolesProblem('ao', ['ao-admin']), /admin/);
  t.match(clientRolesProblem('provider', ['provider-user', 'provider-admin']), /admin/);
  t.match(clientRolesProblem('provider', ['ao-user']), /cannot hold/);
});

t.test('who manages an organisation', async (t) => {
  t.same(mayManage(who(['operator'], '10000005'), '10000001'), { allowed: true, as: 'operator' });
  t.same(mayManage(who(['ao-admin'], '10000001'), '10000001'), { allowed: true, as: 'admin' });
  t.same(mayManage(who(['provider-admin'], '10000002'), '10000002'), { allowed: true, as: 'admin' });
  t.match(mayManage(who(['ao-admin'], '10000001'), '10000002'), { allowed: false, reason: /own organisation/ });
  t.match(
    mayManage(who(['ao-admin']), '10000001'),
    { allowed: false },
    'an admin without an organisation manages none',
  );
  t.match(mayManage(who(['ao-user'], '10000001'), '10000001'), { allowed: false, reason: /roles/ });
  t.match(mayManage(who(['analyst'], '10000005'), '10000005'), { allowed: false });
});

t.test('an admin cannot disable themself nor drop their own admin role', async (t) => {
  const admin = who(['ao-admin'], '10000001', 'usr_a');
  t.match(selfChangeProblem(admin, 'usr_a', { disable: true }), /disable yourself/);
  t.match(selfChangeProblem(admin, 'usr_a', { roles: ['ao-user'] }), /own admin role/);
  t.equal(selfChangeProblem(admin, 'usr_a', { roles: ['ao-user', 'ao-admin'] }), null);
  t.equal(selfChangeProblem(admin, 'usr_b', { disable: true }), null, 'someone else: fine');
  t.equal(
    selfChangeProblem(who(['operator'], '10000005', 'usr_a'), 'usr_a', { disable: true }),
    null,
    'the operator is not limited here',
  );
});

t.test('identifiers and emails', async (t) => {
  t.ok(isUkprn('10000001'));
  t.notOk(isUkprn('00000001'));
  t.notOk(isUkprn('1000000'));
  t.notOk(isUkprn(10000001));
  t.ok(isOrganisationKind('careers'));
  t.notOk(isOrganisationKind('learner'));
  t.equal(normaliseEmail('  Ann.Example@Example.ORG '), 'ann.example@example.org');
  t.ok(looksLikeEmail('a@b.uk'));
  t.notOk(looksLikeEmail('a@b'));
  t.notOk(looksLikeEmail('a b@c.uk'));
  t.notOk(looksLikeEmail('no-at-sign.uk'));
});
