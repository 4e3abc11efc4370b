#!/usr/bin/env node
'use strict';
// A proxy that injects faults in front of any backend, from a seeded random stream so a
// run can be repeated: connection resets (before or after the backend saw the
// request), 500/503 answers (S3 SlowDown XML, Kinesis JSON), slow replies, Kinesis
// throttling (400 ProvisionedThroughputExceededException) and PutRecords partial
// failures, where the failed entries are really not stored: only the surviving entries
// go to the backend and its answer is merged back in order.
//
//   node fault-proxy.js --backend URL [--service s3|kinesis|http|tcp] [--seed N]
//        [--reset P] [--reset-after P] [--error P] [--slow P] [--slow-ms MS]
//        [--throttle P] [--partial P] [--partial-fraction F]
//        [--verify-key AKID:SECRET[:TOKEN] --region R] [--listen 127.0.0.1:0] [--ready-file F]
//
// Rates are probabilities per request (their sum at most 1). With --verify-key the
// proxy checks SigV4 itself (needed when it rewrites PutRecords bodies in front of a
// backend that does not check signatures, since a rewritten body no longer matches).
//
// Faults only queued (never drawn at random): "truncate" (the backend's answer with its
// full Content-Length but only half its body, then a reset), "stall" (no answer at all
// until the client gives up), Kinesis "gone" (400 ResourceNotFoundException: the stream
// deleted part-way), "expired" (400 ExpiredTokenException) and "reject" (a PutRecords
// partial failure whose failed entries carry InvalidArgumentException, a code that must
// not be retried).
//
// --service tcp (e.g. SMTP, --backend tcp://127.0.0.1:PORT) relays raw bytes and draws
// one fault per connection: "reset" (at once, before the greeting), "error" (SMTP's
// "421 4.3.2 Service not available" greeting instead of the backend), "slow" (the
// backend only after --slow-ms), "resetAfter" (the client's bytes up to the end of the
// message, its "<CRLF>.<CRLF>", reach the backend; its reply does not, the client is
// reset), and queued only: "resetMidData" (reset once the client sent DATA and at least
// --reset-bytes bytes of the message; the backend gets the cut message and the reset
// too), "resetAtBytes" (reset once --reset-bytes bytes came from the client),
// "stall" (nothing relayed any more, the connection held open). Admin requests reach
// the same port as plain HTTP (told apart by their first bytes).
//
// Admin paths (never forwarded):
//   GET  /__fault/stats   counters of what was done, JSON
//   POST /__fault/config  JSON {"reset":0.1,...,"seed":7} replaces rates (and reseeds);
//                         "methods":["PUT"] limits faults (random and queued) to requests
//                         of those methods, the others pass untouched ([] or null: all)
//   POST /__fault/next    JSON {"faults":["reset","503","pass",...]}: the next requests
//                         (with "clear": true, after dropping what is still queued)
//                         get these faults in order before the random ones resume

const http = require('http');
const fs = require('fs');
const { listen, authenticate, AuthFailure, sendAuthFailure, parseKey } = require('./sigv4-proxy');

const kFaults = ['reset', 'resetAfter', 'error', 'slow', 'throttle', 'partial'];

// mulberry32: a small seeded generator, uniform on [0, 1).
function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function newStats() {
  return { requests: 0, passed: 0, reset: 0, resetAfter: 0, error500: 0, error503: 0, slow: 0, throttled: 0,
    partialRequests: 0, partialEntriesFailed: 0, putRecordsEntriesForwarded: 0, authFailures: 0,
    abandoned: 0, truncated: 0, stalled: 0, refused: 0, rejectedEntries: 0, connections: 0,
    resetMidData: 0, resetAtBytes: 0 };
}

function kinesisTarget(req) {
  const target = req.headers['x-amz-target'] || '';
  return target.slice(target.indexOf('.') + 1);
}

class FaultProxy {
  constructor(config) {
    this.config = config;
    this.stats = newStats();
    this.queue = [];
    this.methods = null;
    this.setRates(config.rates, config.seed);
  }

  setRates(rates, seed) {
    const total = kFaults.reduce((sum, f) => sum + (rates[f] || 0), 0);
    if (total > 1 + 1e-9) throw new Error(`fault rates add up to ${total}, more than 1`);
    this.rates = { ...rates };
    if (seed !== undefined) this.random = seededRandom(seed);
  }

  // The fault for this request: a queued one, else a draw against the rates. Faults
  // that do not apply to the request (throttle outside Kinesis data calls, partial
  // outside PutRecords) pass.
  choose(req) {
    let fault = this.queue.length ? this.queue.shift() : this.draw();
    const op = this.config.service === 'kinesis' ? kinesisTarget(req) : '';
    if (fault === 'throttle' && !['PutRecord', 'PutRecords', 'GetRecords'].includes(op) && this.config.service !== 's3') fault = 'pass';
    if (['partial', 'reject'].includes(fault) && op !== 'PutRecords') fault = 'pass';
    if (['gone', 'expired'].includes(fault) && this.config.service !== 'kinesis') fault = 'pass';
    if (fault === 'error') fault = this.random() < 0.5 ? '500' : '503';
    return fault;
  }

  draw() {
    let r = this.random();
    for (const f of kFaults) {
      if (r < (this.rates[f] || 0)) return f;
      r -= this.rates[f] || 0;
    }
    return 'pass';
  }
}

// ------------------------------------------------------------------ answers

function send(res, status, type, body, extra = {}) {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

function sendServerError(proxy, req, res, status) {
  const service = proxy.config.service;
  if (service === 's3') {
    const [code, message] = status === 503
      ? ['SlowDown', 'Please reduce your request rate.']
      : ['InternalError', 'We encountered an internal error. Please try again.'];
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>` +
      '<RequestId>FAULTPROXY</RequestId></Error>';
    res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
    return res.end(req.method === 'HEAD' ? undefined : body);
  }
  if (service === 'kinesis') {
    const type = status === 503 ? 'ServiceUnavailable' : 'InternalFailure';
    return send(res, status, 'application/x-amz-json-1.1', JSON.stringify({ __type: type, message: 'injected by fault-proxy' }));
  }
  return send(res, status, 'text/plain', `injected ${status}\n`);
}

function throttleMessage(streamName) {
  return `Rate exceeded for shard shardId-000000000000 in stream ${streamName || 'unknown'} under account 000000000000.`;
}

function sendThrottle(proxy, req, res, body) {
  proxy.stats.throttled++;
  if (proxy.config.service === 's3') {
    proxy.stats.error503++;
    return sendServerError(proxy, req, res, 503);
  }
  let stream;
  try { stream = JSON.parse(body.toString('utf8')).StreamName; } catch (e) { stream = undefined; }
  return send(res, 400, 'application/x-amz-json-1.1',
    JSON.stringify({ __type: 'ProvisionedThroughputExceededException', message: throttleMessage(stream) }));
}

function reset(req) {
  const socket = req.socket;
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

// ------------------------------------------------------------------ forwarding

// Sends `body` to the backend; resolves to {status, rawHeaders, body}.
function callBackend(proxy, req, body) {
  const headers = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i].toLowerCase() === 'transfer-encoding') continue;
    headers[req.rawHeaders[i]] = req.rawHeaders[i + 1];
  }
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === 'content-length') delete headers[name];
  }
  headers['Content-Length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const upstream = http.request({ host: proxy.config.backend.hostname, port: proxy.config.backend.port,
      method: req.method, path: req.url, headers }, (answer) => {
      const chunks = [];
      answer.on('data', (c) => chunks.push(c));
      answer.on('end', () => resolve({ status: answer.statusCode, rawHeaders: answer.rawHeaders, body: Buffer.concat(chunks) }));
      answer.on('error', reject);
    });
    upstream.on('error', reject);
    upstream.end(req.method === 'GET' || req.method === 'HEAD' ? undefined : body);
  });
}

function relay(req, res, answer) {
  const headers = [];
  for (let i = 0; i < answer.rawHeaders.length; i += 2) {
    const name = answer.rawHeaders[i].toLowerCase();
    if (name === 'content-length' || name === 'transfer-encoding' || name === 'connection') continue;
    headers.push(answer.rawHeaders[i], answer.rawHeaders[i + 1]);
  }
  if (req.method !== 'HEAD') headers.push('Content-Length', String(answer.body.length));
  else {
    const length = answer.rawHeaders.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === 'content-length');
    if (length >= 0) headers.push('Content-Length', answer.rawHeaders[length + 1]);
  }
  res.writeHead(answer.status, headers);
  res.end(req.method === 'HEAD' ? undefined : answer.body);
}

// PutRecords with some entries failed on purpose: only the others reach the backend.
async function partialPutRecords(proxy, req, res, body, code = 'ProvisionedThroughputExceededException') {
  const request = JSON.parse(body.toString('utf8'));
  const records = request.Records || [];
  const fraction = proxy.rates.partialFraction ?? 0.3;
  let failed = records.map(() => proxy.random() < fraction);
  if (records.length && !failed.some(Boolean)) failed[Math.floor(proxy.random() * records.length)] = true;
  const survivors = records.filter((_, i) => !failed[i]);
  let answer = { FailedRecordCount: 0, Records: [] };
  let backend = null;
  if (survivors.length) {
    backend = await callBackend(proxy, req, Buffer.from(JSON.stringify({ ...request, Records: survivors })));
    if (backend.status !== 200) return relay(req, res, backend);
    answer = JSON.parse(backend.body.toString('utf8'));
  }
  let j = 0;
  const message = code === 'ProvisionedThroughputExceededException'
    ? throttleMessage(request.StreamName) : 'injected by fault-proxy: this entry is refused';
  const merged = records.map((_, i) => (failed[i] ? { ErrorCode: code, ErrorMessage: message } : answer.Records[j++]));
  const failedCount = failed.filter(Boolean).length;
  if (code !== 'ProvisionedThroughputExceededException') proxy.stats.rejectedEntries += failedCount;
  proxy.stats.partialRequests++;
  proxy.stats.partialEntriesFailed += failedCount;
  proxy.stats.putRecordsEntriesForwarded += survivors.length;
  const out = { ...answer, FailedRecordCount: (answer.FailedRecordCount || 0) + failedCount, Records: merged };
  send(res, 200, 'application/x-amz-json-1.1', JSON.stringify(out));
}

async function pass(proxy, req, res, body) {
  const answer = await callBackend(proxy, req, body);
  if (proxy.config.service === 'kinesis' && kinesisTarget(req) === 'PutRecords' && answer.status === 200) {
    proxy.stats.putRecordsEntriesForwarded += (JSON.parse(body.toString('utf8')).Records || []).length;
  }
  proxy.stats.passed++;
  relay(req, res, answer);
}

async function applyFault(proxy, fault, req, res, body) {
  switch (fault) {
    case 'reset':
      proxy.stats.reset++;
      return reset(req);
    case 'resetAfter':
      proxy.stats.resetAfter++;
      await callBackend(proxy, req, body);
      return reset(req);
    case '500':
    case '503':
      proxy.stats[`error${fault}`]++;
      return sendServerError(proxy, req, res, Number(fault));
    case 'slow':
      proxy.stats.slow++;
      await new Promise((resolve) => setTimeout(resolve, proxy.rates.slowMs ?? 2000));
      if (req.socket.destroyed) {  // the client gave up: nothing reaches the backend
        proxy.stats.abandoned++;
        return undefined;
      }
      return pass(proxy, req, res, body);
    case 'throttle':
      return sendThrottle(proxy, req, res, body);
    case 'partial':
      return partialPutRecords(proxy, req, res, body);
    case 'reject':
      return partialPutRecords(proxy, req, res, body, 'InvalidArgumentException');
    case 'gone':
    case 'expired': {
      proxy.stats.refused++;
      let stream;
      try { stream = JSON.parse(body.toString('utf8')).StreamName; } catch (e) { stream = undefined; }
      const [type, message] = fault === 'gone'
        ? ['ResourceNotFoundException', `Stream ${stream} under account 000000000000 not found.`]
        : ['ExpiredTokenException', 'The security token included in the request is expired'];
      return send(res, 400, 'application/x-amz-json-1.1', JSON.stringify({ __type: type, message }));
    }
    case 'truncate': {
      proxy.stats.truncated++;
      const answer = await callBackend(proxy, req, body);
      const headers = [];
      for (let i = 0; i < answer.rawHeaders.length; i += 2) {
        const name = answer.rawHeaders[i].toLowerCase();
        if (name === 'content-length' || name === 'transfer-encoding' || name === 'connection') continue;
        headers.push(answer.rawHeaders[i], answer.rawHeaders[i + 1]);
      }
      headers.push('Content-Length', String(answer.body.length));
      res.writeHead(answer.status, headers);
      res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)));
      // Let the half reach the client, then cut the connection.
      return new Promise((resolve) => setTimeout(() => { reset(req); resolve(); }, 50));
    }
    case 'stall':
      proxy.stats.stalled++;
      return undefined;  // the request is read and never answered
    default:
      return pass(proxy, req, res, body);
  }
}

// ------------------------------------------------------------------ admin and server

function admin(proxy, req, res, body) {
  try {
    if (req.method === 'GET' && req.url === '/__fault/stats') {
      return send(res, 200, 'application/json', JSON.stringify(proxy.stats) + '\n');
    }
    const input = body.length ? JSON.parse(body.toString('utf8')) : {};
    if (req.method === 'POST' && req.url === '/__fault/config') {
      const { seed, methods, ...rates } = input;
      proxy.setRates(rates, seed);
      proxy.methods = methods && methods.length ? methods : null;
      return send(res, 200, 'application/json', JSON.stringify(proxy.rates) + '\n');
    }
    if (req.method === 'POST' && req.url === '/__fault/next') {
      const allowed = proxy.config.service === 'tcp'
        ? ['pass', 'reset', 'resetAfter', 'error', 'slow', 'resetMidData', 'resetAtBytes', 'stall']
        : ['pass', 'reset', 'resetAfter', '500', '503', 'error', 'slow', 'throttle', 'partial', 'reject',
          'gone', 'expired', 'truncate', 'stall'];
      const bad = (input.faults || []).filter((f) => !allowed.includes(f));
      if (bad.length) throw new Error(`unknown faults ${bad.join(', ')}; known: ${allowed.join(', ')}`);
      if (input.clear) proxy.queue = [];
      proxy.queue.push(...(input.faults || []));
      return send(res, 200, 'application/json', JSON.stringify({ queued: proxy.queue }) + '\n');
    }
    return send(res, 404, 'text/plain', 'unknown admin path\n');
  } catch (e) {
    return send(res, 400, 'text/plain', `fault-proxy: ${e.message}\n`);
  }
}

function createFaultProxy(config) {
  const proxy = new FaultProxy(config);
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url.startsWith('/__fault/')) return admin(proxy, req, res, body);
      proxy.stats.requests++;
      if (config.keys) {
        try {
          authenticate({ service: config.service, region: config.region, keys: config.keys }, req, body, new Date());
        } catch (e) {
          if (!(e instanceof AuthFailure)) return send(res, 500, 'text/plain', `fault-proxy: ${e.message}\n`);
          proxy.stats.authFailures++;
          return sendAuthFailure({ service: config.service }, req, res, e);
        }
      }
      const exempt = proxy.methods && !proxy.methods.includes(req.method);
      applyFault(proxy, exempt ? 'pass' : proxy.choose(req), req, res, body).catch((err) => {
        if (res.headersSent || req.socket.destroyed) return;
        send(res, 502, 'text/plain', `fault-proxy: backend ${config.backend.host}: ${err.message}\n`);
      });
    });
  });
  server.faultProxy = proxy;
  return server;
}

// ------------------------------------------------------------------ TCP (SMTP)

const net = require('net');

// One connection relayed to the backend with the fault drawn for it.
function relayTcp(proxy, client, first) {
  const stats = proxy.stats;
  const config = proxy.config;
  stats.requests++;
  stats.connections++;
  let fault = proxy.queue.length ? proxy.queue.shift() : proxy.draw();
  if (!['reset', 'resetAfter', 'error', 'slow', 'resetMidData', 'resetAtBytes', 'stall'].includes(fault)) fault = 'pass';
  const resetClient = () => (typeof client.resetAndDestroy === 'function' ? client.resetAndDestroy() : client.destroy());
  if (fault === 'reset') {
    stats.reset++;
    return resetClient();
  }
  if (fault === 'error') {
    stats.error503++;
    client.end('421 4.3.2 Service not available (injected by fault-proxy)\r\n');
    return undefined;
  }
  const resetBytes = proxy.rates.resetBytes ?? 100;
  let fromClient = 0;
  let inData = false;      // the client sent DATA (and the server said 354)
  let dataBytes = 0;       // message bytes since then
  let tail = '';           // the last bytes from the client, to spot commands
  let messageEnded = false;
  let done = false;
  const upstream = net.connect({ host: config.backend.hostname, port: Number(config.backend.port) });
  const finish = (how) => {
    if (done) return;
    done = true;
    if (how === 'reset') {
      resetClient();
      if (typeof upstream.resetAndDestroy === 'function') upstream.resetAndDestroy(); else upstream.destroy();
    }
  };
  const start = () => {
    if (first && first.length) onClient(first);
    client.on('data', onClient);
  };
  function onClient(chunk) {
    if (done) return;
    if (fault === 'stall') return;  // swallowed; nothing goes on
    let take = chunk;
    if (fault === 'resetAtBytes' && fromClient + chunk.length >= resetBytes) {
      take = chunk.subarray(0, resetBytes - fromClient);
    }
    if (fault === 'resetMidData' && inData && dataBytes + chunk.length >= resetBytes) {
      take = chunk.subarray(0, Math.max(0, resetBytes - dataBytes));
    }
    const text = take.toString('latin1');
    if (inData) dataBytes += take.length;
    tail = (tail + text).slice(-64);
    fromClient += take.length;
    if (/(^|\r\n)DATA\r\n$/i.test(tail)) { inData = true; dataBytes = 0; }
    if (inData && tail.endsWith('\r\n.\r\n')) { inData = false; messageEnded = true; }
    if (take.length) upstream.write(take);
    if (take.length < chunk.length) {
      stats[fault]++;
      // What was let through reaches the backend first, then both ends are reset. Reading
      // from the client stops at once, so what it sends meanwhile only fills the socket
      // buffers (a few MB): a larger message cannot have been handed over whole.
      client.pause();
      done = true;
      setTimeout(() => {
        resetClient();
        if (typeof upstream.resetAndDestroy === 'function') upstream.resetAndDestroy(); else upstream.destroy();
      }, 20);
    }
  }
  upstream.on('data', (chunk) => {
    if (done || fault === 'stall') return;
    if (fault === 'resetAfter' && messageEnded) {
      // The backend took the whole message and answered: the client never hears it.
      stats.resetAfter++;
      return finish('reset');
    }
    client.write(chunk);
  });
  upstream.on('error', () => finish('reset'));
  upstream.on('close', () => { if (!done) client.end(); });
  client.on('error', () => upstream.destroy());
  client.on('close', () => { done = true; upstream.destroy(); });
  if (fault === 'stall') stats.stalled++;
  if (fault === 'pass' || fault === 'resetAfter' || fault === 'resetMidData' || fault === 'resetAtBytes') stats.passed++;
  if (fault === 'slow') {
    stats.slow++;
    client.pause();
    return setTimeout(() => { client.resume(); start(); }, proxy.rates.slowMs ?? 2000);
  }
  return start();
}

// Admin requests are HTTP on the same port: a connection whose first bytes are
// "GET /__fault/" or "POST /__fault/" goes to an HTTP server that only answers them.
function createTcpFaultProxy(config) {
  const proxy = new FaultProxy(config);
  const adminServer = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => admin(proxy, req, res, Buffer.concat(chunks)));
  });
  const server = net.createServer((client) => {
    // SMTP servers speak first; an admin client speaks at once. Wait briefly to tell.
    let decided = false;
    const decide = (first) => {
      if (decided) return;
      decided = true;
      clearTimeout(timer);
      client.removeListener('data', onFirst);
      const head = first ? first.toString('latin1') : '';
      if (/^(GET|POST) \/__fault\//.test(head)) {
        client.unshift(first);
        adminServer.emit('connection', client);
        return;
      }
      relayTcp(proxy, client, first);
    };
    const onFirst = (chunk) => decide(chunk);
    client.on('data', onFirst);
    client.on('error', () => {});
    const timer = setTimeout(() => decide(null), 100);
  });
  server.faultProxy = proxy;
  return server;
}

function parseArgs(argv) {
  const config = { service: 'http', region: 'us-east-1', listen: '127.0.0.1:0', seed: 1, rates: {} };
  const rateNames = { '--reset': 'reset', '--reset-after': 'resetAfter', '--error': 'error', '--slow': 'slow',
    '--throttle': 'throttle', '--partial': 'partial', '--partial-fraction': 'partialFraction', '--slow-ms': 'slowMs',
    '--reset-bytes': 'resetBytes' };
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`missing value for ${name}`);
    if (name in rateNames) {
      const number = Number(value);
      if (!Number.isFinite(number) || number < 0) throw new Error(`${name} wants a number >= 0, got '${value}'`);
      config.rates[rateNames[name]] = number;
    } else if (name === '--verify-key') {
      config.keys = config.keys || new Map();
      parseKey(value, config.keys);
    } else if (name === '--seed') {
      config.seed = Number(value);
    } else if (['--service', '--region', '--listen', '--backend', '--ready-file'].includes(name)) {
      config[name === '--ready-file' ? 'readyFile' : name.slice(2)] = value;
    } else {
      throw new Error(`unknown option ${name}`);
    }
  }
  if (!config.backend) throw new Error('--backend URL is required');
  if (!['s3', 'kinesis', 'http', 'tcp'].includes(config.service)) throw new Error('--service must be s3, kinesis, http or tcp');
  if (config.keys && config.service === 'tcp') throw new Error('--verify-key needs --service s3 or kinesis');
  if (config.keys && config.service === 'http') throw new Error('--verify-key needs --service s3 or kinesis');
  config.backend = new URL(config.backend);
  return config;
}

if (require.main === module) {
  let server;
  let config;
  try {
    config = parseArgs(process.argv.slice(2));
    server = config.service === 'tcp' ? createTcpFaultProxy(config) : createFaultProxy(config);
  } catch (e) {
    console.error(`fault-proxy: ${e.message}`);
    process.exit(64);
  }
  listen(server, config.listen).then((port) => {
    console.log(`fault-proxy: ${config.service} on 127.0.0.1:${port} -> ${config.backend.host}`);
    if (config.readyFile) {
      fs.writeFileSync(`${config.readyFile}.tmp`, `${port}\n`);
      fs.renameSync(`${config.readyFile}.tmp`, config.readyFile);
    }
  });
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
}

module.exports = { createFaultProxy, createTcpFaultProxy };
