// The `config` the guide's blocks read (docs/guide: config.appid, config.privateKeyPem, …), for
// the tests that run them (v3-docs, docs-callbacks): the guide's ids, fresh merchant and
// platform key pairs, a random APIv3 key, the platform key trusted under its public-key id.
import { generateKeyPairSync, randomBytes } from 'node:crypto';

export const PUB_KEY_ID = 'PUB_KEY_ID_0119000091912025010100000000000001';

/** `{ merchant, platform, config }`: the key pairs (node:crypto KeyObjects) and the guide's config plus `extra`. */
export function guideConfig(extra = {}) {
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const config = {
    appid: 'wxd678efh567hg6787',
    mchid: '1900009191',
    serialNo: '408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB',
    privateKeyPem: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    apiV3Key: randomBytes(16).toString('hex'),
    publicKeys: { [PUB_KEY_ID]: platform.publicKey.export({ type: 'spki', format: 'pem' }) },
    ...extra,
  };
  return { merchant, platform, config };
}
