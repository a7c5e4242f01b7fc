/** Reads BPMN 2.0 XML (plain, Camunda 7 or Camunda 8 flavoured) into a BpmnDocument, collecting problems. */
import { checkDocumentRules } from './read-spec-rules.js';
import type { BpmnModdle, ModdleElement } from 'bpmn-moddle';
import { buildProcess } from './build-process.js';
import type { ReadContext } from './moddle/access.js';
import { createModdle } from './moddle/packages.js';
import type { BpmnDocument } from './model.js';
import { mapParseFailure, mapParseWarnings } from './parse-warnings.js';
import { parseDefinitions } from './parse-xml.js';
import { aliasVendorNamespaces, checkVendorExtensions } from './read-vendor.js';
import type { Problem } from './problems.js';
import { DEFAULT_LIMITS, guardXml, type XmlLimits } from './xml-guard.js';

export interface ReadOptions {
  /** Largest accepted document in UTF-8 bytes; default 5 MB. */
  maxBytes?: number;
  /** Most elements (start tags) accepted; default 20,000. */
  maxElements?: number;
  /** Deepest element nesting accepted; default 100. */
  maxDepth?: number;
}

export interface ReadResult {
  /** null when the XML could not be read or holds no process. */
  document: BpmnDocument | null;
  problems: Problem[];
}

let sharedModdle: BpmnModdle | null = null;

/** Reads BPMN XML into one ProcessModel per executable process; never throws, reports every problem it meets. */
export async function readBpmn(xml: string, options: ReadOptions = {}): Promise<ReadResult> {
  if (typeof xml !== 'string')
    return refuse(documentProblem('XML_MALFORMED', 'the document is not text; pass the BPMN XML as a string'));
  const refused = guardXml(xml, limitsOf(options));
  if (refused) return refuse(refused);
  try {
    return await parseAndBuild(xml);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return refuse(
      documentProblem(
        'XML_MALFORMED',
        `the document could not be read as BPMN (${reason}); export it again from the modeler`,
      ),
    );
  }
}

// helpers

async function parseAndBuild(xml: string): Promise<ReadResult> {
  const outcome = await parseDefinitions(moddle(), aliasVendorNamespaces(xml));
  if (outcome.kind === 'malformed') return refuse(outcome.problem);
  if (outcome.kind === 'failed') return { document: null, problems: mapParseFailure(outcome, xml) };
  const { problems, refs } = mapParseWarnings(outcome.result.warnings, xml);
  if (problems.some((p) => p.code === 'XML_MALFORMED')) return { document: null, problems };
  return buildDocument(outcome.result.rootElement, { problems, refs });
}

function buildDocument(definitions: ModdleElement, ctx: ReadContext): ReadResult {
  const processes = selectProcesses(definitions.rootElements ?? []);
  if (processes.length === 0) {
    ctx.problems.push(
      documentProblem(
        'NO_PROCESS',
        'the document contains no process; draw a process (or a pool with a process) and save again',
      ),
    );
    return { document: null, problems: ctx.problems };
  }
  checkDocumentRules(definitions, ctx);
  checkVendorExtensions(definitions, ctx);
  const document = { id: definitions.id ?? null, processes: processes.map((process) => buildProcess(process, ctx)) };
  return { document, problems: ctx.problems };
}

/**
 * Processes at the top level and those referenced by collaboration participants. A process marked
 * isExecutable="false" is skipped when others are executable; plain bpmn.io diagrams mark their only one false.
 */
function selectProcesses(rootElements: ModdleElement[]): ModdleElement[] {
  const participants = rootElements
    .filter((root) => root.$type === 'bpmn:Collaboration')
    .flatMap((collaboration): ModdleElement[] => collaboration.participants ?? [])
    .map((participant) => participant.processRef as ModdleElement | undefined);
  const processes = [...new Set([...rootElements, ...participants])].filter(
    (element): element is ModdleElement => element?.$type === 'bpmn:Process',
  );
  const executable = processes.filter((process) => process.isExecutable !== false);
  return executable.length > 0 ? executable : processes;
}

function limitsOf(options: ReadOptions): XmlLimits {
  return {
    maxBytes: options.maxBytes ?? DEFAULT_LIMITS.maxBytes,
    maxElements: options.maxElements ?? DEFAULT_LIMITS.maxElements,
    maxDepth: options.maxDepth ?? DEFAULT_LIMITS.maxDepth,
  };
}

function moddle(): BpmnModdle {
  sharedModdle ??= createModdle();
  return sharedModdle;
}

function refuse(problem: Problem): ReadResult {
  return { document: null, problems: [problem] };
}

function documentProblem(code: Problem['code'], message: string): Problem {
  return { code, elementId: null, elementType: null, message };
}
