/**
 * The availability probe (issue 14 part 3), the pure part: from what it last knew and what
 * it saw now, what it knows next and what to record. Consecutive failures (PROBE_FAILURES
 * of them) open an unplanned outage starting at the first failure; the first success
 * closes it. Failures inside a maintenance window do not count: the window is the record.
 */
export interface ProbeState {
  failures: number;
  firstFailureAt: string | null;
  /** The outage this probe opened and has not closed. */
  outageId: string | null;
  /** Whether that outage is in the graph yet (the graph may have been the thing down). */
  outageStored: boolean;
  lastReason: string | null;
}

export const INITIAL_PROBE: ProbeState = {
  failures: 0,
  firstFailureAt: null,
  outageId: null,
  outageStored: false,
  lastReason: null,
};

export interface ProbeSeen {
  ok: boolean;
  at: string;
  reason?: string;
  inWindow: boolean;
}

export type ProbeAction =
  | { kind: 'open'; id: string; start: string; reason: string }
  | { kind: 'close'; id: string; start: string; end: string; stored: boolean; reason: string };

export function nextProbe(
  state: ProbeState,
  seen: ProbeSeen,
  threshold: number,
  newId: () => string,
): { state: ProbeState; action: ProbeAction | null } {
  if (seen.ok) {
    if (state.outageId && state.firstFailureAt) {
      return {
        state: INITIAL_PROBE,
        action: {
          kind: 'close',
          id: state.outageId,
          start: state.firstFailureAt,
          end: seen.at,
          stored: state.outageStored,
          reason: state.lastReason ?? 'readiness probe failed',
        },
      };
    }
    return { state: INITIAL_PROBE, action: null };
  }
  if (seen.inWindow && !state.outageId) return { state: INITIAL_PROBE, action: null };
  const failures = state.failures + 1;
  const firstFailureAt = state.firstFailureAt ?? seen.at;
  const reason = seen.reason ?? 'readiness probe failed';
  const next: ProbeState = { ...state, failures, firstFailureAt, lastReason: reason };
  if (!state.outageId && failures >= threshold) {
    const id = newId();
    return {
      state: { ...next, outageId: id, outageStored: false },
      action: { kind: 'open', id, start: firstFailureAt, reason },
    };
  }
  // Still open but not yet in the graph: try to store it again.
  if (state.outageId && !state.outageStored) {
    return { state: next, action: { kind: 'open', id: state.outageId, start: firstFailureAt, reason } };
  }
  return { state: next, action: null };
}
