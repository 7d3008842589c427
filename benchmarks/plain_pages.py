"""The content of every generated page as plain Markdown, shared by the two references of bench.py.

The plain MkDocs reference (bench.make_reference) and the Hugo reference (hugo.py) build the
very same Markdown, so that they differ only by the generator: a page's heading, a resource's
summary, type, standards and downloads, and the members of every list page.
"""

from __future__ import annotations

from spmlib.site.pagekinds import PageSpec, resource_path


def markdown_page(spec: PageSpec, catalogue, lang: str, base: str) -> str:
    """A plain Markdown page with the content of a generated one.

    Links go to other pages' sources ("resources/x.md") under `base`: "../" up to the root for
    MkDocs, which resolves links from the source file, "/" for Hugo's link render hook.
    """
    tax = catalogue.taxonomy
    order = tax.fallback_order

    def item(resource) -> str:
        title = resource.pick("title", lang, order)[0].replace("[", "(").replace("]", ")")
        meta = " · ".join([tax.type(resource.type).name[lang], *resource.standards, str(resource.year or "")])
        return f"- [{title}]({base}{resource_path(resource.id)}) — {meta}"

    lines = [f"# {spec.title}", ""]
    if spec.kind == "resource":
        r = spec.subject
        summary = r.pick("summary", lang, order)[0]
        if summary:
            lines += [summary, ""]
        lines += [f"**{tax.label('type', lang)}**: {tax.type(r.type).name[lang]}", ""]
        for code in r.standards:
            lines.append(f"- [{code}. {tax.standards[code].name[lang]}]({base}standards/{tax.standards[code].slug}.md)")
        lines += ["", f"## {tax.label('downloads', lang)}", ""]
        lines += [f"- [{download.label or download.lang}]({download.url})" for download in r.links]
        return "\n".join(lines) + "\n"
    members = {
        "standard": lambda: catalogue.by_standard[spec.subject.code],
        "dimension": lambda: catalogue.by_dimension[spec.subject.number],
        "type": lambda: catalogue.by_type[spec.subject.code],
        "topic": lambda: catalogue.by_topic[spec.subject],
        "all": lambda: catalogue.newest(),
    }
    if spec.kind == "standard":
        lines += [spec.subject.statement[lang], ""]
    if spec.kind in members:
        lines += [item(r) for r in members[spec.kind]()]
    return "\n".join(lines) + "\n"
