/** Expected failures are values: a stable machine code and a sentence a person understands. */
export interface Failure {
  readonly code: string;
  readonly message: string;
}

export type Result<T, E extends Failure = Failure> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function err<E extends Failure>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}

export function failure(code: string, message: string): { readonly ok: false; readonly error: Failure } {
  return { ok: false, error: { code, message } };
}
