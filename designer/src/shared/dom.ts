/** A tiny hyperscript for plain DOM: `h('button', { class: 'primary', onclick }, 'Save')`. */

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, unknown>;

/** Creates an element with attributes, properties (`on*` handlers, `value`, `checked`) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Array<Child | Child[]>
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) setAttr(el, name, value);
  append(el, children);
  return el;
}

/** Appends children, skipping null, undefined and false. */
export function append(parent: Node, children: Array<Child | Child[]>): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces every child of `parent`. */
export function replace(parent: Node, ...children: Array<Child | Child[]>): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  append(parent, children);
}

/** An inline SVG element (for charts), namespaced correctly. */
export function svg(
  tag: string,
  attrs: Record<string, string | number> = {},
  ...children: Array<SVGElement | string>
): SVGElement {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  for (const child of children) el.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  return el;
}

// helpers

function setAttr(el: HTMLElement, name: string, value: unknown): void {
  if (value === null || value === undefined || value === false) return;
  if (name.startsWith('on') && typeof value === 'function') {
    el.addEventListener(name.slice(2), value as EventListener);
  } else if (name === 'value' || name === 'checked' || name === 'disabled' || name === 'selected') {
    (el as unknown as Record<string, unknown>)[name] = value;
  } else if (name === 'dataset' && typeof value === 'object') {
    Object.assign(el.dataset, value);
  } else {
    el.setAttribute(name, value === true ? '' : String(value));
  }
}
