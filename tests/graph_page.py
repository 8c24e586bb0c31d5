"""What graph.html carries, read back for the tests."""

from __future__ import annotations

import json
import re
from pathlib import Path


def page_data(html_path: Path) -> dict:
    """The JSON data block graph.html draws from."""
    text = html_path.read_text("utf-8")
    m = re.search(r'<script id="eg-data" type="application/json">(.*?)</script>', text, re.S)
    assert m, "no JSON data block"
    return json.loads(m.group(1))
