"""The executive summary says only what its results show (issue: the report tells the truth).

Each finding is rendered from a stage's headline; these tests give the headline a
result and check the sentence against it, in both languages.
"""

from __future__ import annotations

import pytest

from orient import report

_QUADRANT_PHRASES = {
    "en": {"improve": "important to customers and performing below the line",
           "keep_advantage": "keep the advantage",
           "maintain_or_reduce": "of less importance to customers",
           "low_priority": "of less importance to customers and performing below the line"},
    "ru": {"improve": "важно для клиентов, а оценки ниже среднего",
           "keep_advantage": "сохранять преимущество",
           "maintain_or_reduce": "оценки выше среднего, но для клиентов это менее важно",
           "low_priority": "для клиентов менее важно, оценки ниже среднего"},
}


def _priority_finding(quadrant: str, language: str) -> str:
    summary = {"stages": {"priorities": {"headline": {
        "top_priority_label": "Speed", "top_priority_quadrant": quadrant}}}}
    (found,) = [f for f in report._findings(summary, language, {}) if "Speed" in f]
    return found


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("quadrant", ["improve", "keep_advantage", "maintain_or_reduce",
                                      "low_priority"])
def test_the_first_priority_is_described_by_its_own_quadrant(quadrant, language):
    text = _priority_finding(quadrant, language)
    phrases = _QUADRANT_PHRASES[language]
    assert phrases[quadrant] in text
    for other, phrase in phrases.items():
        if other != quadrant and phrase not in phrases[quadrant]:
            assert phrase not in text, (quadrant, other)
