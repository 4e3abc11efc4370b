#!/usr/bin/env node
'use strict';
// Starts the integration-test servers in one process, each on a free port of
// 127.0.0.1: s3rver and kinesalite, each behind a sigv4-proxy, and two SMTP sinks
// (smtp-sink.js: one with STARTTLS and AUTH, one plain). Writes
// DIR/endpoints.env (KEY=VALUE lines, sourceable) and DIR/endpoints.json once all
// listen, then runs until SIGTERM or SIGINT.
//
//   node launch.js DIR

const fs = require('fs');
const path = require('path');
const S3rver = require('s3rver');
const s3rverAccount = require('s3rver/lib/models/account');
const kinesalite = require('kinesalite');
const { createSigv4Proxy, listen } = require('./sigv4-proxy');
const { makeTestCa, startSmtpSink } = require('./smtp-sink');
// @vercel/fun is run per test by fun-invoke.js, not here: only checked to be installed.
require.resolve('@vercel/fun');
const kFunInvoke = path.join(__dirname, 'fun-invoke.js');

// Test-only credentials (not secrets: they open nothing but these local servers).
const kRegion = 'us-east-1';
const kKey = { id: 'AKIDLAMTOOLTEST00001', secret: 'lamtool/test+secret/KEY0000000000000000001' };
const kSessionKey = { id: 'ASIALAMTOOLTEST00002', secret: 'lamtool/session+secret/KEY000000000000002',
  token: 'FwoGZXIvYXdzEXAMPLE//lamtool+session/token==' };
const kSmtpUser = 'lamtool-mailer';
const kSmtpPassword = 'lamtool-smtp-PASSWORD-0001';

async function main(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const log = (line) => console.error(`${new Date().toISOString()} ${line}`);

  // s3rver only accepts access keys in its own registry (it checks the key id, never
  // the signature): register ours, so requests pass through the proxy unchanged.
  s3rverAccount.DUMMY_ACCOUNT.createKeyPair(kKey.id, kKey.secret);
  s3rverAccount.DUMMY_ACCOUNT.createKeyPair(kSessionKey.id, kSessionKey.secret);
  const s3Dir = path.join(dir, 's3rver-data');
  fs.rmSync(s3Dir, { recursive: true, force: true });
  const s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3Dir, vhostBuckets: false });
  const s3Address = await s3.run();

  const kinesis = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 50 });
  const kinesisPort = await listen(kinesis, '127.0.0.1:0');

  const keys = new Map([[kKey.id, { secret: kKey.secret }],
    [kSessionKey.id, { secret: kSessionKey.secret, token: kSessionKey.token }]]);
  const proxy = (service, port) => createSigv4Proxy({ service, region: kRegion, keys,
    backend: new URL(`http://127.0.0.1:${port}`), log: (l) => log(`sigv4-proxy ${service}: ${l}`) });
  const s3Proxy = proxy('s3', s3Address.port);
  const kinesisProxy = proxy('kinesis', kinesisPort);
  const s3ProxyPort = await listen(s3Proxy, '127.0.0.1:0');
  const kinesisProxyPort = await listen(kinesisProxy, '127.0.0.1:0');

  // SMTP: a throwaway CA and certificate for STARTTLS; both sinks write to one directory.
  const tlsDir = path.join(dir, 'smtp-tls');
  fs.rmSync(tlsDir, { recursive: true, force: true });
  const tls = makeTestCa(tlsDir);
  const mailDir = path.join(dir, 'mail');
  fs.rmSync(mailDir, { recursive: true, force: true });
  const smtp = await startSmtpSink({ mode: 'auth', mailDir, user: kSmtpUser, password: kSmtpPassword,
    tls, log });
  const smtpPlain = await startSmtpSink({ mode: 'plain', mailDir, log });

  const url = (port) => `http://127.0.0.1:${port}`;
  const endpoints = {
    LAMTOOL_TEST_S3_ENDPOINT: url(s3ProxyPort),
    LAMTOOL_TEST_KINESIS_ENDPOINT: url(kinesisProxyPort),
    LAMTOOL_TEST_S3_BACKEND: url(s3Address.port),
    LAMTOOL_TEST_KINESIS_BACKEND: url(kinesisPort),
    LAMTOOL_TEST_REGION: kRegion,
    LAMTOOL_TEST_ACCESS_KEY_ID: kKey.id,
    LAMTOOL_TEST_SECRET_ACCESS_KEY: kKey.secret,
    LAMTOOL_TEST_SESSION_ACCESS_KEY_ID: kSessionKey.id,
    LAMTOOL_TEST_SESSION_SECRET_ACCESS_KEY: kSessionKey.secret,
    LAMTOOL_TEST_SESSION_TOKEN: kSessionKey.token,
    LAMTOOL_TEST_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    LAMTOOL_TEST_SMTP_USER: kSmtpUser,
    LAMTOOL_TEST_SMTP_PASSWORD: kSmtpPassword,
    LAMTOOL_TEST_SMTP_CA: tls.ca,
    LAMTOOL_TEST_SMTP_PLAIN_URL: `smtp://127.0.0.1:${smtpPlain.port}`,
    LAMTOOL_TEST_MAIL_DIR: mailDir,
    LAMTOOL_TEST_FAULT_PROXY: path.join(__dirname, 'fault-proxy.js'),
    LAMTOOL_TEST_NODE: process.execPath,
    LAMTOOL_TEST_FUN_INVOKE: kFunInvoke,
    LAMTOOL_TEST_LAMBDA_RUNTIME: path.join(__dirname, 'lambda-runtime.py'),
    LAMTOOL_TEST_SERVERS_PID: String(process.pid),
  };
  const envText = Object.entries(endpoints).map(([k, v]) => `${k}='${v}'\n`).join('');
  // Written last and renamed into place: the file existing means every server listens.
  fs.writeFileSync(path.join(dir, 'endpoints.json.tmp'), JSON.stringify(endpoints, null, 2) + '\n');
  fs.renameSync(path.join(dir, 'endpoints.json.tmp'), path.join(dir, 'endpoints.json'));
  fs.writeFileSync(path.join(dir, 'endpoints.env.tmp'), envText);
  fs.renameSync(path.join(dir, 'endpoints.env.tmp'), path.join(dir, 'endpoints.env'));
  log(`ready: ${JSON.stringify(endpoints)}`);

  const stop = () => {
    log('stopping');
    for (const f of ['endpoints.env', 'endpoints.json']) fs.rmSync(path.join(dir, f), { force: true });
    process.exit(0);
  };
  process.on('uncaughtException', (err) => log(`uncaught: ${err.stack || err}`));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv.length !== 3) {
  console.error('usage: node launch.js DIR');
  process.exit(64);
}
main(process.argv[2]).catch((err) => {
  console.error(`launch: cannot start the test servers: ${err.stack || err}`);
  process.exit(1);
});
