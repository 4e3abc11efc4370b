'use strict';
// Checks the proxies' SigV4 verifier (tests/servers/sigv4.js) against the official AWS
// SigV4 test suite: for every case the canonical request, string to sign and signature
// must equal the published .creq, .sts and .authz. Usage: node sigv4-suite.js SUITE_DIR

const fs = require('fs');
const path = require('path');
const sigv4 = require('../sigv4');

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';  // the suite's documented key

function parseRequest(text) {
  const [head, ...rest] = text.split(/\r?\n\r?\n/);
  const lines = head.split(/\r?\n/);
  const first = lines[0].split(' ');
  const method = first[0];
  const target = first.slice(1, -1).join(' ');
  const rawHeaders = [];
  for (const line of lines.slice(1)) {
    if (/^\s/.test(line)) {
      // Obsolete line folding: a continuation is another value of the same header.
      rawHeaders.push(rawHeaders[rawHeaders.length - 2], line.trim());
    } else {
      const colon = line.indexOf(':');
      rawHeaders.push(line.slice(0, colon), line.slice(colon + 1));
    }
  }
  const q = target.indexOf('?');
  return {
    method,
    rawPath: q < 0 ? target : target.slice(0, q),
    rawQuery: q < 0 ? '' : target.slice(q + 1),
    rawHeaders,
    body: rest.join('\n\n'),
  };
}

function findCases(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('_')) continue;
    const sub = path.join(dir, entry.name);
    if (fs.existsSync(path.join(sub, entry.name + '.req'))) out.push(sub);
    out.push(...findCases(sub));
  }
  return out;
}

let failures = 0;
const cases = findCases(process.argv[2]);
for (const dir of cases) {
  const name = path.basename(dir);
  const read = (ext) => fs.readFileSync(path.join(dir, name + ext), 'utf8');
  const req = parseRequest(read('.sreq'));
  const auth = sigv4.parseAuthorization(sigv4.headerValues(req.rawHeaders, 'authorization')[0]);
  const scope = auth.credential.split('/');
  const got = sigv4.computeSignature({
    method: req.method,
    rawPath: req.rawPath,
    queryPairs: sigv4.parseQuery(req.rawQuery),
    rawHeaders: req.rawHeaders,
    signedHeaders: auth.signedHeaders,
    payloadHash: sigv4.sha256Hex(req.body),
    amzDate: sigv4.headerValues(req.rawHeaders, 'x-amz-date')[0],
    scope,
    secret: SECRET,
    service: scope[3],
  });
  const expectedSig = /Signature=([0-9a-f]{64})/.exec(read('.authz'))[1];
  const checks = [
    ['canonical request', got.canonicalRequest, read('.creq')],
    ['string to sign', got.stringToSign, read('.sts')],
    ['signature', got.signature, expectedSig],
  ];
  for (const [what, actual, expected] of checks) {
    if (actual.trimEnd() !== expected.trimEnd()) {
      failures++;
      console.log(`FAIL ${name}: ${what}\n--- expected\n${expected}\n--- got\n${actual}`);
    }
  }
}
console.log(`${cases.length} cases, ${failures} failures`);
if (cases.length < 30 || failures > 0) process.exit(1);
