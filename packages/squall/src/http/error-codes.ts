/**
 * k6's numeric `error_code`s (lib/netext/httpext/error_codes.go), and the mapping from Node and
 * undici errors onto them. Users write thresholds and checks on these numbers, so they keep k6's
 * values. squall adds one of its own, 1060, for a request that was sent but whose response never
 * came because the test ended (k6 drops those silently). The table is documented in docs/http.md.
 */
export const HttpErrorCode = {
  unknown: 1000,
  nonTcpNetwork: 1010,
  invalidUrl: 1020,
  requestTimeout: 1050,
  /** squall: written to the wire, unanswered when the test ended; only in `http_reqs_sent` (docs/metrics.md). */
  interruptedByTestEnd: 1060,
  dns: 1100,
  dnsNoSuchHost: 1101,
  tcp: 1200,
  tcpBrokenPipe: 1201,
  tcpDial: 1210,
  tcpDialTimeout: 1211,
  tcpDialRefused: 1212,
  tcpResetByPeer: 1220,
  tls: 1300,
  tlsHeader: 1301,
  x509UnknownAuthority: 1310,
  x509Hostname: 1311,
} as const;

/** One of k6's error codes, as a number (the `error_code` tag is its decimal string). */
export type HttpErrorCodeValue = (typeof HttpErrorCode)[keyof typeof HttpErrorCode];

const BY_ERRNO: Readonly<Record<string, HttpErrorCodeValue>> = {
  SQUALL_HTTP_TIMEOUT: HttpErrorCode.requestTimeout,
  ECONNREFUSED: HttpErrorCode.tcpDialRefused,
  UND_ERR_CONNECT_TIMEOUT: HttpErrorCode.tcpDialTimeout,
  ETIMEDOUT: HttpErrorCode.tcpDialTimeout,
  EHOSTUNREACH: HttpErrorCode.tcpDial,
  ENETUNREACH: HttpErrorCode.tcpDial,
  EADDRNOTAVAIL: HttpErrorCode.tcpDial,
  ENOTFOUND: HttpErrorCode.dnsNoSuchHost,
  EAI_AGAIN: HttpErrorCode.dns,
  EAI_FAIL: HttpErrorCode.dns,
  ECONNRESET: HttpErrorCode.tcpResetByPeer,
  EPIPE: HttpErrorCode.tcpBrokenPipe,
  // undici: the peer closed the socket before the response was complete.
  UND_ERR_SOCKET: HttpErrorCode.tcp,
  UND_ERR_HEADERS_TIMEOUT: HttpErrorCode.requestTimeout,
  UND_ERR_BODY_TIMEOUT: HttpErrorCode.requestTimeout,
  ERR_TLS_CERT_ALTNAME_INVALID: HttpErrorCode.x509Hostname,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: HttpErrorCode.x509UnknownAuthority,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: HttpErrorCode.x509UnknownAuthority,
  SELF_SIGNED_CERT_IN_CHAIN: HttpErrorCode.x509UnknownAuthority,
  DEPTH_ZERO_SELF_SIGNED_CERT: HttpErrorCode.x509UnknownAuthority,
  CERT_HAS_EXPIRED: HttpErrorCode.tls,
  ERR_SSL_WRONG_VERSION_NUMBER: HttpErrorCode.tlsHeader,
};

/**
 * k6 error code for an error raised by a request. Looks through `cause` chains because undici
 * wraps socket errors (`UND_ERR_SOCKET` with an `ECONNRESET` cause).
 */
export function errorCodeFor(error: unknown): HttpErrorCodeValue {
  let fallback: HttpErrorCodeValue | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      const mapped = BY_ERRNO[code];
      // A specific cause (ECONNRESET) beats the generic wrapper (UND_ERR_SOCKET).
      if (mapped !== undefined && mapped !== HttpErrorCode.tcp) return mapped;
      if (mapped !== undefined) fallback ??= mapped;
      else if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS')) fallback ??= HttpErrorCode.tls;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return fallback ?? HttpErrorCode.unknown;
}
