'use strict';
// An SMTP server for the mail tests (smtp-server and mailparser from npm), on a free
// port of 127.0.0.1. Two modes:
//   - auth: STARTTLS offered with a certificate of a throwaway CA made at start with the
//     openssl command-line tool; AUTH PLAIN and LOGIN required, and refused before
//     STARTTLS (smtp-server's default), so a client that logs in has used TLS.
//   - plain: no STARTTLS, no AUTH (anyone may send).
// Both refuse recipients at the domain reject.invalid with 550. Each accepted message
// is written to the mail directory as NAME.eml (the bytes received) and NAME.json
// (parsed by mailparser, plus the SMTP session: envelope, secure, user), each written
// to a temporary name and renamed, the .json last: a test polls for the .json.
//
//   const { makeTestCa, startSmtpSink } = require('./smtp-sink');

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');

// A CA and a server certificate for 127.0.0.1 and localhost signed by it, in `dir`
// (ca.pem, server.pem, server.key). EC keys: made in milliseconds.
function makeTestCa(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const f = (name) => path.join(dir, name);
  const openssl = (args) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '7',
    '-subj', '/CN=lamtool test CA', '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(['req', ...ec, '-keyout', f('server.key'), '-out', f('server.csr'),
    '-subj', '/CN=127.0.0.1']);
  fs.writeFileSync(f('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' +
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n');
  openssl(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'),
    '-CAcreateserial', '-out', f('server.pem'), '-days', '7', '-extfile', f('server.ext')]);
  return { ca: f('ca.pem'), cert: f('server.pem'), key: f('server.key') };
}

function writeAtomic(file, data) {
  fs.writeFileSync(`${file}.tmp`, data);
  fs.renameSync(`${file}.tmp`, file);
}

function addresses(field) {
  if (!field) return [];
  const list = Array.isArray(field) ? field : [field];
  return list.flatMap((a) => a.value || []).map((v) => ({ name: v.name, address: v.address }));
}

let sequence = 0;

// Starts one server; resolves to its port once it listens.
//   options: { mode: 'auth'|'plain', mailDir, user, password, tls: {cert, key}, log }
async function startSmtpSink(options) {
  const { mode, mailDir, log } = options;
  const auth = mode === 'auth';
  fs.mkdirSync(mailDir, { recursive: true });

  const store = async (raw, session) => {
    const mail = await simpleParser(raw, { keepCidLinks: true });
    sequence += 1;
    const name = `${Date.now()}-${process.pid}-${sequence}-${mode}`;
    const record = {
      file: `${name}.eml`,
      mode,
      session: {
        secure: !!session.secure,
        user: session.user || null,
        mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
        rcptTo: session.envelope.rcptTo.map((r) => r.address),
      },
      messageId: mail.messageId || null,
      date: mail.headers.has('date') ? mail.headers.get('date').toISOString() : null,
      from: addresses(mail.from),
      to: addresses(mail.to),
      subject: mail.subject === undefined ? null : mail.subject,
      text: mail.text === undefined ? null : mail.text,
      html: mail.html === false || mail.html === undefined ? null : mail.html,
      attachments: mail.attachments.map((a) => ({
        filename: a.filename || null,
        contentType: a.contentType,
        cid: a.cid || null,
        contentDisposition: a.contentDisposition || null,
        related: !!a.related,
        size: a.content.length,
        sha256: crypto.createHash('sha256').update(a.content).digest('hex'),
      })),
      size: raw.length,
    };
    writeAtomic(path.join(mailDir, `${name}.eml`), raw);
    writeAtomic(path.join(mailDir, `${name}.json`), JSON.stringify(record, null, 2) + '\n');
    log(`smtp-sink ${mode}: stored ${name} (${raw.length} bytes, secure ${record.session.secure})`);
  };

  const server = new SMTPServer({
    secure: false,
    key: auth ? fs.readFileSync(options.tls.key) : undefined,
    cert: auth ? fs.readFileSync(options.tls.cert) : undefined,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: !auth,
    disabledCommands: auth ? [] : ['AUTH', 'STARTTLS'],
    size: 64 * 1024 * 1024,
    logger: false,
    banner: `lamtool test SMTP sink (${mode})`,
    onAuth(a, session, callback) {
      if (a.username === options.user && a.password === options.password) {
        return callback(null, { user: a.username });
      }
      const err = new Error('Authentication credentials invalid');
      err.responseCode = 535;
      return callback(err);
    },
    onRcptTo(address, session, callback) {
      if (/@reject\.invalid$/i.test(address.address)) {
        const err = new Error(`<${address.address}>: recipient rejected`);
        err.responseCode = 550;
        return callback(err);
      }
      return callback();
    },
    onData(stream, session, callback) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          const err = new Error('message too big');
          err.responseCode = 552;
          return callback(err);
        }
        store(Buffer.concat(chunks), session).then(() => callback(), (err) => {
          log(`smtp-sink ${mode}: cannot store a message: ${err.stack || err}`);
          const e = new Error('cannot store the message');
          e.responseCode = 451;
          callback(e);
        });
      });
    },
  });
  server.on('error', (err) => log(`smtp-sink ${mode}: ${err.message}`));
  await new Promise((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, port: server.server.address().port };
}

module.exports = { makeTestCa, startSmtpSink };
