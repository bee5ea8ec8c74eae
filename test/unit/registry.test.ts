import t from 'tap';
import { checkRegistry, handlers, JOB_NAMES } from '../../importers/registry.js';

t.test('the shipped registry is consistent', async (t) => {
  t.doesNotThrow(() => checkRegistry(JOB_NAMES, handlers));
});

t.test('a missing, extra or doubled job is refused at start', async (t) => {
  t.throws(() => checkRegistry(['a', 'b'], { a: async () => 1 }), /job "b" has no handler/);
  t.throws(() => checkRegistry(['a'], { a: async () => 1, c: async () => 1 }), /handler "c" is not a declared job/);
  t.throws(() => checkRegistry(['a', 'a'], { a: async () => 1 }), /declared twice/);
  t.throws(() => checkRegistry(['a'], { a: 'not a function' }), /job "a" has no handler/);
});
