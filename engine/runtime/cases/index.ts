/** engine/runtime/cases: the case page's data, the case search, notes, attachments and duplicate links. */
export {
  CaseService,
  DEFAULT_ATTACHMENT_MAX_BYTES,
  summaryOf,
  type CaseLink,
  type CaseServiceOptions,
  type CaseSummary,
} from './case-service.js';
export { ATTACHMENT_TYPES, sniffContentType } from './attachment-types.js';
export { caseTerms, queryTerms, wordsOf } from './case-terms.js';
export * from './case-errors.js';
