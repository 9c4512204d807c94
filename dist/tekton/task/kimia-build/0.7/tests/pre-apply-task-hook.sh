#!/bin/bash
# Sourced by the Tekton catalog e2e runner (test/e2e-common.sh) before it creates the Task in ${TMPF}.
# Adds the runner's registry sidecar (localhost:5000) to the Task. The test key pair is a Secret
# beside this file; git-clone comes from its bundle. Nothing from the build's config is in here.
add_sidecar_registry "${TMPF}"
