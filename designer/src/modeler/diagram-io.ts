/** Getting diagrams in and out of the designer: a new diagram, files, downloads and the unsaved draft. */

const DRAFT_KEY = 'svcflow.designer.draft';

/** A blank executable process with one start event, ready for the palette. */
export function newDiagramXml(): string {
  const suffix = Math.random().toString(36).slice(2, 9);
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:svc="https://svcflow.dev/schema/bpmn/1.0" id="Definitions_${suffix}" targetNamespace="https://svcflow.dev/processes">
  <bpmn:process id="Process_${suffix}" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="Process_${suffix}">
      <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1">
        <dc:Bounds x="180" y="160" width="36" height="36" />
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}

/** The diagram being edited survives a reload or a language switch within the browser tab. */
export function loadDraft(): string | null {
  return sessionStorage.getItem(DRAFT_KEY);
}

export function saveDraft(xml: string): void {
  sessionStorage.setItem(DRAFT_KEY, xml);
}

/** Offers text as a file download. */
export function download(fileName: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Lets the user pick a model file (.bpmn/.xml unless told) and resolves with its text (null when cancelled). */
export function pickFile(accept = '.bpmn,.xml,application/xml,text/xml'): Promise<string | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (!file) return resolve(null);
      file.text().then(resolve, () => resolve(null));
    });
    input.addEventListener('cancel', () => resolve(null));
    input.click();
  });
}

/** A file name for the process: its id, safe for file systems. */
export function fileNameFor(processId: string | undefined, extension: string): string {
  return `${(processId ?? 'diagram').replace(/[^A-Za-z0-9_.-]/g, '_')}.${extension}`;
}
