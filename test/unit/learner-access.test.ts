import t from 'tap';
import { learnerAccess } from '../../src/learners/access.js';
import { ROLES, type Role } from '../../src/platform/auth.js';

const who = (role: Role, extra: { uln?: string; organisation?: string } = {}) => ({
  subject: 's',
  roles: [role],
  tokenId: 'j',
  ...extra,
});
const available = { uln: '9276308686', available: true };
const unavailable = { uln: '9276308686', available: false };

t.test('a learner sees their own record, and only theirs', async (t) => {
  t.same(learnerAccess(who('learner', { uln: '9276308686' }), unavailable), { allowed: true, scope: 'all' });
  t.same(learnerAccess(who('learner', { uln: '1000000004' }), available), { allowed: false, reason: 'not-permitted' });
  t.same(
    learnerAccess(who('learner'), available),
    { allowed: false, reason: 'not-permitted' },
    'a learner token without a ULN sees nothing',
  );
});

t.test('a merged record belongs to the learner of its master ULN', async (t) => {
  // 1000000004 was merged into 9276308686: the same person, now known by the master ULN.
  const merged = { uln: '1000000004', available: false, linkedTo: '9276308686' };
  t.same(
    learnerAccess(who('learner', { uln: '9276308686' }), merged),
    { allowed: true, scope: 'all' },
    'the master sees the merged record',
  );
  t.same(
    learnerAccess(who('learner', { uln: '1000000005' }), merged),
    { allowed: false, reason: 'not-permitted' },
    'nobody else does',
  );
});

t.test('organisations see an available record; while unavailable only AOs see their own records', async (t) => {
  for (const role of ['ao-user', 'ao-admin', 'provider-user', 'provider-admin', 'careers-adviser'] as Role[]) {
    t.same(
      learnerAccess(who(role, { organisation: '10000001' }), available),
      { allowed: true, scope: 'all' },
      `${role} available`,
    );
  }
  for (const role of ['ao-user', 'ao-admin'] as Role[]) {
    t.same(
      learnerAccess(who(role, { organisation: '10000001' }), unavailable),
      { allowed: true, scope: 'own-records' },
      `${role} unavailable`,
    );
  }
  for (const role of ['provider-user', 'provider-admin', 'careers-adviser'] as Role[]) {
    t.same(
      learnerAccess(who(role, { organisation: '10000002' }), unavailable),
      { allowed: false, reason: 'not-shared' },
      `${role} unavailable`,
    );
  }
});

t.test('operators see any record; analysts never see a learner', async (t) => {
  t.same(learnerAccess(who('operator'), unavailable), { allowed: true, scope: 'all' });
  t.same(learnerAccess(who('analyst'), available), { allowed: false, reason: 'not-permitted' });
});

t.test('every role gets a decision', async (t) => {
  for (const role of ROLES) {
    const d = learnerAccess(who(role, { organisation: '10000001', uln: '1000000004' }), available);
    t.type(d.allowed, 'boolean', role);
  }
});
