// @ts-check
// Topology: the gateway, the services and the events as a layered SVG graph. Nodes are coloured
// by health; edges carry their transport and live rate (red when some failed), the policy of a
// call on hover. The stream's `topology` event updates colours and figures in place; the layout
// is computed again only when the set of nodes or edges changed, so nothing jumps.
import { getJson } from '../api.js';
import { h, svg, replace } from '../h.js';
import { layOut, SIZES } from '../layout.js';
import { clock, percent, rate } from '../format.js';
import { errorBox, viewHeader } from './common.js';
import { showService } from './services.js';

/**
 * @typedef {import('../../api-types.js').Topology} Topology
 * @typedef {import('../../api-types.js').TopologyEdge} TopologyEdge
 * @typedef {import('../../api-types.js').TopologyNode} TopologyNode
 * @typedef {import('../layout.js').Box} Box
 */

/** @type {readonly import('../../api-types.js').NodeHealth[]} */
const HEALTHS = ['ready', 'degraded', 'not ready', 'starting', 'down'];

/**
 * Renders the topology view and follows the stream.
 *
 * @param {HTMLElement} root
 * @param {string[]} _params
 * @param {import('../app.js').Context} context
 * @returns {() => void}
 * @example
 * const dispose = renderTopology(main, [], context);
 */
export function renderTopology(root, _params, context) {
  const canvas = h('div', { class: 'topology-canvas' }, h('p', { class: 'muted' }, 'Loading the topology…'));
  const updated = h('span', { class: 'muted', 'data-testid': 'topology-updated' });
  replace(root, viewHeader('Topology', updated), legend(), canvas);
  const graph = graphIn(canvas);
  /** @param {Topology} topology */
  const show = (topology) => {
    graph.draw(topology);
    updated.textContent = `sampled ${clock(topology.at)}`;
  };
  getJson('/api/topology').then(show, (error) => replace(canvas, errorBox(error)));
  return context.stream.on('topology', show);
}

/** @returns {HTMLElement} */
function legend() {
  return h(
    'div',
    { class: 'legend' },
    HEALTHS.map((health) => h('span', { class: `legend-item health-${slug(health)}` }, h('span', { class: 'swatch' }), health)),
    h('span', { class: 'legend-item' }, h('span', { class: 'line' }), 'route / call'),
    h('span', { class: 'legend-item' }, h('span', { class: 'line event' }), 'event'),
    h('span', { class: 'legend-item' }, h('span', { class: 'line error' }), 'errors'),
  );
}

/**
 * The graph drawn in `canvas`: redrawn when its shape changes, else updated in place.
 *
 * @param {HTMLElement} canvas
 */
function graphIn(canvas) {
  let shape = '';
  /** @type {Map<string, { group: SVGElement, sub: SVGElement, title: SVGElement }>} */
  let nodes = new Map();
  /** @type {Map<string, { path: SVGElement, label: SVGElement, title: SVGElement }>} */
  let edges = new Map();

  return {
    /** @param {Topology} topology */
    draw(topology) {
      const next = [...topology.nodes.map((n) => n.id), '|', ...topology.edges.map((e) => e.id)].sort().join('\n');
      if (next !== shape) {
        shape = next;
        ({ nodes, edges } = build(canvas, topology));
      }
      for (const node of topology.nodes) {
        const drawn = nodes.get(node.id);
        if (!drawn) continue;
        drawn.group.setAttribute('class', `node node-${node.kind}${node.health ? ` health-${slug(node.health)}` : ''}`);
        drawn.group.setAttribute('data-health', node.health ?? '');
        if (node.kind !== 'event') drawn.sub.textContent = node.health ?? '';
        drawn.title.textContent = `${node.label}${node.health ? ` (${node.health})` : ''}`;
      }
      for (const edge of topology.edges) {
        const drawn = edges.get(edge.id);
        if (!drawn) continue;
        drawn.path.setAttribute('class', `edge edge-${edge.kind}${edge.errorRate > 0 ? ' error' : ''}${edge.rate > 0 ? ' busy' : ''}`);
        drawn.path.setAttribute('marker-end', `url(#arrow${edge.errorRate > 0 ? '-error' : edge.kind === 'publish' || edge.kind === 'subscribe' ? '-event' : ''})`);
        drawn.label.textContent = edgeLabel(edge);
        drawn.label.setAttribute('class', `edge-label${edge.errorRate > 0 ? ' error' : ''}`);
        drawn.title.textContent = edgeTitle(edge, topology.nodes);
      }
    },
  };
}

/**
 * Lays the graph out and draws it, answering the elements to update later.
 *
 * @param {HTMLElement} canvas
 * @param {Topology} topology
 */
function build(canvas, topology) {
  const layout = layOut(topology.nodes, topology.edges);
  const { boxes, width, height } = layout;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'topology', 'data-testid': 'topology', role: 'img', 'aria-label': 'topology of the mesh' });
  root.append(
    svg('defs', null, marker('arrow'), marker('arrow-event'), marker('arrow-error')),
  );
  const edgeLayer = svg('g', { class: 'edges' });
  const labelLayer = svg('g', { class: 'edge-labels' });
  const nodeLayer = svg('g', { class: 'nodes' });
  root.append(edgeLayer, labelLayer, nodeLayer);

  // Subscriptions that go back left each get a lane of their own between the bands.
  const backward = topology.edges.filter((e) => {
    const from = boxes.get(e.from);
    const to = boxes.get(e.to);
    return e.kind === 'subscribe' && from && to && to.x - SIZES.columnGap / 2 <= from.x + from.width / 2;
  });
  /** @type {Map<string, { path: SVGElement, label: SVGElement, title: SVGElement }>} */
  const edges = new Map();
  for (const edge of topology.edges) {
    const from = boxes.get(edge.from);
    const to = boxes.get(edge.to);
    if (!from || !to) continue;
    const { d, mid } = curve(edge, from, to, layout, { index: backward.indexOf(edge), count: backward.length });
    const title = svg('title');
    const path = svg('path', { d, 'data-testid': `edge-${edge.id}` }, title);
    const label = svg('text', { x: mid.x, y: mid.y - 4, 'text-anchor': 'middle' });
    edgeLayer.append(path);
    labelLayer.append(label);
    edges.set(edge.id, { path, label, title });
  }

  /** @type {Map<string, { group: SVGElement, sub: SVGElement, title: SVGElement }>} */
  const nodes = new Map();
  for (const node of topology.nodes) {
    const box = boxes.get(node.id);
    if (!box) continue;
    const title = svg('title');
    const isEvent = node.kind === 'event';
    const label = svg('text', { x: box.x + box.width / 2, y: box.y + (isEvent ? box.height / 2 + 4 : 20), 'text-anchor': 'middle', class: 'node-label' }, fit(node.label, isEvent ? 22 : 19));
    const sub = svg('text', { x: box.x + box.width / 2, y: box.y + 37, 'text-anchor': 'middle', class: 'node-sub' });
    const shape = svg('rect', { x: box.x, y: box.y, width: box.width, height: box.height, rx: isEvent ? box.height / 2 : 8 });
    const group = svg('g', { 'data-testid': `node-${node.id}`, 'data-kind': node.kind }, title, shape, label, isEvent ? null : sub);
    if (node.kind === 'service') {
      group.addEventListener('click', () => showService(node.label));
      group.addEventListener('keydown', (event) => /** @type {KeyboardEvent} */ (event).key === 'Enter' && showService(node.label));
      group.setAttribute('tabindex', '0');
    }
    if (isEvent) group.addEventListener('click', () => (location.hash = '#/events'));
    nodeLayer.append(group);
    nodes.set(node.id, { group, sub, title });
  }
  replace(canvas, root);
  return { nodes, edges };
}

/**
 * @param {string} id
 * @returns {SVGElement}
 */
function marker(id) {
  return svg('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerUnits: 'userSpaceOnUse', markerWidth: 10, markerHeight: 10, orient: 'auto-start-reverse' }, svg('path', { d: 'M 0 0 L 10 5 L 0 10 z' }));
}

/**
 * The edge's path. Routes and calls: from side to side through their waypoints, or, going back
 * (a call to a service in an earlier column), as a loop over the services' band. Publishing: from
 * the publisher's right side to the event's left; subscribing: up the gap left of the subscriber
 * into its left side (from a lane between the bands when the subscriber is further left).
 *
 * @param {TopologyEdge} edge
 * @param {Box} from
 * @param {Box} to
 * @param {import('../layout.js').Layout} layout
 * @param {{ index: number, count: number }} lane which of the lanes between the bands a backward subscription takes
 * @returns {{ d: string, mid: { x: number, y: number } }}
 */
function curve(edge, from, to, layout, lane) {
  const centre = (/** @type {Box} */ box) => box.x + box.width / 2;
  const toward = (/** @type {Box} */ box, /** @type {number} */ x) => Math.min(box.x + box.width - 16, Math.max(box.x + 16, x));
  if (edge.kind === 'publish') {
    // Out of the publisher's right side, a little below its calls, down to the event's left.
    const a = { x: from.x + from.width, y: from.y + from.height / 2 + 10 };
    const b = { x: to.x - 2, y: to.y + to.height / 2 };
    const reach = Math.max(30, (b.x - a.x) / 2);
    return bezier(a, { x: a.x + reach, y: a.y }, { x: b.x - reach, y: b.y }, b);
  }
  if (edge.kind === 'subscribe') {
    // Up the gap left of the subscriber, into its left side a little below its routes.
    const gap = to.x - SIZES.columnGap / 2;
    const b = { x: to.x - 2, y: to.y + to.height / 2 + 10 };
    if (gap > from.x + from.width / 2) {
      const a = { x: from.x + from.width, y: from.y + from.height / 2 };
      return bezier(a, { x: gap, y: a.y }, { x: gap, y: b.y }, b);
    }
    // Back to a subscriber on the left: along a lane of its own in the empty strip between the
    // bands, so it crosses no event on its way.
    const a = { x: from.x, y: from.y + from.height / 2 };
    const laneY = layout.bandBottom + SIZES.bandGap / 2 + (lane.index - (lane.count - 1) / 2) * 7;
    const r = (/** @type {number} */ n) => Math.round(n * 10) / 10;
    const d = [
      `M ${r(a.x)} ${r(a.y)}`,
      `C ${r(a.x - 24)} ${r(a.y)}, ${r(a.x - 24)} ${r(laneY)}, ${r(a.x - 48)} ${r(laneY)}`,
      `L ${r(gap + 24)} ${r(laneY)}`,
      `C ${r(gap)} ${r(laneY)}, ${r(gap)} ${r(b.y)}, ${r(b.x)} ${r(b.y)}`,
    ].join(' ');
    return { d, mid: { x: r(a.x - 80), y: r(laneY) } };
  }
  if (to.column > from.column) {
    const waypoints = layout.waypoints.get(edge.id) ?? [];
    const path = smooth([{ x: from.x + from.width, y: from.y + from.height / 2 }, ...waypoints, { x: to.x - 2, y: to.y + to.height / 2 }]);
    // A long edge's label sits on its first waypoint: a column of its own, clear of the nodes.
    const first = waypoints[0];
    return first ? { d: path.d, mid: { x: first.x, y: first.y + 4 } } : path;
  }
  const a = { x: centre(from), y: from.y };
  const b = { x: centre(to) + (to.column === from.column ? 20 : 0), y: to.y - 2 };
  const high = Math.max(6, layout.bandTop - 34);
  return bezier(a, { x: a.x, y: high }, { x: b.x, y: high }, b);
}

/**
 * A path through points, leaving and reaching each one horizontally; its label's place is the
 * middle of its middle segment.
 *
 * @param {{ x: number, y: number }[]} points at least two
 * @returns {{ d: string, mid: { x: number, y: number } }}
 */
function smooth(points) {
  const segments = points.slice(1).map((b, i) => {
    const a = /** @type {{ x: number, y: number }} */ (points[i]);
    const dx = (b.x - a.x) / 2;
    return bezier(a, { x: a.x + dx, y: a.y }, { x: b.x - dx, y: b.y }, b);
  });
  const d = segments.map((segment, i) => (i === 0 ? segment.d : segment.d.replace(/^M [^C]+/, ''))).join(' ');
  const middle = /** @type {{ d: string, mid: { x: number, y: number } }} */ (segments[Math.floor((segments.length - 1) / 2)]);
  return { d, mid: middle.mid };
}

/**
 * @param {{ x: number, y: number }} p0
 * @param {{ x: number, y: number }} p1
 * @param {{ x: number, y: number }} p2
 * @param {{ x: number, y: number }} p3
 */
function bezier(p0, p1, p2, p3) {
  const r = (/** @type {number} */ n) => Math.round(n * 10) / 10;
  const d = `M ${r(p0.x)} ${r(p0.y)} C ${r(p1.x)} ${r(p1.y)}, ${r(p2.x)} ${r(p2.y)}, ${r(p3.x)} ${r(p3.y)}`;
  // The curve's point at t = 0.5.
  const mid = { x: r((p0.x + 3 * p1.x + 3 * p2.x + p3.x) / 8), y: r((p0.y + 3 * p1.y + 3 * p2.y + p3.y) / 8) };
  return { d, mid };
}

/**
 * On the edge: the transport and the rate of routes and calls; of event edges, the rate once there is one.
 *
 * @param {TopologyEdge} edge
 * @returns {string}
 */
function edgeLabel(edge) {
  const errors = edge.errorRate > 0 ? ` · ${percent(edge.errorRate)} err` : '';
  if (edge.kind === 'publish' || edge.kind === 'subscribe') return edge.rate > 0 || edge.errorRate > 0 ? `${rate(edge.rate)}${errors}` : '';
  return `${edge.transport ?? ''} · ${rate(edge.rate)}${errors}`;
}

/**
 * On hover: everything about the edge, the call's policy included.
 *
 * @param {TopologyEdge} edge
 * @param {readonly TopologyNode[]} nodes
 * @returns {string}
 */
function edgeTitle(edge, nodes) {
  const name = (/** @type {string} */ id) => nodes.find((n) => n.id === id)?.label ?? id;
  const lines = [`${name(edge.from)} → ${name(edge.to)} (${edge.kind}${edge.transport ? `, ${edge.transport}` : ''})`];
  if (edge.policy) lines.push(`policy: ${edge.policy}`);
  lines.push(`${rate(edge.rate)}, ${percent(edge.errorRate)} failed`);
  return lines.join('\n');
}

/**
 * @param {string} text
 * @param {number} max
 * @returns {string}
 */
function fit(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * `not ready` → `not-ready`, for class names.
 *
 * @param {string} text
 * @returns {string}
 */
function slug(text) {
  return text.replace(/\s+/g, '-');
}
