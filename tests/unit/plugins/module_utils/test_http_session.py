# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HttpSession on real sockets: what each real failure becomes, keep-alive, proxies from the environment.

Each server here is a thread on 127.0.0.1 that answers from a script, so a test sees exactly what went over the wire.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import socket
import threading
import time

import pytest

from ansible_collections.cloudops.jobs.plugins.module_utils._retry import RetryPolicy
from ansible_collections.cloudops.jobs.plugins.module_utils._transport import HttpSession, SendError, Transport, tls_context
from ansible_collections.cloudops.jobs.plugins.module_utils._errors import ApiError


class Server:
    """Accepts connections; for each request calls ``handler(request_text, conn)``, which answers (or not).

    ``connections`` counts accepted connections, ``requests`` keeps each request's head and body as text.
    """

    def __init__(self, handler):
        self.handler = handler
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self.connections = 0
        self.requests = []
        self.open = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            self.open.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        buf = b""
        try:
            while True:
                while b"\r\n\r\n" not in buf:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buf += chunk
                head, _sep, rest = buf.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _c, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                while len(rest) < length:
                    rest += conn.recv(65536)
                body, buf = rest[:length], rest[length:]
                self.requests.append((head.decode("latin-1"), body.decode("latin-1")))
                if self.handler(head.decode("latin-1"), conn) is False:
                    conn.close()
                    return
        except OSError:
            return

    def close(self):
        self.sock.close()
        for conn in self.open:
            try:
                conn.close()
            except OSError:
                pass


def answer(conn, status=200, body=b"{}", close=False):
    extra = b"Connection: close\r\n" if close else b""
    conn.sendall(b"HTTP/1.1 %d OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\nX-Request-Id: rid\r\n%s\r\n%s"
                 % (status, len(body), extra, body))
    return not close


@pytest.fixture
def server():
    made = []

    def make(handler):
        made.append(Server(handler))
        return made[-1]

    yield make
    for one in made:
        one.close()


@pytest.fixture(autouse=True)
def no_proxy_env(monkeypatch):
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)


def free_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def test_a_request_goes_out_as_given_and_the_answer_comes_back(server):
    srv = server(lambda head, conn: answer(conn, 201, b'{"ok": true}'))
    raw = HttpSession().request("POST", srv.url + "/v3/p/jobs?x=1", headers={"X-Sdk-Date": "20261201T000000Z"},
                                data=b'{"a": 1}', timeout=5)
    assert raw.status_code == 201 and raw.content == b'{"ok": true}'
    assert raw.headers.get("x-request-id") == "rid"
    head, body = srv.requests[0]
    lines = head.split("\r\n")
    assert lines[0] == "POST /v3/p/jobs?x=1 HTTP/1.1"
    assert "X-Sdk-Date: 20261201T000000Z" in lines and "Host: 127.0.0.1:%d" % srv.port in lines
    assert "Content-Length: 8" in lines
    assert body == '{"a": 1}'
    # only what the caller gave, plus what HTTP/1.1 needs: nothing a signature would miss
    names = sorted(line.split(":")[0].lower() for line in lines[1:])
    assert names == ["accept-encoding", "content-length", "host", "x-sdk-date"]


def test_keep_alive_one_connection_for_many_requests(server):
    srv = server(lambda head, conn: answer(conn))
    session = HttpSession()
    for _i in range(5):
        assert session.request("GET", srv.url + "/a", timeout=5).status_code == 200
    assert srv.connections == 1
    session.close()


def test_a_connection_the_server_closed_while_idle_is_replaced_not_failed(server):
    srv = server(lambda head, conn: answer(conn))
    session = HttpSession()
    assert session.request("POST", srv.url + "/retry", data=b"{}", timeout=5).status_code == 200
    for conn in srv.open:          # the server's keep-alive timeout closes the idle connection
        conn.shutdown(socket.SHUT_RDWR)
        conn.close()
    time.sleep(0.2)
    # A write on the stale connection would be "maybe acted on"; the pool sees it closed and connects afresh.
    assert session.request("POST", srv.url + "/retry", data=b"{}", timeout=5).status_code == 200
    assert srv.connections == 2 and len(srv.requests) == 2


def test_connection_close_answers_are_not_pooled(server):
    srv = server(lambda head, conn: answer(conn, close=True))
    session = HttpSession()
    for _i in range(3):
        assert session.request("GET", srv.url + "/a", timeout=5).status_code == 200
    assert srv.connections == 3


def test_connection_refused_never_reached():
    with pytest.raises(SendError) as info:
        HttpSession().request("POST", "http://127.0.0.1:%d/x" % free_port(), data=b"{}", timeout=5)
    assert info.value.code == "ConnectionError" and info.value.never_reached is True
    assert info.value.message == "could not connect (connection refused)"


def test_no_answer_within_the_timeout_is_a_read_timeout_that_may_have_acted(server):
    srv = server(lambda head, conn: None)      # reads the request, never answers
    with pytest.raises(SendError) as info:
        HttpSession().request("POST", srv.url + "/retry", data=b"{}", timeout=0.3)
    assert info.value.code == "ReadTimeout" and info.value.never_reached is False
    assert len(srv.requests) == 1


def test_a_connection_dropped_after_the_request_may_have_acted(server):
    srv = server(lambda head, conn: False)     # reads the request, closes without an answer
    with pytest.raises(SendError) as info:
        HttpSession().request("POST", srv.url + "/retry", data=b"{}", timeout=5)
    assert info.value.code == "ConnectionError" and info.value.never_reached is False
    assert info.value.message == "the connection failed (RemoteDisconnected)"


def test_transport_does_not_resend_a_dropped_write_but_resends_a_refused_one(server):
    srv = server(lambda head, conn: False)
    slept = []
    transport = Transport(timeout=5, policy=RetryPolicy(max_retries=2, sleep=slept.append))
    with pytest.raises(ApiError) as info:
        transport.send(lambda: ("POST", srv.url + "/retry", {}, b"{}"), idempotent=False)
    assert info.value.outcome_unknown is True and len(srv.requests) == 1
    closed = "http://127.0.0.1:%d/retry" % free_port()
    with pytest.raises(ApiError) as info:
        transport.send(lambda: ("POST", closed, {}, b"{}"), idempotent=False)
    assert info.value.outcome_unknown is False and info.value.code == "ConnectionError" and len(slept) == 2


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "http:///x", "http://127.0.0.1:99999/x"])
def test_a_url_that_cannot_be_sent(url):
    with pytest.raises(SendError) as info:
        HttpSession().request("GET", url, timeout=1)
    assert info.value.code == "InvalidURL" and info.value.never_reached is True


@pytest.mark.parametrize("url,headers", [("/a b", {}), ("/a", {"X-Sdk-Date": "1\r\nX-Evil: 1"})])
def test_a_request_http_cannot_carry_is_refused_before_it_is_sent(server, url, headers):
    srv = server(lambda head, conn: answer(conn))
    with pytest.raises(SendError) as info:
        HttpSession().request("GET", srv.url + url, headers=headers, timeout=5)
    assert info.value.code == "InvalidURL" and info.value.never_reached is True
    assert srv.requests == []


def test_a_garbled_answer_after_sending_may_have_acted(server):
    # A chunk size that is not hex: http.client raises ValueError while reading, after the request went out.
    srv = server(lambda head, conn: conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n") or False)
    with pytest.raises(SendError) as info:
        HttpSession().request("POST", srv.url + "/retry", data=b"{}", timeout=5)
    assert info.value.code == "ConnectionError" and info.value.never_reached is False


def test_an_http_proxy_from_the_environment_gets_the_whole_url_and_its_credentials(server, monkeypatch):
    proxy = server(lambda head, conn: answer(conn))
    monkeypatch.setenv("http_proxy", "http://user:p%%40ss@127.0.0.1:%d" % proxy.port)
    raw = HttpSession().request("GET", "http://iotda.cn-north-4.myhuaweicloud.com/v5/iot/p/batchtasks?limit=50", timeout=5)
    assert raw.status_code == 200
    lines = proxy.requests[0][0].split("\r\n")
    assert lines[0] == "GET http://iotda.cn-north-4.myhuaweicloud.com/v5/iot/p/batchtasks?limit=50 HTTP/1.1"
    assert "Host: iotda.cn-north-4.myhuaweicloud.com" in lines
    assert "Proxy-Authorization: Basic %s" % base64.b64encode(b"user:p@ss").decode() in lines


def test_no_proxy_bypasses_the_proxy(server, monkeypatch):
    srv = server(lambda head, conn: answer(conn))
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:%d" % free_port())   # nothing listens there
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    assert HttpSession().request("GET", srv.url + "/a", timeout=5).status_code == 200
    assert srv.requests[0][0].startswith("GET /a HTTP/1.1")


def test_an_unreachable_proxy_is_a_proxy_error_that_never_reached(monkeypatch):
    monkeypatch.setenv("https_proxy", "127.0.0.1:%d" % free_port())
    with pytest.raises(SendError) as info:
        HttpSession().request("POST", "https://drs.example.com/v3/p/jobs", data=b"{}", timeout=5)
    assert info.value.code == "ProxyError" and info.value.never_reached is True


def test_an_https_proxy_url_is_refused_before_sending(monkeypatch):
    monkeypatch.setenv("https_proxy", "https://proxy.example.com:3128")
    with pytest.raises(SendError) as info:
        HttpSession().request("GET", "https://drs.example.com/v3/p/jobs", timeout=5)
    assert info.value.code == "ProxyError" and "http://" in info.value.message


def test_https_through_a_proxy_opens_a_connect_tunnel(server, monkeypatch):
    # The proxy refuses the tunnel: the CONNECT it got names the endpoint, and the request never reached it.
    proxy = server(lambda head, conn: conn.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n"))
    monkeypatch.setenv("HTTPS_PROXY", "http://u:pw@127.0.0.1:%d" % proxy.port)
    with pytest.raises(SendError) as info:
        HttpSession().request("POST", "https://drs.example.com/v3/p/jobs", data=b"{}", timeout=5)
    assert info.value.code == "ProxyError" and info.value.never_reached is True and "407" in info.value.message
    lines = proxy.requests[0][0].split("\r\n")
    assert lines[0].startswith("CONNECT drs.example.com:443 HTTP/1.")
    assert "Proxy-Authorization: Basic %s" % base64.b64encode(b"u:pw").decode() in lines


def test_tls_to_a_plain_server_is_a_handshake_failure_that_never_reached():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)

    def plain():   # answers the TLS hello in plain HTTP, as a misconfigured endpoint does
        conn, _addr = sock.accept()
        conn.recv(4096)
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        conn.close()

    thread = threading.Thread(target=plain, daemon=True)
    thread.start()
    try:
        with pytest.raises(SendError) as info:
            HttpSession(tls_context()).request("GET", "https://127.0.0.1:%d/a" % sock.getsockname()[1], timeout=5)
    finally:
        sock.close()
    assert info.value.code == "SSLError" and info.value.never_reached is True
