import t from 'tap';
import { setupApp } from '../helpers/app.js';

t.test('a write and a read through the real Neo4j by named queries', async (t) => {
  const { app } = await setupApp(t);
  const graph = app.deps.graph;
  const at = '2026-11-29T10:00:00.000Z';
  const [written] = await graph.write('operations/record-worker-heartbeat', { name: 'w-1', at, pid: 42, host: 'test' });
  t.equal(written.name, 'w-1');
  t.equal(written.beats, 1, 'counts come back as plain numbers');
  await graph.write('operations/record-worker-heartbeat', {
    name: 'w-1',
    at: '2026-11-29T10:00:05.000Z',
    pid: 42,
    host: 'test',
  });

  const rows = await graph.read('operations/list-workers', { limit: 10 });
  t.equal(rows.length, 1);
  t.same(rows[0], { name: 'w-1', lastSeen: '2026-11-29T10:00:05Z', beats: 2, pid: 42, host: 'test' });
});

t.test('several statements in one transaction apply together or not at all', async (t) => {
  const { app } = await setupApp(t);
  const graph = app.deps.graph;
  await t.rejects(
    graph.writeTx(async (tx) => {
      await tx.run('operations/record-worker-heartbeat', {
        name: 'w-2',
        at: '2026-11-29T10:00:00Z',
        pid: 1,
        host: 'x',
      });
      await tx.run('operations/record-worker-heartbeat', { name: 'w-3', at: 'not a date', pid: 1, host: 'x' });
    }),
  );
  t.same(await graph.read('operations/list-workers', { limit: 10 }), [], 'the first write was rolled back');
});

t.test('an unknown query name is a clear programming error', async (t) => {
  const { app } = await setupApp(t);
  await t.rejects(app.deps.graph.read('nowhere/nothing'), /no named query "nowhere\/nothing"/);
});
