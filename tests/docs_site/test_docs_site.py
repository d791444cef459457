# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The documentation site as a reader sees it: every page is opened in headless Chromium and its rendered DOM is
checked against what the collection documents (ansible-doc's view of each module, the Markdown guides).

The modules are discovered from plugins/modules/*.py; nothing here names them. Run by scripts/docs_site_test.sh,
which builds the site (scripts/docs_build.sh) and passes its path in DOCS_SITE_HTML."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import html
import json
import os
import re
import subprocess

from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SITE = os.environ.get("DOCS_SITE_HTML", os.path.join(ROOT, "build", "docs", "html"))
COLLECTION_INDEX = os.path.join(SITE, "collections", "cloudops", "jobs", "index.html")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
MODULES = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(ROOT, "plugins", "modules", "*.py"))
                 if not os.path.basename(p).startswith("_"))
GUIDES = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(ROOT, "docs", "*.md")))
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element:
    def __init__(self, tag, attrs, parent):
        self.tag = tag
        self.attrs = dict(attrs)
        self.parent = parent
        self.children = []

    def text(self):
        """The text a reader sees, without the permalink icons Sphinx puts after headings."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children
                       if isinstance(c, str) or "headerlink" not in c.attrs.get("class", "").split())

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Element):
                yield from c.iter()


class TreeBuilder(HTMLParser):
    def __init__(self):
        HTMLParser.__init__(self, convert_charrefs=True)
        self.root = Element("#document", [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        el = Element(tag, attrs, self.cur)
        self.cur.children.append(el)
        if tag not in VOID:
            self.cur = el

    def handle_endtag(self, tag):
        node = self.cur
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.cur = node.parent

    def handle_data(self, data):
        self.cur.children.append(data)


class Page:
    """A page as Chromium rendered it (``--dump-dom``), with lookups by id and the links it holds."""

    def __init__(self, path, dom):
        self.path = path
        self.dom = dom
        builder = TreeBuilder()
        builder.feed(dom)
        self.root = builder.root
        self.by_id = dict((e.attrs["id"], e) for e in self.root.iter() if e.attrs.get("id"))

    def links(self):
        """Every link target of the page, as a file path (anchors dropped), local pages only."""
        out = set()
        for e in self.root.iter():
            href = e.attrs.get("href") if e.tag == "a" else None
            if href and not urlparse(href).scheme and not href.startswith("#"):
                out.add(os.path.normpath(urlparse(urljoin("file://" + self.path, href)).path))
        return out

    def section(self, section_id):
        el = self.by_id.get(section_id)
        assert el is not None and el.tag == "section", "%s has no <section id=%r>" % (self.path, section_id)
        return el


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """``open(path)`` renders a page of the site in headless Chromium (a fresh profile) and returns it as a Page."""
    if not os.path.exists(COLLECTION_INDEX):
        pytest.fail("no documentation site in %s: run scripts/docs_site_test.sh (or make docs) first" % SITE)
    assert os.access(CHROMIUM, os.X_OK), "%s missing: scripts/docs_site_test.sh installs Debian's chromium" % CHROMIUM
    profile = str(tmp_path_factory.mktemp("chromium-profile"))
    cache = {}

    def open_page(path):
        path = os.path.normpath(path)
        if path not in cache:
            assert os.path.isfile(path), "the site has no page %s" % path
            cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   "--user-data-dir=" + profile, "--dump-dom", "file://" + path]
            proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120, check=False)
            dom = proc.stdout.decode("utf-8", "replace")
            assert proc.returncode == 0 and "<body" in dom, "Chromium could not render %s: rc=%s\n%s" % (
                path, proc.returncode, proc.stderr.decode("utf-8", "replace")[-2000:])
            cache[path] = Page(path, dom)
        return cache[path]

    return open_page


@pytest.fixture(scope="session")
def ansible_doc(tmp_path_factory):
    """What ansible-doc says about every module (options with their suboptions, examples, return values)."""
    tree = subprocess.check_output([os.path.join(ROOT, "scripts", "collection_tree.sh"),
                                    str(tmp_path_factory.mktemp("collections"))]).decode().strip()
    collections = os.path.dirname(os.path.dirname(os.path.dirname(tree)))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_NOCOLOR="1")
    out = subprocess.check_output(["ansible-doc", "--json", "-t", "module"] + ["cloudops.jobs." + m for m in MODULES],
                                  env=env)
    return json.loads(out)


def module_page(name):
    return os.path.join(SITE, "collections", "cloudops", "jobs", "%s_module.html" % name)


def option_ids(options, prefix, parent=""):
    """The anchors antsibull-docs gives each option (``parameter-a/b``) or return value (``return-a/b``)."""
    for key, spec in sorted((options or {}).items()):
        path = parent + key
        yield "%s-%s" % (prefix, path), spec
        yield from option_ids(spec.get("suboptions") or spec.get("contains"), prefix, path + "/")


def squash(text):
    """Whitespace collapsed, and Sphinx's typographic quotes back to the plain ones the docs are written with."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip()


def plain(doc_text):
    """Ansible doc markup as the page shows it: O(a=b) -> a=b, L(text,url) -> text, C(x), V(x), RV(x)... -> x."""
    doc_text = re.sub(r"\bL\(([^,)]*),[^)]*\)", r"\1", doc_text)
    return re.sub(r"\b(?:[A-Z]|RV)\(([^)]*)\)", r"\1", doc_text)


def test_modules_are_discovered():
    # The checks below run once per plugins/modules/*.py file; an empty list would make them vacuous.
    assert len(MODULES) >= 5, MODULES


def test_site_index_reaches_the_collection_index(browser):
    root = browser(os.path.join(SITE, "index.html"))
    collections_index = os.path.join(SITE, "collections", "index.html")
    assert collections_index in root.links(), "the site's front page does not link to the collections index"
    assert COLLECTION_INDEX in browser(collections_index).links(), "the collections index does not link to cloudops.jobs"


def test_site_front_page_is_the_collections_own(browser):
    # Issue 22: the front page opened on antsibull's boilerplate; it says what the collection does and links its page.
    root = browser(os.path.join(SITE, "index.html"))
    body = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", root.dom)
    text = squash(html.unescape(re.sub(r"<[^>]+>", " ", body)))
    assert "Welcome to my Ansible collection" not in text and "Ansible contributors" not in text, text[:500]
    with open(os.path.join(ROOT, "galaxy.yml")) as f:
        description = squash(re.search(r"^description: >-\n((?:  .*\n)+)", f.read(), re.M).group(1))
    assert description in text, "the front page does not say what the collection does: %s" % text[:500]
    assert COLLECTION_INDEX in root.links(), "the front page does not link to the collection's page"
    assert module_page(MODULES[0]) in root.links(), "the front page's contents do not reach the modules"


@pytest.mark.parametrize("module", MODULES)
def test_index_links_to_module(browser, ansible_doc, module):
    index = browser(COLLECTION_INDEX)
    assert module_page(module) in index.links(), "the collection index has no link to %s" % module
    short = squash(ansible_doc["cloudops.jobs." + module]["doc"]["short_description"])
    assert "%s module – %s" % (module, short) in squash(index.root.text()), "the index does not describe %s" % module


@pytest.mark.parametrize("module", MODULES)
def test_module_page_renders_options(browser, ansible_doc, module):
    doc = ansible_doc["cloudops.jobs." + module]["doc"]
    page = browser(module_page(module))
    title = squash(page.root.text())
    assert "cloudops.jobs.%s module – %s" % (module, squash(doc["short_description"])) in title
    params = page.section("parameters")
    expected = list(option_ids(doc.get("options"), "parameter"))
    assert expected, "%s documents no options" % module
    for anchor, spec in expected:
        el = page.by_id.get(anchor)
        assert el is not None, "%s: option %s is not on the page" % (module, anchor)
        # The anchor sits in the option's row: the row holds the option's name and the first words of its description.
        row = el
        while row.tag != "tr" and row.parent is not None:
            row = row.parent
        assert row.tag == "tr" and row in list(params.iter()), "%s: %s is not a row of the Parameters table" % (module, anchor)
        assert anchor.rsplit("/", 1)[-1].split("-", 1)[-1] in row.text()
        description = spec["description"][0] if isinstance(spec["description"], list) else spec["description"]
        first_words = " ".join(squash(plain(description)).split(" ")[:3])
        assert first_words in squash(row.text()), (module, anchor, first_words)


@pytest.mark.parametrize("module", MODULES)
def test_module_page_renders_examples(browser, ansible_doc, module):
    examples = ansible_doc["cloudops.jobs." + module]["examples"]
    assert "cloudops.jobs." + module in examples
    section = browser(module_page(module)).section("examples")
    code = [e for e in section.iter() if e.tag == "pre"]
    assert code, "%s: the Examples section has no code block" % module
    assert squash(examples) in squash(" ".join(c.text() for c in code)), "%s: the examples on the page differ from EXAMPLES" % module


@pytest.mark.parametrize("module", MODULES)
def test_module_page_renders_return_values(browser, ansible_doc, module):
    returns = ansible_doc["cloudops.jobs." + module]["return"]
    page = browser(module_page(module))
    section = page.section("return-values")
    expected = list(option_ids(returns, "return"))
    assert expected, "%s documents no return values" % module
    inside = set(e.attrs.get("id") for e in section.iter())
    missing = [anchor for anchor, dummy in expected if anchor not in inside]
    assert not missing, "%s: return values not in the Return Values section: %s" % (module, missing)


def test_role_page_renders_its_options(browser):
    index = browser(COLLECTION_INDEX)
    role = os.path.join(SITE, "collections", "cloudops", "jobs", "job_recovery_role.html")
    assert role in index.links()
    page = browser(role)
    assert "parameter-main--job_recovery_jobs" in page.by_id or any(
        "job_recovery_jobs" in k for k in page.by_id), "the role page does not show job_recovery_jobs"


@pytest.mark.parametrize("guide", GUIDES)
def test_guide_is_rendered_and_linked(browser, guide):
    path = os.path.join(SITE, "collections", "cloudops", "jobs", "docsite", guide + ".html")
    assert path in browser(COLLECTION_INDEX).links(), "the collection index does not link to the guide docs/%s.md" % guide
    with open(os.path.join(ROOT, "docs", guide + ".md")) as f:
        heading = f.readline().lstrip("#").strip()
    page = browser(path)
    h1 = [e for e in page.root.iter() if e.tag == "h1"]
    assert h1 and squash(h1[0].text()) == heading, (guide, [h.text() for h in h1])
    # Markdown rendered as HTML, not shown as source: no '## ' headings or ``` fences left in the text.
    body = page.root.text()
    assert not re.search(r"^\s*#{2,} ", body, re.M) and "```" not in body, "docs/%s.md was not rendered as Markdown" % guide
