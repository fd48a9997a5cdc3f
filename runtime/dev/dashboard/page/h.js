// @ts-check
// A tiny DOM helper of our own: elements from a tag, properties and children. Text always goes in
// as text nodes (never parsed as HTML), so names, messages and payloads from the stack stay inert.

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * @typedef {string | number | Node | null | undefined | false} Child
 * @typedef {Child | readonly Child[] | readonly (Child | readonly Child[])[]} Children
 * @typedef {Record<string, unknown>} Props
 */

/**
 * Builds an HTML element. `class`, `text`, `style` (an object of CSS properties), `on<event>`
 * (listeners) and `dataset` are handled; every other property becomes an attribute (false and
 * null leave it out, true sets it empty).
 *
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag the element's tag
 * @param {Props | null} [props] its properties
 * @param {...Children} children text, numbers, nodes or arrays of them
 * @returns {HTMLElementTagNameMap[K]}
 * @example
 * h('a', { href: '#/traces', class: 'link', 'data-testid': 'nav-traces' }, 'Traces')
 */
export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  apply(element, props ?? null);
  append(element, children);
  return element;
}

/**
 * Builds an SVG element, as `h` does (attributes as given, no `dataset`).
 *
 * @param {string} tag the SVG element's tag, e.g. `rect`
 * @param {Props | null} [props] its attributes
 * @param {...Children} children
 * @returns {SVGElement}
 * @example
 * svg('rect', { x: 0, y: 0, width: 10, height: 10, class: 'node' })
 */
export function svg(tag, props, ...children) {
  const element = /** @type {SVGElement} */ (document.createElementNS(SVG_NS, tag));
  apply(element, props ?? null);
  append(element, children);
  return element;
}

/**
 * Replaces an element's children.
 *
 * @param {Element} element
 * @param {...Children} children
 * @example
 * replace(main, h('p', null, 'Loading…'))
 */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/**
 * @param {Element} element
 * @param {readonly Children[]} children
 */
function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else if (child instanceof Node) element.append(child);
    else element.append(document.createTextNode(String(child)));
  }
}

/**
 * @param {Element} element
 * @param {Props | null} props
 */
function apply(element, props) {
  if (!props) return;
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') element.textContent = String(value);
    else if (key === 'style' && typeof value === 'object') {
      const style = /** @type {ElementCSSInlineStyle} */ (/** @type {unknown} */ (element)).style;
      for (const [name, css] of Object.entries(value)) style.setProperty(name, String(css));
    } else if (key === 'dataset' && typeof value === 'object' && element instanceof HTMLElement) {
      for (const [name, data] of Object.entries(value)) element.dataset[name] = String(data);
    } else if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    } else if (key === 'value' && 'value' in element) {
      /** @type {HTMLInputElement} */ (element).value = String(value);
    } else {
      element.setAttribute(key, value === true ? '' : String(value));
    }
  }
}
