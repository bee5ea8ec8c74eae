/** A max-flow relaxation of an allocation's credits, used by the evaluator's and the optimiser's bounds. */

/** What one undecided item could still add: up to credits[i] to group groups[i], in one group. */
export interface Offer {
  groups: number[];
  credits: number[];
}

/**
 * The most credits the offers can add when group g takes at most room[g] more, letting an
 * item split its credit between groups (a relaxation, so an upper bound for the real,
 * unsplit allocation). A small max-flow: source -> item -> group -> sink. Items with one
 * group go straight in; the rest are routed along augmenting paths.
 */
export function transport(offers: Offer[], room: number[]): number {
  const left = room.slice();
  let total = 0;
  const multi: Offer[] = [];
  for (const o of offers) {
    if (o.groups.length > 1) {
      multi.push(o);
      continue;
    }
    const g = o.groups[0];
    const x = Math.min(left[g], o.credits[0]);
    left[g] -= x;
    total += x;
  }
  const m = multi.length;
  const supply = multi.map((o) => Math.max(...o.credits));
  const flow = multi.map((o) => o.groups.map(() => 0));
  const sent = new Array<number>(m).fill(0);
  // Breadth-first search for an augmenting path; parents record how each node was reached.
  const itemFrom = new Array<number>(m); // group the path came from (-1: the source)
  const itemEdge = new Array<number>(m); // edge of this item used backwards from that group
  const groupFrom = new Array<number>(left.length); // item the path came from
  const groupEdge = new Array<number>(left.length);
  for (;;) {
    itemFrom.fill(-2);
    groupFrom.fill(-1);
    const queue: number[] = [];
    for (let i = 0; i < m; i++) {
      if (sent[i] < supply[i]) {
        itemFrom[i] = -1;
        queue.push(i);
      }
    }
    let sink = -1;
    for (let qi = 0; qi < queue.length && sink < 0; qi++) {
      const i = queue[qi];
      const o = multi[i];
      for (let j = 0; j < o.groups.length && sink < 0; j++) {
        const g = o.groups[j];
        if (groupFrom[g] >= 0 || flow[i][j] >= o.credits[j]) continue;
        groupFrom[g] = i;
        groupEdge[g] = j;
        if (left[g] > 0) {
          sink = g;
          break;
        }
        // Walk back along items already sending to g.
        for (let k = 0; k < m; k++) {
          if (itemFrom[k] !== -2) continue;
          const e = multi[k].groups.indexOf(g);
          if (e >= 0 && flow[k][e] > 0) {
            itemFrom[k] = g;
            itemEdge[k] = e;
            queue.push(k);
          }
        }
      }
    }
    if (sink < 0) return total;
    // Bottleneck along the path, then push.
    let push = left[sink];
    for (let g = sink; ;) {
      const i = groupFrom[g];
      push = Math.min(push, multi[i].credits[groupEdge[g]] - flow[i][groupEdge[g]]);
      if (itemFrom[i] === -1) {
        push = Math.min(push, supply[i] - sent[i]);
        break;
      }
      push = Math.min(push, flow[i][itemEdge[i]]);
      g = itemFrom[i];
    }
    left[sink] -= push;
    total += push;
    for (let g = sink; ;) {
      const i = groupFrom[g];
      flow[i][groupEdge[g]] += push;
      if (itemFrom[i] === -1) {
        sent[i] += push;
        break;
      }
      flow[i][itemEdge[i]] -= push;
      g = itemFrom[i];
    }
  }
}
