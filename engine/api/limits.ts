/** Request size limits of the HTTP API. */

/** Largest JSON body in bytes, unless buildApp is given another. */
export const JSON_BODY_LIMIT = 1024 * 1024;

/** Largest BPMN document (XML or a multipart deployment) accepted over HTTP. */
export const XML_BODY_LIMIT = 5 * 1024 * 1024;
