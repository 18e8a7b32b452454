/**
 * An error whose message is fit to show in chat as it is: it says what was wrong with the
 * input and what to do instead. Anything else thrown is a bug; it is logged in full and the
 * user sees only a short generic message.
 */
export class UserError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'UserError';
    this.code = code;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
