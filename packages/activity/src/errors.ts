/**
 * Stable error codes of the activity target. Callers (and the squall CLI) match on `code`, never on
 * the message text.
 */
export type ActivityErrorCode =
  | 'ACTIVITY_CONFIG_INVALID'
  | 'ACTIVITY_STORE_BUSY'
  | 'ACTIVITY_STORE_FAILED'
  | 'ACTIVITY_QUEUE_FAILED'
  | 'ACTIVITY_FILTER_INVALID'
  | 'ACTIVITY_BAD_REQUEST';

/** Root of every error the activity target raises on purpose. */
export class ActivityError extends Error {
  readonly code: ActivityErrorCode;
  constructor(code: ActivityErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ActivityError';
    this.code = code;
  }
}

/**
 * A filter expression that does not parse or type-check. `position` is the 0-based character
 * offset of the offending token, so clients can point at it.
 */
export class FilterError extends ActivityError {
  readonly position: number;
  constructor(message: string, position: number) {
    super('ACTIVITY_FILTER_INVALID', `${message} at position ${position}`);
    this.name = 'FilterError';
    this.position = position;
  }
}
