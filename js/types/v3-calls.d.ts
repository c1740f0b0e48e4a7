// The types of the v3 client's generic calls (request, get, post, put, patch, delete): a URL written
// as a literal selects its operation in the generated `paths`, which types the body, the path
// parameters, the query and the answer. A URL the spec lacks, or a plain `string`, still compiles,
// with `unknown` body and answer.
//
// How a URL finds its operation: the part before `?` is split at `/` into segments and walked down
// `V3PathTree` (one node per segment, no union of all operations, so tsc stays fast). A segment
// matches a literal segment of the spec first and a `{parameter}` segment only when no literal one
// leads to the operation, so `/v3/pay/transactions/id/{transaction_id}` never swallows
// `/v3/pay/transactions/id/{transaction_id}/close`, nor a path parameter a literal path. A segment
// written `{name}` (the template form, with `options.params`) matches only the spec's `{name}`.
import type { components, paths, V3PathTree } from './v3-paths.js';

/** The methods of the v3 API. */
export type V3Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Every path of the spec and its operations (openapi-typescript's `paths`). */
export type V3Paths = paths;
/** The spec's shared schemas by name, e.g. `V3Schemas['Transaction.Amount']`. */
export type V3Schemas = components['schemas'];

type PathPart<U extends string> = U extends `${infer P}?${string}` ? P : U;
type Split<S extends string> = S extends `${infer H}/${infer R}` ? [H, ...Split<R>] : [S];
/** `'/v3/a/{b}?c=1'` → `['v3', 'a', '{b}']`. */
type Segments<U extends string> = PathPart<U> extends `/${infer R}` ? Split<R> : never;

type Prefer<A, B> = [A] extends [never] ? B : A;
type ParamKey<N> = Extract<keyof N, `{${string}}`>;
type Walk<N, S extends string[], M extends string> = S extends [infer H extends string, ...infer R extends string[]]
  ? H extends `{${string}}`
    ? H extends keyof N
      ? Walk<N[H], R, M>
      : never
    : Prefer<H extends keyof N ? Walk<N[H], R, M> : never, WalkEach<N, ParamKey<N>, R, M>>
  : N extends { '/': infer E }
    ? M extends keyof E
      ? E[M]
      : never
    : never;
type WalkEach<N, K, R extends string[], M extends string> = K extends keyof N ? Walk<N[K], R, M> : never;

/** The spec path (a key of {@link V3Paths}) a method and URL select, or `never` when the spec has none. */
export type V3PathOf<M extends V3Method, U extends string> = string extends U
  ? never
  : Walk<V3PathTree, Segments<U>, M>;

type Operation<M extends V3Method, P> = P extends keyof paths ? paths[P][Lowercase<M> & keyof paths[P]] : never;
type Found<M extends V3Method, U extends string, Then, Else> = [V3PathOf<M, U>] extends [never] ? Else : Then;
type Op<M extends V3Method, U extends string> = Operation<M, V3PathOf<M, U>>;

type BodyOf<O> = O extends { requestBody: { content: infer C } }
  ? C extends { 'application/json': infer B }
    ? B
    : unknown
  : undefined;
type JsonAnswer<R> = R extends { content: { 'application/json': infer A } } ? A : unknown;
type AnswerOf<O> = O extends { responses: infer R }
  ? 200 extends keyof R
    ? JsonAnswer<R[200]>
    : 202 extends keyof R
      ? JsonAnswer<R[202]>
      : null
  : unknown;
type Place<O, K extends string> = O extends { parameters: infer P }
  ? K extends keyof P
    ? NonNullable<P[K]>
    : never
  : never;

/** The JSON body the spec gives the operation (`unknown` off the spec; `undefined` when it takes none). */
export type V3Body<M extends V3Method, U extends string> = Found<M, U, BodyOf<Op<M, U>>, unknown>;
/** The answer of the operation: its JSON, `null` for 204 (`unknown` off the spec). */
export type V3Answer<M extends V3Method, U extends string> = Found<M, U, AnswerOf<Op<M, U>>, unknown>;
/** The query parameters of the operation (`never` when it has none). */
export type V3Query<M extends V3Method, U extends string> = Place<Op<M, U>, 'query'>;
/** The path parameters of the operation (`never` when it has none). */
export type V3Params<M extends V3Method, U extends string> = Place<Op<M, U>, 'path'>;

/** Options of a call whose URL the spec does not have. */
export interface V3AnyCallOptions {
  /** Values of the URL's `{name}` segments, each percent-encoded into its segment. */
  params?: Readonly<Record<string, string | number>>;
  /** Appended as `?a=1&b=2`, in this key order, each part percent-encoded. */
  query?: Readonly<Record<string, string | number | boolean>>;
}

type TemplateNames<U extends string> = Segments<U>[number] extends infer S
  ? S extends `{${infer N}}`
    ? N
    : never
  : never;
type ParamsOption<P, Names> = [Names] extends [never]
  ? { params?: never }
  : { params: { readonly [K in Names & keyof P]: P[K] | (P[K] extends string ? number : never) } };
type QueryOption<Q, U extends string> = [Q] extends [never]
  ? { query?: never }
  : U extends `${string}?${string}`
    ? { query?: Readonly<Partial<Q>> }
    : Partial<Q> extends Q
      ? { query?: Readonly<Q> }
      : { query: Readonly<Q> };

/**
 * The options of a call: `params` (required for each `{name}` segment of the URL, the spec's types)
 * and `query` (the spec's, its required names required unless the URL has its own `?…`).
 */
export type V3CallOptions<M extends V3Method, U extends string> = Found<
  M,
  U,
  ParamsOption<V3Params<M, U>, TemplateNames<U>> & QueryOption<V3Query<M, U>, U>,
  V3AnyCallOptions
>;

type OptionsArgs<O> = Partial<O> extends O ? [options?: O] : [options: O];
/** A body the spec does not give: none, or an empty object. */
type NoBody = Record<string, never> | null | undefined;
type WithBody<B, O> = [B] extends [undefined]
  ? Partial<O> extends O
    ? [body?: NoBody, options?: O]
    : [body: NoBody, options: O]
  : [body: B, ...OptionsArgs<O>];

/** The arguments after the URL of `get` and `delete`. */
export type V3OptionsArgs<M extends V3Method, U extends string> = OptionsArgs<V3CallOptions<M, U>>;
/** The arguments after the URL of `post`, `put`, `patch` and `request`. */
export type V3BodyArgs<M extends V3Method, U extends string> = Found<
  M,
  U,
  WithBody<V3Body<M, U>, V3CallOptions<M, U>>,
  [body?: unknown, options?: V3AnyCallOptions]
>;

/**
 * Any v3 path, signed and verified: the URL is `/v3/…` with its query, signed exactly as given, or
 * a spec template `/v3/…/{name}` with `options.params`. Each resolves to the parsed JSON answer,
 * `null` for 204 or an empty 2xx, and rejects with WxPayError.
 */
export interface V3Calls {
  request<M extends V3Method, U extends string>(method: M, url: U, ...args: V3BodyArgs<M, U>): Promise<V3Answer<M, U>>;
  get<U extends string>(url: U, ...args: V3OptionsArgs<'GET', U>): Promise<V3Answer<'GET', U>>;
  post<U extends string>(url: U, ...args: V3BodyArgs<'POST', U>): Promise<V3Answer<'POST', U>>;
  put<U extends string>(url: U, ...args: V3BodyArgs<'PUT', U>): Promise<V3Answer<'PUT', U>>;
  patch<U extends string>(url: U, ...args: V3BodyArgs<'PATCH', U>): Promise<V3Answer<'PATCH', U>>;
  delete<U extends string>(url: U, ...args: V3OptionsArgs<'DELETE', U>): Promise<V3Answer<'DELETE', U>>;
}
