#!/usr/bin/env node
// Validates Kubernetes manifests (multi-document YAML, files or stdin) offline
// against the Kubernetes API schemas shipped in the npm package
// kubernetes-models (one compiled JSON-schema validator per kind):
//   kubectl kustomize deploy/k8s | node tests/deploy/validate-k8s.js
// On top of the schema (types, enums, required fields), it rejects fields the
// API does not know, as `kubectl apply --validate=strict` would; the known
// fields are read from the same package's type declarations.
'use strict';
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

function readInput() {
  const files = process.argv.slice(2);
  if (files.length === 0) return [['<stdin>', fs.readFileSync(0, 'utf8')]];
  return files.map((f) => [f, fs.readFileSync(f, 'utf8')]);
}

// ---- known fields, from kubernetes-models' .d.ts files -------------------
const interfaces = new Map(); // file -> {props: Map(name -> type), imports}

function dtsFor(spec, fromFile) {
  if (spec.startsWith('.')) return path.resolve(path.dirname(fromFile), spec + '.d.ts');
  return require.resolve(spec).replace(/\.js$/, '.d.ts');
}

function parseInterface(file) {
  if (interfaces.has(file)) return interfaces.get(file);
  const src = fs.readFileSync(file, 'utf8');
  const imports = {};
  for (const m of src.matchAll(/^import \{ (\w+) \} from "([^"]+)";$/gm)) imports[m[1]] = m[2];
  const start = src.search(/^export interface I\w+ (extends \w+ )?\{$/m);
  if (start < 0) { // a type alias (IntOrString, Quantity, ...): a scalar
    interfaces.set(file, null);
    return null;
  }
  const lines = src.slice(start).split('\n');
  const props = new Map();
  for (let i = 1; i < lines.length && lines[i] !== '}'; i++) {
    const m = lines[i].match(/^ {4}"([^"]+)"\??: (.*)$/);
    if (!m) continue;
    let type = m[2];
    if (type === '{') { // a map: { [key: string]: T; }
      const inner = [];
      for (i++; lines[i] !== '    };' && lines[i] !== undefined; i++) inner.push(lines[i].trim());
      const v = inner.join(' ').match(/^\[key: string\]: (.*);$/);
      type = { map: v ? v[1] : 'unknown' };
    } else {
      type = type.replace(/;$/, '');
    }
    props.set(m[1], type);
  }
  const info = { file, props, imports };
  interfaces.set(file, info);
  return info;
}

function refOf(type, info) {
  // Named interface type (possibly in Array<...>) -> its .d.ts file, else null.
  const t = typeof type === 'string' ? type.replace(/^Array<(.*)>$/, '$1') : null;
  if (t && /^I\w+$/.test(t) && info.imports[t]) return dtsFor(info.imports[t], info.file);
  return null;
}

function checkKnownFields(value, info, where, errors) {
  if (info === null || value === null || typeof value !== 'object' || Array.isArray(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (!info.props.has(key)) {
      errors.push(`${where}/${key}: unknown field`);
      continue;
    }
    const type = info.props.get(key);
    if (typeof type === 'object') { // map of values
      const ref = refOf(type.map, info);
      if (ref && child && typeof child === 'object') {
        for (const [k, v] of Object.entries(child)) checkKnownFields(v, parseInterface(ref), `${where}/${key}/${k}`, errors);
      }
      continue;
    }
    const ref = refOf(type, info);
    if (!ref) continue;
    const sub = parseInterface(ref);
    if (Array.isArray(child)) child.forEach((c, n) => checkKnownFields(c, sub, `${where}/${key}/${n}`, errors));
    else checkKnownFields(child, sub, `${where}/${key}`, errors);
  }
}

// ---- per object -------------------------------------------------------------
function validateObject(obj, label) {
  const errors = [];
  if (!obj || typeof obj !== 'object') return [`${label}: not an object`];
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return [`${label}: apiVersion and kind are required`];
  let modulePath;
  try {
    modulePath = require.resolve(`kubernetes-models/${apiVersion}/${kind}`);
  } catch (e) {
    return [`${label}: ${apiVersion} ${kind} is not a Kubernetes API kind known to the schemas`];
  }
  const Model = require(modulePath)[kind];
  try {
    new Model(obj).validate();
  } catch (e) {
    errors.push(`${label}: ${e.message}`);
  }
  if (!obj.metadata || typeof obj.metadata.name !== 'string' || obj.metadata.name === '') {
    errors.push(`${label}: metadata.name is required`);
  }
  checkKnownFields(obj, parseInterface(modulePath.replace(/\.js$/, '.d.ts')), '', errors);
  return errors.map((e) => (e.startsWith(label) ? e : `${label}: ${e}`));
}

function main() {
  let count = 0;
  const errors = [];
  for (const [name, text] of readInput()) {
    const docs = YAML.parseAllDocuments(text);
    docs.forEach((doc, i) => {
      if (doc.errors.length) {
        errors.push(`${name}#${i}: YAML: ${doc.errors[0].message}`);
        return;
      }
      const obj = doc.toJS();
      if (obj === null || obj === undefined) return; // empty document
      const label = `${name}#${i} ${obj.kind || '?'}/${(obj.metadata && obj.metadata.name) || '?'}`;
      errors.push(...validateObject(obj, label));
      count++;
      console.log(`checked ${label}`);
    });
  }
  if (count === 0) errors.push('no Kubernetes objects in the input');
  for (const e of errors) console.error(`INVALID ${e}`);
  console.log(`${count} objects, ${errors.length} errors`);
  process.exit(errors.length ? 1 : 0);
}

main();
