/**
 * A build step that makes form-js's own texts translatable. form-js (viewer and editor) has no translation
 * service: its validation messages, select placeholders, palette and properties panel are English literals.
 * This plugin rewrites each literal that has an entry in designer/src/forms/form-js-zh.ts into a call of
 * `formText` / `formTemplate` (designer/src/forms/form-text.ts), evaluated when form-js renders, so a form shows
 * the app's language of the moment. Literals that form-js evaluates once at load (component configs, option
 * labels) become getters. Identifiers are left alone: keys, comparisons, `switch` cases, thrown errors. A
 * dictionary key found nowhere fails the build, so an upgrade of form-js that changes a text is noticed.
 */
import { fileURLToPath } from 'node:url';
import { parseAst, type Plugin } from 'vite';
import { FORM_JS_ONLY_IN, formJsZh } from './src/forms/form-js-zh';

type Node = { type: string; start: number; end: number; [key: string]: unknown };

const PACKAGES = ['form-js-viewer', 'form-js-editor'] as const;
const RUNTIME = fileURLToPath(new URL('./src/forms/form-text.ts', import.meta.url));
const COMPARISONS = new Set(['===', '!==', '==', '!=', 'in', 'instanceof']);
const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
/** Code form-js computes from the browser's locale that follows the app's language instead (the date field). */
const PATCHES: Record<(typeof PACKAGES)[number], Array<{ find: string; replace: string }>> = {
  'form-js-viewer': [
    {
      find: "function getLocaleDateFormat(locale = 'default') {",
      replace: 'function getLocaleDateFormat(locale = __formDateLocale()) {',
    },
  ],
  'form-js-editor': [],
};

export function formJsTexts(): Plugin {
  const used = new Set<string>();
  let transformed = 0;
  return {
    name: 'svcflow-form-js-texts',
    enforce: 'pre',
    transform(code, id) {
      const pkg = PACKAGES.find((name) => id.includes(`/@bpmn-io/${name}/dist/index.es.js`));
      if (!pkg) return null;
      transformed++;
      const edits = collectEdits(parseAst(code) as unknown as Node, code, pkg, used);
      let out = code;
      // offsets first (they are the parsed code's), then the textual patches
      for (const edit of edits.sort((a, b) => b.start - a.start)) {
        out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
      }
      for (const patch of PATCHES[pkg]) {
        if (!out.includes(patch.find)) this.error(`form-js code to patch not found in ${pkg}: ${patch.find}`);
        out = out.replace(patch.find, patch.replace);
      }
      const runtime = JSON.stringify(RUNTIME);
      return {
        code: `import { formText as __formText, formTemplate as __formTemplate, formDateLocale as __formDateLocale } from ${runtime};\n${out}`,
        map: null,
      };
    },
    buildEnd() {
      if (transformed === 0) return; // a build without forms (none today)
      const missing = Object.keys(formJsZh).filter((key) => !used.has(key));
      if (missing.length > 0)
        this.error(`form-js texts not found in form-js (update form-js-zh.ts): ${missing.join(' | ')}`);
    },
  };
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function collectEdits(ast: Node, code: string, pkg: string, used: Set<string>): Edit[] {
  const edits: Edit[] = [];
  const known = (key: string) => key in formJsZh && (FORM_JS_ONLY_IN[key] ?? pkg) === pkg;
  const visit = (node: Node, parent: Node | null, field: string, inFunction: boolean): void => {
    const replacement = translatable(node, parent, field);
    if (replacement) {
      const { key, call, context } = replacement;
      const contextual = context && known(`${context}:${key}`) ? `${context}:${key}` : null;
      if (contextual || known(key)) {
        used.add(contextual ?? key);
        const text = call(JSON.stringify(context ?? null));
        if (!inFunction && parent?.type === 'Property') {
          // evaluated once at load: a getter asks again each time form-js reads it
          const property = parent as Node & { key: Node; computed: boolean };
          const name = code.slice(property.key.start, property.key.end);
          edits.push({
            start: property.start,
            end: property.end,
            text: `get ${property.computed ? `[${name}]` : name}() { return ${text}; }`,
          });
        } else {
          edits.push({ start: node.start, end: node.end, text });
        }
        return;
      }
    }
    const nested = inFunction || FUNCTIONS.has(node.type);
    for (const [key, value] of Object.entries(node)) {
      if (Array.isArray(value)) {
        for (const child of value) if (isNode(child)) visit(child, node, key, nested);
      } else if (isNode(value)) visit(value, node, key, nested);
    }
  };
  visit(ast, null, '', false);
  return edits;

  function translatable(
    node: Node,
    parent: Node | null,
    field: string,
  ): { key: string; context: string | null; call(context: string): string } | null {
    if (!parent || !isTextPosition(parent, field)) return null;
    const context = parent.type === 'Property' ? propertyName(parent) : null;
    if (node.type === 'Literal' && typeof node.value === 'string') {
      const key = node.value;
      return { key, context, call: (ctx) => `__formText(${JSON.stringify(key)}, ${ctx})` };
    }
    if (node.type === 'TemplateLiteral') {
      const quasis = node.quasis as Array<{ value: { cooked: string } }>;
      const expressions = node.expressions as Node[];
      const key = quasis.map((q, i) => q.value.cooked + (i < expressions.length ? `{${i}}` : '')).join('');
      const values = expressions.map((e) => code.slice(e.start, e.end)).join(', ');
      return { key, context, call: () => `__formTemplate(${JSON.stringify(key)}, [${values}])` };
    }
    return null;
  }
}

/** Whether a string in this position is shown to people rather than used as an identifier. */
function isTextPosition(parent: Node, field: string): boolean {
  switch (parent.type) {
    case 'Property':
      return field === 'value';
    case 'BinaryExpression':
      return !COMPARISONS.has(parent.operator as string);
    case 'CallExpression':
      return field === 'arguments';
    case 'ImportDeclaration':
    case 'ExportNamedDeclaration':
    case 'ExportAllDeclaration':
    case 'ImportExpression':
    case 'SwitchCase':
    case 'MemberExpression':
    case 'NewExpression':
    case 'ThrowStatement':
    case 'TaggedTemplateExpression':
    case 'MethodDefinition':
    case 'PropertyDefinition':
      return false;
    default:
      return true;
  }
}

function propertyName(property: Node): string | null {
  const key = property.key as Node & { name?: string; value?: unknown };
  if (property.computed) return null;
  return key.type === 'Identifier' ? (key.name ?? null) : typeof key.value === 'string' ? key.value : null;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';
}
