#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the cloud API emulator until SIGTERM/SIGINT (see docs/dev/emulator-contract.md)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import os
import signal
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cloudemu.core import Emulator  # noqa: E402  pylint: disable=wrong-import-position
from cloudemu.scenario import ScenarioError, load  # noqa: E402  pylint: disable=wrong-import-position
from cloudemu.server import EmulatorServer  # noqa: E402  pylint: disable=wrong-import-position


def write_atomically(path, text):
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".url-", dir=folder)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.replace(tmp, path)


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Local emulator of Huawei Cloud (IAM, DRS, Workspace, IoTDA) and "
                                                 "Tencent Cloud Batch APIs.")
    parser.add_argument("--scenario", required=True, help="scenario JSON file")
    parser.add_argument("--host", default="127.0.0.1", help="IPv4 loopback address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default)")
    parser.add_argument("--url-file", help="write the URL here once listening")
    parser.add_argument("--tls-cert", help="PEM certificate: serve https")
    parser.add_argument("--tls-key", help="PEM private key of --tls-cert")
    parser.add_argument("--verbose", action="store_true", help="log every request line on stderr")
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        emulator = Emulator(load(args.scenario))
        server = EmulatorServer(emulator, args.host, args.port, (args.tls_cert, args.tls_key) if args.tls_cert else None,
                                args.verbose)
    except (OSError, ValueError, ScenarioError) as exc:
        sys.stderr.write("emulator: %s\n" % exc)
        return 2
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_args: stop.set())
    server.start()
    print("EMULATOR_URL=%s" % server.url, flush=True)
    if args.url_file:
        write_atomically(args.url_file, server.url)
    while not stop.wait(3600):
        pass
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
