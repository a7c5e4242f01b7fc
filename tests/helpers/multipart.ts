/** A multipart/form-data body as Camunda Modeler and deployment clients send it: fields, then files. */
const BOUNDARY = '----svcflowTestBoundary';

/** The content type that goes with `multipartBody`. */
export const MULTIPART_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

export function multipartBody(
  fields: Record<string, string>,
  files: Record<string, string>,
  fileType = 'text/xml',
): string {
  const parts = [
    ...Object.entries(fields).map(([name, value]) => `Content-Disposition: form-data; name="${name}"\r\n\r\n${value}`),
    ...Object.entries(files).map(
      ([name, content]) =>
        `Content-Disposition: form-data; name="${name}"; filename="${name}"\r\nContent-Type: ${fileType}\r\n\r\n${content}`,
    ),
  ];
  return `${parts.map((p) => `--${BOUNDARY}\r\n${p}\r\n`).join('')}--${BOUNDARY}--\r\n`;
}
