"""Record the cassettes in this folder with Ruby VCR (`record.rb`), replayed by VCR itself.

    python tests/recordings/ruby-vcr-recorded/record.py

Needs Ruby with the `vcr`, `webmock` and `multi_json` gems (Debian: `apt install ruby-vcr
ruby-webmock ruby-multi-json`).
Starts the test server of `../conftest.py` on 127.0.0.1 and runs `record.rb`, which fetches
its four routes with Net::HTTP while VCR records, once per VCR serializer (`yaml.yml`,
`json.json`, `compressed.zz`, and `decoded.yml` with `decode_compressed_response`), then
replays each cassette with VCR (`record: :none`) and writes what VCR served back to
`expected.json`: the reference the tests compare with. Nothing here runs in CI.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from conftest import _Handler  # noqa: E402  (the server the other recorders use)


def main() -> None:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{httpd.server_address[1]}"
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(["ruby", str(HERE / "record.rb"), origin, scratch], check=True)
        for old in HERE.iterdir():
            if old.name not in ("record.py", "record.rb", "README.md"):
                old.unlink()
        for made in Path(scratch).iterdir():
            (HERE / made.name).write_bytes(made.read_bytes())
    httpd.shutdown()


if __name__ == "__main__":
    main()
