/**
 * The rules of qualifications already read, kept between route searches: reading the rules
 * of a page's candidates is most of the database work of a search, and they change only
 * when the catalogue is loaded again. An entry is used only while
 *  - the qualification's content hash (read with the candidates, at no cost) is the one it
 *    was read with: a load that changes the qualification's rules changes the hash;
 *  - the catalogue's stamp (the numbers of units and of equivalences, from the count store)
 *    is the same: a load that adds units or equivalences, which can change what counts
 *    where, empties the cache;
 *  - it is younger than the time to live: the one change neither shows, a unit corrected in
 *    place (same URN, new title, level or credit), is seen after that time at the latest.
 * `forget()` empties it at once: buildApp registers forgetRouteRules with the catalogue
 * service (onCatalogueLoaded), so every catalogue load through it in this process calls it.
 * Least recently used entries go first when it is full.
 */
import type { Graph } from '../platform/neo4j.js';
import type { CandidateRules } from './repository.js';

export const RULES_CACHE_ENTRIES = 4_000;
export const RULES_CACHE_TTL_MS = 5 * 60_000;

interface Entry {
  hash: string;
  rules: CandidateRules;
  at: number;
}

export class RulesCache {
  private readonly entries = new Map<string, Entry>();
  private stamp: string | null = null;
  hits = 0;
  misses = 0;

  constructor(
    private readonly maxEntries = RULES_CACHE_ENTRIES,
    private readonly ttlMs = RULES_CACHE_TTL_MS,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The catalogue's stamp as just read: a different one empties the cache. */
  catalogueIs(stamp: string): void {
    if (stamp !== this.stamp) this.entries.clear();
    this.stamp = stamp;
  }

  get(qan: string, hash: string | null, now: number): CandidateRules | undefined {
    const e = this.entries.get(qan);
    if (!e || hash === null || e.hash !== hash || now - e.at > this.ttlMs) {
      if (e) this.entries.delete(qan);
      this.misses++;
      return undefined;
    }
    // Most recently used last.
    this.entries.delete(qan);
    this.entries.set(qan, e);
    this.hits++;
    return e.rules;
  }

  set(qan: string, hash: string | null, rules: CandidateRules, now: number): void {
    if (hash === null) return;
    this.entries.delete(qan);
    this.entries.set(qan, { hash, rules, at: now });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(): void {
    this.entries.clear();
    this.stamp = null;
  }
}

const caches = new WeakMap<Graph, RulesCache>();

/** The cache of one graph connection (one per app). */
export function rulesCacheOf(graph: Graph): RulesCache {
  let c = caches.get(graph);
  if (!c) caches.set(graph, (c = new RulesCache()));
  return c;
}

/** Empty the routes' rules cache of this graph connection (after a catalogue load, say). */
export function forgetRouteRules(graph: Graph): void {
  caches.get(graph)?.forget();
}
