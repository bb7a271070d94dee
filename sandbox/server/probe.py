"""Whether a URL is a running `python -m sandbox serve`, asked before a command relies on
one (`rehearse --endpoint-url`), so a typo or a stopped server is one clear line."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from sandbox.common import is_endpoint_url

PROBE_SECONDS = 10
# Past any real call log: the answer is an empty list, however long the server has run.
PAST_THE_LOG = 10**12


def sandbox_server_problem(url: str) -> str | None:
    """None when `url` answers the sandbox's call-log route; otherwise what is wrong."""
    if not is_endpoint_url(url):
        return f"--endpoint-url must be a URL such as http://127.0.0.1:5123, got {url!r}"
    start = "start one with `python -m sandbox serve --port PORT`"
    try:
        with urllib.request.urlopen(f"{url}/_sandbox/calls?since={PAST_THE_LOG}", timeout=PROBE_SECONDS) as answer:
            json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return f"{url} answers, but not as `python -m sandbox serve` does (HTTP {error.code}); {start}"
    except urllib.error.URLError as error:
        return f"nothing answers at {url} ({error.reason}); {start}"
    except (OSError, ValueError) as error:
        return f"{url} answers, but not as `python -m sandbox serve` does ({error}); {start}"
    return None
