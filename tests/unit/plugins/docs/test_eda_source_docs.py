# -*- coding: utf-8 -*-
# Copyright (c) 2026 cloudops.jobs contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The EDA source's credential, region, endpoint and TLS documentation is the doc fragments', as
scripts/eda_source_docs.py writes it: a fragment changed without running the script fails here."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil

import pytest
import yaml

from ansible_collections.cloudops.jobs.tests.unit.eda.eda_fakes import load_source

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
SCRIPT = os.path.join(ROOT, "scripts", "eda_source_docs.py")


@pytest.fixture(scope="module")
def gen():
    """The script's globals (run as ``runpy.run_path`` would, which ansible-test's collection loader does not allow)."""
    with open(SCRIPT) as handle:
        code = compile(handle.read(), SCRIPT, "exec")
    namespace = {"__name__": "eda_source_docs", "__file__": SCRIPT, "__builtins__": __builtins__}
    exec(code, namespace)  # pylint: disable=exec-used
    return namespace


@pytest.fixture(scope="module")
def source():
    return load_source()


def source_text(gen):
    with open(os.path.join(ROOT, gen["SOURCE"])) as handle:
        return handle.read()


def own_options(source):
    return set(source["source_spec"]()) | set(source["iotda_spec"]())


def test_the_generated_options_and_notes_are_the_fragments(gen, source):
    doc = yaml.safe_load(source["DOCUMENTATION"])
    options, notes = gen["generated"](ROOT)
    generated_here = dict((k, v) for k, v in doc["options"].items() if k not in own_options(source))
    stale = sorted(name for name in set(options) | set(generated_here) if options.get(name) != generated_here.get(name))
    assert not stale, ("the source documents %s otherwise than the doc fragments: run python3 scripts/eda_source_docs.py"
                       % ", ".join(stale))
    assert doc["notes"][-len(notes):] == notes, "the fragments' notes changed: run python3 scripts/eda_source_docs.py"


def test_the_script_finds_the_file_up_to_date(gen):
    text = source_text(gen)
    assert gen["updated"](text, *gen["generated"](ROOT)) == text, "run python3 scripts/eda_source_docs.py"


def test_the_source_documents_no_option_it_does_not_take_and_every_one_it_does(source):
    from ansible_collections.cloudops.jobs.plugins.module_utils import _argspec
    doc = yaml.safe_load(source["DOCUMENTATION"])
    assert set(doc["options"]) == own_options(source) | set(_argspec.huawei_spec()) | set(_argspec.tencent_spec())


def copy_fragments(gen, tmp_path):
    for path in (gen["HUAWEI"][0], gen["TENCENT"][0], gen["CONNECTION"][0]):
        os.makedirs(str(tmp_path / os.path.dirname(path)), exist_ok=True)
        shutil.copy(os.path.join(ROOT, path), str(tmp_path / path))
    return str(tmp_path)


def test_an_option_added_to_a_fragment_makes_the_file_out_of_date_until_regenerated(gen, tmp_path):
    root = copy_fragments(gen, tmp_path)
    path = os.path.join(root, gen["HUAWEI"][0])
    with open(path) as handle:
        text = handle.read()
    added = "options:\n  zz_new_option:\n    description:\n      - A new way in.\n    type: str\n    default: x\n"
    with open(path, "w") as handle:
        handle.write(text.replace("options:\n", added, 1))
    source = source_text(gen)
    options, notes = gen["generated"](root)
    assert options["zz_new_option"] == {"description": ["Huawei Cloud (O(service=drs), O(service=iotda)) only. A new way in."],
                                        "type": "str", "default": "x"}
    new = gen["updated"](source, options, notes)
    assert new != source
    assert yaml.safe_load(new[new.index('r"""') + 4:new.index('"""', new.index('r"""') + 4)])["options"]["zz_new_option"] == \
        options["zz_new_option"]
    assert gen["updated"](new, options, notes) == new


def test_an_option_of_both_clouds_keeps_each_description_and_default(gen):
    merged = gen["merge"]("endpoint", [
        ("Huawei Cloud (H)", {"description": ["Huawei text."], "type": "str"}),
        ("Tencent Cloud (T)", {"description": "Tencent text.", "type": "str", "default": "https://t"}),
    ])
    assert merged == {"description": ["Huawei Cloud (H) - Huawei text.", "Tencent Cloud (T) - Tencent text.",
                                      "Tencent Cloud default V(https://t)."], "type": "str"}
    with pytest.raises(ValueError, match="type"):
        gen["merge"]("region", [("H", {"description": "a", "type": "str"}), ("T", {"description": "b", "type": "int"})])


def test_a_missing_marker_is_an_error(gen):
    text = source_text(gen).replace("# END generated", "# END", 1)
    with pytest.raises(ValueError):
        gen["updated"](text, *gen["generated"](ROOT))


def test_an_option_both_clouds_document_alike_is_taken_as_it_is_and_suboptions_merge(gen):
    same = {"description": ["Seconds."], "type": "int", "default": 30}
    assert gen["merge"]("timeout", [("H", same), ("T", dict(same))]) == same
    merged = gen["merge"]("assume_role", [
        ("Huawei Cloud (H)", {"description": "Role.", "type": "dict", "suboptions": {"name": {"description": "N.", "type": "str"}}}),
        ("Tencent Cloud (T)", {"description": "Role.", "type": "dict", "suboptions": {
            "name": {"description": "N.", "type": "str"}, "arn": {"description": "A.", "type": "str", "choices": ["x"]}}}),
    ])
    assert merged["suboptions"]["name"] == {"description": ["N."], "type": "str"}
    assert merged["suboptions"]["arn"] == {"description": ["Tencent Cloud (T) only. A."], "type": "str", "choices": ["x"]}
    # a suboption one cloud requires is not required of the other cloud's users
    required = gen["merge"]("assume_role", [
        ("Huawei Cloud (H)", {"description": "Role.", "type": "dict", "suboptions": {"agency": {"description": "G.", "type": "str", "required": True}}}),
        ("Tencent Cloud (T)", {"description": "Role.", "type": "dict", "suboptions": {"arn": {"description": "A.", "type": "str", "required": True}}}),
    ])
    assert required["suboptions"]["agency"] == {"description": ["Huawei Cloud (H) only. G.", "Required."], "type": "str"}
    assert merged["description"] == ["Huawei Cloud (H) - Role.", "Tencent Cloud (T) - Role."] and merged["type"] == "dict"


def test_the_suboptions_of_one_clouds_option_are_not_marked_again(gen):
    merged = gen["merge"]("assume_role", [("Huawei Cloud (H)", {"description": "Role.", "type": "dict", "suboptions": {
        "agency_name": {"description": "Name.", "type": "str", "required": True}}})])
    assert merged == {"description": ["Huawei Cloud (H) only. Role."], "type": "dict",
                      "suboptions": {"agency_name": {"description": ["Name."], "type": "str", "required": True}}}
