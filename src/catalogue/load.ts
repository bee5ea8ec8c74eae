/**
 * Loading a catalogue file (docs/catalogue-format.md) into the graph: size check, then
 * parse and validate the whole file, and only when it has no problem at all, write it.
 * A file with any problem stores nothing and answers with every problem found.
 */
import { open } from 'node:fs/promises';
import { CATALOGUE_LIMITS, parseCatalogue, type CatalogueErrorCode } from './catalogue-file.js';
import type { LoadOptions, LoadProgress, LoadReport } from './repository.js';
import { loadCatalogue } from './service.js';
import type { Graph } from '../platform/neo4j.js';

/** Largest file read, in bytes: the format's own text limit. Larger files are refused unread. */
export const MAX_CATALOGUE_FILE_BYTES = CATALOGUE_LIMITS.maxTextLength;

export interface CatalogueFileProblem {
  /** Where in the file (`qualifications[3].groups[1]`); "" for the file as a whole. */
  path: string;
  code: CatalogueErrorCode | 'unreadable-file';
  message: string;
}

export type LoadFileResult = { ok: true; report: LoadReport } | { ok: false; errors: CatalogueFileProblem[] };

export interface LoadFileOptions extends LoadOptions {
  /** Refuse files larger than this many bytes; default MAX_CATALOGUE_FILE_BYTES. */
  maxBytes?: number;
}

/** Measure the file before reading it, so that an oversized file is never read into memory. */
async function readBounded(
  file: string,
  maxBytes: number,
): Promise<{ text: string } | { problem: CatalogueFileProblem }> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    return {
      problem: {
        path: '',
        code: 'unreadable-file',
        message: `cannot open ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      },
    };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) {
      return { problem: { path: '', code: 'unreadable-file', message: `${file} is not a regular file` } };
    }
    const tooLarge = (size: number): { problem: CatalogueFileProblem } => ({
      problem: {
        path: '',
        code: 'too-large',
        message: `the file is ${size} bytes long; at most ${maxBytes} bytes are read`,
      },
    });
    if (info.size > maxBytes) return tooLarge(info.size);
    const buffer = await handle.readFile();
    // The file may have grown since it was measured.
    if (buffer.length > maxBytes) return tooLarge(buffer.length);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    try {
      return { text: decoder.decode(buffer) };
    } catch {
      return { problem: { path: '', code: 'invalid-json', message: 'the file is not UTF-8 text' } };
    }
  } catch (err) {
    return {
      problem: { path: '', code: 'unreadable-file', message: `cannot read ${file}: ${(err as Error).message}` },
    };
  } finally {
    await handle.close();
  }
}

/**
 * Check a catalogue file and, when it is entirely valid, load it. Problems with the file
 * come back as `{ ok: false, errors }` and leave the graph untouched; a failure of the
 * database itself is thrown (a chunked load can then simply be run again).
 */
export async function loadCatalogueFile(
  graph: Graph,
  file: string,
  opts: LoadFileOptions = {},
): Promise<LoadFileResult> {
  const maxBytes = opts.maxBytes ?? MAX_CATALOGUE_FILE_BYTES;
  const read = await readBounded(file, maxBytes);
  if ('problem' in read) return { ok: false, errors: [read.problem] };
  const parsed = parseCatalogue(read.text);
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const { maxBytes: _ignored, ...loadOptions } = opts;
  const report = await loadCatalogue(graph, parsed.catalogue, loadOptions);
  return { ok: true, report };
}

const PHASE_NAMES: Record<LoadProgress['phase'], string> = {
  units: 'units',
  equivalences: 'global equivalences',
  qualifications: 'qualifications',
};

/** One line per progress report, e.g. "  qualifications   4,210 / 10,000 (42%)". */
export function describeProgress(p: LoadProgress): string {
  const pct = p.total === 0 ? 100 : Math.floor((p.done / p.total) * 100);
  return `  ${PHASE_NAMES[p.phase].padEnd(20)} ${p.done.toLocaleString('en-GB').padStart(7)} / ${p.total.toLocaleString('en-GB')} (${pct}%)`;
}

/** A load report as a few lines for people. */
export function describeReport(r: LoadReport): string[] {
  const c = (x: { created: number; updated: number; unchanged: number }) =>
    `${x.created} created, ${x.updated} updated, ${x.unchanged} unchanged`;
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return [
    `units:               ${c(r.units)}`,
    `qualifications:      ${c(r.qualifications)}`,
    `global equivalences: ${r.globalEquivalences.created} created, ${r.globalEquivalences.unchanged} unchanged`,
    `written in ${r.transactions} transaction${r.transactions === 1 ? '' : 's'} (${r.mode})`,
    `time: validate ${s(r.timings.validateMs)}, units ${s(r.timings.unitsMs)}, equivalences ${s(r.timings.equivalencesMs)}, ` +
      `qualifications ${s(r.timings.qualificationsMs)}; total ${s(r.timings.totalMs)}`,
  ];
}

/** At most this many problems are printed by the command; the rest are counted. */
const PRINTED_PROBLEMS = 50;

/**
 * For the `plr` command line: load a file, printing progress and the outcome. Returns the
 * exit status: 0 loaded, 1 the file was refused (nothing stored).
 */
export async function runCatalogueLoad(
  graph: Graph,
  file: string,
  print: (line: string) => void = console.log,
  opts: LoadFileOptions = {},
): Promise<number> {
  print(`loading catalogue ${file}`);
  const result = await loadCatalogueFile(graph, file, {
    ...opts,
    onProgress: (p) => {
      print(describeProgress(p));
      opts.onProgress?.(p);
    },
  });
  if (!result.ok) {
    print(
      `the catalogue was refused, nothing was stored: ${result.errors.length} problem${result.errors.length === 1 ? '' : 's'}`,
    );
    for (const e of result.errors.slice(0, PRINTED_PROBLEMS)) print(`  ${e.path || '(file)'} [${e.code}] ${e.message}`);
    if (result.errors.length > PRINTED_PROBLEMS) print(`  ... and ${result.errors.length - PRINTED_PROBLEMS} more`);
    return 1;
  }
  for (const line of describeReport(result.report)) print(line);
  return 0;
}
