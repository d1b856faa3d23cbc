"""The exposure rule in plain Python (no Spark needed): cycles end, ties are deterministic, and the
code of a path is the Guard's own rule."""

from __future__ import annotations

import pytest

from forced_labour_guard.spark.graph import local_exposure, paragraph_of

pytestmark = pytest.mark.filterwarnings("ignore")


def test_a_cycle_ends_and_each_company_is_reached_once() -> None:
    edges = [("A", "B", "sub_supplier"), ("B", "A", "sub_supplier"), ("B", "S", "subsidiary")]
    answer = local_exposure({"S": ["A1"]}, edges)
    assert {c: e.tier for c, e in answer.items()} == {"S": 0, "B": 1, "A": 2}
    assert answer["A"].path == ("A", "B", "S")


def test_ties_go_to_the_smaller_seed_then_the_smaller_path() -> None:
    edges = [("A", "S2", "sub_supplier"), ("A", "S1", "sub_supplier")]
    assert local_exposure({"S1": ["A1"], "S2": ["A1"]}, edges)["A"].seed_id == "S1"


@pytest.mark.parametrize(
    ("kinds", "paragraph", "steps"),
    [
        ((), "A1", ("B1",)),
        (("sub_supplier",), "A1", ("B1",)),
        (("sub_supplier", "subsidiary"), "A2", ("B2",)),
        (("operation",), "A2", ("B2",)),
        (("parent",), "A2", ("B2",)),
        (("producer",), "A4", ("B4",)),
        (("producer", "sub_supplier"), "A4", ("B4",)),
        (("producer", "subsidiary"), "A2", ("B2",)),  # a group member first, as the Guard says
    ],
)
def test_the_code_of_a_path_is_the_guards_location_rule(
    kinds: tuple[str, ...], paragraph: str, steps: tuple[str, ...]
) -> None:
    assert paragraph_of(kinds) == (paragraph, steps)


def test_an_unknown_edge_kind_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown edge kind 'owns'"):
        local_exposure({"S": ["A1"]}, [("A", "S", "owns")])


def test_max_depth_zero_keeps_only_the_seeds() -> None:
    answer = local_exposure({"S": ["A1"]}, [("A", "S", "sub_supplier")], max_depth=0)
    assert set(answer) == {"S"}
