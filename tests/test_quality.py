"""The mis-encoding detector on the patterns found in the seed pages (ftfy misses them)."""

from __future__ import annotations

import pytest

from spmlib.outputs.quality import repair


@pytest.mark.parametrize(
    ("damaged", "expected"),
    [
        ("FinComĂșn", "FinComún"),
        ("desarrollĂł un programa", "desarrolló un programa"),
        ("revisiĂłn total", "revisión total"),
        ("enfocarse mĂĄs", "enfocarse más"),
        ("inadimplĂȘncia", "inadimplência"),
        ("revisĂŁo geral", "revisão geral"),
        ("os funcionĂĄrios", "os funcionários"),
        ("polĂticas", "pol�ticas"),  # a byte was lost: flagged, not guessed
        ("filosofĂa", "filosof�a"),
    ],
)
def test_seed_mis_encoding_is_detected(damaged, expected):
    assert repair(damaged) == expected


@pytest.mark.parametrize(
    "clean",
    [
        "FinComún",
        "Prévention du surendettement",
        "Tratar os clientes de forma responsável",
        "Smart Operations (العربية)",
        "Ăsta e un cuvânt",
        "naïve café",
        "Ação",
        "ÂNGULO",
        "São Paulo",
    ],
)
def test_correct_text_is_left_alone(clean):
    assert repair(clean) is None
