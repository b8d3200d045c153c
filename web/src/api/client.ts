/**
 * The one way the SPA talks to /api/v1: JSON in and out, the session cookie, the CSRF header on
 * writes, and RFC 9457 problems turned into ApiError so forms and toasts can show what went wrong.
 */

export const API_BASE = '/api/v1';

export type FieldError = { path: string; message: string };

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[] | undefined;
  constructor(init: { status: number; code: string; title: string; detail: string; errors?: FieldError[] | undefined }) {
    super(init.detail);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.errors = init.errors;
  }
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

/** Turns anything thrown into a sentence for a toast. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.detail || error.title;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

// The CSRF token belongs to the session; it is cached here and dropped whenever the session changes.
let csrfToken: string | null = null;
let csrfLoading: Promise<string | null> | null = null;

export function rememberCsrfToken(token: string | null | undefined) {
  csrfToken = token ?? null;
}

export function forgetCsrfToken() {
  csrfToken = null;
}

async function loadCsrfToken(): Promise<string | null> {
  csrfLoading ??= fetch(`${API_BASE}/auth/me`, { credentials: 'same-origin', headers: { accept: 'application/json' } })
    .then(async (res) => (res.ok ? ((await res.json()) as { csrfToken?: string }).csrfToken ?? null : null))
    .catch(() => null)
    .finally(() => { csrfLoading = null; });
  csrfToken = await csrfLoading;
  return csrfToken;
}

type Query = Record<string, string | number | null | undefined>;
export type RequestOptions = { query?: Query; body?: unknown; signal?: AbortSignal };

function urlFor(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

async function toApiError(res: Response): Promise<ApiError> {
  const fallback = { status: res.status, code: `http_${res.status}`, title: res.statusText || 'Error', detail: `The server answered ${res.status}.` };
  try {
    const body = (await res.json()) as Partial<{ code: string; title: string; detail: string; errors: FieldError[] }>;
    return new ApiError({
      status: res.status,
      code: body.code ?? fallback.code,
      title: body.title ?? fallback.title,
      detail: body.detail ?? body.title ?? fallback.detail,
      errors: Array.isArray(body.errors) ? body.errors : undefined,
    });
  } catch {
    return new ApiError(fallback);
  }
}

async function send(method: string, path: string, options: RequestOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && token) headers['x-csrf-token'] = token;
  try {
    return await fetch(urlFor(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({ status: 0, code: 'network_error', title: 'Network error', detail: 'Could not reach the server. Check your connection and try again.' });
  }
}

const isCsrfFailure = (e: ApiError) => e.status === 403 && /csrf/i.test(e.detail);

export async function request<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, options: RequestOptions = {}): Promise<T> {
  const token = method === 'GET' ? null : (csrfToken ?? (await loadCsrfToken()));
  let res = await send(method, path, options, token);
  if (!res.ok) {
    const error = await toApiError(res);
    // A token cached from an earlier session is stale after sign-in changes: refresh once and retry.
    if (!isCsrfFailure(error)) throw error;
    forgetCsrfToken();
    res = await send(method, path, options, await loadCsrfToken());
    if (!res.ok) throw await toApiError(res);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data = (text ? JSON.parse(text) : undefined) as T;
  // Sign-in steps may hand out the token of the new (partial) session, which /auth/me cannot yet return.
  if (data && typeof data === 'object' && 'csrfToken' in data && typeof data.csrfToken === 'string') rememberCsrfToken(data.csrfToken);
  return data;
}

export type DownloadedFile = { blob: Blob; filename: string };

/** GETs a file the API serves as an attachment, keeping the server's file name (else `fallbackName`). */
export async function download(path: string, fallbackName: string): Promise<DownloadedFile> {
  const res = await send('GET', path, {}, null);
  if (!res.ok) throw await toApiError(res);
  const disposition = res.headers.get('content-disposition') ?? '';
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallbackName;
  return { blob: await res.blob(), filename };
}

/** Hands a blob to the browser as a download. */
export function saveFile({ blob, filename }: DownloadedFile) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * POSTs a file's bytes as the request body (XMLHttpRequest, because fetch reports no upload
 * progress), with the CSRF header; `onProgress` gets the fraction sent. Problems become ApiError.
 */
export async function upload<T>(path: string, file: Blob | FormData, options: { query?: Query; contentType?: string; onProgress?: (fraction: number) => void; signal?: AbortSignal }): Promise<T> {
  const token = csrfToken ?? (await loadCsrfToken());
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', urlFor(path, options.query));
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    // FormData sets its own multipart content type, boundary included.
    if (options.contentType) xhr.setRequestHeader('content-type', options.contentType);
    if (token) xhr.setRequestHeader('x-csrf-token', token);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) options.onProgress?.(e.loaded / e.total); };
    xhr.onerror = () => reject(new ApiError({ status: 0, code: 'network_error', title: 'Network error', detail: 'Could not reach the server. Check your connection and try again.' }));
    xhr.onload = () => {
      const response = new Response(xhr.responseText || null, { status: xhr.status, statusText: xhr.statusText });
      if (xhr.status >= 200 && xhr.status < 300) resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T);
      else void toApiError(response).then(reject);
    };
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

/**
 * POSTs a multipart form with upload progress: text `fields` first, then the file, because the
 * server reads the fields before it streams the file into storage.
 */
export function uploadForm<T>(path: string, fields: Record<string, string | undefined>, file: File, options: { fileField?: string; onProgress?: (fraction: number) => void; signal?: AbortSignal } = {}): Promise<T> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined && value !== '') form.append(name, value);
  form.append(options.fileField ?? 'file', file, file.name);
  return upload<T>(path, form, { ...(options.onProgress ? { onProgress: options.onProgress } : {}), ...(options.signal ? { signal: options.signal } : {}) });
}
