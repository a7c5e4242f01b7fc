/** Call activity builders for test models (Camunda 8 and Camunda 7 flavours). */

/** A Camunda 8 call activity: `zeebe:calledElement` plus optional input/output mappings. */
export function callActivity8(
  id: string,
  processId: string,
  opts: {
    inputs?: Array<[source: string, target: string]>;
    outputs?: Array<[source: string, target: string]>;
    propagateAllChildVariables?: boolean;
    propagateAllParentVariables?: boolean;
  } = {},
): string {
  const flags = [
    opts.propagateAllChildVariables === undefined
      ? ''
      : ` propagateAllChildVariables="${opts.propagateAllChildVariables}"`,
    opts.propagateAllParentVariables === undefined
      ? ''
      : ` propagateAllParentVariables="${opts.propagateAllParentVariables}"`,
  ].join('');
  const io =
    opts.inputs || opts.outputs
      ? `<zeebe:ioMapping>${(opts.inputs ?? []).map(([s, t]) => `<zeebe:input source="${s}" target="${t}" />`).join('')}${(opts.outputs ?? []).map(([s, t]) => `<zeebe:output source="${s}" target="${t}" />`).join('')}</zeebe:ioMapping>`
      : '';
  return `<bpmn:callActivity id="${id}"><bpmn:extensionElements><zeebe:calledElement processId="${processId}"${flags} />${io}</bpmn:extensionElements></bpmn:callActivity>`;
}

/** A Camunda 7 call activity: `calledElement` with `camunda:in`/`camunda:out` given as raw attribute strings. */
export function callActivity7(
  id: string,
  calledElement: string,
  opts: { ins?: string[]; outs?: string[]; attrs?: string } = {},
): string {
  const ext = [
    ...(opts.ins ?? []).map((a) => `<camunda:in ${a} />`),
    ...(opts.outs ?? []).map((a) => `<camunda:out ${a} />`),
  ].join('');
  return `<bpmn:callActivity id="${id}" calledElement="${calledElement}"${opts.attrs ? ` ${opts.attrs}` : ''}>${ext ? `<bpmn:extensionElements>${ext}</bpmn:extensionElements>` : ''}</bpmn:callActivity>`;
}
