import type { z } from 'zod';

/** A type as data: readonly dropped (it says who may write a field, not what is stored). */
type Plain<T> = T extends bigint | string | number | boolean | null | undefined
  ? T
  : T extends readonly (infer E)[]
    ? Plain<E>[]
    : { -readonly [K in keyof T]: Plain<T[K]> };

/** True only when A and B are the same type, not merely assignable one way. */
type Same<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;

/**
 * Binds a schema to the snapshot type it reads, so the two cannot drift: the schema's output must be that type field for
 * field, optional for optional. `satisfies z.ZodType<T>` alone checks one way only: a field later added to T as optional
 * would pass, and the strict schema would then refuse every state that carries it; a field added to the schema but not
 * to T would go unnoticed. A mismatch fails to compile, naming 'schema and type differ'.
 */
export function mirrors<T>() {
  return <S extends z.ZodType<T>>(
    schema: S & (Same<Plain<z.output<S>>, Plain<T>> extends true ? unknown : { readonly 'schema and type differ': never }),
  ): S => schema;
}
