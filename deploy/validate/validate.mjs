// Validates a stream of Kubernetes manifests (kubectl kustomize output on stdin) against the Kubernetes API schemas:
//  1. kubernetes-models: the JSON schemas of every built-in kind (types, required fields, formats, enums);
//  2. strict field names: every field must exist in the @kubernetes/client-node model of its object (those schemas
//     allow unknown fields, and a misspelt `readinesProbe` would be silently dropped by the API server).
// A kind with no schema fails (there is none for custom resources such as CloudNativePG's Cluster).
// Usage: kubectl kustomize deploy/overlays/eu | node validate.mjs <label>
import { parseAllDocuments } from "yaml";
import * as client from "@kubernetes/client-node";

const label = process.argv[2] ?? "stdin";
const input = await new Promise((resolve, reject) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
  process.stdin.on("error", reject);
});

const errors = [];
let count = 0;
for (const doc of parseAllDocuments(input)) {
  if (doc.errors.length > 0) {
    errors.push(`${label}: YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
    continue;
  }

  const object = doc.toJS();
  if (object === null || object === undefined) {
    continue;
  }

  count++;
  const { apiVersion, kind } = object;
  const name = `${kind ?? "?"}/${object.metadata?.name ?? "?"}`;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    errors.push(`${label}: ${name}: apiVersion and kind are required`);
    continue;
  }

  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  let Model;
  try {
    Model = (await import(`kubernetes-models/${group ? `${group}/` : ""}${version}/${kind}`))[kind];
  } catch {
    errors.push(`${label}: ${name}: no schema for ${apiVersion} ${kind}`);
    continue;
  }

  try {
    new Model(object).validate();
  } catch (e) {
    errors.push(`${label}: ${name}: ${e.message}`);
  }

  const typeName = `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
  if (typeof client[typeName]?.getAttributeTypeMap !== "function") {
    errors.push(`${label}: ${name}: no field list for ${typeName}`);
    continue;
  }

  for (const unknown of unknownFields(object, typeName, "")) {
    errors.push(`${label}: ${name}: unknown field ${unknown}`);
  }
}

// The paths of fields the client-node model of `type` (and of its nested types) does not know.
function* unknownFields(value, type, path) {
  if (value === null || value === undefined) {
    return;
  }

  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        yield* unknownFields(value[i], array[1], `${path}[${i}]`);
      }
    }

    return;
  }

  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    for (const [key, item] of Object.entries(value)) {
      yield* unknownFields(item, map[1], `${path}.${key}`);
    }

    return;
  }

  const model = client[type];
  if (typeof model?.getAttributeTypeMap !== "function" || typeof value !== "object" || Array.isArray(value)) {
    return; // a scalar, IntOrString, Quantity, free-form object: the schema pass checks its type
  }

  const fields = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [key, item] of Object.entries(value)) {
    if (!fields.has(key)) {
      yield `${path}.${key}`.replace(/^\./, "");
    } else {
      yield* unknownFields(item, fields.get(key), `${path}.${key}`);
    }
  }
}

if (count === 0) {
  errors.push(`${label}: no manifests on stdin`);
}

for (const error of errors) {
  console.error(error);
}

console.log(`${label}: ${count} manifests, ${errors.length} errors`);
process.exit(errors.length === 0 ? 0 : 1);
