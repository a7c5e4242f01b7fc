/** Errors of the case page, notes, attachments and duplicate links; stable codes in docs/errors.md. */
import { EngineError } from '../errors.js';
import { ATTACHMENT_TYPES } from './attachment-types.js';

/** No case with this business key, or none the caller may see (the same answer, so nothing leaks). */
export class CaseNotFoundError extends EngineError {
  readonly code = 'CASE_NOT_FOUND';
  constructor(readonly businessKey: string) {
    super(`case '${businessKey}' does not exist or is not visible to you`);
  }
  details(): Record<string, unknown> {
    return { businessKey: this.businessKey };
  }
}

export class AttachmentNotFoundError extends EngineError {
  readonly code = 'ATTACHMENT_NOT_FOUND';
  constructor(readonly attachmentId: string) {
    super(`attachment '${attachmentId}' does not exist on this case`);
  }
}

export class AttachmentTooLargeError extends EngineError {
  readonly code = 'ATTACHMENT_TOO_LARGE';
  constructor(
    readonly size: number,
    readonly maxBytes: number,
  ) {
    super(`the attachment has ${size} bytes; at most ${maxBytes} bytes are accepted (SVCFLOW_ATTACHMENT_MAX_BYTES)`);
  }
  details(): Record<string, unknown> {
    return { size: this.size, maxBytes: this.maxBytes };
  }
}

/** The bytes are none of the allowed kinds (the declared content type is not believed). */
export class AttachmentTypeNotAllowedError extends EngineError {
  readonly code = 'ATTACHMENT_TYPE_NOT_ALLOWED';
  constructor(readonly filename: string) {
    super(
      `'${filename}' is not one of the allowed kinds (${ATTACHMENT_TYPES.join(', ')}); its content was checked, not its name`,
    );
  }
  details(): Record<string, unknown> {
    return { allowed: [...ATTACHMENT_TYPES] };
  }
}

export class NoteInvalidError extends EngineError {
  readonly code = 'NOTE_INVALID';
}

/** A case cannot be the duplicate of itself, of a case of another process, or be linked twice. */
export class DuplicateLinkInvalidError extends EngineError {
  readonly code = 'DUPLICATE_LINK_INVALID';
}
