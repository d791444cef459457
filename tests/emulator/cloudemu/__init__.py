# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A local emulator of the cloud APIs cloudops.jobs calls (docs/dev/emulator-contract.md). Standard library only."""
