import snappy from 'snappyjs';

/** A decoded remote-write sample; `staleBits` says whether the value carried Prometheus' StaleNaN payload. */
export interface DecodedSample {
  value: number;
  timestampMs: number;
  staleBits: boolean;
}

export interface DecodedSeries {
  labels: [string, string][];
  samples: DecodedSample[];
}

/**
 * A minimal protobuf reader for the remote-write WriteRequest (written independently of the encoder
 * under test so a symmetric mistake shows up): fields 1 (TimeSeries) -> 1 (Label name/value),
 * 2 (Sample value double / timestamp int64). Unknown fields are skipped by wire type.
 */
export function decodeWriteRequest(bytes: Uint8Array): DecodedSeries[] {
  const out: DecodedSeries[] = [];
  for (const [field, value] of fields(bytes)) {
    if (field !== 1 || !(value instanceof Uint8Array)) continue;
    const series: DecodedSeries = { labels: [], samples: [] };
    for (const [f, v] of fields(value)) {
      if (f === 1 && v instanceof Uint8Array) {
        let name = '';
        let val = '';
        for (const [lf, lv] of fields(v)) {
          if (lf === 1 && lv instanceof Uint8Array) name = new TextDecoder().decode(lv);
          if (lf === 2 && lv instanceof Uint8Array) val = new TextDecoder().decode(lv);
        }
        series.labels.push([name, val]);
      } else if (f === 2 && v instanceof Uint8Array) {
        const sample: DecodedSample = { value: 0, timestampMs: 0, staleBits: false };
        for (const [sf, sv] of fields(v)) {
          if (sf === 1 && sv instanceof DataView) {
            sample.value = sv.getFloat64(0, true);
            sample.staleBits = sv.getUint32(0, true) === 2 && sv.getUint32(4, true) === 0x7ff00000;
          }
          if (sf === 2 && typeof sv === 'bigint') sample.timestampMs = Number(BigInt.asIntN(64, sv));
        }
        series.samples.push(sample);
      }
    }
    out.push(series);
  }
  return out;
}

/** A snappy-compressed WriteRequest (a remote-write body) decoded. */
export function decodeRemoteWriteBody(body: Uint8Array): DecodedSeries[] {
  return decodeWriteRequest(snappy.uncompress(body));
}

/** (field number, value) pairs: varint -> bigint, fixed64 -> DataView of 8 bytes, length-delimited -> bytes. */
function* fields(bytes: Uint8Array): Generator<[number, bigint | DataView | Uint8Array]> {
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = bytes[pos++];
      if (b === undefined) throw new Error('truncated varint');
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < bytes.length) {
    const key = Number(varint());
    const field = key >>> 3;
    switch (key & 7) {
      case 0:
        yield [field, varint()];
        break;
      case 1:
        if (pos + 8 > bytes.length) throw new Error('truncated fixed64');
        yield [field, new DataView(bytes.buffer, bytes.byteOffset + pos, 8)];
        pos += 8;
        break;
      case 2: {
        const len = Number(varint());
        if (pos + len > bytes.length) throw new Error('truncated length-delimited field');
        yield [field, bytes.subarray(pos, pos + len)];
        pos += len;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        throw new Error(`unexpected wire type ${key & 7}`);
    }
  }
}
