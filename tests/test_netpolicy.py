"""Issue 22, items 1 and 3: bundles, ZIMs and `make links` connect only to public addresses.

The servers here listen on 127.0.0.1 (and 127.0.0.2, the "internal" server whose answer must never
be fetched). Where a test needs a reachable "public" host, the policy allows exactly 127.0.0.1/32,
passed explicitly; names are answered by an injected resolver, never by DNS.
"""

from __future__ import annotations

import datetime as dt
import http.server
import io
import ipaddress
import socket
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import ROOT

from spmlib.__main__ import _offline_options, build_parser
from spmlib.model.catalogue import Link, Resource
from spmlib.outputs.fetch import FetchSettings, fetch_documents
from spmlib.outputs.links import DNS, INTERNAL, OK, Address, Settings, check_links
from spmlib.outputs.netpolicy import AddressPolicy, RefusedAddress, internal_host, non_public_reason

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
PDF = b"%PDF-1.7\n" + b"0" * 100
SECRET = b"%PDF-1.7\nthe cloud's metadata, or the router's admin page"
ONLY_127_0_0_1 = (ipaddress.ip_network("127.0.0.1/32"),)

# -- address classes -------------------------------------------------------------------------

ADDRESSES = [
    ("127.0.0.1", "loopback"),
    ("127.255.0.9", "loopback"),
    ("10.0.0.1", "private"),
    ("172.16.5.4", "private"),
    ("192.168.1.1", "private"),
    ("169.254.169.254", "link-local"),
    ("100.64.0.1", "not a public address"),  # carrier-grade NAT
    ("0.0.0.0", "unspecified"),
    ("224.0.0.251", "multicast"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "reserved"),  # limited broadcast
    ("192.0.2.10", "private"),  # documentation
    ("::1", "loopback"),
    ("::", "unspecified"),
    ("fe80::1", "link-local"),
    ("fe80::1%eth0", "link-local"),
    ("fd12:3456::1", "private"),
    ("fec0::1", "site-local"),
    ("ff02::1", "multicast"),
    ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
    ("::ffff:10.0.0.1", "private"),
    ("::127.0.0.1", "reserved"),  # IPv4-compatible (deprecated)
    ("64:ff9b::a00:1", "private"),  # NAT64 of 10.0.0.1
    ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
    ("2001:db8::1", "private"),  # documentation
    ("8.8.8.8", None),
    ("93.184.216.34", None),
    ("2606:4700:4700::1111", None),
    ("::ffff:8.8.8.8", None),
]


@pytest.mark.parametrize(("address", "reason"), ADDRESSES, ids=[a for a, _ in ADDRESSES])
def test_address_classes(address, reason):
    found = non_public_reason(ipaddress.ip_address(address))
    assert (found is None) if reason is None else (reason in found), found


URLS = [
    ("http://127.0.0.1:8000/a.pdf", "loopback"),
    ("http://2130706433/", "loopback"),
    ("http://0x7f.1/", "loopback"),
    ("http://0x7F000001/", "loopback"),
    ("http://0177.0.0.1/", "loopback"),
    ("http://0177.1/", "loopback"),
    ("http://127.1/", "loopback"),
    ("http://127.0.0.1./", "loopback"),
    ("http://[::1]:8080/", "loopback"),
    ("http://[::ffff:7f00:1]/", "loopback"),
    ("http://[fe80::1%25eth0]/", "link-local"),
    ("http://localhost/", "a local host name"),
    ("http://LocalHost.:80/", "a local host name"),
    ("http://a.b.localhost/", "a local host name"),
    ("http://nas.local/", "a local host name"),
    ("http://router.home.arpa/", "a local host name"),
    ("http://db.internal/", "a local host name"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("https://example.org/a.pdf", None),
    ("https://10.example.org/", None),
    ("https://0x7f.example/", None),
    ("http://1.2.3.4.5/", None),  # not an address: a name, resolved and checked when fetched
    ("https://[2606:4700:4700::1111]/", None),
    ("not a url", None),
]


@pytest.mark.parametrize(("url", "reason"), URLS, ids=[u for u, _ in URLS])
def test_literal_addresses_in_any_spelling(url, reason):
    found = internal_host(url)
    assert (found is None) if reason is None else (reason in found), found


class Resolver:
    """Answers from a table, counting the questions; a name not in it does not exist."""

    def __init__(self, table: dict[str, list[list[str]]]):
        self.table = {name: list(answers) for name, answers in table.items()}
        self.asked: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        answers = self.table.get(host)
        if not answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return answers.pop(0) if len(answers) > 1 else answers[0]


@pytest.mark.parametrize(
    ("answer", "policy", "refused"),
    [
        (["93.184.216.34"], AddressPolicy(), None),
        (["93.184.216.34", "2606:2800:220:1::1"], AddressPolicy(), None),
        (["10.0.0.7"], AddressPolicy(), "private"),
        (["93.184.216.34", "127.0.0.1"], AddressPolicy(), "loopback"),  # every address is checked
        (["::ffff:169.254.169.254"], AddressPolicy(), "link-local"),
        (["10.0.0.7"], AddressPolicy(allow_private=True), None),
        (["127.0.0.1"], AddressPolicy(allowed=ONLY_127_0_0_1), None),
        (["127.0.0.2"], AddressPolicy(allowed=ONLY_127_0_0_1), "loopback"),
    ],
)
def test_names_are_checked_after_resolution(answer, policy, refused):
    resolver = Resolver({"docs.example.org": [answer]})
    policy = AddressPolicy(policy.allow_private, policy.allowed, resolver)
    if refused is None:
        assert policy.resolve("docs.example.org", 443) == answer
    else:
        with pytest.raises(RefusedAddress) as caught:
            policy.resolve("docs.example.org", 443)
        assert refused in str(caught.value) and "docs.example.org" in str(caught.value)
        assert "--allow-private-addresses" in str(caught.value)
    assert resolver.asked == ["docs.example.org"]


@pytest.mark.parametrize("host", ["2130706433", "0x7f.1", "0177.0.0.1", "127.1", "127.0.0.1", "localhost"])
def test_the_system_resolver_reads_every_spelling(host):
    """getaddrinfo turns these into 127.0.0.1 without asking DNS; the check comes after it."""
    with pytest.raises(RefusedAddress, match="loopback"):
        AddressPolicy().resolve(host, 80)


# -- the servers -----------------------------------------------------------------------------


class Site(http.server.BaseHTTPRequestHandler):
    hosts: list[tuple[str, str]] = []  # (path, Host header) of every request

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.answer()

    def do_GET(self):
        self.answer()

    def answer(self):
        path = urlsplit(self.path).path
        Site.hosts.append((path, self.headers.get("Host", "")))
        port = self.server.server_address[1]
        if path == "/doc.pdf":
            return self.send(200, PDF)
        if path == "/to-internal.pdf":  # a public host that sends the checker inside
            return self.send(302, Location=f"http://127.0.0.2:{Site.internal_port}/secret.pdf")
        if path == "/to-internal-name.pdf":
            return self.send(302, Location=f"http://intranet.example:{Site.internal_port}/secret.pdf")
        if path == "/to-missing":
            return self.send(301, Location="https://gone.example/new-home")
        if path == "/to-self":
            return self.send(302, Location=f"http://127.0.0.1:{port}/doc.pdf")
        return self.send(404, b"no")

    def send(self, status: int, body: bytes = b"", **headers: str):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)


class Internal(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        Internal.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", str(len(SECRET)))
        self.end_headers()
        self.wfile.write(SECRET)

    do_HEAD = do_GET


def _serve(address: str, handler) -> http.server.ThreadingHTTPServer:
    httpd = http.server.ThreadingHTTPServer((address, 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture(scope="module")
def servers():
    try:
        internal = _serve("127.0.0.2", Internal)
    except OSError:  # pragma: no cover - a system that routes only 127.0.0.1
        pytest.skip("127.0.0.2 cannot be bound here")
    Site.internal_port = internal.server_address[1]
    site = _serve("127.0.0.1", Site)
    yield {"port": site.server_address[1], "internal": internal.server_address[1]}
    for httpd in (site, internal):
        httpd.shutdown()
        httpd.server_close()


def resource(*urls: str, fmt: str = "pdf") -> Resource:
    links = tuple(Link(lang="en", url=url, format=fmt) for url in urls)
    return Resource(id="doc", type="tool", title={"en": "Doc"}, links=links, standards=("4A",))


def fetch(tmp_path: Path, *urls: str, policy: AddressPolicy | None = None):
    settings = FetchSettings(retries=0, policy=policy) if policy is not None else FetchSettings(retries=0)
    return fetch_documents([resource(*urls)], tmp_path / "docs", tmp_path / "cache", settings, out=io.StringIO())


# -- bundles and ZIMs (fetch_documents) ------------------------------------------------------

LOOPBACK_SPELLINGS = ["127.0.0.1", "localhost", "2130706433", "0x7f.1", "0177.0.0.1", "127.1", "0x7f000001"]


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS)
def test_a_bundle_refuses_internal_addresses_by_default(tmp_path, servers, host):
    url = f"http://{host}:{servers['port']}/doc.pdf"
    Site.hosts.clear()
    fetched = fetch(tmp_path, url)
    assert fetched.included == {}
    [missing] = fetched.missing
    assert "loopback" in missing["reason"] and "--allow-private-addresses" in missing["reason"], missing
    assert Site.hosts == [], "the server must not be asked at all"
    assert not [p for p in (tmp_path / "cache").rglob("*") if p.is_file()], "nothing is kept in the cache"


def test_a_maintainer_may_allow_a_local_mirror(tmp_path, servers):
    fetched = fetch(tmp_path, f"http://localhost:{servers['port']}/doc.pdf", policy=AddressPolicy(allow_private=True))
    assert list(fetched.included) == [f"http://localhost:{servers['port']}/doc.pdf"] and not fetched.missing


@pytest.mark.parametrize("path", ["/to-internal.pdf", "/to-internal-name.pdf"])
def test_a_bundle_checks_every_redirect(tmp_path, servers, path):
    resolver = Resolver({"intranet.example": [["127.0.0.2"]]})
    Internal.hits.clear()
    fetched = fetch(tmp_path, f"http://127.0.0.1:{servers['port']}{path}", policy=AddressPolicy(False, ONLY_127_0_0_1, resolver))
    assert fetched.included == {} and Internal.hits == []
    [missing] = fetched.missing
    assert "loopback" in missing["reason"] and ("127.0.0.2" in missing["reason"] or "intranet.example" in missing["reason"])
    assert not [p for p in (tmp_path / "cache").rglob("body")]


def test_a_bundle_connects_to_the_address_it_checked(tmp_path, servers):
    """DNS rebinding: the name is resolved once; the connection goes to that checked address and
    the request still names the host, so a second answer (127.0.0.2) is never used."""
    resolver = Resolver({"docs.example.org": [["127.0.0.1"], ["127.0.0.2"]]})
    Site.hosts.clear()
    Internal.hits.clear()
    url = f"http://docs.example.org:{servers['port']}/doc.pdf"
    fetched = fetch(tmp_path, url, policy=AddressPolicy(False, ONLY_127_0_0_1, resolver))
    assert list(fetched.included) == [url], fetched.missing
    assert resolver.asked == ["docs.example.org"] and Internal.hits == []
    assert Site.hosts == [("/doc.pdf", f"docs.example.org:{servers['port']}")]


def test_a_cached_document_is_used_only_under_the_policy_it_was_fetched_with(tmp_path, servers):
    """A document fetched from a local mirror (allowed then) is not bundled by a default run."""
    url = f"http://127.0.0.1:{servers['port']}/doc.pdf"
    assert fetch(tmp_path, url, policy=AddressPolicy(allow_private=True)).included
    again = fetch(tmp_path, url)
    assert again.included == {} and "loopback" in again.missing[0]["reason"]


# -- make links ------------------------------------------------------------------------------


def links(tmp_path: Path, *urls: str, policy: AddressPolicy | None = None):
    settings = Settings(timeout=2, retries=0, backoff=0, **({"policy": policy} if policy is not None else {}))
    addresses = [Address(url, "resources.yaml", n, f"r{n}", "web") for n, url in enumerate(urls, start=1)]
    return check_links(addresses, tmp_path / "c.json", settings=settings, now=lambda: T0)


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS)
def test_the_link_checker_refuses_internal_addresses_by_default(tmp_path, servers, host):
    url = f"http://{host}:{servers['port']}/doc.pdf"
    Site.hosts.clear()
    result = links(tmp_path, url).results[url]
    assert result.verdict == INTERNAL and "loopback" in result.detail, result
    assert Site.hosts == []


def test_the_link_checker_checks_every_redirect(tmp_path, servers):
    Internal.hits.clear()
    url = f"http://127.0.0.1:{servers['port']}/to-internal.pdf"
    result = links(tmp_path, url, policy=AddressPolicy(allowed=ONLY_127_0_0_1)).results[url]
    assert (result.verdict, result.chain) == (INTERNAL, [302]), result
    assert "127.0.0.2" in result.detail and "redirect" in result.detail
    assert Internal.hits == []


def test_the_link_checker_connects_to_the_address_it_checked(tmp_path, servers):
    resolver = Resolver({"docs.example.org": [["127.0.0.1"], ["127.0.0.2"]]})
    Site.hosts.clear()
    url = f"http://docs.example.org:{servers['port']}/doc.pdf"
    result = links(tmp_path, url, policy=AddressPolicy(False, ONLY_127_0_0_1, resolver)).results[url]
    assert result.verdict == OK, result
    assert resolver.asked == ["docs.example.org"]
    assert Site.hosts == [("/doc.pdf", f"docs.example.org:{servers['port']}")]


def test_a_redirect_to_a_missing_host_names_that_host(tmp_path, servers):
    url = f"http://127.0.0.1:{servers['port']}/to-missing"
    result = links(tmp_path, url, policy=AddressPolicy(False, ONLY_127_0_0_1, Resolver({}))).results[url]
    assert result.verdict == DNS and result.chain == [301] and result.final_url == "https://gone.example/new-home"
    assert "gone.example" in result.detail and "redirect" in result.detail, result.detail


# -- the options -------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["bundle", "zim"])
def test_the_allow_option_of_bundle_and_zim(command):
    parser = build_parser()
    assert _offline_options(parser.parse_args([command])).downloads.policy == AddressPolicy()
    allowed = _offline_options(parser.parse_args([command, "--allow-private-addresses"])).downloads.policy
    assert allowed == AddressPolicy(allow_private=True)


def test_the_allow_option_of_links(tmp_path, servers, capsys):
    from spmlib.__main__ import main

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(f"See <http://127.0.0.1:{servers['port']}/doc.pdf>.\n", encoding="utf-8")
    (tmp_path / "resources.yaml").write_text("resources: []\n", encoding="utf-8")
    args = ["links", "--catalogue", str(tmp_path / "resources.yaml"), "--docs", str(tmp_path / "docs")]
    args += ["--cache", str(tmp_path / "c.json"), "--report-dir", str(tmp_path / "out"), "--retries", "0"]
    Site.hosts.clear()
    assert main(args) == 0
    assert Site.hosts == [] and "internal address" in (tmp_path / "out" / "links.md").read_text(encoding="utf-8")
    assert main([*args, "--refresh", "--allow-private-addresses"]) == 0
    assert Site.hosts and "internal address" not in (tmp_path / "out" / "links.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("target", ["bundle", "zim", "links"])
@pytest.mark.parametrize("value", ["1", ""])
def test_the_makefile_variable(target, value):
    command = ["make", "-s", "-n", "-C", str(ROOT), target, f"ALLOW_LOCAL={value}", "BIN=.venv/bin"]
    printed = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert ("--allow-private-addresses" in printed) is (value == "1"), printed


# -- HTTPS: the checked address is connected to, the certificate is checked for the name ------


@pytest.fixture(scope="module")
def tls_site(tmp_path_factory):
    """An HTTPS server on 127.0.0.1 whose certificate names docs.example.org only."""
    import shutil
    import ssl

    if not shutil.which("openssl"):  # pragma: no cover
        pytest.skip("openssl is needed to make the test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", str(key), "-out", str(cert)]
        + ["-subj", "/CN=docs.example.org", "-addext", "subjectAltName=DNS:docs.example.org"],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    class Quiet(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass  # the refused handshakes of the test with the wrong name

    httpd = Quiet(("127.0.0.1", 0), Site)
    httpd.daemon_threads = True
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield {"port": httpd.server_address[1], "cert": cert}
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize(("name", "trusted"), [("docs.example.org", True), ("other.example.org", False)])
def test_https_names_the_host_to_the_checked_address(tmp_path, tls_site, monkeypatch, name, trusted):
    """Connected to 127.0.0.1, the TLS handshake still names the host (SNI) and the certificate
    is checked against it: the certificate of docs.example.org is refused for other.example.org."""
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_site["cert"]))
    resolver = Resolver({name: [["127.0.0.1"]]})
    policy = AddressPolicy(False, ONLY_127_0_0_1, resolver)
    url = f"https://{name}:{tls_site['port']}/doc.pdf"
    Site.hosts.clear()
    fetched = fetch(tmp_path, url, policy=policy)
    checked = links(tmp_path, url, policy=policy).results[url]
    if trusted:
        assert list(fetched.included) == [url] and checked.verdict == OK, (fetched.missing, checked)
        assert Site.hosts == [("/doc.pdf", f"{name}:{tls_site['port']}")] * 2
    else:
        assert not fetched.included and "certificate" in fetched.missing[0]["reason"].lower(), fetched.missing
        assert checked.verdict != OK and Site.hosts == []
