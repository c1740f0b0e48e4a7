// The portable suite: every module here runs in Node (CommonJS and ESM), Deno, Bun,
// workerd, Chromium (the `web` build) and Chromium bundles (esbuild, Vite). Each module's
// default export registers its tests: `(test, { wx, v3, mp, runtime }) => void`.
import api from './api.mjs';
import client from './client.mjs';
import hostile from './hostile.mjs';
import miniprogram from './miniprogram.mjs';
import notify from './notify.mjs';
import pkg from './package.mjs';
import v3 from './v3.mjs';
import vectors from './vectors.mjs';

export const SUITES = [
  ['package', pkg],
  ['vectors', vectors],
  ['api', api],
  ['hostile', hostile],
  ['v3', v3],
  ['client', client],
  ['notify', notify],
  ['miniprogram', miniprogram],
];
