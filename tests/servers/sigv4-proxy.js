#!/usr/bin/env node
'use strict';
// A signature-checking front for s3rver or kinesalite, neither of which checks SigV4.
// Every request is verified with the secret configured for its access key (header form
// and presigned query form, x-amz-content-sha256, session tokens, clock skew) and
// rejected the way AWS rejects it; valid requests go to the backend unchanged and the
// answer streams back. For S3 it also enforces conditional writes (If-Match,
// If-None-Match: *), which s3rver ignores, holds the answer to a write until the object
// reads back whole (s3rver answers before its write reaches the disk; S3 is strongly
// consistent), and keeps the multipart uploads in progress as S3 does, which s3rver
// cannot list or abort: ListMultipartUploads (GET
// /bucket?uploads), AbortMultipartUpload (DELETE ?uploadId: 204, then UploadPart and
// CompleteMultipartUpload of that id answer 404 NoSuchUpload, as a second abort does).
// An aborted upload's parts stay in s3rver's directory, never reachable.
//
//   node sigv4-proxy.js --service s3|kinesis --backend http://127.0.0.1:4568
//        --key AKID:SECRET[:SESSION_TOKEN] [--key ...] [--region us-east-1]
//        [--listen 127.0.0.1:0] [--ready-file FILE] [--clock-offset SECONDS]

const crypto = require('crypto');
const http = require('http');
const sigv4 = require('./sigv4');

const kMaxSkewMs = 15 * 60 * 1000;
const kMaxExpiresSeconds = 7 * 24 * 3600;

/// An authentication failure; `kind` picks the service's error code.
class AuthFailure extends Error {
  constructor(kind, message, details = {}) {
    super(message);
    this.kind = kind;
    this.details = details;
  }
}

const xmlEscape = (s) => String(s).replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
const requestId = () => crypto.randomBytes(8).toString('hex').toUpperCase();

function sendS3Error(req, res, status, code, message, details = {}) {
  const fields = Object.entries(details).map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`).join('');
  const body = '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message>${fields}` +
    `<RequestId>${requestId()}</RequestId></Error>`;
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function sendJsonError(req, res, status, type, message) {
  const body = JSON.stringify({ __type: type, message });
  res.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId(),
  });
  res.end(body);
}

const kS3Errors = {
  missing: [403, 'AccessDenied'],
  malformed: [400, 'AuthorizationHeaderMalformed'],
  queryMalformed: [400, 'AuthorizationQueryParametersError'],
  unknownKey: [403, 'InvalidAccessKeyId'],
  badSignature: [403, 'SignatureDoesNotMatch'],
  skewed: [403, 'RequestTimeTooSkewed'],
  expired: [403, 'AccessDenied'],
  badToken: [403, 'InvalidToken'],
  unsignedHeaders: [403, 'AccessDenied'],
  contentSha: [400, 'XAmzContentSHA256Mismatch'],
  missingContentSha: [400, 'InvalidRequest'],
  notImplemented: [501, 'NotImplemented'],
};

const kKinesisErrors = {
  missing: 'MissingAuthenticationTokenException',
  malformed: 'IncompleteSignatureException',
  queryMalformed: 'IncompleteSignatureException',
  unknownKey: 'UnrecognizedClientException',
  badSignature: 'InvalidSignatureException',
  skewed: 'InvalidSignatureException',
  expired: 'InvalidSignatureException',
  badToken: 'UnrecognizedClientException',
  unsignedHeaders: 'InvalidSignatureException',
  contentSha: 'InvalidSignatureException',
  missingContentSha: 'IncompleteSignatureException',
  notImplemented: 'InvalidSignatureException',
};

function sendAuthFailure(config, req, res, failure) {
  if (config.service === 's3') {
    const [status, code] = kS3Errors[failure.kind];
    sendS3Error(req, res, status, code, failure.message, failure.details);
  } else {
    let message = failure.message;
    if (failure.kind === 'badSignature') {
      message += `\n\nThe Canonical String for this request should have been\n'${failure.details.CanonicalRequest}'` +
        `\n\nThe String-to-Sign should have been\n'${failure.details.StringToSign}'\n`;
    }
    sendJsonError(req, res, 400, kKinesisErrors[failure.kind], message);
  }
}

// ------------------------------------------------------------------ verification

function splitTarget(url) {
  const q = url.indexOf('?');
  return q < 0 ? [url, ''] : [url.slice(0, q), url.slice(q + 1)];
}

function firstHeader(req, name) {
  const values = sigv4.headerValues(req.rawHeaders, name);
  return values.length ? values[0] : undefined;
}

// The parts of the signature that arrived, from the Authorization header or the query.
function readSignatureParts(config, req, queryPairs) {
  const query = Object.fromEntries(queryPairs);
  const header = firstHeader(req, 'authorization');
  const inQuery = 'X-Amz-Algorithm' in query;
  if (header !== undefined && inQuery) {
    throw new AuthFailure('malformed', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query ' +
      'parameter, Signature query string parameter or the Authorization header should be specified');
  }
  if (header !== undefined) {
    const auth = sigv4.parseAuthorization(header);
    if (!auth) throw new AuthFailure('malformed', 'The authorization header is malformed; it must be ' +
      'AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...');
    return { form: 'header', ...auth, amzDate: firstHeader(req, 'x-amz-date'),
      token: firstHeader(req, 'x-amz-security-token'), queryPairs };
  }
  if (inQuery) {
    for (const p of ['X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature']) {
      if (!(p in query)) throw new AuthFailure('queryMalformed', `Query-string authentication version 4 requires ` +
        `the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.`);
    }
    if (query['X-Amz-Algorithm'] !== 'AWS4-HMAC-SHA256') {
      throw new AuthFailure('queryMalformed', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
    }
    return { form: 'query', credential: query['X-Amz-Credential'], signedHeaders: query['X-Amz-SignedHeaders'].split(';'),
      signature: query['X-Amz-Signature'], amzDate: query['X-Amz-Date'], expires: query['X-Amz-Expires'],
      token: query['X-Amz-Security-Token'], queryPairs: queryPairs.filter(([k]) => k !== 'X-Amz-Signature') };
  }
  throw new AuthFailure('missing', config.service === 's3' ? 'Access Denied' : 'Missing Authentication Token');
}

// Credential scope and key: "AKID/20261122/us-east-1/s3/aws4_request".
function checkScope(config, parts) {
  const scope = parts.credential.split('/');
  const malformed = parts.form === 'header' ? 'malformed' : 'queryMalformed';
  const date = sigv4.parseAmzDate(parts.amzDate);
  if (!date) throw new AuthFailure(malformed, `invalid or missing X-Amz-Date '${parts.amzDate || ''}'`);
  if (scope.length !== 5 || scope[4] !== 'aws4_request') {
    throw new AuthFailure(malformed, `the credential '${parts.credential}' is malformed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`);
  }
  if (scope[1] !== parts.amzDate.slice(0, 8)) {
    throw new AuthFailure(malformed, `Invalid credential date "${scope[1]}". This date is not the same as X-Amz-Date: "${parts.amzDate.slice(0, 8)}".`);
  }
  if (scope[2] !== config.region) {
    throw new AuthFailure(malformed, `the region '${scope[2]}' is wrong; expecting '${config.region}'`, { Region: config.region });
  }
  if (scope[3] !== config.service) {
    throw new AuthFailure(malformed, `Credential should be scoped to correct service: '${config.service}'.`);
  }
  const key = config.keys.get(scope[0]);
  if (!key) {
    throw new AuthFailure('unknownKey', config.service === 's3'
      ? 'The AWS Access Key Id you provided does not exist in our records.'
      : 'The security token included in the request is invalid.', { AWSAccessKeyId: scope[0] });
  }
  return { scope, key, date };
}

function checkTime(config, parts, date, now) {
  const skew = date.getTime() - now.getTime();
  if (parts.form === 'query') {
    const expires = Number(parts.expires);
    if (!Number.isInteger(expires) || expires < 1 || expires > kMaxExpiresSeconds) {
      throw new AuthFailure('queryMalformed', 'X-Amz-Expires must be less than a week (in seconds) that is 604800');
    }
    if (now.getTime() > date.getTime() + expires * 1000) {
      throw new AuthFailure('expired', 'Request has expired', { 'X-Amz-Expires': expires,
        Expires: new Date(date.getTime() + expires * 1000).toISOString(), ServerTime: now.toISOString() });
    }
    if (skew <= kMaxSkewMs) return;
  } else if (Math.abs(skew) <= kMaxSkewMs) {
    return;
  }
  const message = config.service === 's3'
    ? 'The difference between the request time and the current time is too large.'
    : skew < 0 ? `Signature expired: ${parts.amzDate} is now earlier than the server time minus 15 min.`
      : `Signature not yet current: ${parts.amzDate} is still later than the server time plus 15 min.`;
  throw new AuthFailure('skewed', message, { RequestTime: parts.amzDate, ServerTime: now.toISOString(),
    MaxAllowedSkewMilliseconds: kMaxSkewMs });
}

function checkToken(config, parts, key) {
  const invalid = () => new AuthFailure('badToken', config.service === 's3'
    ? 'The provided token is malformed or otherwise invalid.'
    : 'The security token included in the request is invalid.');
  if ((key.token || undefined) !== parts.token) throw invalid();
}

function checkSignedHeaders(config, req, parts) {
  const malformed = parts.form === 'header' ? 'malformed' : 'queryMalformed';
  if (!parts.signedHeaders.includes('host')) {
    throw new AuthFailure(malformed, "'Host' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (config.service !== 's3') return;
  const unsigned = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i].toLowerCase();
    if (name.startsWith('x-amz-') && !parts.signedHeaders.includes(name)) unsigned.push(name);
  }
  if (unsigned.length) {
    throw new AuthFailure('unsignedHeaders', 'There were headers present in the request which were not signed',
      { HeadersNotSigned: unsigned.join(', ') });
  }
}

// The payload hash that goes into the canonical request; checks a declared S3 hash.
function payloadHash(config, req, parts, body) {
  const actual = sigv4.sha256Hex(body);
  if (config.service !== 's3') return actual;
  const declared = firstHeader(req, 'x-amz-content-sha256');
  if (declared === undefined) {
    if (parts.form === 'query') return 'UNSIGNED-PAYLOAD';
    throw new AuthFailure('missingContentSha', 'Missing required header for this request: x-amz-content-sha256');
  }
  if (declared === 'UNSIGNED-PAYLOAD') return declared;
  if (declared.startsWith('STREAMING-')) {
    throw new AuthFailure('notImplemented', `x-amz-content-sha256 '${declared}' is not supported by this test proxy`);
  }
  if (!/^[0-9a-f]{64}$/.test(declared)) {
    throw new AuthFailure('contentSha', "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, or a valid sha256 value.");
  }
  return declared;
}

/// Throws AuthFailure unless `req` (whose body is `body`) is signed correctly.
function authenticate(config, req, body, now) {
  const [rawPath, rawQuery] = splitTarget(req.url);
  const parts = readSignatureParts(config, req, sigv4.parseQuery(rawQuery));
  const { scope, key, date } = checkScope(config, parts);
  checkTime(config, parts, date, now);
  checkSignedHeaders(config, req, parts);
  const hash = payloadHash(config, req, parts, body);
  const got = sigv4.computeSignature({ method: req.method, rawPath, queryPairs: parts.queryPairs,
    rawHeaders: req.rawHeaders, signedHeaders: parts.signedHeaders, payloadHash: hash,
    amzDate: parts.amzDate, scope, secret: key.secret, service: config.service });
  if (!sigv4.timingSafeEqualHex(got.signature, parts.signature)) {
    throw new AuthFailure('badSignature', config.service === 's3'
      ? 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'
      : 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    { AWSAccessKeyId: scope[0], StringToSign: got.stringToSign, CanonicalRequest: got.canonicalRequest });
  }
  checkToken(config, parts, key);
  if (hash !== 'UNSIGNED-PAYLOAD' && hash !== sigv4.sha256Hex(body)) {
    throw new AuthFailure('contentSha', "The provided 'x-amz-content-sha256' header does not match what was computed.",
      { ClientComputedContentSHA256: hash, S3ComputedContentSHA256: sigv4.sha256Hex(body) });
  }
}

// ------------------------------------------------------------------ forwarding

function headersForBackend(rawHeaders) {
  const out = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    if (name in out) out[name] = [].concat(out[name], rawHeaders[i + 1]);
    else out[name] = rawHeaders[i + 1];
  }
  return out;
}

function forward(config, req, res, body) {
  const upstream = http.request({
    host: config.backend.hostname, port: config.backend.port, method: req.method, path: req.url,
    headers: headersForBackend(req.rawHeaders),
  }, (answer) => {
    res.writeHead(answer.statusCode, answer.statusMessage, answer.rawHeaders);
    answer.pipe(res);
  });
  upstream.on('error', (err) => {
    if (res.headersSent) return res.destroy();
    res.writeHead(502, { 'Content-Type': 'text/plain' });
    res.end(`sigv4-proxy: backend ${config.backend.host}: ${err.message}\n`);
  });
  upstream.end(body);
}

// A request to the backend made by the proxy itself (anonymous: s3rver lets it through):
// resolves to {status, etag, body}.
function backendRequest(config, method, path) {
  return new Promise((resolve, reject) => {
    const r = http.request({ host: config.backend.hostname, port: config.backend.port, method, path,
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }, (answer) => {
      const chunks = [];
      answer.on('data', (c) => chunks.push(c));
      answer.on('end', () => resolve({ status: answer.statusCode, etag: answer.headers.etag, body: Buffer.concat(chunks) }));
      answer.on('error', reject);
    });
    r.on('error', reject);
    r.end();
  });
}

// ------------------------------------------------------------------ S3 read-after-write

// s3rver answers a write before the object has reached its disk: its filesystem store
// takes the MD5 when the body has gone through, writes the .md5 file and answers, while
// its write stream may still be opening (truncating) the object file or writing it. A
// read in that moment gets the old object, an empty one or part of the new one, under
// the new ETag. S3 never does that: a write is atomic, and a read that starts after the
// write's answer sees the whole new object. So the answer to a successful write is held
// here, with the key's lock, until the object reads back whole from s3rver: its bytes
// hash to the MD5 s3rver stored for it. Resolves to how many read-backs were not whole.
async function untilWhole(config, path) {
  const deadline = Date.now() + 10000;
  for (let torn = 0; ; torn++) {
    // An answer that broke off is not whole either.
    const got = await backendRequest(config, 'GET', path).catch(() => ({ status: 0 }));
    if (got.status === 404) return torn;  // deleted, or written nowhere: nothing to wait for
    if (got.status === 200 && crypto.createHash('md5').update(got.body).digest('hex') === normaliseEtag(got.etag)) {
      return torn;
    }
    if (Date.now() > deadline) throw new Error(`${path}: s3rver's object did not read back whole within 10 s`);
    // s3rver's write stream finishes on its own: look again once it has had a moment.
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

// ------------------------------------------------------------------ S3 conditional writes

// "/bucket/key" for PutObject, CopyObject, CompleteMultipartUpload, DeleteObject; else null.
function objectWriteKey(req) {
  const [rawPath, rawQuery] = splitTarget(req.url);
  const query = Object.fromEntries(sigv4.parseQuery(rawQuery));
  const segments = rawPath.split('/');
  if (segments.length < 3 || segments[2] === '') return null;
  if (req.method === 'PUT' && !('partNumber' in query) && !('uploadId' in query) && Object.keys(query).length === 0) return rawPath;
  if (req.method === 'POST' && 'uploadId' in query) return rawPath;
  if (req.method === 'DELETE' && Object.keys(query).length === 0) return rawPath;
  return null;
}

// The object a plain GET or HEAD reads. s3rver writes an object in place, so a read that
// overlaps a write could see part of it; S3 never shows a partial object, so reads of a
// key wait for its writes here.
function objectReadKey(req) {
  const [rawPath, rawQuery] = splitTarget(req.url);
  const segments = rawPath.split('/');
  if (segments.length < 3 || segments[2] === '' || rawQuery) return null;
  return req.method === 'GET' || req.method === 'HEAD' ? rawPath : null;
}

const normaliseEtag = (etag) => (etag || '').trim().replace(/^W\//, '').replace(/^"|"$/g, '');

// Resolves to null when the write may go ahead, or [status, code, message, details].
async function preconditionFailure(config, req, path) {
  const ifMatch = firstHeader(req, 'if-match');
  const ifNoneMatch = firstHeader(req, 'if-none-match');
  if (ifMatch === undefined && ifNoneMatch === undefined) return null;
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*') {
    return [501, 'NotImplemented', 'A header you provided implies functionality that is not implemented',
      { Header: 'If-None-Match' }];
  }
  const current = await backendRequest(config, 'HEAD', path);
  const exists = current.status === 200;
  const failed = { Condition: ifMatch !== undefined ? 'If-Match' : 'If-None-Match' };
  if (ifNoneMatch !== undefined && exists) {
    return [412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', failed];
  }
  if (ifMatch !== undefined && !exists) {
    return [404, 'NoSuchKey', 'The specified key does not exist.', { Key: path }];
  }
  if (ifMatch !== undefined && normaliseEtag(ifMatch) !== normaliseEtag(current.etag)) {
    return [412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', failed];
  }
  return null;
}

// Writes to one key run one at a time, so check-then-write is atomic; reads of the key
// wait for them too, so they see a whole object.
function withKeyLock(locks, key, task) {
  const previous = locks.get(key) || Promise.resolve();
  const run = previous.then(task, task);
  const tail = run.catch(() => {});
  locks.set(key, tail);
  tail.then(() => { if (locks.get(key) === tail) locks.delete(key); });
  return run;
}

function forwardWhenDone(config, req, res, body) {
  return new Promise((resolve) => {
    res.on('close', resolve);
    forward(config, req, res, body);
  });
}

async function handleS3Write(config, locks, req, res, body, path) {
  await withKeyLock(locks, path, async () => {
    const failure = await preconditionFailure(config, req, path);
    if (failure) return sendS3Error(req, res, ...failure);
    if (req.method === 'DELETE') return forwardWhenDone(config, req, res, body);
    // PutObject and CopyObject: answered once the object reads back whole.
    await forwardAndRead(config, req, res, body, (status) => status === 200 && settle(config, path));
  });
}

// After a successful write of `path`: waits until it reads back whole, and logs the
// times s3rver had answered before its write was done.
async function settle(config, path) {
  const torn = await untilWhole(config, path);
  if (torn) (config.log || (() => {}))(`${path}: s3rver answered before the object was on disk; held the answer for ${torn} read-backs`);
}

// ------------------------------------------------------------------ S3 multipart uploads

// The uploads created through this proxy and neither completed nor aborted, by id.
class MultipartUploads {
  constructor() { this.byId = new Map(); }

  // What the request does to an upload: 'create', 'part', 'complete', 'abort', 'list', or null.
  static classify(req) {
    const [rawPath, rawQuery] = splitTarget(req.url);
    const query = Object.fromEntries(sigv4.parseQuery(rawQuery));
    const segments = rawPath.split('/');
    const isObject = segments.length >= 3 && segments[2] !== '';
    if (!isObject) return req.method === 'GET' && 'uploads' in query ? { op: 'list', bucket: segments[1] } : null;
    const object = { bucket: segments[1], key: sigv4.uriDecode(segments.slice(2).join('/')), uploadId: query.uploadId };
    if (req.method === 'POST' && 'uploads' in query) return { op: 'create', ...object };
    if (!('uploadId' in query)) return null;
    if (req.method === 'PUT') return { op: 'part', ...object };
    if (req.method === 'POST') return { op: 'complete', ...object };
    if (req.method === 'DELETE') return { op: 'abort', ...object };
    return null;
  }

  known(call) {
    const upload = this.byId.get(call.uploadId);
    return upload !== undefined && upload.bucket === call.bucket && upload.key === call.key;
  }

  listXml(bucket) {
    const uploads = [...this.byId.entries()].filter(([, u]) => u.bucket === bucket)
      .sort(([, a], [, b]) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const entries = uploads.map(([id, u]) => `<Upload><Key>${xmlEscape(u.key)}</Key><UploadId>${xmlEscape(id)}</UploadId>` +
      `<Initiated>${u.initiated}</Initiated><StorageClass>STANDARD</StorageClass></Upload>`).join('');
    return '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      `<Bucket>${xmlEscape(bucket)}</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker>` +
      `<MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>${entries}</ListMultipartUploadsResult>`;
  }
}

function sendXml(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

// Forwards and hands the backend's whole answer to `seen(status, body)` (which may return
// a promise: the answer waits for it) before relaying it.
function forwardAndRead(config, req, res, body, seen) {
  return new Promise((resolve) => {
    const upstream = http.request({
      host: config.backend.hostname, port: config.backend.port, method: req.method, path: req.url,
      headers: headersForBackend(req.rawHeaders),
    }, (answer) => {
      const chunks = [];
      answer.on('data', (c) => chunks.push(c));
      answer.on('end', async () => {
        const data = Buffer.concat(chunks);
        try {
          await seen(answer.statusCode, data.toString('utf8'));
        } catch (err) {
          (config.log || (() => {}))(`${req.method} ${req.url}: ${err.message}`);
          sendS3Error(req, res, 500, 'InternalError', `sigv4-proxy: ${err.message}`);
          return resolve();
        }
        res.writeHead(answer.statusCode, answer.statusMessage, answer.rawHeaders);
        res.end(data);
        resolve();
      });
    });
    upstream.on('error', (err) => {
      if (!res.headersSent) {
        res.writeHead(502, { 'Content-Type': 'text/plain' });
        res.end(`sigv4-proxy: backend ${config.backend.host}: ${err.message}\n`);
      }
      resolve();
    });
    upstream.end(body);
  });
}

// True when the request was answered here (multipart bookkeeping), false to go on.
function handleMultipart(config, uploads, req, res, body, call) {
  const noSuchUpload = () => sendS3Error(req, res, 404, 'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    { UploadId: call.uploadId });
  switch (call.op) {
    case 'list':
      sendXml(res, 200, uploads.listXml(call.bucket));
      return true;
    case 'create':
      forwardAndRead(config, req, res, body, (status, text) => {
        const id = /<UploadId>([^<]*)<\/UploadId>/.exec(text);
        if (status === 200 && id) {
          uploads.byId.set(id[1], { bucket: call.bucket, key: call.key, initiated: new Date().toISOString() });
        }
      });
      return true;
    case 'abort':
      if (!uploads.known(call)) noSuchUpload();
      else {
        uploads.byId.delete(call.uploadId);
        res.writeHead(204);
        res.end();
      }
      return true;
    case 'part':
    case 'complete':
      if (!uploads.known(call)) {
        noSuchUpload();
        return true;
      }
      return false;
    default:
      return false;
  }
}

// ------------------------------------------------------------------ server

/// An http.Server verifying SigV4 before forwarding. `config`: service, region,
/// keys (Map id -> {secret, token}), backend (URL), now() (for tests), log (function).
function createSigv4Proxy(config) {
  const locks = new Map();
  const uploads = new MultipartUploads();
  const now = config.now || (() => new Date());
  const log = config.log || (() => {});
  return http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      try {
        authenticate(config, req, body, now());
      } catch (e) {
        if (!(e instanceof AuthFailure)) {
          // A bug of this proxy must not take the servers down for the rest of the run.
          log(`${req.method} ${req.url} -> internal error: ${e.stack || e}`);
          return sendS3Error(req, res, 500, 'InternalError', `sigv4-proxy: ${e.message}`);
        }
        log(`${req.method} ${req.url} -> ${e.kind}: ${e.message}`);
        return sendAuthFailure(config, req, res, e);
      }
      const multipart = config.service === 's3' ? MultipartUploads.classify(req) : null;
      if (multipart && handleMultipart(config, uploads, req, res, body, multipart)) return;
      const path = config.service === 's3' ? objectWriteKey(req) : null;
      if (multipart && multipart.op === 'complete') {
        // Completed (S3 may say 200 with an <Error> body): the upload is no more.
        withKeyLock(locks, path, async () => {
          const failure = await preconditionFailure(config, req, path);
          if (failure) return sendS3Error(req, res, ...failure);
          return forwardAndRead(config, req, res, body, (status, text) => {
            if (status !== 200 || text.includes('<Error>')) return undefined;
            uploads.byId.delete(multipart.uploadId);
            return settle(config, path);
          });
        }).catch((err) => {
          if (!res.headersSent) sendS3Error(req, res, 500, 'InternalError', err.message);
        });
      } else if (path) {
        handleS3Write(config, locks, req, res, body, path).catch((err) => {
          if (!res.headersSent) sendS3Error(req, res, 500, 'InternalError', err.message);
        });
      } else if (config.service === 's3' && objectReadKey(req)) {
        withKeyLock(locks, objectReadKey(req), () => forwardWhenDone(config, req, res, body));
      } else {
        forward(config, req, res, body);
      }
    });
  });
}

// "AKID:SECRET[:TOKEN]" into `keys` (Map id -> {secret, token}).
function parseKey(value, keys) {
  const [id, secret, token] = value.split(':');
  if (!id || !secret) throw new Error(`--key wants ACCESS_KEY_ID:SECRET[:TOKEN], got '${id}:...'`);
  keys.set(id, { secret, token });
}

function parseArgs(argv) {
  const args = { service: 's3', region: 'us-east-1', listen: '127.0.0.1:0', keys: new Map() };
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`missing value for ${name}`);
    if (name === '--key') {
      parseKey(value, args.keys);
    } else if (name === '--clock-offset') {
      // This proxy's clock runs SECONDS ahead (negative: behind) of the machine's: a
      // service whose clock disagrees with the client's, for skew tests.
      const offset = Number(value);
      if (!Number.isFinite(offset)) throw new Error(`--clock-offset wants seconds, got '${value}'`);
      args.now = () => new Date(Date.now() + offset * 1000);
    } else if (['--service', '--region', '--listen', '--backend', '--ready-file'].includes(name)) {
      args[name.slice(2).replace('-f', 'F')] = value;
    } else {
      throw new Error(`unknown option ${name}`);
    }
  }
  if (!args.backend) throw new Error('--backend URL is required');
  if (!['s3', 'kinesis'].includes(args.service)) throw new Error('--service must be s3 or kinesis');
  args.backend = new URL(args.backend);
  return args;
}

function listen(server, spec) {
  const colon = spec.lastIndexOf(':');
  return new Promise((resolve) => server.listen(Number(spec.slice(colon + 1)), spec.slice(0, colon),
    () => resolve(server.address().port)));
}

if (require.main === module) {
  let config;
  try {
    config = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`sigv4-proxy: ${e.message}`);
    process.exit(64);
  }
  config.log = (line) => console.error(`sigv4-proxy: ${line}`);
  const server = createSigv4Proxy(config);
  listen(server, config.listen).then((port) => {
    console.log(`sigv4-proxy: ${config.service} on 127.0.0.1:${port} -> ${config.backend.host}`);
    if (config.readyFile) {
      require('fs').writeFileSync(`${config.readyFile}.tmp`, `${port}\n`);
      require('fs').renameSync(`${config.readyFile}.tmp`, config.readyFile);
    }
  });
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
}

module.exports = { createSigv4Proxy, listen, authenticate, AuthFailure, sendAuthFailure, parseKey };
