import json
import urllib.error
import urllib.request

from django.conf import settings


class ChannelError(Exception):
    def __init__(self, reason: str, *, retry: bool = True):
        super().__init__(reason)
        self.reason = reason
        self.retry = retry


class Channel:
    kind = ""

    def send(self, *, address: str, text: str, subject: str, template_key: str, values: dict) -> str:
        raise NotImplementedError


def post(url: str, *, body: bytes, content_type: str) -> dict:
    """POST and read a JSON answer. Connection refused, timeouts and 5xx are worth retrying; other HTTP errors are
    not (the request itself is wrong)."""
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=settings.MESSAGING_HTTP_TIMEOUT) as response:
            raw = response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:200].decode("utf-8", "replace")
        raise ChannelError(f"HTTP {exc.code} {detail}".strip(), retry=exc.code >= 500 or exc.code == 429)
    except (urllib.error.URLError, OSError) as exc:
        raise ChannelError(f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}", retry=True)
    try:
        return json.loads(raw or b"{}")
    except ValueError:
        raise ChannelError(f"not JSON: {raw[:100]!r}", retry=True)


def post_json(url: str, payload: dict) -> dict:
    return post(url, body=json.dumps(payload, ensure_ascii=False).encode("utf-8"), content_type="application/json")


def robot_url(address: str, configured: str) -> str:
    """A robot's webhook: the recipient's own (a client's group) when the address is a URL, else the department's."""
    if address.startswith(("https://", "http://")):
        return address
    if not configured:
        raise ChannelError("channel not configured (no webhook URL in settings)", retry=False)
    return configured


def mention(address: str) -> list[str]:
    return [] if address.startswith(("https://", "http://")) or not address else [address]
