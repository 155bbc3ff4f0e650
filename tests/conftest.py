"""Test-wide settings: the contract parse-cache lives in a throwaway folder."""

from __future__ import annotations

import os
import tempfile

os.environ["RESPCONTRACT_CACHE_DIR"] = tempfile.mkdtemp(prefix="respcontract-cache-")
