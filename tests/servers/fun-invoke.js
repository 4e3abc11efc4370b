#!/usr/bin/env node
'use strict';
// Runs a custom-runtime Lambda function (a directory with an executable `bootstrap`, as
// `lamtool package` builds) under @vercel/fun, which serves its own Lambda Runtime API and
// starts `bootstrap` against it, and invokes it once per event file, in order, on the same
// warm function (a bad event between good ones shows the runtime loop survives it).
//
//   node fun-invoke.js --dir DIR --handler NAME [--env K=V]... [--timeout S]
//                      [--memory MB] [--aws-credentials] EVENT_FILE...
//
// --aws-credentials gives the function this process's AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_REGION the way Lambda gives a function its role's (fun
// refuses them in --env, as Lambda does in a function's configuration).
//
// Prints one JSON line per invocation on stdout:
//   {"event": FILE, "status": StatusCode, "function_error": FunctionError or null,
//    "payload": the payload text, "duration_ms": the invoke() call's wall time}
// then destroys the function and exits 0; 1 only if fun itself fails, 64 on bad usage.
// The function's own stdout and stderr go to this process's stderr, so stdout holds only
// the result lines.
//
// What fun gives the bootstrap (native provider, Runtime `provided`): cwd and
// LAMBDA_TASK_ROOT = DIR, _HANDLER, AWS_LAMBDA_RUNTIME_API=127.0.0.1:PORT,
// AWS_LAMBDA_FUNCTION_NAME (DIR's base name), AWS_LAMBDA_FUNCTION_VERSION ($LATEST),
// AWS_LAMBDA_FUNCTION_MEMORY_SIZE, AWS_REGION / AWS_DEFAULT_REGION (us-west-1),
// AWS_EXECUTION_ENV (AWS_Lambda_provided), AWS_LAMBDA_LOG_GROUP_NAME / _STREAM_NAME,
// LAMBDA_RUNTIME_DIR, TZ=:UTC, LANG, PATH, the --env variables, and nothing else of
// this process's environment. AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are set but
// empty (fun takes them from parameters this script does not pass).
// Fun's Runtime API differs from AWS's: Lambda-Runtime-Deadline-Ms is the constant
// "5000" (not an epoch time), there is no Lambda-Runtime-Trace-Id, the function ARN is a
// constant of fun's, request ids are not checked, and fun enforces no timeout: this
// script does (--timeout, default 30 s): a late invocation's bootstrap is killed and the
// line says {"function_error": "Unhandled", "payload": {"errorType": "Sandbox.Timedout",
// ...}}, as AWS answers; the next event starts a fresh bootstrap (a cold start).
// Fun needs nothing from the network for `provided`: it copies its small runtime
// directory into a cache directory (here a private temporary one, removed at exit).

const fs = require('fs');
const os = require('os');
const path = require('path');
const childProcess = require('child_process');

function usage(message) {
  if (message) console.error(`fun-invoke: ${message}`);
  console.error('usage: node fun-invoke.js --dir DIR --handler NAME [--env K=V]... ' +
    '[--timeout S] [--memory MB] EVENT_FILE...');
  process.exit(64);
}

function parseArgs(argv) {
  const opts = { env: {}, timeout: 30, memory: 128, events: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--dir') opts.dir = value();
    else if (a === '--handler') opts.handler = value();
    else if (a === '--env') {
      const kv = value();
      const eq = kv.indexOf('=');
      if (eq <= 0) usage(`--env wants K=V, got '${kv}'`);
      opts.env[kv.slice(0, eq)] = kv.slice(eq + 1);
    } else if (a === '--timeout') {
      opts.timeout = Number(value());
      if (!(opts.timeout > 0)) usage('--timeout wants seconds > 0');
    } else if (a === '--memory') {
      opts.memory = Number(value());
      if (!Number.isInteger(opts.memory) || opts.memory <= 0) usage('--memory wants MB');
    } else if (a === '--aws-credentials') opts.awsCredentials = true;
    else if (a === '--help' || a === '-h') usage();
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else opts.events.push(a);
  }
  if (!opts.dir) usage('--dir is required');
  if (!opts.handler) usage('--handler is required');
  if (opts.events.length === 0) usage('no event files');
  return opts;
}

// The bootstraps fun starts (recognised by AWS_LAMBDA_RUNTIME_API in their environment):
// their output goes to stderr, and a timed-out one can be killed.
const bootstraps = new Set();
const realSpawn = childProcess.spawn;
childProcess.spawn = function spawn(command, args, options) {
  if (options && options.env && options.env.AWS_LAMBDA_RUNTIME_API) {
    options = Object.assign({}, options, { stdio: ['ignore', 2, 2] });
    const proc = realSpawn.call(this, command, args, options);
    bootstraps.add(proc);
    proc.on('exit', () => bootstraps.delete(proc));
    return proc;
  }
  return realSpawn.apply(this, arguments);
};

// Killed (a ctest timeout): take the bootstraps along, frozen (SIGSTOP) ones included.
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    for (const p of bootstraps) {
      try { p.kill('SIGCONT'); p.kill('SIGKILL'); } catch (e) { /* gone */ }
    }
    process.exit(128 + (sig === 'SIGTERM' ? 15 : 2));
  });
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const dir = path.resolve(opts.dir);
  const bootstrap = path.join(dir, 'bootstrap');
  try {
    fs.accessSync(bootstrap, fs.constants.X_OK);
  } catch (err) {
    console.error(`fun-invoke: ${bootstrap} is missing or not executable`);
    return 1;
  }
  const events = opts.events.map((f) => ({ file: f, payload: fs.readFileSync(f) }));

  // fun's cache (where it copies the `provided` runtime) in a private directory: no
  // sharing with other runs, nothing left in the user's ~/.cache. Set before loading fun,
  // which reads XDG_CACHE_HOME once.
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'fun-invoke-'));
  process.env.XDG_CACHE_HOME = cache;
  const { createFunction } = require('@vercel/fun');

  let fn;
  try {
    fn = await createFunction({
      Code: { Directory: dir },
      Handler: opts.handler,
      Runtime: 'provided',
      Environment: { Variables: opts.env },
      MemorySize: opts.memory,
      Timeout: opts.timeout,
      ...(opts.awsCredentials ? {
        AccessKeyId: process.env.AWS_ACCESS_KEY_ID,
        SecretAccessKey: process.env.AWS_SECRET_ACCESS_KEY,
        Region: process.env.AWS_REGION,
      } : {}),
    });
    for (const ev of events) {
      const started = process.hrtime.bigint();
      let timer;
      let timedOut = false;
      const timeout = new Promise((resolve) => {
        timer = setTimeout(() => {
          timedOut = true;
          // As AWS: the sandbox is stopped. Fun sees its bootstrap exit and answers the
          // invocation itself ("Process exited before completing request").
          for (const p of bootstraps) {
            try { p.kill('SIGCONT'); p.kill('SIGKILL'); } catch (e) { /* gone */ }
          }
          resolve();
        }, opts.timeout * 1000);
      });
      const invocation = fn.invoke({ InvocationType: 'RequestResponse', Payload: ev.payload });
      await Promise.race([invocation, timeout]);
      let result = await invocation;
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (timedOut) {
        result = {
          StatusCode: 200,
          FunctionError: 'Unhandled',
          Payload: JSON.stringify({
            errorType: 'Sandbox.Timedout',
            errorMessage: `Task timed out after ${opts.timeout.toFixed(2)} seconds`,
          }),
        };
      }
      let payload = result.Payload;
      if (payload === undefined || payload === null) payload = '';
      if (typeof payload !== 'string') payload = Buffer.from(payload).toString('utf8');
      process.stdout.write(JSON.stringify({
        event: ev.file,
        status: result.StatusCode,
        function_error: result.FunctionError || null,
        payload,
        duration_ms: Math.round(ms * 1000) / 1000,
      }) + '\n');
    }
  } finally {
    if (fn) await fn.destroy();
    fs.rmSync(cache, { recursive: true, force: true });
  }
  return 0;
}

main().then((code) => {
  process.exitCode = code;
}, (err) => {
  console.error(`fun-invoke: ${err && err.stack ? err.stack : err}`);
  process.exitCode = 1;
});
