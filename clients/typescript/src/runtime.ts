// The client's runtime: one generic call() every generated function goes through.
// Written by rlib.gen (copied from rlib/gen/templates/runtime.ts); do not edit here.

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;
export type TokenSource = string | (() => string | undefined | Promise<string | undefined>);

export interface ClientConfig {
  /** The origin serving every domain on one port (development, demo, tests),
   *  e.g. "http://127.0.0.1:8000". Domains with an unhosted prefix (chapter) get it here. */
  origin?: string;
  /** Per host key, the origin of a hosted domain, e.g.
   *  { main: "https://esensi.online", chapter: "https://chapter.esensi.online" }.
   *  A domain whose host key is listed is called there, without its unhosted prefix. */
  hosts?: Partial<Record<string, string>>;
  /** Server side: the session token, sent as `Authorization: Bearer <token>`. */
  token?: TokenSource;
  /** Browser: cookies ride along with "include" (the default when no token is set). */
  credentials?: RequestCredentials;
  /** Language of messages: "id" (default on the server) or "en". */
  lang?: "id" | "en";
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Replaces the global fetch (tests, other runtimes). */
  fetch?: Fetch;
}

export interface Pagination {
  page: number;
  limit: number;
  total: number | null;
  totalPages: number | null;
  hasMore?: boolean;
  nextCursor?: string;
}

/** What a list endpoint resolves to: the rows and how to page on. */
export interface Paged<T> {
  data: T[];
  pagination: Pagination;
}

export interface FieldError {
  field: string;
  loc: Array<string | number>;
  message: string;
  type: string;
}

/** Every failed call rejects with this; `code` is the server's machine code. */
export class ApiError<C extends string = string> extends Error {
  readonly status: number;
  readonly code: C;
  readonly operation: string;
  readonly fieldErrors: FieldError[];
  readonly body: unknown;

  constructor(operation: string, status: number, code: C, message: string, body: unknown) {
    super(message || code);
    this.name = "ApiError";
    this.operation = operation;
    this.status = status;
    this.code = code;
    this.body = body;
    const errors = isRecord(body) ? body["errors"] : undefined;
    this.fieldErrors = Array.isArray(errors) ? (errors as FieldError[]) : [];
  }
}

/** How the generated functions describe an endpoint to call(). */
export interface OperationSpec {
  readonly id: string;
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The path on the domain's own host (no unhosted prefix). */
  readonly path: string;
  readonly hostKey: string | null;
  readonly unhostedPrefix: string;
  readonly paged: boolean;
  /** Sent as multipart/form-data (an upload): Blob values are files, the rest text. */
  readonly form?: boolean;
}

export interface CallInit {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function baseOf(config: ClientConfig, spec: OperationSpec): string {
  const hosted = spec.hostKey === null ? undefined : config.hosts?.[spec.hostKey];
  if (hosted !== undefined) return hosted.replace(/\/$/, "");
  return (config.origin ?? "").replace(/\/$/, "") + spec.unhostedPrefix;
}

function fillPath(path: string, input: Record<string, unknown>): string {
  return path.replace(/\{(\w+)(?::\w+)?\}/g, (_, name: string) => {
    const value = input[name];
    if (value === undefined || value === null) throw new TypeError(`missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}

function queryOf(input: Record<string, unknown>, path: string): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null || path.includes(`{${key}`)) continue;
    if (Array.isArray(value)) params.set(key, value.map(String).join(","));
    else params.set(key, typeof value === "object" ? JSON.stringify(value) : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

function formOf(input: Record<string, unknown>): FormData {
  const form = new FormData();
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null) continue;
    if (value instanceof Blob) form.set(key, value);
    else form.set(key, typeof value === "object" ? JSON.stringify(value) : String(value));
  }
  return form;
}

async function tokenOf(config: ClientConfig): Promise<string | undefined> {
  return typeof config.token === "function" ? await config.token() : config.token;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Call one endpoint; resolves to the envelope's `data` (or data + pagination for a page). */
export async function call<R>(
  config: ClientConfig,
  spec: OperationSpec,
  input: object | undefined,
  init?: CallInit,
): Promise<R> {
  const values = (input ?? {}) as Record<string, unknown>;
  const headers: Record<string, string> = { Accept: "application/json", ...config.headers };
  if (config.lang) headers["Accept-Language"] = config.lang;
  const token = await tokenOf(config);
  if (token) headers["Authorization"] = `Bearer ${token}`;
  let url = baseOf(config, spec) + fillPath(spec.path, values);
  const request: RequestInit = {
    method: spec.method,
    headers: { ...headers, ...init?.headers },
    credentials: config.credentials ?? (token ? "omit" : "include"),
    signal: init?.signal,
  };
  if (spec.method === "GET") url += queryOf(values, spec.path);
  else if (spec.form) request.body = formOf(values); // fetch sets the boundary itself
  else {
    (request.headers as Record<string, string>)["Content-Type"] = "application/json";
    request.body = JSON.stringify(values);
  }
  const response = await (config.fetch ?? fetch)(url, request);
  const body = await readBody(response);
  const envelope = isRecord(body) && typeof body["success"] === "boolean";
  if (!response.ok || (envelope && body["success"] === false)) {
    const code = isRecord(body) && typeof body["code"] === "string" ? body["code"] : `http_${response.status}`;
    const message = isRecord(body) && typeof body["message"] === "string" ? body["message"] : "";
    throw new ApiError(spec.id, response.status, code, message, body);
  }
  if (!envelope) return body as R; // a route answering its own shape (better-auth compatible)
  const record = body as Record<string, unknown>;
  if (spec.paged) return { data: record["data"], pagination: record["pagination"] } as R;
  return record["data"] as R;
}

/** True when `error` is an ApiError (with `code`, when given). */
export function isApiError<C extends string>(error: unknown, code?: C): error is ApiError<C> {
  return error instanceof ApiError && (code === undefined || error.code === code);
}
