"""The kinds of generated examples, shared by the generator, `sample`, `fuzz` and the fixture.

- valid: valid under the schema as written, biased to documented edges;
- edge: valid, and at a documented edge (limits, empty, longest, rarest branch);
- drift: valid, plus undocumented members or values (only `undocumented` warnings);
- invalid: breaks the contract, each example carrying the finding it must produce.
"""

from __future__ import annotations

KINDS = ("valid", "edge", "drift", "invalid")
