// Typed client for the motcua JSON API (see docs/api.md).

export type Level = 'commune' | 'city' | 'central_police';
export type Online = 'full' | 'partial' | 'none';

export interface Segment {
  text: string;
  match: boolean;
}

export interface ProcedureItem {
  code: string;
  has_national_code: boolean;
  name_vi: string;
  name_en: string | null;
  field: string;
  field_en?: string | null;
  level: Level;
  online: Online;
  processing_days: number | null;
  fee_vnd: number | null;
  agency?: string | null;
  score?: number;
  highlight?: { name_vi?: Segment[]; name_en?: Segment[] };
}

export interface SearchResult {
  total: number;
  offset: number;
  limit: number;
  confident: boolean;
  items: ProcedureItem[];
}

export interface RuleVersion {
  effective_from: string;
  processing_days: number | null;
  fee_vnd: number | null;
}

export interface ProcedureDetail extends ProcedureItem {
  documents?: string[];
  keywords?: string[];
  notes?: string | null;
  source?: string | null;
  rules_effective_from?: string | null;
  rule_history?: RuleVersion[];
}

export interface Field {
  name_vi: string;
  name_en: string | null;
  count: number;
}

export type UnitKind = 'province' | 'commune' | 'ward';

/** An administrative unit (city, commune, ward); officials belong to one. */
export interface Unit {
  code: string;
  name: string;
  kind: UnitKind;
  parent_code: string | null;
}

export type ServicePointKind = 'centre_branch' | 'commune_office' | 'postal_agent';

export interface OpeningHours {
  weekday: number;
  morning?: [string, string] | null;
  afternoon?: [string, string] | null;
}

export interface ServicePoint {
  code: string;
  name: string;
  kind: ServicePointKind;
  unit_code?: string | null;
  address?: string | null;
  counters?: number | null;
  fields?: string[];
  hours?: OpeningHours[];
}

/** RFC 9457 problem with the bilingual extension used by the server. */
export interface Problem {
  type?: string;
  status?: number;
  title?: string;
  title_vi?: string;
  detail?: string;
  detail_vi?: string;
  field?: string;
  request_id?: string;
}

/** The server answered with an error status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
    /** Seconds from the Retry-After header (429, 503), when the server sent one. */
    readonly retryAfter: number | null = null,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

/** Seconds to wait, from a Retry-After header holding a number of seconds. */
export function retryAfterOf(res: Response): number | null {
  const v = res.headers.get('Retry-After');
  if (!v || !/^\d{1,9}$/.test(v.trim())) return null;
  return Number(v.trim());
}

/** The server could not be reached (or answered something that is not JSON). */
export class NetworkError extends Error {}

export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { Accept: 'application/json' }, signal });
  } catch (e) {
    if (isAbort(e)) throw e;
    throw new NetworkError(String(e));
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch (e) {
    if (isAbort(e)) throw e;
    if (!res.ok) throw new ApiError(res.status, { status: res.status }, retryAfterOf(res));
    throw new NetworkError('invalid JSON');
  }
  if (!res.ok) throw new ApiError(res.status, (body ?? {}) as Problem, retryAfterOf(res));
  return body as T;
}

export interface SearchParams {
  q: string;
  field: string;
  level: string;
  online: string;
}

function query(params: Record<string, string | number | undefined>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== '') sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

export function searchProcedures(
  p: SearchParams,
  offset: number,
  limit: number,
  signal?: AbortSignal,
): Promise<SearchResult> {
  return getJson(
    `/api/v1/procedures${query({ q: p.q.trim(), field: p.field, level: p.level, online: p.online, offset, limit })}`,
    signal,
  );
}

export function getProcedure(code: string, signal?: AbortSignal): Promise<ProcedureDetail> {
  return getJson(`/api/v1/procedures/${encodeURIComponent(code)}`, signal);
}

export function listFields(signal?: AbortSignal): Promise<{ items: Field[] }> {
  return getJson('/api/v1/fields', signal);
}

export function listServicePoints(kind: string, signal?: AbortSignal): Promise<{ items: ServicePoint[] }> {
  return getJson(`/api/v1/service-points${query({ kind })}`, signal);
}

export function listUnits(signal?: AbortSignal): Promise<{ items: Unit[] }> {
  return getJson('/api/v1/units', signal);
}
