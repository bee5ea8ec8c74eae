/**
 * The maintenance gate of one process (issue 14 part 4): which windows are known, which is
 * in force now, and a wait for workers. Windows live in the graph (every process sees the
 * same ones); each process reads those not over every MAINTENANCE_REFRESH_MS, so a window
 * takes effect everywhere within that time of its start (of being scheduled, for one that
 * starts at once). When the graph cannot be read the last known windows stay in force.
 */
import type { Graph } from '../platform/neo4j.js';
import { activeWindow, announcedWindows } from './maintenance.js';
import { listWindows, type WindowRow } from './repository.js';

export class MaintenanceGate {
  private windows: WindowRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly graph: Graph,
    readonly refreshMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Start reading the windows now and then. The first read is awaited for at most two
   * seconds: a process whose graph is down still starts (and answers 503 for the graph).
   */
  async start(): Promise<void> {
    this.timer ??= setInterval(() => void this.refresh(), this.refreshMs);
    this.timer.unref();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.refresh(), new Promise((r) => (timer = setTimeout(r, 2_000)))]);
    clearTimeout(timer);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Read the windows again at once (after scheduling or ending one in this process). */
  async refresh(): Promise<void> {
    this.refreshing ??= listWindows(this.graph, { from: this.clock(), limit: 100 })
      .then((rows) => {
        this.windows = rows;
      })
      .catch(() => undefined)
      .finally(() => {
        this.refreshing = undefined;
      });
    await this.refreshing;
  }

  /** The window in force now, or null. */
  active(now: Date = this.clock()): WindowRow | null {
    return activeWindow(this.windows, now);
  }

  /** What /service-status announces now. */
  announced(now: Date = this.clock()): WindowRow[] {
    return announcedWindows(this.windows, now);
  }

  /**
   * For workers, between chunks and before a job: resolves at once outside a window, and
   * otherwise when the window is over (ended early, or at its end). `onPause` is told once.
   */
  async untilOpen(onPause?: (window: WindowRow) => void): Promise<void> {
    let told = false;
    for (let w = this.active(); w; w = this.active()) {
      if (!told) {
        onPause?.(w);
        told = true;
      }
      const left = Date.parse(w.end) - this.clock().getTime();
      await new Promise((r) => setTimeout(r, Math.max(50, Math.min(this.refreshMs, left))));
      await this.refresh();
    }
  }
}
