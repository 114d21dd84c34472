/**
 * An expected failure a person can act on: unknown model, profile of another provider, expired pin.
 * `code` is stable (tests and logic key on it); `message` is for people; `hint` says what to do next.
 * Never put a secret in any of the three.
 */
export interface UserError {
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
}

/** Builds a {@link UserError} value. */
export function userError(code: string, message: string, hint?: string): UserError {
  return hint === undefined ? { code, message } : { code, message, hint };
}

/** A {@link UserError} as one line of text: the message, then the hint when there is one. */
export function userErrorLine(error: UserError): string {
  return error.hint ? `${error.message} ${error.hint}` : error.message;
}

/** A {@link UserError} as text for a reply or an error: the message, then the hint on its own line. */
export function userErrorText(error: UserError): string {
  return error.hint ? `${error.message}\n${error.hint}` : error.message;
}

/** A thrown wrapper for a {@link UserError}, for edges (CLI, file loading) that unwind the stack. */
export class UserFacingError extends Error {
  readonly detail: UserError;
  constructor(detail: UserError) {
    super(userErrorText(detail));
    this.name = "UserFacingError";
    this.detail = detail;
  }
}

/** Either a value or a {@link UserError}. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: UserError };

/** The answer to a credential pasted where a model or profile name belongs. Never echoes it. */
export const SECRET_IN_INPUT: UserError = userError(
  "secret_like_input",
  "That looks like an API key or token, not a model or profile name. Nothing was changed or stored.",
  "If it is a real credential, rotate it: it has been sent in a chat.",
);
