// The portable suite's v3 vectors (tests/runtimes/suite/v3.mjs) on pkg/ directly, under
// node:test. v3-crypto-paths.test.mjs runs this file in a Node with the WebCrypto-only
// preload, so the same vectors that every runtime checks also check the WebCrypto path of
// Node. Not a *.test.mjs: `node --test` in tests/js does not pick it up by itself (on the
// node:crypto path, tests/runtimes runs the same suite from the packed package).
import { after, test } from 'node:test';
import * as wx from '../../../pkg/node/index.mjs';
import * as v3 from '../../../pkg/v3/node/index.mjs';
import { collect } from '../../runtimes/harness.mjs';
import { register } from '../../runtimes/runners/native.mjs';

const tests = collect({ wx, v3, runtime: 'node-webcrypto' }).filter((t) => t.id.startsWith('v3: '));
if (tests.length === 0) throw new Error('portable-v3: the portable suite has no v3 tests');
register(tests, 'node-webcrypto', test, after);
