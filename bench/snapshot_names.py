"""Author names for the generated snapshot, as skewed as arXiv's.

What is public about arXiv's authors, and what the real sample (the snapshot's first 100 lines,
``../shared/fixtures/arxiv-snapshot``, from 2007) shows:

* a handful of surnames are shared by a large share of authors. China's 2020 census puts Wang,
  Li, Zhang, Liu and Chen at ~30 % of its population; authors of Chinese origin write roughly a
  third of recent arXiv papers in cs/stat, so those five alone carry ~10 % of author mentions,
  Korean (Kim, Lee, Park) and Indian (Singh, Kumar) surnames a few per cent more. Even the 2007
  sample, mostly physics and maths, has Chen, Li and Wang among its most frequent surnames (7 of
  its 225 author mentions);
* given names concentrate too within those surnames (pinyin given names are few: "Wei Wang" is
  hundreds of different people), so a blocking key (surname + first initial) such as ``wang|w``
  or ``zhang|y`` holds thousands of people in a full import;
* a third of the sample's mentions give initials only ("A. B."), more in physics than in cs;
  this generator uses 15 % for its ML categories;
* the rest is a long tail: most surnames occur once or a few times (Zipf-like, exponent ~1).

So: the head surnames below carry 26 % of mentions with the weights given (per cent of
mentions), the other 74 % follow a Zipf law over a tail of made-up surnames that grows with the
file (as a real corpus's does); given names are Zipf-distributed within their list. People are
drawn with a Zipf-like productivity (a few authors write many papers), and different people
may share a name, as they do."""

from __future__ import annotations

import bisect
import itertools
import random

HEAD_SURNAMES = {
    "Wang": 2.6, "Zhang": 2.4, "Li": 2.4, "Liu": 1.9, "Chen": 1.9, "Yang": 1.1, "Zhao": 0.9,
    "Wu": 0.9, "Huang": 0.8, "Zhou": 0.8, "Xu": 0.8, "Kim": 0.9, "Lee": 0.8, "Sun": 0.6,
    "Lin": 0.6, "Park": 0.5, "Zhu": 0.5, "Ma": 0.5, "Hu": 0.5, "He": 0.5, "Guo": 0.4, "Gao": 0.4,
    "Singh": 0.4, "Kumar": 0.4, "Nguyen": 0.3, "Luo": 0.3,
}  # fmt: skip
# Surnames whose given names are drawn from the pinyin/Korean list.
_EAST_ASIAN = set(HEAD_SURNAMES) - {"Singh", "Kumar", "Nguyen"}
PINYIN = [
    "Wei", "Jing", "Yu", "Xin", "Hao", "Jie", "Lei", "Jun", "Yang", "Yi", "Chen", "Lin", "Tao",
    "Bo", "Peng", "Min", "Hui", "Yan", "Ying", "Xiaoming", "Wenjie", "Yong", "Qiang", "Fei",
    "Hong", "Ming", "Xiang", "Zhen", "Jian", "Yue", "Rui", "Kai", "Ji", "Dong", "Feng", "Lu",
    "Li", "Na", "Xiaoyu", "Zhiwei", "Yuxin", "Haoran", "Jiawei", "Zihan", "Siyu", "Tianyi",
    "Seung", "Jiwon", "Minsoo", "Hyun",
]  # fmt: skip
WESTERN = [
    "David", "Michael", "John", "Daniel", "Thomas", "Anna", "Maria", "Alexander", "Peter",
    "Andrew", "Paul", "Robert", "James", "Sarah", "Laura", "Martin", "Christian", "Stefan",
    "Ahmed", "Mohammed", "Rahul", "Amit", "Priya", "Yann", "Ian", "Chelsea", "Pieter", "Percy",
    "Sergey", "Oriol", "Ilya", "Quoc", "Hugo", "Joelle", "Yoshua", "Zoubin", "Noam", "Ashish",
]  # fmt: skip
_SYLLABLES = [
    "ka", "ro", "mi", "ten", "ber", "lo", "san", "vi", "dor", "el", "an", "ko", "ri", "sta",
    "man", "ne", "gor", "tu", "lin", "ski", "vas", "ho", "mel", "dra", "zi", "pe", "nov", "ga",
]  # fmt: skip
HEAD_SHARE = sum(HEAD_SURNAMES.values()) / 100
INITIALS_ONLY = 0.15
MIDDLE_INITIAL = 0.2


def _zipf_cumulative(count: int, exponent: float = 1.0, offset: float = 1.0) -> list[float]:
    return list(itertools.accumulate(1 / (rank + offset) ** exponent for rank in range(count)))


def _tail_surname(rank: int) -> str:
    """A made-up surname per rank: three or four syllables, distinct per rank."""
    base = len(_SYLLABLES)
    letters = []
    value = rank
    for _ in range(3):
        value, digit = divmod(value, base)
        letters.append(_SYLLABLES[digit])
    while value:
        value, digit = divmod(value, base)
        letters.append(_SYLLABLES[digit])
    return "".join(letters).capitalize()


class NamePool:
    """``people`` authors (name as (given, surname)) and a productivity law to draw them by."""

    def __init__(self, rng: random.Random, people: int) -> None:
        self.rng = rng
        heads = list(HEAD_SURNAMES)
        head_cumulative = list(itertools.accumulate(HEAD_SURNAMES.values()))
        tail_size = max(500, people // 4)
        # Offset so the commonest made-up surname stays below the rarest head one (~0.1 %).
        tail_cumulative = _zipf_cumulative(tail_size, 1.0, 100.0)
        pinyin_cumulative = _zipf_cumulative(len(PINYIN), 0.8)
        western_cumulative = _zipf_cumulative(len(WESTERN), 0.6)
        names: list[tuple[str, str]] = []
        for _ in range(people):
            if rng.random() < HEAD_SHARE:
                surname = heads[_pick(rng, head_cumulative)]
            else:
                surname = _tail_surname(_pick(rng, tail_cumulative))
            if surname in _EAST_ASIAN:
                given = PINYIN[_pick(rng, pinyin_cumulative)]
            else:
                given = WESTERN[_pick(rng, western_cumulative)]
            if rng.random() < INITIALS_ONLY:
                given = f"{given[0]}."
            if rng.random() < MIDDLE_INITIAL:
                given = f"{given} {rng.choice('ABCDEFGHJKLMNPRST')}."
            names.append((given, surname))
        self.names = names
        # A few people write many papers: rank r is drawn in proportion to 1 / (r + 100) ** 0.8.
        self._productivity = _zipf_cumulative(people, 0.8, 100.0)

    def authors(self, count: int) -> list[tuple[str, str]]:
        """``count`` different people for one paper."""
        chosen: dict[int, None] = {}
        while len(chosen) < count:
            chosen[_pick(self.rng, self._productivity)] = None
        return [self.names[i] for i in chosen]


def _pick(rng: random.Random, cumulative: list[float]) -> int:
    return min(len(cumulative) - 1, bisect.bisect(cumulative, rng.random() * cumulative[-1]))
