"""Finding 13: the page icon is shipped with the app, not fetched from the internet.

A Material icon as page_icon makes every page ask fonts.gstatic.com for the favicon (an error
in every console on an offline or restricted network); before the fix this test failed."""

import ast

from tests.conftest import ROOT


def test_the_page_icon_is_a_file_in_the_repository():
    tree = ast.parse((ROOT / "streamlit_app.py").read_text())
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "set_page_config"]
    icon = next(k.value for k in calls[0].keywords if k.arg == "page_icon")
    assert isinstance(icon, ast.Name) and icon.id == "ICON"  # not a ":material/...:" string
    assert (ROOT / "assets" / "icon.png").read_bytes().startswith(b"\x89PNG")
