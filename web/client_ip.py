"""The visitor's address, as django-axes, the rate limits and the health check should see it.

Directly on the internet, that is REMOTE_ADDR, and forwarded headers are ignored: anyone can send
them. Behind a TLS proxy or load balancer, REMOTE_ADDR is the proxy's, so every visitor would share
one lockout count and one form limit; the operator then says which header the proxy sets:

- CLINIC_CLIENT_IP_HEADER, a header the proxy always overwrites with the client's address
  (for example X-Real-IP), or
- CLINIC_TRUSTED_PROXY_COUNT, how many proxies append to X-Forwarded-For in front of the site.
  Each appends the address it received the request from, so with N proxies the Nth entry from the
  right is the one the outermost proxy saw; entries to its left are whatever the client sent.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    header = settings.CLINIC_CLIENT_IP_HEADER
    if header:
        return valid_ip(request.headers.get(header, "").strip()) or remote
    count = settings.CLINIC_TRUSTED_PROXY_COUNT
    if count:
        hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop.strip()]
        if hops:
            return valid_ip(hops[-min(count, len(hops))]) or remote
    return remote


def valid_ip(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return ""
