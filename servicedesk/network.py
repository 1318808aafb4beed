"""The client's address, the one answer for every limit keyed by address: the login lockout (django-axes,
AXES_CLIENT_IP_CALLABLE), the API throttles (`servicedesk.auth` throttles' `get_ident`) and the client links'
attempt counter (`dispatch.resident.links.check_rate`).

`X-Forwarded-For` is believed only as far as it was written by a trusted proxy (setting TRUSTED_PROXIES: IPs or
CIDRs, default none). The header is read from the right: each trusted proxy appends the address it received the
request from (nginx's `$proxy_add_x_forwarded_for`), so the right-most address that is not a trusted proxy is the
client; anything further left was written by the client and may be invented. Without a trusted proxy in front
(REMOTE_ADDR not in TRUSTED_PROXIES) the header is ignored and REMOTE_ADDR is the client.
"""
import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple) -> tuple:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p and p.strip())


def trusted_networks() -> tuple:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))


def _address(text: str):
    text = (text or "").strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:51234"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return address.ipv4_mapped or address if address.version == 6 else address


def _trusted(address, networks) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def client_ip(request) -> str:
    """The client's IP address as text ("unknown" when the connection gives none)."""
    address = client_address(request)
    return "unknown" if address is None else address


def client_address(request) -> str | None:
    """The same, None when unknown: AXES_CLIENT_IP_CALLABLE (axes stores it in an IP address column)."""
    meta = request.META
    remote = _address(meta.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    networks = trusted_networks()
    if not networks or not _trusted(remote, networks):
        return str(remote)
    client = remote
    hops = [h for h in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:  # garbage left of a trusted hop: the last trusted hop is as far as the chain is known
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
