"""The committed datasets match their recorded checksums and their data cards,
and the loader works from anywhere with one clear error for a wrong name."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

import clinical_data

from tests.repo import REPO

DATA = REPO / "datasets"
CHECKSUMS = json.loads((DATA / "checksums.json").read_text(encoding="utf-8"))
CSV_FILES = sorted(p.name for p in DATA.glob("*.csv"))


def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), f"{path.name} must start with a YAML front-matter block"
    return yaml.safe_load(text.split("---\n", 2)[1])


CARDS = {p.stem: _front_matter(p) for p in sorted((DATA / "cards").glob("*.md"))}


def _card_specs():
    """(file name, rows, columns) for every CSV a card describes."""
    specs = []
    for card in CARDS.values():
        if "file" in card:
            specs.append((card["file"], card["rows"], card["columns"]))
        for file_name in card.get("files", []):
            specs.append((file_name, card["rows"], card["columns"]))
        for file_name in card.get("truth_files", []):
            specs.append((file_name, card["rows"], card["truth_columns"]))
    return specs


SPECS = _card_specs()


def test_every_csv_has_a_checksum_and_a_card_and_nothing_else():
    assert sorted(CHECKSUMS) == CSV_FILES
    assert sorted(spec[0] for spec in SPECS) == CSV_FILES


@pytest.mark.parametrize("file_name", CSV_FILES)
def test_csv_matches_recorded_sha256(file_name):
    digest = hashlib.sha256((DATA / file_name).read_bytes()).hexdigest()
    assert digest == CHECKSUMS[file_name], (
        f"{file_name} changed since checksums.json was written; rebuild with bash datasets/rebuild.sh"
    )


@pytest.mark.parametrize("file_name, rows, columns", SPECS, ids=[s[0] for s in SPECS])
def test_csv_matches_its_card(file_name, rows, columns):
    df = pd.read_csv(DATA / file_name)
    assert len(df) == rows
    assert list(df.columns) == [c["name"] for c in columns]
    assert {c: str(t) for c, t in df.dtypes.items()} == {c["name"]: c["dtype"] for c in columns}
    for column in columns:
        assert column.get("description") and column.get("unit"), f"{file_name}:{column['name']} undocumented"


@pytest.mark.parametrize("name", sorted(CARDS))
def test_card_has_provenance_and_sections(name):
    card = CARDS[name]
    for key in ("name", "title", "rows", "columns", "source", "citation", "licence", "modules"):
        assert card.get(key), f"card {name} lacks {key}"
    body = (DATA / "cards" / f"{name}.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    for section in ("## Collection", "## Prevalence", "## Known problems", "## Modules that use it"):
        assert section in body, f"card {name} lacks a '{section}' section"


def test_names_lists_every_shipped_csv():
    assert clinical_data.names() == [f[: -len(".csv")] for f in CSV_FILES]
    for required in ("heart_disease", "covid_testing", "breast_cancer", "nhefs", "cohort_baseline"):
        assert required in clinical_data.names()


@pytest.mark.parametrize("name", ["heart_disease", "covid_testing", "breast_cancer", "nhefs", "cohort_spo2_bias"])
def test_load_equals_plain_read_csv(name):
    pd.testing.assert_frame_equal(clinical_data.load(name), pd.read_csv(DATA / f"{name}.csv"))


def test_heart_disease_schema_and_sites():
    heart = clinical_data.load("heart_disease")
    assert list(heart.columns) == (
        "site,age,sex,cp,trestbps,chol,fbs,restecg,thalach,exang,oldpeak,slope,ca,thal,num".split(",")
    )
    assert heart["site"].value_counts().to_dict() == {
        "Cleveland": 303, "Hungary": 294, "VA Long Beach": 200, "Switzerland": 123,
    }
    assert set(heart["sex"]) == {"Male", "Female"}
    assert (heart.loc[heart["site"] == "Switzerland", "chol"] == 0).all()  # documented "not recorded"
    assert (heart["num"] > 0).sum() == 509


def test_unknown_name_is_one_line_listing_the_names():
    with pytest.raises(ValueError) as err:
        clinical_data.load("heart_diseases")
    message = str(err.value)
    assert "\n" not in message
    assert "heart_diseases" in message
    for name in clinical_data.names():
        assert name in message


def test_loader_works_from_another_directory(tmp_path):
    code = "from clinical_data import load; print(len(load('heart_disease')))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "920"


def test_datasets_folder_is_under_20_mb():
    size = sum(p.stat().st_size for p in DATA.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert size < 20 * 1024 * 1024, f"datasets/ is {size / 1e6:.1f} MB"


def test_the_data_package_has_one_name_and_shadows_no_other():
    """Check that the loader is importable only as clinical_data: datasets/ is no package of its own, so
    another package called `datasets` (Hugging Face's) wins wherever the repository root is on sys.path."""
    import importlib.util

    assert not (DATA / "__init__.py").exists(), "datasets/__init__.py makes the folder a package named `datasets`"
    import tomllib

    setuptools = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert setuptools["package-dir"] == {"clinical_data": "datasets/clinical_data"}
    assert "datasets" not in setuptools["packages"] and (DATA / "clinical_data" / "__init__.py").is_file()
    spec = importlib.util.find_spec("datasets")
    assert spec is None or spec.origin is None or not Path(spec.origin).is_relative_to(DATA), \
        "`import datasets` finds the course's data folder"
