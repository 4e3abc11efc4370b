'use strict';
// AWS Signature Version 4, server side: rebuilds the canonical request from what
// arrived on the wire and recomputes the signature. Written from the AWS General
// Reference ("Create a canonical request", "Create a string to sign", "Calculate the
// signature") with node's crypto only, independently of lamtool's C++ signer.

const crypto = require('crypto');

const sha256Hex = (data) => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => crypto.createHmac('sha256', key).update(data).digest();

// RFC 3986 percent-encoding of every byte except the unreserved set; '/' optionally kept.
function uriEncode(text, keepSlash) {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === '/')) {
      out += c;
    } else {
      out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
    }
  }
  return out;
}

// Percent-decoding only ('+' stays '+'), as bytes, then UTF-8.
function uriDecode(text) {
  const bytes = [];
  for (let i = 0; i < text.length; ) {
    if (text[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(text.substr(i + 1, 2))) {
      bytes.push(parseInt(text.substr(i + 1, 2), 16));
      i += 3;
    } else {
      for (const b of Buffer.from(text[i], 'utf8')) bytes.push(b);
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

// S3 signs the key encoded once (decode what arrived, encode again); every other
// service normalises the path as it arrived and encodes each segment once more, so a
// wire path that is already percent-encoded ends up encoded twice.
function canonicalUri(rawPath, service) {
  if (service === 's3') return uriEncode(uriDecode(rawPath || '/'), true);
  const wire = rawPath || '/';
  const segments = [];
  for (const seg of wire.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(seg);
  }
  let path = '/' + segments.map((s) => uriEncode(s, false)).join('/');
  if (wire.endsWith('/') && path !== '/') path += '/';
  return path;
}

// [[name, value], ...] from a raw query string, decoded.
function parseQuery(rawQuery) {
  if (!rawQuery) return [];
  return rawQuery
    .split('&')
    .filter((item) => item !== '')
    .map((item) => {
      const eq = item.indexOf('=');
      return eq < 0 ? [uriDecode(item), ''] : [uriDecode(item.slice(0, eq)), uriDecode(item.slice(eq + 1))];
    });
}

function canonicalQuery(pairs) {
  return pairs
    .map(([k, v]) => [uriEncode(k, false), uriEncode(v, false)])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

// Values of a header by lower-case name from node's rawHeaders, in arrival order.
function headerValues(rawHeaders, name) {
  const values = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === name) values.push(rawHeaders[i + 1]);
  }
  return values;
}

function canonicalHeaders(rawHeaders, signedHeaders) {
  return signedHeaders
    .map((name) => {
      const values = headerValues(rawHeaders, name).map((v) => v.trim().replace(/\s+/g, ' '));
      return `${name}:${values.join(',')}\n`;
    })
    .join('');
}

function signingKey(secret, date, region, service) {
  const kDate = hmac('AWS4' + secret, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

/// Everything SigV4 derives from one request; `signature` is what the secret gives.
function computeSignature({ method, rawPath, queryPairs, rawHeaders, signedHeaders, payloadHash,
  amzDate, scope, secret, service }) {
  const canonicalRequest = [
    method,
    canonicalUri(rawPath, service),
    canonicalQuery(queryPairs),
    canonicalHeaders(rawHeaders, signedHeaders),
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  // scope is the Credential split at '/': [key id, date, region, service, 'aws4_request'].
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope.slice(1).join('/'), sha256Hex(canonicalRequest)].join('\n');
  const key = signingKey(secret, scope[1], scope[2], scope[3]);
  const signature = crypto.createHmac('sha256', key).update(stringToSign).digest('hex');
  return { canonicalRequest, stringToSign, signature };
}

// "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request,
//  SignedHeaders=content-type;host;x-amz-date, Signature=5d67..." -> fields, or null.
function parseAuthorization(header) {
  const m = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec((header || '').trim());
  if (!m) return null;
  const fields = {};
  for (const part of m[1].split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return null;
    fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  if (!fields.Credential || !fields.SignedHeaders || !fields.Signature) return null;
  return { credential: fields.Credential, signedHeaders: fields.SignedHeaders.split(';'), signature: fields.Signature };
}

// "20261122T050000Z" -> Date, or null.
function parseAmzDate(text) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text || '');
  if (!m) return null;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

function timingSafeEqualHex(a, b) {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

module.exports = {
  sha256Hex, uriEncode, uriDecode, canonicalUri, parseQuery, canonicalQuery, headerValues,
  computeSignature, parseAuthorization, parseAmzDate, timingSafeEqualHex,
};
