/** Outputs that write every sample to a file: k6's `--out json=FILE` and `--out csv=FILE`. */
export { SampleFileOutput, type SampleFormat } from './sample-output.js';
export { JSON_FORMAT } from './json-format.js';
export { CSV_COLUMNS, CSV_TIME_FORMATS, csvFormat, type CsvTimeFormat } from './csv-format.js';
export { FileSink } from './file-sink.js';
