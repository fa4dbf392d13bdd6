import type { CarScriptBody, CarScriptUpdateBody } from './payload.js';

/** What apply needs of CAR. `CarHttpClient` implements it over HTTP. */
export interface CarClient {
  /** `POST /sm/v5/script`; resolves with the new script's id. */
  createScript(body: CarScriptBody, signal?: AbortSignal): Promise<number>;
  /** `PATCH /sm/v4/script/{id}`. */
  updateScript(id: number, body: CarScriptUpdateBody, signal?: AbortSignal): Promise<void>;
  /** Releases connections. */
  close?(): Promise<void>;
}
