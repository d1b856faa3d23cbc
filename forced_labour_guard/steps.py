"""The Call-to-Action catalogue: paragraphs A, B and C and their numbered steps.

The catalogue is data (``data/call_to_action_steps.json``) so that the wording a buyer reads in every
explanation lives in one place. Loaded once at import; nothing here touches the disk afterwards.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Final

from pydantic import BaseModel, ConfigDict


class Step(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    paragraph: str
    title: str
    summary: str

    def sentence(self) -> str:
        """ "B1 (Disengage immediately): End the relationship ..." for explanations."""
        return f"{self.id} ({self.title}): {self.summary}"


def _load_catalogue() -> dict[str, Step]:
    raw = json.loads(
        resources.files("forced_labour_guard")
        .joinpath("data/call_to_action_steps.json")
        .read_text(encoding="utf-8")
    )
    return {entry["id"]: Step.model_validate(entry) for entry in raw["steps"]}


CATALOGUE: Final[dict[str, Step]] = _load_catalogue()
SOURCE_ORDER: Final[tuple[str, ...]] = tuple(CATALOGUE)


def step(step_id: str) -> Step:
    """The catalogue entry for ``step_id``; a KeyError names the unknown id."""
    try:
        return CATALOGUE[step_id]
    except KeyError:
        raise KeyError(f"unknown Call-to-Action step {step_id!r}") from None


def ordered(step_ids: set[str] | list[str]) -> list[str]:
    """Steps in the Call to Action's own order (A before B1 before B4 before C2), without repeats."""
    wanted = set(step_ids)
    return [sid for sid in SOURCE_ORDER if sid in wanted]
