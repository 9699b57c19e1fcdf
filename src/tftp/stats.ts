/** Counters of the TFTP service since it started. */
export interface TftpStats {
  /** Datagrams received on the request port. */
  received: number;
  /** Malformed or unexpected packets, counted and dropped. */
  dropped: number;
  requests: { RRQ: number; WRQ: number };
  /** Transfers that sent data; `failed` counts timeouts and clients that gave up midway. */
  transfers: { started: number; completed: number; failed: number; active: number };
  /** Requests the client dropped after the OACK, before any data: option (tsize) queries. */
  sizeQueries: number;
  /** ERROR packets sent from the request port. */
  errorsSent: number;
  /** Bytes sent by transfers, headers included. */
  bytesSent: number;
}

export function emptyTftpStats(): TftpStats {
  return {
    received: 0,
    dropped: 0,
    requests: { RRQ: 0, WRQ: 0 },
    transfers: { started: 0, completed: 0, failed: 0, active: 0 },
    sizeQueries: 0,
    errorsSent: 0,
    bytesSent: 0,
  };
}

/** At most `perSecond` noisy events per second; the rest are only counted. */
export class RateLimit {
  private windowStart = 0;
  private inWindow = 0;

  constructor(private readonly perSecond: number) {}

  allow(): boolean {
    const t = Date.now();
    if (t - this.windowStart >= 1000) {
      this.windowStart = t;
      this.inWindow = 0;
    }
    return ++this.inWindow <= this.perSecond;
  }
}
