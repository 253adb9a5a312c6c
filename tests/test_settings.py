"""``--set KEY=VALUE``: company.yaml keys overridden from the command line, checked as the
file is. The expected profile is always the one read from a company.yaml edited by hand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from orient.cli import main
from orient.data.company import load_company, load_profile
from orient.data.settings import parse_settings, settings_for, use_settings
from orient.errors import DataError

ROOT = Path(__file__).resolve().parents[1]
SWIFTPOST = ROOT / "data" / "companies" / "swiftpost"


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "swiftpost"
    shutil.copytree(SWIFTPOST, target)
    return target


def _edited(folder: Path, tmp_path: Path, changes: dict) -> Path:
    """A copy of the folder whose company.yaml has the keys written by hand."""
    copy = tmp_path / "edited"
    shutil.copytree(folder, copy)
    raw = yaml.safe_load((copy / "company.yaml").read_text(encoding="utf-8"))
    for key, value in changes.items():
        node = raw
        *parents, last = key.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[last] = value
    (copy / "company.yaml").write_text(
        yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return copy


def test_settings_give_the_profile_of_the_edited_file(folder, tmp_path):
    settings = parse_settings(
        ["analysis.bootstrap=200", "reporting.confidence=0.9", "language=ru", "analysis.seed=7"]
    )
    assert settings == {
        "analysis.bootstrap": 200,
        "reporting.confidence": 0.9,
        "language": "ru",
        "analysis.seed": 7,
    }
    by_hand = load_profile(_edited(folder, tmp_path, settings))
    given = load_profile(folder, settings)
    assert given.model_dump() == by_hand.model_dump()
    assert given.analysis.bootstrap == 200 and given.language == "ru"
    # the file itself is unchanged
    assert load_profile(folder).analysis.bootstrap != 200


def test_company_loaded_with_settings_has_the_fingerprint_of_the_edited_file(folder, tmp_path):
    settings = {"reporting.min_base": 50, "analysis.driver_method": "relative_weights"}
    company = load_company(folder, settings)
    assert company.min_base == 50
    assert company.fingerprint() == load_company(_edited(folder, tmp_path, settings)).fingerprint()


@pytest.mark.parametrize(
    ("setting", "key"),
    [
        ("reporting.confidence=2", "reporting.confidence"),
        ("analysis.bootstrap=-1", "analysis.bootstrap"),
        ("analysis.driver_method=magic", "analysis.driver_method"),
        ("analysis.n_resamples=5", "analysis.n_resamples"),
        ("reporting.language=ru", "reporting.language"),
    ],
)
def test_a_bad_setting_is_refused_as_the_file_would_be(folder, setting, key):
    with pytest.raises(DataError) as err:
        load_profile(folder, parse_settings([setting]))
    assert err.value.column == key
    assert f"--set {setting.split('=')[0]}" in str(err.value)


def test_malformed_settings(folder):
    for text in ["analysis.bootstrap", "=3", "a..b=1"]:
        with pytest.raises(DataError, match="KEY=VALUE"):
            parse_settings([text])
    with pytest.raises(DataError, match="not valid YAML"):
        parse_settings(["survey.segment=[a, b"])
    with pytest.raises(DataError, match="is a value, not a section"):
        load_profile(folder, {"name.first": "x"})


def test_registered_settings_apply_to_later_loads_of_the_folder(folder):
    use_settings(folder, {"analysis.bootstrap": 99})
    try:
        assert settings_for(folder / "company.yaml") == {"analysis.bootstrap": 99}
        assert load_company(folder).profile.analysis.bootstrap == 99
        # explicit settings win over the registered ones
        assert load_profile(folder, {}).analysis.bootstrap != 99
    finally:
        use_settings(folder, None)
    assert load_profile(folder).analysis.bootstrap != 99


def test_cli_validate_with_set(folder, capsys):
    assert main(["validate", str(folder), "--set", "name=Renamed Co"]) == 0
    assert "Renamed Co: the company folder is valid." in capsys.readouterr().out
    assert main(["validate", str(folder), "--set", "reporting.min_base=0"]) == 1
    err = capsys.readouterr().err
    assert "reporting.min_base" in err and "--set reporting.min_base" in err


def test_batch_inputs_hash_depends_on_the_settings(folder):
    from orient.batch import inputs_hash

    plain = inputs_hash(folder)
    assert inputs_hash(folder, settings={}) == plain
    assert inputs_hash(folder, settings={"analysis.bootstrap": 200}) != plain
