# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running the event source past credential expiries against the emulator (the Huawei and Tencent tests share it):
each fake sleep moves the emulator's wall clock and the source's clock on by the same step."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import asyncio
import time

import requests

from ansible_collections.cloudops.jobs.tests.unit.eda.eda_fakes import load_source

SOURCE = load_source()


def control(url, method, path, body=None):
    answer = requests.request(method, url + path, json=body, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


class Clock:
    """The source's clock: real time plus the offset the fake sleeps added (as the emulator's clock_offset_s)."""

    def __init__(self):
        self.offset = 0.0

    def __call__(self):
        return time.time() + self.offset


async def watch(url, args, steps, clock, step_s):
    """Run the source until ``steps`` (one per pass, each changing the emulator) are used up; each sleep moves both
    clocks ``step_s`` on. The events it emitted."""
    config = SOURCE["Config"](args)
    config.client.clock = clock          # before the first request builds the credentials
    config.connect()
    queue = asyncio.Queue()
    events = []
    todo = list(steps)

    class Done(Exception):
        pass

    async def sleep(seconds):
        while not queue.empty():
            events.append(queue.get_nowait())
        if not todo:
            raise Done()
        todo.pop(0)(url)
        clock.offset += step_s
        control(url, "POST", "/_emu/config", {"clock_offset_s": clock.offset})

    try:
        await SOURCE["run"](queue, config, sleep=sleep)
    except Done:
        pass
    finally:
        config.close()
    return events
