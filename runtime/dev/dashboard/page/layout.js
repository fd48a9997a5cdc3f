// @ts-check
// The topology's layout, layered left to right: the gateway first, then the services by call
// depth (the longest chain of calls from the gateway), each event in the column right after its
// deepest publisher. Services sit in a top band and events in a band below it, so calls never
// cross an event. A route or call that skips columns passes through waypoints (dummy nodes) that
// take their place in the columns it crosses, so it goes around the nodes there. Within a column
// nodes are ordered by the mean position of their neighbours (a few sweeps, fewer crossings) and
// stacked with a gap, so no two overlap.

/**
 * @typedef {{ id: string, kind: 'gateway' | 'service' | 'event' }} LayoutNode
 * @typedef {{ id: string, from: string, to: string, kind: 'route' | 'call' | 'publish' | 'subscribe' }} LayoutEdge
 * @typedef {{ x: number, y: number, width: number, height: number, column: number }} Box
 * @typedef {{ x: number, y: number }} Point
 * @typedef {{ boxes: Map<string, Box>, waypoints: Map<string, Point[]>, width: number, height: number, bandTop: number, bandBottom: number }} Layout
 */

/**
 * Node sizes and gaps, px.
 *
 * @example
 * const gap = to.x - SIZES.columnGap / 2; // the middle of the gap left of a node
 */
export const SIZES = Object.freeze({ serviceWidth: 150, serviceHeight: 48, eventWidth: 156, eventHeight: 30, waypointHeight: 12, columnGap: 64, rowGap: 26, bandGap: 70, margin: 44 });

/**
 * Places every node, and the waypoints of edges that skip columns; the same nodes and edges
 * always give the same layout.
 *
 * @param {readonly LayoutNode[]} givenNodes
 * @param {readonly LayoutEdge[]} givenEdges
 * @returns {Layout}
 * @example
 * const { boxes, waypoints, width, height } = layOut(topology.nodes, topology.edges);
 * boxes.get('service:users') // { x: 294, y: 44, width: 150, height: 48, column: 1 }
 */
export function layOut(givenNodes, givenEdges) {
  // Sorted first: the layout depends on the graph only, not on the order it came in.
  const nodes = [...givenNodes].sort((a, b) => a.id.localeCompare(b.id));
  const edges = [...givenEdges].sort((a, b) => a.id.localeCompare(b.id));
  const depth = serviceDepths(nodes, edges);
  /** @type {Map<string, number>} */
  const rank = new Map();
  for (const node of nodes) {
    if (node.kind === 'gateway') rank.set(node.id, 0);
    else if (node.kind === 'service') rank.set(node.id, 2 * (depth.get(node.id) ?? 1));
  }
  for (const node of nodes) {
    if (node.kind !== 'event') continue;
    const publishers = edges.filter((e) => e.kind === 'publish' && e.to === node.id).map((e) => rank.get(e.from) ?? 2);
    rank.set(node.id, (publishers.length ? Math.max(...publishers) : 2) + 1);
  }
  // Ranks without nodes are dropped: columns follow each other without gaps.
  const ranks = [...new Set(rank.values())].sort((a, b) => a - b);
  const columnOf = new Map([...rank].map(([id, r]) => [id, ranks.indexOf(r)]));
  /** @type {Map<string, 'node' | 'event' | 'waypoint'>} */
  const band = new Map(nodes.map((n) => [n.id, n.kind === 'event' ? 'event' : 'node']));

  // A waypoint in each column a forward route or call skips.
  /** @type {Map<string, string[]>} */
  const paths = new Map();
  /** @type {{ from: string, to: string }[]} */
  const links = [];
  for (const edge of edges) {
    const from = columnOf.get(edge.from);
    const to = columnOf.get(edge.to);
    if (from === undefined || to === undefined) continue;
    if ((edge.kind === 'route' || edge.kind === 'call') && to - from > 1) {
      const ids = [];
      for (let c = from + 1; c < to; c++) {
        const id = `~${edge.id}~${c}`;
        columnOf.set(id, c);
        band.set(id, 'waypoint');
        ids.push(id);
      }
      paths.set(edge.id, ids);
      [edge.from, ...ids, edge.to].forEach((id, i, all) => i > 0 && links.push({ from: /** @type {string} */ (all[i - 1]), to: id }));
    } else links.push({ from: edge.from, to: edge.to });
  }
  /** @type {string[][]} */
  const columns = ranks.map(() => []);
  for (const [id, c] of [...columnOf].sort(([a], [b]) => a.localeCompare(b))) columns[c]?.push(id);
  order(columns, links);

  const kinds = new Map(nodes.map((n) => [n.id, n.kind]));
  const sizeOf = (/** @type {string} */ id) =>
    band.get(id) === 'waypoint'
      ? { width: 0, height: SIZES.waypointHeight }
      : kinds.get(id) === 'event'
        ? { width: SIZES.eventWidth, height: SIZES.eventHeight }
        : { width: SIZES.serviceWidth, height: SIZES.serviceHeight };
  const stackHeight = (/** @type {string[]} */ ids) => ids.reduce((sum, id) => sum + sizeOf(id).height, 0) + Math.max(0, ids.length - 1) * SIZES.rowGap;
  const upper = columns.map((ids) => ids.filter((id) => band.get(id) !== 'event'));
  const lower = columns.map((ids) => ids.filter((id) => band.get(id) === 'event'));
  const upperHeight = Math.max(0, ...upper.map(stackHeight));
  const lowerHeight = Math.max(0, ...lower.map(stackHeight));
  const bandTop = SIZES.margin;
  const bandBottom = bandTop + upperHeight;
  const eventsTop = bandBottom + (lowerHeight > 0 ? SIZES.bandGap : 0);
  const height = eventsTop + lowerHeight + SIZES.margin;

  /** @type {Map<string, Box>} */
  const boxes = new Map();
  let x = SIZES.margin / 2;
  columns.forEach((ids, column) => {
    const width = Math.max(40, ...ids.map((id) => sizeOf(id).width));
    /**
     * @param {string[]} stack
     * @param {number} top
     * @param {number} space
     */
    const place = (stack, top, space) => {
      // Each stack centred in its band.
      let y = top + (space - stackHeight(stack)) / 2;
      for (const id of stack) {
        const size = sizeOf(id);
        boxes.set(id, { x: x + (width - size.width) / 2, y, ...size, column });
        y += size.height + SIZES.rowGap;
      }
    };
    place(/** @type {string[]} */ (upper[column]), bandTop, upperHeight);
    place(/** @type {string[]} */ (lower[column]), eventsTop, lowerHeight);
    x += width + SIZES.columnGap;
  });
  /** @type {Map<string, Point[]>} */
  const waypoints = new Map();
  for (const [edgeId, ids] of paths) {
    waypoints.set(
      edgeId,
      ids.map((id) => {
        const box = /** @type {Box} */ (boxes.get(id));
        boxes.delete(id);
        return { x: box.x, y: box.y + box.height / 2 };
      }),
    );
  }
  return { boxes, waypoints, width: x - SIZES.columnGap + SIZES.margin / 2, height, bandTop, bandBottom };
}

/**
 * Per service, the longest chain of route and call edges that reaches it from the gateway (1 for a
 * routed service); a cycle of calls is cut where it closes. Services nobody reaches get 1.
 *
 * @param {readonly LayoutNode[]} nodes
 * @param {readonly LayoutEdge[]} edges
 * @returns {Map<string, number>}
 */
function serviceDepths(nodes, edges) {
  /** @type {Map<string, number>} */
  const depth = new Map();
  const calls = edges.filter((e) => e.kind === 'call' || e.kind === 'route');
  /**
   * @param {string} id
   * @param {number} d
   * @param {Set<string>} path
   */
  const visit = (id, d, path) => {
    if (path.has(id) || (depth.get(id) ?? -1) >= d) return;
    depth.set(id, d);
    path.add(id);
    for (const edge of calls) if (edge.from === id) visit(edge.to, d + 1, path);
    path.delete(id);
  };
  for (const root of nodes.filter((n) => n.kind === 'gateway')) visit(root.id, 0, new Set());
  for (const node of nodes) if (node.kind === 'service' && !depth.has(node.id)) visit(node.id, 1, new Set());
  return depth;
}

/**
 * Orders each column by the mean index of its nodes' neighbours, sweeping right then left a few
 * times (the barycentre heuristic).
 *
 * @param {string[][]} columns
 * @param {readonly { from: string, to: string }[]} links
 */
function order(columns, links) {
  /** @type {Map<string, string[]>} */
  const neighbours = new Map();
  for (const link of links) {
    neighbours.set(link.from, [...(neighbours.get(link.from) ?? []), link.to]);
    neighbours.set(link.to, [...(neighbours.get(link.to) ?? []), link.from]);
  }
  /** @type {Map<string, number>} */
  const position = new Map();
  const remember = () => columns.forEach((ids) => ids.forEach((id, i) => position.set(id, i / Math.max(1, ids.length - 1))));
  remember();
  for (let sweep = 0; sweep < 6; sweep++) {
    const indexes = columns.map((_, i) => i);
    if (sweep % 2 === 1) indexes.reverse();
    for (const i of indexes) {
      const ids = /** @type {string[]} */ (columns[i]);
      const centre = (/** @type {string} */ id) => {
        const around = (neighbours.get(id) ?? []).map((n) => position.get(n)).filter((p) => p !== undefined);
        return around.length ? around.reduce((a, b) => a + b, 0) / around.length : (position.get(id) ?? 0);
      };
      const centres = new Map(ids.map((id) => [id, centre(id)]));
      ids.sort((a, b) => (centres.get(a) ?? 0) - (centres.get(b) ?? 0) || a.localeCompare(b));
      remember();
    }
  }
}
