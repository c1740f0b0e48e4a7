import { test } from 'node:test';
import * as wx from '../../pkg/node/index.mjs';
import { runVectors } from './vectors-run.mjs';

test('45 public vectors through the ESM entry', (t) => runVectors(t, wx));
