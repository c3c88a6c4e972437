import snappy from 'snappyjs';
import { describe, expect, it } from 'vitest';
import { decodeRemoteWriteBody, decodeWriteRequest } from '../../test/helpers/remote-write-decoder.js';
import { remoteWriteBody } from './prometheus-remote-write.js';
import { encodeWriteRequest, type WriteSeries } from './remote-write-proto.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('remote-write protobuf encoding', () => {
  it('writes the exact bytes protobuf specifies for a small request', () => {
    // TimeSeries{ labels: [{name:"a", value:"b"}], samples: [{value: 1.5, timestamp: 300}] }
    //   label  = 0a 01 61 12 01 62                      (field 1 "a", field 2 "b")
    //   sample = 09 000000000000f83f 10 ac02            (field 1 double 1.5 LE, field 2 varint 300: 12 bytes)
    //   series = 0a 06 <label> 12 0c <sample>          (22 bytes)
    //   request = 0a 16 <series>
    const bytes = encodeWriteRequest([{ labels: [['a', 'b']], samples: [{ value: 1.5, timestampMs: 300 }] }]);
    expect(hex(bytes)).toBe('0a16' + '0a06' + '0a0161120162' + '120c' + '09000000000000f83f' + '10ac02');
  });

  it('round-trips series through an independent decoder: UTF-8, zeros, negatives, large and negative timestamps', () => {
    const series: WriteSeries[] = [
      {
        labels: [['__name__', 'k6_http_reqs_total'], ['name', 'grüße "quoted"'], ['status', '200']],
        samples: [{ value: 42, timestampMs: 1_700_000_123_456 }],
      },
      { labels: [['__name__', 'k6_vus']], samples: [{ value: 0, timestampMs: 0 }, { value: -3.25, timestampMs: 2 ** 53 - 1 }] },
      { labels: [['__name__', 'neg']], samples: [{ value: 1e-9, timestampMs: -5 }] },
    ];
    const decoded = decodeWriteRequest(encodeWriteRequest(series));
    expect(decoded.map((d) => d.labels)).toEqual(series.map((s) => s.labels));
    expect(decoded.map((d) => d.samples.map((x) => [x.value, x.timestampMs]))).toEqual(series.map((s) => s.samples.map((x) => [x.value, x.timestampMs])));
    expect(encodeWriteRequest([])).toHaveLength(0);
  });

  it('writes the StaleNaN bit pattern for stale markers', () => {
    const [series] = decodeWriteRequest(encodeWriteRequest([{ labels: [['__name__', 'x']], samples: [{ value: 7, timestampMs: 1, stale: true }] }]));
    expect(series?.samples[0]?.staleBits).toBe(true);
    expect(Number.isNaN(series?.samples[0]?.value)).toBe(true);
  });

  it('grows its buffer for large requests', () => {
    const many: WriteSeries[] = Array.from({ length: 500 }, (_, i) => ({ labels: [['__name__', `m_${i}`], ['long', 'x'.repeat(300)]], samples: [{ value: i, timestampMs: i }] }));
    const decoded = decodeWriteRequest(encodeWriteRequest(many));
    expect(decoded).toHaveLength(500);
    expect(decoded[499]?.labels[0]).toEqual(['__name__', 'm_499']);
    expect(decoded[499]?.samples[0]?.value).toBe(499);
  });
});

describe('remote-write body', () => {
  it('is a snappy block of the WriteRequest, with __name__ among the labels sorted by name', () => {
    const body = remoteWriteBody([
      { name: 'k6_http_reqs_total', labels: [['Zeta', 'z'], ['method', 'GET']], value: 9, timestampMs: 1234, kind: 'counter' },
    ]);
    const series = decodeRemoteWriteBody(body);
    expect(series).toEqual([
      { labels: [['Zeta', 'z'], ['__name__', 'k6_http_reqs_total'], ['method', 'GET']], samples: [{ value: 9, timestampMs: 1234, staleBits: false }] },
    ]);
    // The snappy block starts with the uncompressed length as a varint.
    const raw = snappy.uncompress(body);
    expect(body[0]).toBe(raw.length);
  });
});
