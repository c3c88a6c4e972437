import type { ServerResponse } from 'node:http';
import { sendJson } from './http-util.js';

/** One field problem, as Kubernetes' `field.Error` reports it in `details.causes`. */
export interface FieldCause {
  readonly reason: 'FieldValueInvalid' | 'FieldValueRequired';
  readonly field: string;
  readonly message: string;
}

/** A Kubernetes `Status` object (meta/v1), the body of every error the Activity API answers. */
export interface K8sStatus {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, never>;
  readonly status: 'Failure';
  readonly message: string;
  readonly reason: string;
  readonly details?: { readonly name?: string; readonly group?: string; readonly kind?: string; readonly causes?: readonly FieldCause[] };
  readonly code: number;
}

export const GROUP = 'activity.miloapis.com';
export const KIND = 'AuditLogQuery';

/** `field.Invalid(path, value, detail)`: `Invalid value: "x": detail`. */
export function invalid(field: string, value: unknown, detail: string): FieldCause {
  return { reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(value)}: ${detail}` };
}

/** `field.Required(path, detail)`. */
export function required(field: string, detail: string): FieldCause {
  return { reason: 'FieldValueRequired', field, message: `Required value: ${detail}` };
}

/** `errors.NewInvalid`: 422, reason Invalid, one cause per field problem. */
export function invalidStatus(name: string, causes: readonly FieldCause[]): K8sStatus {
  const list = causes.map((c) => `${c.field}: ${c.message}`);
  const what = list.length === 1 ? (list[0] as string) : `[${list.join(', ')}]`;
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${KIND}.${GROUP} ${JSON.stringify(name)} is invalid: ${what}`,
    reason: 'Invalid',
    details: { name, group: GROUP, kind: KIND, causes },
    code: 422,
  };
}

const REASONS: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  500: 'InternalError',
  503: 'ServiceUnavailable',
};

/** A Status with a code and a message (`errors.NewBadRequest`, `NewForbidden`, ...). */
export function status(code: number, message: string): K8sStatus {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: REASONS[code] ?? 'Unknown', code };
}

/** Sends a Status with its own code. */
export function sendStatus(res: ServerResponse, s: K8sStatus, headers: Record<string, string> = {}): void {
  sendJson(res, s.code, s, headers);
}
