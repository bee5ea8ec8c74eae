/**
 * The named-query registry: every file under cypher/ is one statement, loaded once at
 * start-up and called by its name (the path under cypher/ without ".cypher").
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config.js';

export const CYPHER_DIR = path.join(PROJECT_ROOT, 'cypher');

export interface NamedQuery {
  name: string;
  file: string;
  text: string;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else if (entry.endsWith('.cypher')) out.push(full);
  }
  return out;
}

export class QueryRegistry {
  private readonly byName = new Map<string, NamedQuery>();

  constructor(readonly root: string = CYPHER_DIR) {
    for (const file of walk(root)) {
      const name = path
        .relative(root, file)
        .replace(/\\/g, '/')
        .replace(/\.cypher$/, '');
      // Comments are kept: Neo4j accepts them and they help in the query log.
      const text = readFileSync(file, 'utf8').trim().replace(/;\s*$/, '');
      if (text.length === 0) throw new Error(`cypher/${name}.cypher is empty`);
      this.byName.set(name, { name, file, text });
    }
  }

  get(name: string): NamedQuery {
    const q = this.byName.get(name);
    if (!q) throw new Error(`no named query "${name}" (expected cypher/${name}.cypher)`);
    return q;
  }

  /** Every query, in name order; with a folder, only the queries under it. */
  list(folder?: string): NamedQuery[] {
    const all = [...this.byName.values()];
    return folder === undefined ? all : all.filter((q) => q.name.startsWith(`${folder}/`));
  }
}

let shared: QueryRegistry | undefined;
/** The registry for the project's cypher/ folder, read once per process. */
export function queries(): QueryRegistry {
  shared ??= new QueryRegistry();
  return shared;
}
