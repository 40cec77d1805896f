#!/usr/bin/env node
// Reads a YAML stream of Kubernetes objects on standard input and checks each against the Kubernetes API's JSON
// schemas that kubernetes-models generates from the API's OpenAPI document: required fields, types, enumerations and
// formats (not unknown fields: the schemas allow them; the .NET test loads the objects strictly for that). Prints one
// line per object and every error; exits 1 when an object is invalid, is of a kind it has no schema for, or the input
// is not YAML.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const documents = parseAllDocuments(readFileSync(0, "utf8"));
let failed = 0;
let valid = 0;
for (const document of documents) {
  if (document.errors.length > 0) {
    console.log(`not YAML: ${document.errors.map((e) => e.message).join("; ")}`);
    failed++;
    continue;
  }

  const object = document.toJS();
  if (object === null || object === undefined) {
    continue;
  }

  const { apiVersion, kind } = object;
  const name = `${kind}/${object.metadata?.name ?? "(no name)"} (${apiVersion})`;
  let Model;
  try {
    Model = (await import(`kubernetes-models/${apiVersion}`))[kind];
  } catch {
    Model = undefined;
  }

  if (typeof Model !== "function") {
    console.log(`${name}: no schema for this kind`);
    failed++;
    continue;
  }

  try {
    new Model(object).validate();
    console.log(`${name}: valid`);
    valid++;
  } catch (error) {
    console.log(`${name}: ${error.message}`);
    failed++;
  }
}

if (valid + failed === 0) {
  console.log("no Kubernetes object on standard input");
  failed++;
}

console.log(`${valid} valid, ${failed} invalid`);
process.exit(failed === 0 ? 0 : 1);
