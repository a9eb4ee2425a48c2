"""What a README says about a paper: does it cite it, does it call itself a re-implementation,
does it report reproduced results. Plain text heuristics, each returning words a recruiter can
check against the README."""

from __future__ import annotations

import re

from sourcing.github.sources import PaperRef

# Very short titles ("Attention") would match anything: cite by title from this many words on.
MIN_TITLE_WORDS = 3

_REIMPLEMENTATION_WORDS = {
    "unofficial": re.compile(r"\bun-?official\b", re.IGNORECASE),
    "not the official": re.compile(r"\bnot\s+(?:the\s+)?official\b", re.IGNORECASE),
    "re-implementation": re.compile(r"\bre-?implement(?:ation|ed|s)?\b", re.IGNORECASE),
    "reproduction": re.compile(r"\breproduc(?:tion|ing|e|ed)\b", re.IGNORECASE),
}
_RESULT_WORDS = re.compile(
    r"\b(?:results?|accuracy|top-?1|top-?5|bleu|rouge|fid|map|miou|f1|perplexity|psnr|ssim|"
    r"auc|wer|score)\b",
    re.IGNORECASE,
)
# A markdown table row holding a measurement (e.g. "| ResNet-50 | 76.1 | 75.9 |").
_TABLE_NUMBER_ROW = re.compile(r"^\s*\|.*\b\d+(?:\.\d+)?\s*%?\s*\|", re.MULTILINE)
_REPRODUCED_PHRASE = re.compile(
    r"\b(?:reproduced?\s+(?:the\s+)?results?|results?\s+(?:are\s+)?reproduced|"
    r"we\s+reproduce|matches?\s+(?:the\s+)?paper|paper\s+reports?|reported\s+in\s+the\s+paper|"
    r"(?:ours|our\s+results?)\s+vs\.?\s+(?:the\s+)?paper)\b",
    re.IGNORECASE,
)


def _squash(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def arxiv_id_pattern(arxiv_id: str) -> re.Pattern[str]:
    """The id with an optional version, not embedded in a longer number."""
    return re.compile(rf"(?<![\w.]){re.escape(arxiv_id)}(?:v\d+)?(?![\d])", re.IGNORECASE)


def citation_of(readme: str, paper: PaperRef) -> str:
    """How the README cites the paper ("arXiv id", "title"), or "" when it does not."""
    if arxiv_id_pattern(paper.arxiv_id).search(readme):
        return "arXiv id"
    title = _squash(paper.title)
    # Very short titles ("Attention") would match anything; only cite by title from 3 words on.
    if len(title.split()) >= MIN_TITLE_WORDS and title in _squash(readme):
        return "title"
    return ""


def reimplementation_words(readme: str) -> list[str]:
    return [word for word, pattern in _REIMPLEMENTATION_WORDS.items() if pattern.search(readme)]


def reports_results(readme: str) -> bool:
    """True when the README shows numbers in a results table, or says in words that it
    reproduced the paper's results."""
    if _REPRODUCED_PHRASE.search(readme):
        return True
    return bool(_TABLE_NUMBER_ROW.search(readme)) and bool(_RESULT_WORDS.search(readme))


def excerpt(readme: str, *, limit: int = 600) -> str:
    text = " ".join(readme.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
