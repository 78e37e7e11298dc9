"""An evidence pack verifies offline with only the public key, and a one-byte change names the file."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Engine

from db.engine import read_session
from tests.conftest import FIXTURE_CONTENT
from tests.integrity.helpers import add_trainees, pass_quiz
from training.cli import main
from training.errors import NotAllowed
from training.evidence.keys import load_keyring, new_private_line, parse_keyring
from training.evidence.packs import build_pack, verify_pack
from training.oversight import department_in_scope


@pytest.fixture
def pack(engine: Engine, people, catalog, tmp_path: Path, monkeypatch) -> Path:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FIPP_CONTENT_ROOT", str(FIXTURE_CONTENT))  # the command loads the content it is given
    for who in add_trainees(engine, people["admin"], people["north_trainee"].department_id, 2):
        pass_quiz(engine, who, catalog)
    target = tmp_path / "north-2027.zip"
    url = engine.url.render_as_string(hide_password=False)
    assert main(["evidence-pack", "--department", "north", "--cycle", str(_year()), "--to", str(target),
                 "--database-url", url]) == 0
    return target


def _year() -> int:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).year  # no assignment: a completion counts toward its calendar year


def test_a_pack_verifies_offline_and_a_changed_byte_or_another_key_is_named(pack: Path, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                            capsys) -> None:
    public = tmp_path / "public.txt"
    public.write_text(load_keyring().public_text())  # only the public part: no database, no private key
    assert main(["verify-pack", str(pack), "--public-key", str(public)]) == 0
    assert "pack verified" in capsys.readouterr().out
    src = zipfile.ZipFile(pack)
    names = src.namelist()
    assert {"department-report.pdf", "checkpoint.txt", "manifest.json", "manifest.sig"} <= set(names)
    assert sum(n.endswith("/attempts.json") for n in names) == 2
    assert sum("/certificates/" in n for n in names) == 2
    victim = next(n for n in names if n.endswith("/attempts.json"))
    assert all(f'"{k}"' in src.read(victim).decode() for k in ("options_shown", "question_hash", "chosen", "stem"))

    altered = tmp_path / "altered.zip"
    with zipfile.ZipFile(altered, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == victim:
                data = data.replace(b'"score": 100.0', b'"score": 900.0', 1)  # one byte: 1 -> 9
                assert data != src.read(info.filename)
            out.writestr(info, data)
    assert main(["verify-pack", str(altered), "--public-key", str(public)]) == 1
    err = capsys.readouterr().err
    assert f"PACK BROKEN: {victim}: its SHA-256 does not match the manifest" in err
    assert err.count("PACK BROKEN") == 1

    other = parse_keyring(new_private_line())  # a manifest re-signed by anyone else is refused
    assert verify_pack(pack.read_bytes(), keyring=other)[0] == [
        "manifest.json: its signature does not verify (the manifest was changed, or signed with another key)"]


def test_a_supervisor_gets_a_pack_for_their_own_department_only(engine: Engine, people, catalog) -> None:  # type: ignore[no-untyped-def]
    north = people["north_supervisor"]
    with read_session(engine) as s:
        assert department_in_scope(session=s, actor=north, department_id=north.department_id)  # the control
        with pytest.raises(NotAllowed):
            build_pack(session=s, actor=north, catalog=catalog, department_id=people["south_supervisor"].department_id,
                       cycle="2027")
