import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './api-schema';
import { consoleHeader, session } from './session';
import { errorMessage } from '../i18n';

/** Schemas of the OpenAPI document, by name. */
export type Schemas = components['schemas'];

/** An error envelope of the API (SPEC A), thrown by {@link unwrap}. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly detail: Record<string, unknown>,
  ) {
    super(message);
  }

  /** The refusal in the console's language (by its reason), for showing to the user. */
  get localized(): string {
    return errorMessage(this.reason, this.message, this.detail);
  }

  static from(response: Response, body: unknown): ApiError {
    const envelope = (body ?? {}) as { error?: number; reason?: string; message?: string; detail?: Record<string, unknown> };
    return new ApiError(response.status, envelope.error ?? response.status, envelope.reason ?? '',
      envelope.message || `${response.status} ${response.statusText}`, envelope.detail ?? {});
  }
}

/**
 * Marks the request as the console's (the session cookie counts only then) and sends the browser
 * to sign-in when the server no longer accepts the session.
 */
const authentication: Middleware = {
  onRequest({ request }) {
    for (const [name, value] of Object.entries(consoleHeader)) request.headers.set(name, value);
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && session.active.value && !request.url.endsWith('/auth/sign-in')) session.expire();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '' });
api.use(authentication);

/** What an openapi-fetch call resolves to, for a route whose envelope carries `T`. */
export interface Fetched<T> {
  data?: { data?: T | null; pageInfo?: Schemas['PageInfo'] };
  error?: unknown;
  response: Response;
}

/** The `data` of a successful envelope; an {@link ApiError} otherwise. */
export async function unwrap<T>(request: Promise<Fetched<T>>): Promise<T> {
  const { data, error, response } = await request;
  if (!response.ok || data === undefined) throw ApiError.from(response, error);
  return data.data as T;
}

/** One page of a listing with its paging facts. */
export async function unwrapPage<T>(request: Promise<Fetched<T[]>>): Promise<{ items: T[]; pageInfo: Schemas['PageInfo'] }> {
  const { data, error, response } = await request;
  if (!response.ok || data?.pageInfo === undefined) throw ApiError.from(response, error);
  return { items: data.data ?? [], pageInfo: data.pageInfo };
}

/** Every item of a paged listing, fetched page by page at the largest page size. */
export async function listAll<T>(fetchPage: (query: { pageNumber: number; pageSize: number }) => Promise<Fetched<T[]>>): Promise<T[]> {
  const items: T[] = [];
  for (let pageNumber = 1; ; pageNumber++) {
    const page = await unwrapPage(fetchPage({ pageNumber, pageSize: 100 }));
    items.push(...page.items);
    if (pageNumber >= page.pageInfo.pageCount) return items;
  }
}
