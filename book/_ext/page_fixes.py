"""Small fixes to the HTML the theme stack writes (Sphinx 7.4, sphinx-thebe, pydata-sphinx-theme 0.17).

- Sphinx 7.4 lists an inline script added by an extension after the builder started twice (once as
  ``None``, once as ``""``). sphinx-thebe adds ``const THEBE_JS_URL = …`` that way, so every page threw
  "Identifier 'THEBE_JS_URL' has already been declared". Keep the first copy of each script.
- docutils writes a bibliography as ``<div role="list">`` of entries with ``role="doc-biblioentry"``, a
  role ARIA 1.2 deprecated: screen readers and axe-core (aria-required-children, critical) find a list
  without items. Give the entries ``role="listitem"``.
"""

from __future__ import annotations


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        attributes = getattr(script, "attributes", {}) or {}
        key = (getattr(script, "filename", script) or "", tuple(sorted((k, str(v)) for k, v in attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def _citation_list_items(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app):
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.connect("html-page-context", _citation_list_items, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
