"""Where downloads may connect: public addresses only, checked after DNS, for every connection.

Bundles and ZIMs (`DOCUMENTS=1`) and `make links` fetch addresses that anyone can write into
`resources.yaml` or `docs/`, and follow redirects that any server can send. Without a check, an
address such as `http://169.254.169.254/` (a cloud's metadata service), `http://127.0.0.1:631/` or
a public name that resolves to, or redirects to, 10.0.0.1 would be fetched from the machine that
runs the build, packed into the bundle and written into the report the weekly workflow posts.

So every connection resolves its host ONCE, refuses it if any of the answers is not a public
address (loopback, private, link-local, multicast, unspecified, reserved..., IPv4 and IPv6,
including IPv4 inside IPv6), and then connects to the address it checked, still naming the host
in the request (Host header, TLS SNI and certificate check): a DNS answer that changes between
the check and the connection (rebinding) is never used. Redirects open new connections, which are
checked the same way. `ipaddress` decides what is public; the resolver (`getaddrinfo`) reads
every spelling of an address (`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`), as browsers do.

A maintainer who serves documents from a local mirror passes `--allow-private-addresses`
(`ALLOW_LOCAL=1` for make); tests pass an `AddressPolicy` of their own, explicitly.
Environment proxies are not used: a proxy would resolve and connect beyond this check.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import re
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]

ALLOW_HINT = "documents are fetched only from public addresses (--allow-private-addresses, or ALLOW_LOCAL=1, for a local mirror)"
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the IPv4 address is the last 32 bits
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa", ".localdomain")  # RFC 6761, 6762, 8375; ICANN
_NUMERIC_HOST = re.compile(r"[0-9a-fx.]+")


class RefusedAddress(OSError):
    """A connection refused by the address policy; its message says why and how to allow it."""


def non_public_reason(ip: IPAddress) -> str | None:
    """Why `ip` is not a public internet address ("a loopback address"...), None when it is.

    IPv4 carried inside IPv6 (IPv4-mapped, NAT64, 6to4) is judged by the IPv4 address it reaches.
    The named classes come first so that the message says what the address is; `is_global`
    catches the rest of IANA's special-purpose ranges (100.64.0.0/10...).
    """
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            inner = non_public_reason(embedded)
            return f"{inner} (IPv4 {embedded} inside IPv6)" if inner else None
    checks = [
        (ip.is_loopback, "a loopback address"),
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_reserved, "a reserved address"),
        (ip.is_private, "a private address"),
        (isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local, "a site-local address"),
        (not ip.is_global, "not a public address"),
    ]
    return next((reason for refused, reason in checks if refused), None)


def literal_address(host: str) -> IPAddress | None:
    """The address a host written as a number stands for, in any spelling getaddrinfo accepts
    without DNS (`127.0.0.1`, `::1`, `2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`); else None."""
    host = host.strip("[]").removesuffix(".").lower()
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _NUMERIC_HOST.fullmatch(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))  # the C library's reading of legacy forms
        except OSError:
            return None
    return None


def internal_host(url: str) -> str | None:
    """Why the host of `url` is internal as written, without asking DNS; None when it is not.

    For the catalogue validator: a literal non-public address in any spelling, or a name that
    only ever means this machine or its local network (localhost, *.local, *.internal...).
    Names that resolve to internal addresses are caught when fetched, by AddressPolicy.
    """
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    literal = literal_address(host)
    if literal is not None:
        return non_public_reason(literal)
    name = host.removesuffix(".").lower()
    if name in _LOCAL_NAMES or name.endswith(_LOCAL_SUFFIXES):
        return "a local host name"
    return None


def system_resolver(host: str, port: int) -> list[str]:
    """Every address of `host`, in getaddrinfo's order, without repeats."""
    answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in answers))


@dataclass(frozen=True)
class AddressPolicy:
    """Which addresses a download may connect to; passed explicitly to every fetching function.

    The default refuses every non-public address. `allow_private` (the maintainer's
    --allow-private-addresses) allows them all; `allowed` allows only these networks (tests,
    or one known mirror). `resolver` answers host names (default: the system's getaddrinfo).
    """

    allow_private: bool = False
    allowed: tuple[Network, ...] = ()
    resolver: Resolver | None = None

    def refusal(self, ip: IPAddress) -> str | None:
        """Why a connection to `ip` is refused, None when it is allowed."""
        if self.allow_private or any(ip.version == net.version and ip in net for net in self.allowed):
            return None
        return non_public_reason(ip)

    def check_url(self, url: str) -> None:
        """Refuse an address whose host is a literal refused address, before any request:
        some clients (httpx) refuse legacy spellings such as 0177.0.0.1 with a less clear error."""
        try:
            host = urlsplit(url).hostname
        except ValueError:
            return
        literal = literal_address(host) if host else None
        reason = self.refusal(literal) if literal is not None else None
        if reason:
            raise RefusedAddress(f"refused: {host} is {reason}; {ALLOW_HINT}")

    def resolve(self, host: str, port: int) -> list[str]:
        """The addresses to connect to for `host`: resolved once, every one of them allowed.

        Raises RefusedAddress when any answer is refused (a name that resolves both to a public
        and a private address is refused, whichever a client would pick), socket.gaierror when
        the name does not resolve.
        """
        literal = literal_address(host)
        answers = [str(literal)] if literal is not None else (self.resolver or system_resolver)(host, port)
        if not answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        for answer in answers:
            reason = self.refusal(ipaddress.ip_address(answer))
            if reason:
                what = f"{host} is {reason}" if literal is not None else f"{host} resolves to {reason}"
                raise RefusedAddress(f"refused: {what}; {ALLOW_HINT}")
        return answers


PUBLIC_ONLY = AddressPolicy()  # the default everywhere: no internal address, no exception


def open_connection(
    policy: AddressPolicy, host: str, port: int, timeout: Any, source_address: tuple[str, int] | None = None
) -> socket.socket:
    """A TCP connection to one of the checked addresses of `host` (the first that answers)."""
    failure: OSError | None = None
    for address in policy.resolve(host, port):
        try:
            return socket.create_connection((address, port), timeout, source_address)
        except OSError as exc:
            failure = exc
    raise failure or OSError(f"no address to connect to for {host}")


class CheckedHTTPConnection(http.client.HTTPConnection):
    """http.client's connection, connecting through the address policy (set `policy` on it).

    `peer` is the address it connected to, which the document cache records.
    """

    policy: AddressPolicy = PUBLIC_ONLY
    peer: str | None = None

    def connect(self) -> None:
        sys.audit("http.client.connect", self, self.host, self.port)
        self.sock = open_connection(self.policy, self.host, self.port, self.timeout, self.source_address)
        self.peer = str(self.sock.getpeername()[0])
        with contextlib.suppress(OSError):
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class CheckedHTTPSConnection(http.client.HTTPSConnection, CheckedHTTPConnection):
    """HTTPS over the checked connection: HTTPSConnection.connect wraps the socket that
    CheckedHTTPConnection.connect opened, with the host name for SNI and the certificate check."""


def httpx_transport(policy: AddressPolicy, limits: Any) -> Any:
    """An httpx.AsyncHTTPTransport whose connections go through `policy`.

    httpx has no public option for its network layer, so the transport's connection pool is
    httpcore's, built here with a network backend that resolves and checks each host, then
    connects to the checked address; httpcore still sends the host name (Host header, SNI).
    Used with `trust_env=False` on the client, so that no environment proxy takes over.
    """
    import anyio
    import httpcore
    import httpx

    class CheckedBackend(httpcore.AsyncNetworkBackend):
        def __init__(self) -> None:
            self.inner = httpcore.AnyIOBackend()

        async def connect_tcp(
            self, host: str, port: int, timeout: float | None = None, local_address: str | None = None, socket_options=None
        ) -> httpcore.AsyncNetworkStream:
            try:
                addresses = await anyio.to_thread.run_sync(policy.resolve, host, port)
            except OSError as exc:  # RefusedAddress, or socket.gaierror for a name that does not exist
                raise httpcore.ConnectError(str(exc)) from exc
            failure: Exception | None = None
            for address in addresses:
                try:
                    return await self.inner.connect_tcp(address, port, timeout, local_address, socket_options)
                except httpcore.ConnectError as exc:
                    failure = exc
            raise failure or httpcore.ConnectError(f"no address to connect to for {host}")

        async def connect_unix_socket(self, path: str, timeout=None, socket_options=None) -> httpcore.AsyncNetworkStream:
            raise httpcore.ConnectError("local sockets are not fetched")

        async def sleep(self, seconds: float) -> None:
            await self.inner.sleep(seconds)

    class CheckedTransport(httpx.AsyncHTTPTransport):
        def __init__(self) -> None:  # not super().__init__: its pool would resolve names itself
            self._pool = httpcore.AsyncConnectionPool(
                ssl_context=httpx.create_ssl_context(),
                max_connections=limits.max_connections,
                max_keepalive_connections=limits.max_keepalive_connections,
                keepalive_expiry=limits.keepalive_expiry,
                network_backend=CheckedBackend(),
            )

    return CheckedTransport()
