"""Redirect files so that, once the site is published, the graph's IRIs resolve.

- ``w3id.htaccess``: for the ``evidencegraph/`` folder of the w3id.org repository.
  ``https://w3id.org/evidencegraph/id/<path>`` is redirected (303) to the
  published site's ``id/<path>.ttl``, ``.jsonld`` or ``.html`` by ``Accept``; the
  ontology IRI to ``ontology.html``.
- ``.htaccess``: the same negotiation on the host itself, for an Apache host.
"""

from __future__ import annotations

_RDF = (
    ("text/turtle", "ttl"),
    ("application/ld\\+json", "jsonld"),
    ("application/n-triples", "ttl"),
)
PLACEHOLDER = "https://example.org/evidencegraph/"


def _rules(target: str, *, local: bool) -> list[str]:
    """Rules from an IRI path to its page or data; on the host itself, only for paths
    that are not files already (so a page is never redirected to itself)."""
    only_iris = ["RewriteCond %{REQUEST_FILENAME} !-f"] if local else []
    lines = ["RewriteEngine on", ""]
    for mime, suffix in _RDF:
        lines += [
            *only_iris,
            f"RewriteCond %{{HTTP_ACCEPT}} {mime}",
            f"RewriteRule ^id/(.+)$ {target}id/$1.{suffix} [R=303,L]",
        ]
    lines += [*only_iris, f"RewriteRule ^id/(.+)$ {target}id/$1.html [R=303,L]"]
    if not local:
        lines += [
            f"RewriteRule ^ontology/?$ {target}ontology.html [R=303,L]",
            f"RewriteRule ^$ {target}index.html [R=303,L]",
        ]
    return lines


def files(base_url: str | None) -> dict[str, str]:
    base = (base_url or PLACEHOLDER).rstrip("/") + "/"
    head = [
        "# w3id.org redirects for evidencegraph: copy this file to the evidencegraph/",
        "# folder of the w3id.org repository as .htaccess.",
    ]
    if base_url is None:
        head.append(
            f"# Published where? Replace {PLACEHOLDER} "
            "(or run `evidencegraph site --base-url URL`)."
        )
    w3id = [*head, "Header set Vary Accept", *_rules(base, local=False)]
    local = [
        "# Content negotiation for an Apache host serving this folder.",
        "Header set Vary Accept",
        "AddType text/turtle .ttl",
        "AddType application/ld+json .jsonld",
        *_rules("/" if base_url is None else base, local=True),
    ]
    return {"w3id.htaccess": "\n".join(w3id) + "\n", ".htaccess": "\n".join(local) + "\n"}
