/**
 * The module objects a k6 script imports, by specifier. Each object is its own default export
 * too (`import http from 'k6/http'` and `import { get } from 'k6/http'` both work).
 */
import { Counter, Gauge, Rate, Trend } from '../api/metric-classes.js';
import { SharedArray } from '../data/shared-array.js';
import { executionModule, k6Module } from './core.js';
import { cryptoModule } from './crypto.js';
import { encodingModule } from './encoding.js';
import { parseHTML } from './html.js';
import { httpModule } from './http.js';
import { k6SummaryModule, k6UtilsModule, papaparseModule, urlModule, uuidModule } from './jslib.js';
import { timersModule } from './timers.js';

function esModule(named: object, defaultExport: unknown = named): Record<string, unknown> {
  const m: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Reflect.ownKeys(named)) {
    if (typeof key === 'string') Object.defineProperty(m, key, Object.getOwnPropertyDescriptor(named, key)!);
  }
  Object.defineProperty(m, '__esModule', { value: true });
  Object.defineProperty(m, 'default', { value: defaultExport, enumerable: true });
  return m;
}

/** k6 module specifiers squall implements, and jslib names (`jslib:NAME`). */
export const K6_MODULES: Readonly<Record<string, Record<string, unknown>>> = {
  k6: esModule(k6Module),
  'k6/http': esModule(httpModule),
  'k6/metrics': esModule({ Counter, Gauge, Rate, Trend }),
  'k6/data': esModule({ SharedArray }),
  'k6/execution': esModule(executionModule),
  'k6/encoding': esModule(encodingModule),
  'k6/crypto': esModule(cryptoModule),
  'k6/timers': esModule(timersModule),
  'k6/html': esModule({ parseHTML }),
  'jslib:k6-utils': esModule(k6UtilsModule),
  'jslib:k6-summary': esModule(k6SummaryModule),
  'jslib:papaparse': esModule(papaparseModule, papaparseModule),
  'jslib:uuid': esModule(uuidModule),
  'jslib:url': esModule(urlModule),
};
