// vitest setup file: after each test file, remove the temporary directories its tests made.
import { afterAll } from 'vitest';
import { removeTmpDirs } from '../packages/squall/test/helpers/cli.js';

afterAll(() => {
  removeTmpDirs();
});
