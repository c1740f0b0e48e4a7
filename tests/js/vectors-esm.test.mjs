import { test } from 'node:test';
import * as wx from '../../pkg/node/index.mjs';
import { runVectors } from './vectors-run.mjs';

test('45 public vectors through the ESM entry', (t) => runVectors(t, wx));

test('every body vector as string, Buffer and Uint8Array: the same outcomes (ESM)', async () => {
  const { runBodyForms } = await import('./vectors-run.mjs');
  runBodyForms(wx);
});
