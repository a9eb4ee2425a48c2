# ruff: noqa: E501 - XML templates copied from the recorded formats keep their long lines
"""Build arXiv Atom pages and OAI-PMH pages in exactly the recorded formats (see
../shared/fixtures/arxiv-api and arxiv-oai), for cases the recordings do not cover."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

FEED_HEAD = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/replay</id>
  <title>arXiv Query: replay</title>
  <updated>2026-04-12T22:09:27Z</updated>
  <opensearch:itemsPerPage>{per_page}</opensearch:itemsPerPage>
  <opensearch:totalResults>{total}</opensearch:totalResults>
  <opensearch:startIndex>{start}</opensearch:startIndex>
"""


@dataclass
class Entry:
    arxiv_id: str
    title: str
    authors: list[str]
    categories: list[str] = field(default_factory=lambda: ["cs.LG"])
    published: str = "2025-03-01T12:00:00Z"
    summary: str = "We study representation learning."
    comment: str = ""
    journal_ref: str = ""
    affiliations: dict[str, str] = field(default_factory=dict)
    version: int = 1


def entry_xml(e: Entry) -> str:
    authors = "".join(
        "    <author>\n      <name>{}</name>\n{}    </author>\n".format(
            escape(name),
            f"      <arxiv:affiliation>{escape(e.affiliations[name])}</arxiv:affiliation>\n"
            if name in e.affiliations
            else "",
        )
        for name in e.authors
    )
    cats = "".join(
        f'    <category term="{c}" scheme="http://arxiv.org/schemas/atom"/>\n' for c in e.categories
    )
    comment = f"    <arxiv:comment>{escape(e.comment)}</arxiv:comment>\n" if e.comment else ""
    jref = (
        f"    <arxiv:journal_ref>{escape(e.journal_ref)}</arxiv:journal_ref>\n"
        if e.journal_ref
        else ""
    )
    return (
        "  <entry>\n"
        f"    <id>http://arxiv.org/abs/{e.arxiv_id}v{e.version}</id>\n"
        f"    <title>{escape(e.title)}</title>\n"
        f"    <updated>{e.published}</updated>\n"
        f'    <link href="https://arxiv.org/abs/{e.arxiv_id}v{e.version}" rel="alternate" type="text/html"/>\n'
        f"    <summary>{escape(e.summary)}</summary>\n"
        f"{cats}"
        f"    <published>{e.published}</published>\n"
        f"{comment}"
        f'    <arxiv:primary_category term="{e.categories[0]}"/>\n'
        f"{jref}"
        f"{authors}"
        "  </entry>\n"
    )


def feed(entries: list[Entry], *, total: int, start: int = 0, per_page: int | None = None) -> bytes:
    head = FEED_HEAD.format(per_page=per_page or len(entries), total=total, start=start)
    return (head + "".join(entry_xml(e) for e in entries) + "</feed>\n").encode()


def oai_page(records: list[dict[str, str]], *, token: str = "", size: int | None = None) -> bytes:
    """A ListRecords page; each record: id, datestamp, title, authors, categories, created."""
    body = []
    for r in records:
        body.append(
            f"""<record>
<header>
 <identifier>oai:arXiv.org:{r["id"]}</identifier>
 <datestamp>{r["datestamp"]}</datestamp>
 <setSpec>cs</setSpec>
</header>
<metadata>
 <arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://arxiv.org/OAI/arXivRaw/ http://arxiv.org/OAI/arXivRaw.xsd">
 <id>{r["id"]}</id><submitter>Someone</submitter><version version="v1"><date>{r.get("created", "Mon, 3 Mar 2025 10:00:00 GMT")}</date><size>100kb</size></version><title>{escape(r["title"])}</title><authors>{escape(r["authors"])}</authors><categories>{r.get("categories", "cs.LG")}</categories><comments>{escape(r.get("comments", ""))}</comments><abstract>  {escape(r.get("abstract", "We study representation learning."))}
</abstract></arXivRaw>
</metadata>
</record>"""
        )
    size_attr = f' completeListSize="{size}"' if size is not None else ""
    token_xml = f'<resumptionToken cursor="0"{size_attr}>{token}</resumptionToken>'
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">
<responseDate>2025-03-04T13:31:17Z</responseDate>
<request verb="ListRecords" metadataPrefix="arXivRaw">http://export.arxiv.org/oai2</request>
<ListRecords>
{"".join(body)}
{token_xml}
</ListRecords>
</OAI-PMH>
""".encode()
