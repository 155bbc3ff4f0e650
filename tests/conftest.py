"""Test-wide settings: the contract parse-cache lives in a throwaway folder, and hypothesis
does not fail a test for being slow on a loaded machine."""

from __future__ import annotations

import os
import tempfile

from hypothesis import HealthCheck, settings

os.environ["RESPCONTRACT_CACHE_DIR"] = tempfile.mkdtemp(prefix="respcontract-cache-")

# On a shared 2-core CI machine, generation can be slow for reasons that have nothing to do
# with the code under test: too_slow and the per-example deadline would fail a test at random.
# Every assertion stays as it is. In-process pytester runs share this hypothesis module, and
# so this default; runs in a subprocess load the same profile from INNER_CONFTEST.
LOADED_MACHINE = "respcontract-loaded-machine"
settings.register_profile(LOADED_MACHINE, suppress_health_check=[HealthCheck.too_slow],
                          deadline=None)
settings.load_profile(LOADED_MACHINE)
