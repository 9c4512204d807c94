#!/bin/bash
# Sourced by the Tekton catalog e2e runner before the resources are applied (test namespace: ${tns}).
# The same script for every build: what differs is read as data from kimia-bundles-test.values
# beside it (one key=value per line), never pasted into this script.
kimia_values="$(dirname "${BASH_SOURCE[0]}")/kimia-bundles-test.values"
[ -f "${kimia_values}" ] || { echo "kimia-bundles: ${kimia_values} is missing" >&2; exit 1; }
kimia_git_clone=; kimia_task=; kimia_cosign_secret=; kimia_cosign_patch=; kimia_password_secret=; kimia_password_key=
while IFS='=' read -r kimia_key kimia_value; do
  case "${kimia_key}" in
    git-clone-version) kimia_git_clone="${kimia_value}" ;;
    task) kimia_task="${kimia_value}" ;;
    cosign-secret) kimia_cosign_secret="${kimia_value}" ;;
    cosign-password-patch) kimia_cosign_patch="${kimia_value}" ;;
    cosign-password-secret) kimia_password_secret="${kimia_value}" ;;
    cosign-password-key) kimia_password_key="${kimia_value}" ;;
  esac
done < "${kimia_values}"
# Sourced, so no set -e here: every step that fails ends the run with exit 1 itself.
add_sidecar_registry "${TMPF}" || { echo "kimia-bundles: add_sidecar_registry failed" >&2; exit 1; }
add_task git-clone "${kimia_git_clone}" || { echo "kimia-bundles: add_task git-clone failed" >&2; exit 1; }
if [ -n "${kimia_task}" ]; then
  # The Pipeline runs the Task of the same version by name.
  kubectl -n "${tns}" apply -f "$(dirname "${BASH_SOURCE[0]}")/${kimia_task}" || { echo "kimia-bundles: applying ${kimia_task} failed" >&2; exit 1; }
fi
if [ -n "${kimia_cosign_secret}" ]; then
  # A throwaway key pair for this test run only.
  command -v cosign >/dev/null || { echo "cosign is needed to create the test key pair" >&2; exit 1; }
  COSIGN_PASSWORD='test' cosign generate-key-pair "k8s://${tns}/${kimia_cosign_secret}" || { echo "kimia-bundles: cosign generate-key-pair failed" >&2; exit 1; }
  if [ -n "${kimia_cosign_patch}" ]; then
    kubectl -n "${tns}" patch secret "${kimia_cosign_secret}" -p "${kimia_cosign_patch}" || { echo "kimia-bundles: patching ${kimia_cosign_secret} failed" >&2; exit 1; }
  fi
  if [ -n "${kimia_password_secret}" ]; then
    # The password in a Secret of its own (signing.password.secretName).
    kubectl -n "${tns}" create secret generic "${kimia_password_secret}" --from-literal="${kimia_password_key}=test" || { echo "kimia-bundles: creating ${kimia_password_secret} failed" >&2; exit 1; }
  fi
fi
