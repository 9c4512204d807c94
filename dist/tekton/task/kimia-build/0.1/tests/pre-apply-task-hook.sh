#!/bin/bash
# Sourced by the catalog e2e runner before the Task is applied.
add_sidecar_registry ${TMPF}
add_task git-clone latest
