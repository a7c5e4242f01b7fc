/** Errors of users, groups, API tokens and task forms: stable codes, no HTTP. */
import { EngineError } from '../errors.js';

/** One field of a request or form and what is wrong with it. */
export interface FieldProblem {
  name: string;
  message: string;
}

/** No user has this username. */
export class UserNotFoundError extends EngineError {
  readonly code = 'USER_NOT_FOUND';
  constructor(readonly username: string) {
    super(`user '${username}' does not exist`);
  }
}

/** The username is taken. */
export class UserExistsError extends EngineError {
  readonly code = 'USER_EXISTS';
  constructor(readonly username: string) {
    super(`user '${username}' exists already; change it with PATCH /api/users/${username}`);
  }
}

/** No group has this id. */
export class GroupNotFoundError extends EngineError {
  readonly code = 'GROUP_NOT_FOUND';
  constructor(readonly groupId: string) {
    super(`group '${groupId}' does not exist; create it with POST /api/groups`);
  }
}

/** The group id is taken. */
export class GroupExistsError extends EngineError {
  readonly code = 'GROUP_EXISTS';
  constructor(readonly groupId: string) {
    super(`group '${groupId}' exists already; set its members with PUT /api/groups/${groupId}/members`);
  }
}

/** No live API token has this id. */
export class TokenNotFoundError extends EngineError {
  readonly code = 'TOKEN_NOT_FOUND';
  constructor(readonly tokenId: string) {
    super(`API token '${tokenId}' does not exist or is revoked already`);
  }
}

/** A user or group change that cannot be made (unknown groups or members, the last admin removed). */
export class UserInvalidError extends EngineError {
  readonly code = 'USER_INVALID';
  constructor(readonly problems: FieldProblem[]) {
    super(`the change cannot be made: ${problems.map((p) => `${p.name} ${p.message}`).join('; ')}`);
  }
  details() {
    return { fields: this.problems };
  }
}

/** Task completion data that does not satisfy the task's form. */
export class FormInvalidError extends EngineError {
  readonly code = 'FORM_INVALID';
  constructor(
    readonly problems: FieldProblem[],
    readonly formKey: string,
  ) {
    super(`the data does not satisfy form '${formKey}': ${problems.map((p) => `${p.name} ${p.message}`).join('; ')}`);
  }
  details() {
    return { formKey: this.formKey, fields: this.problems };
  }
}
