"""Whether a free-text answer says something: "none", "n/a", "无" and "没有" do not.

A check-in's optional questions are often answered with a word for nothing rather than skipped.
Such an answer is not a support request, a blocker or a piece of evidence: everything that draws on
answers (the review digest and its agenda, the self-review's reminders) asks `says_something` first,
so that no feature shows "Asked you for support: “none”".
"""

from __future__ import annotations

import unicodedata

# Compared after case, width, spacing and the punctuation around them are taken away.
NOTHING = frozenset(
    {
        "none",
        "none really",
        "none for now",
        "nothing",
        "nothing really",
        "nothing much",
        "nothing for now",
        "nothing to report",
        "nothing special",
        "nothing in particular",
        "not really",
        "not much",
        "not applicable",
        "no comment",
        "no comments",
        "n/a",
        "n.a",
        "na",
        "no",
        "nope",
        "nah",
        "nil",
        "null",
        "x",
        "无",
        "没有",
        "没",
        "暂无",
        "没有了",
        "无特别",
        "没什么",
        "没有什么",
        "没啥",
        "暂时没有",
        "目前没有",
        "没问题",
        "不适用",
    }
)
_AROUND = " .,;:!?。，；：！？、…~-—–_*\"'“”‘’()（）[]【】/"


def says_something(answer: object) -> bool:
    """Whether `answer` (a stored form answer: text, or None when skipped) has anything in it."""
    if answer is None:
        return False
    text = " ".join(unicodedata.normalize("NFKC", str(answer)).lower().split()).strip(_AROUND)
    return bool(text) and text not in NOTHING
