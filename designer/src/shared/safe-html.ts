/**
 * Owner-supplied markup in forms (form-js `html` and `text` components, with the case's variables templated
 * into them) is sanitised beyond form-js's own rules: no form controls (a fake password field in a task form),
 * no frames or embedded objects, and no links or images pointing at another origin (phishing, tracking). The
 * content security policy already stops scripts; this stops what a policy cannot. form-js sanitises `html`
 * with the shared DOMPurify instance, so hooks on it apply there; `text` goes through `SafeMarkdownModule`.
 */
import DOMPurify from 'dompurify';
import { MarkdownRenderer } from '@bpmn-io/form-js';

const FORBIDDEN_TAGS = new Set([
  'form',
  'input',
  'button',
  'select',
  'option',
  'optgroup',
  'textarea',
  'datalist',
  'fieldset',
  'output',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'portal',
  'base',
  'meta',
  'link',
  'script',
  'template',
  'dialog',
]);
const FORBIDDEN_ATTRIBUTES = ['action', 'formaction', 'form', 'srcset', 'ping', 'background', 'poster'];
const URL_ATTRIBUTES: Record<string, string[]> = {
  a: ['href'],
  area: ['href'],
  img: ['src'],
  source: ['src'],
  video: ['src'],
  audio: ['src'],
  track: ['src'],
};

let installed = false;

/** Adds svcflow's rules to DOMPurify (once): every later sanitise, form-js's included, follows them. */
export function installSafeHtml(): void {
  if (installed) return;
  installed = true;
  DOMPurify.addHook('uponSanitizeElement', (node, data) => {
    if (FORBIDDEN_TAGS.has(data.tagName)) (node as Element).remove();
  });
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    const element = node as Element;
    for (const name of FORBIDDEN_ATTRIBUTES) element.removeAttribute?.(name);
    for (const name of URL_ATTRIBUTES[element.tagName?.toLowerCase()] ?? []) {
      const value = element.getAttribute(name);
      if (value !== null && !isOwnOrigin(value)) element.removeAttribute(name);
    }
  });
}

/** Sanitised HTML: DOMPurify's rules plus svcflow's. */
export function sanitizeMarkup(html: string): string {
  installSafeHtml();
  return DOMPurify.sanitize(html, { FORBID_TAGS: [...FORBIDDEN_TAGS, 'style'] });
}

/** form-js's markdown renderer (the `text` component), its HTML sanitised by `sanitizeMarkup`. */
class SafeMarkdownRenderer extends MarkdownRenderer {
  render(markdown: string): string {
    return sanitizeMarkup(super.render(markdown));
  }
}

/** The module that puts `SafeMarkdownRenderer` into a form-js Form or FormEditor (`additionalModules`). */
export const SafeMarkdownModule = { __init__: ['markdownRenderer'], markdownRenderer: ['type', SafeMarkdownRenderer] };

// helpers

// Same-origin http(s), a fragment, or a mail or phone link; anything else (another origin, javascript:, data: links) is dropped.
function isOwnOrigin(value: string): boolean {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return true;
  try {
    const url = new URL(trimmed, window.location.href);
    if (url.protocol === 'mailto:' || url.protocol === 'tel:') return true;
    if (url.protocol === 'data:') return /^data:image\/(png|gif|jpeg|webp);/i.test(trimmed);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === window.location.origin;
  } catch {
    return false;
  }
}
