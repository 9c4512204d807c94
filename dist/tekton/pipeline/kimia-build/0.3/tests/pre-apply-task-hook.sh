#!/bin/bash
# Sourced by the Tekton catalog e2e runner before the resources are applied.
add_sidecar_registry ${TMPF}
add_task git-clone 0.9
# The Pipeline runs the Task of the same version by name.
kubectl -n "${tns}" apply -f "$(dirname "${BASH_SOURCE[0]}")/../../../../task/kimia-build/0.3/kimia-build.yaml"
# A throwaway key pair for this test run only.
command -v cosign >/dev/null || { echo "cosign is needed to create the test key pair" >&2; exit 1; }
COSIGN_PASSWORD=test cosign generate-key-pair "k8s://${tns}/cosign-keys"
