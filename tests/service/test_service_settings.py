"""Token hashes, settings checks and path redaction: the small pure parts of the service."""

from __future__ import annotations

from pathlib import Path

import pytest

from forced_labour_guard.cli.common import GuardOptions
from forced_labour_guard.errors import InputError
from forced_labour_guard.service.auth import TokenVerifier
from forced_labour_guard.service.config import (
    TOKEN_FILE_ENV,
    TOKEN_HASHES_ENV,
    ServiceSettings,
    check_settings,
    from_json,
    hashes_from_file,
    load_token_hashes,
    to_json,
)
from forced_labour_guard.service.redact import redact_paths
from tests.service.service_helpers import OTHER_TOKEN, TOKEN, sha256


def test_sha256sum_output_is_a_valid_token_file() -> None:
    text = f"# ERP production\n{sha256(TOKEN)}  -\n\n{sha256(OTHER_TOKEN).upper()}  token.txt\n"
    assert hashes_from_file(text, source="tokens") == [sha256(TOKEN), sha256(OTHER_TOKEN)]


def test_a_token_written_where_its_hash_belongs_is_refused_naming_the_line() -> None:
    with pytest.raises(InputError, match=r"tokens line 2: expected the SHA-256 hash of a token"):
        hashes_from_file(f"{sha256(TOKEN)}\n{TOKEN}\n", source="tokens")


def test_the_hash_of_an_empty_token_is_refused() -> None:
    with pytest.raises(InputError, match="hash of an empty token"):
        hashes_from_file(sha256("") + "  -\n", source="tokens")


def test_hashes_come_from_the_file_and_the_variable_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokens = tmp_path / "tokens"
    tokens.write_text(sha256(TOKEN) + "\n", encoding="utf-8")
    monkeypatch.setenv(TOKEN_FILE_ENV, str(tokens))
    monkeypatch.setenv(TOKEN_HASHES_ENV, f"{sha256(OTHER_TOKEN)}, {sha256(TOKEN)}")
    assert load_token_hashes(None) == (sha256(TOKEN), sha256(OTHER_TOKEN))


def test_the_token_file_option_wins_over_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    given = tmp_path / "given"
    given.write_text(sha256(OTHER_TOKEN) + "\n", encoding="utf-8")
    monkeypatch.setenv(TOKEN_FILE_ENV, str(tmp_path / "not-this-one"))
    monkeypatch.delenv(TOKEN_HASHES_ENV, raising=False)
    assert load_token_hashes(str(given)) == (sha256(OTHER_TOKEN),)


def test_an_unreadable_token_file_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(TOKEN_HASHES_ENV, raising=False)
    with pytest.raises(InputError, match="cannot read the token file"):
        load_token_hashes(str(tmp_path / "missing"))


def test_the_verifier_accepts_only_tokens_whose_hash_is_configured() -> None:
    verifier = TokenVerifier([sha256(TOKEN), sha256(OTHER_TOKEN)])
    assert verifier.accepts(TOKEN) and verifier.accepts(OTHER_TOKEN)
    assert not verifier.accepts(TOKEN + " ")
    assert not verifier.accepts(sha256(TOKEN))  # the hash itself is not a token
    assert not TokenVerifier([]).accepts("")


def test_the_service_will_not_start_open_to_anyone() -> None:
    problems = check_settings(ServiceSettings())
    assert any("no bearer token configured" in p for p in problems)
    assert check_settings(ServiceSettings(token_hashes=(sha256(TOKEN),))) == []


def test_loopback_is_the_default_address() -> None:
    assert ServiceSettings().host == "127.0.0.1"


def test_settings_reach_a_worker_unchanged() -> None:
    settings = ServiceSettings(token_hashes=(sha256(TOKEN),), workers=2, request_timeout=1.5)
    options = GuardOptions(store="audit.db", lists=["a.csv", "b.json"], max_list_age=30)
    assert from_json(to_json(settings, options)) == (settings, options)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The watchlist /srv/flg/lists/company.csv could not be loaded",
            "The watchlist company.csv could not be loaded",
        ),
        ("store '/var/lib/flg/audit.db': disk I/O error", "store 'audit.db': disk I/O error"),
        ("(see /etc/flg/policy.toml)", "(see policy.toml)"),
    ],
)
def test_absolute_paths_are_cut_to_their_last_part(text: str, expected: str) -> None:
    assert redact_paths(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "refresh from https://www.dhs.gov/uflpa-entity-list today",
        "Hansen A/S and Vestas Wind Systems A/S",
        "listed on 2023/06/12",
        "FR 2023-12481 (88 FR 38080)",
        "cotton and/or yarn",
    ],
)
def test_urls_dates_and_names_with_slashes_are_left_alone(text: str) -> None:
    assert redact_paths(text) == text
