// A throwaway PKI for the client-certificate tests, made with the openssl CLI (installed by
// scripts/setup.sh): a CA, a server certificate for 127.0.0.1 signed by it, a merchant
// client certificate signed by it (PEM and PKCS#12) and a second, self-signed client
// certificate the server must refuse. Nothing here comes from the code under test.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function makePki() {
  const dir = mkdtempSync(join(tmpdir(), 'wxpay-client-pki-'));
  const ssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const subj = (cn) => ['-subj', `/CN=${cn}`];
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    ...subj('wxpay-test-ca'),
  );
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', ...subj('127.0.0.1'));
  ssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'server.ext',
  );
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', ...subj('1900000109'));
  ssl(
    'x509',
    '-req',
    '-in',
    'client.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'client.pem',
    '-days',
    '2',
  );
  ssl(
    'pkcs12',
    '-export',
    '-in',
    'client.pem',
    '-inkey',
    'client.key',
    '-out',
    'client.p12',
    '-passout',
    'pass:1900000109',
  );
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'rogue.key',
    '-out',
    'rogue.pem',
    '-days',
    '2',
    ...subj('rogue'),
  );
  const read = (f) => readFileSync(join(dir, f));
  const pki = {
    ca: read('ca.pem').toString(),
    serverCert: read('server.pem').toString(),
    serverKey: read('server.key').toString(),
    clientCert: read('client.pem').toString(),
    clientKey: read('client.key').toString(),
    clientP12: new Uint8Array(read('client.p12')),
    p12Passphrase: '1900000109',
    rogueCert: read('rogue.pem').toString(),
    rogueKey: read('rogue.key').toString(),
  };
  rmSync(dir, { recursive: true, force: true });
  return pki;
}

/** One self-signed certificate with a chosen serial (`0x…`), made by openssl: `{ pem, key }`. */
export function selfSignedCert(cn, serial) {
  const dir = mkdtempSync(join(tmpdir(), 'wxpay-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'k.pem',
        '-out',
        'c.pem',
        '-days',
        '2',
        '-subj',
        `/CN=${cn}`,
        '-set_serial',
        serial,
      ],
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    return { pem: readFileSync(join(dir, 'c.pem'), 'utf8'), key: readFileSync(join(dir, 'k.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
