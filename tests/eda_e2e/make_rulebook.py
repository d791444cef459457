# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shipped rulebook as the end-to-end test runs it: unchanged, except that each rule shuts ansible-rulebook down
after its run_playbook action has run (so the run ends by itself).

    python make_rulebook.py SHIPPED.yml OUT.yml
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import sys

import yaml


def main(source, dest):
    with open(source) as handle:
        rulesets = yaml.safe_load(handle)
    for ruleset in rulesets:
        for rule in ruleset["rules"]:
            actions = rule.pop("actions", None) or [rule.pop("action")]
            assert any("run_playbook" in action for action in actions), rule["name"]
            actions.append({"shutdown": {"delay": 0, "message": "eda e2e: the recovery playbook ran"}})
            rule["actions"] = actions
    with open(dest, "w") as handle:
        yaml.safe_dump(rulesets, handle, sort_keys=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
