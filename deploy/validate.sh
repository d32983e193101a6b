#!/usr/bin/env bash
# Renders every cell's overlay (deploy/overlays/<cell>) with `kubectl kustomize` and validates each manifest against the
# Kubernetes API schemas (deploy/validate/validate.mjs: kubernetes-models' JSON schemas plus strict field names from
# @kubernetes/client-node), then makes sure the validator does refuse a broken manifest. Needs kubectl (kustomize v5,
# as in kubectl 1.27+) and Node.js 20+. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")"

kubectl version --client 2>/dev/null | grep -i kustomize || true
(cd validate && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

cells=0
for file in ../regions/*.json; do
  cell="$(basename "$file" .json)"
  [[ -f "overlays/$cell/kustomization.yaml" ]] || { echo "regions/$cell.json has no overlay (deploy/overlays/$cell): run the publish step (docs/deploy.md)" >&2; exit 1; }
  kubectl kustomize "overlays/$cell" | node validate/validate.mjs "overlays/$cell"
  cells=$((cells + 1))
done
for dir in overlays/*/; do
  cell="$(basename "$dir")"
  [[ -f "../regions/$cell.json" ]] || { echo "deploy/overlays/$cell has no cell file (regions/$cell.json)" >&2; exit 1; }
done

# the validator must fail on a misspelt field and on a wrong type (else a green run proves nothing)
for broken in 's/readinessProbe:/readinesProbe:/' 's/minAvailable: 1/minAvailable: [1]/'; do
  if kubectl kustomize "overlays/$cell" | sed "$broken" | node validate/validate.mjs "broken ($broken)" 2>/dev/null; then
    echo "the validator accepted a broken manifest ($broken)" >&2
    exit 1
  fi
done

echo "$cells overlays rendered and valid; broken manifests refused"
