/** The attachments of a deployment beside its BPMN: DMN files and form-js forms, deployed with it by the engine. */
import { isFormFile } from '../../runtime/index.js';
import type { Part } from './multipart.js';

const DMN_FILE = /\.dmn(11\.xml)?$/i;

/** The .dmn files of a deployment, as deployment files: the engine deploys them with the BPMN, all or nothing. */
export function decisionFiles(parts: Part[]): Array<{ name: string; xml: string }> {
  return parts
    .filter((p) => p.filename !== null && DMN_FILE.test(p.filename))
    .map((p) => ({ name: p.filename!, xml: p.data.toString('utf8') }));
}

/** The .form files of a deployment, as deployment files: the engine stores them as form versions of it. */
export function formFiles(parts: Part[]): Array<{ name: string; xml: string }> {
  return parts
    .filter((p) => p.filename !== null && isFormFile({ name: p.filename }))
    .map((p) => ({ name: p.filename!, xml: p.data.toString('utf8') }));
}
