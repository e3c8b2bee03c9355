"""The course repository the tests check: this checkout (the one place the tests name it)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
