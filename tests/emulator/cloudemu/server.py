# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP/1.1 (keep-alive) on 127.0.0.1, optionally TLS; origin-form and proxy-form request lines.

A proxy-form request (``POST http://host/path HTTP/1.1``) is answered here like any other: the
``Host`` header (else the URL's host) says which host was addressed. Nothing is ever forwarded.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import socketserver
import ssl
import sys
import threading

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from cloudemu.core import Emulator
from cloudemu.messages import Answer, Request

MAX_BODY = 16 * 1024 * 1024


class BadMessage(Exception):
    """A request that cannot be read: (HTTP status, message)."""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "cloudemu/1.0"
    timeout = 300                    # idle keep-alive connections close after this
    disable_nagle_algorithm = True   # headers and body go out at once, no delayed-ACK stalls

    def setup(self):
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(30)
            self.request.do_handshake()   # here, in the connection's thread, not in accept()
        super(Handler, self).setup()

    def version_string(self):
        return self.server_version

    def do_GET(self):
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def do_CONNECT(self):
        self._send(Answer(501, {"error": "the emulator does not tunnel: address it with http:// URLs through "
                                         "HTTP_PROXY, or directly"}))

    def _serve(self):
        try:
            req = self._request()
        except BadMessage as exc:
            self.close_connection = True
            self._send(Answer(exc.args[0], {"error": exc.args[1]}))
            return
        emulator = self.server.emulator
        if req.path == "/_emu" or req.path.startswith("/_emu/"):
            self._send(emulator.control(req))
        else:
            emulator.serve(req, self._send)

    def _request(self):
        target = self.path
        host = self.headers.get("Host")
        if not target.startswith("/"):
            parts = urlsplit(target)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise BadMessage(400, "the request target must be a path or an absolute http URL")
            host = host or parts.netloc
            target = (parts.path or "/") + ("?" + parts.query if parts.query else "")
        path, _sep, query = target.partition("?")
        # Header values arrive as bytes the server decoded as latin-1; signatures were made over their UTF-8 text.
        headers = [(name, value.encode("latin-1", "replace").decode("utf-8", "replace")) for name, value in self.headers.items()]
        return Request(self.command, path, query, host, headers, self._body())

    def _body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return self._chunked_body()
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        if not length.strip().isdigit():
            raise BadMessage(400, "Content-Length is not a number")
        size = int(length)
        if size > MAX_BODY:
            raise BadMessage(413, "the body is larger than %d bytes" % MAX_BODY)
        return self.rfile.read(size)

    def _chunked_body(self):
        chunks = []
        total = 0
        while True:
            line = self.rfile.readline(1024).split(b";")[0].strip()
            try:
                size = int(line, 16)
            except ValueError:
                raise BadMessage(400, "a chunk size is not hexadecimal")
            if size == 0:
                while self.rfile.readline(1024).strip():   # trailers
                    pass
                return b"".join(chunks)
            total += size
            if total > MAX_BODY:
                raise BadMessage(413, "the body is larger than %d bytes" % MAX_BODY)
            chunks.append(self.rfile.read(size))
            self.rfile.readline(16)

    def _send(self, answer):
        if answer.drop:
            self.close_connection = True
            return
        body = answer.body()
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type + ("; charset=utf-8" if answer.content_type.startswith("text/") else ""))
        self.send_header("Content-Length", str(len(body)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.verbose:
            sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))


class EmulatorServer(ThreadingHTTPServer):
    """One port for every service; ``url`` is where it listens."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, emulator, host="127.0.0.1", port=0, tls=None, verbose=False):
        try:
            loopback = ipaddress.IPv4Address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise ValueError("the emulator listens on an IPv4 loopback address only, not %r" % (host,))
        self.emulator = emulator
        self.verbose = verbose
        self.scheme = "http"
        ThreadingHTTPServer.__init__(self, (host, port), Handler)
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls[0], tls[1])
            self.socket = context.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)
            self.scheme = "https"
        self._thread = None

    def server_bind(self):
        # HTTPServer.server_bind asks DNS for the host's name (getfqdn): slow or stuck without a resolver.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    @property
    def url(self):
        return "%s://%s:%d" % (self.scheme, self.server_address[0], self.server_address[1])

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, ssl.SSLError, TimeoutError)):
            return
        ThreadingHTTPServer.handle_error(self, request, client_address)

    def start(self):
        """Serve in a daemon thread; returns self."""
        self._thread = threading.Thread(target=self.serve_forever, args=(0.05,), name="cloudemu", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self.shutdown()
        self.server_close()


def start(scenario, host="127.0.0.1", port=0, tls=None, verbose=False, clock=None, sleep=None):
    """An emulator for ``scenario`` (a dict) serving in the background: ``server.url``, ``server.emulator``, ``server.stop()``."""
    kwargs = {"clock": clock}
    if sleep is not None:
        kwargs["sleep"] = sleep
    return EmulatorServer(Emulator(scenario, **kwargs), host, port, tls, verbose).start()
