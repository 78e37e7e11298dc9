"""Email addresses are checked by email-validator's rules, with the reason, and never looked up."""

import dns.resolver
import pytest

from training.emails import check_email, email_problem
from training.errors import InvalidInput


@pytest.mark.parametrize("address", ["trainee@north.example.org", "O.Brien+fipp@state.vt.us",
                                     "jose.garcía@example.org", "a@lp.example"])
def test_addresses_people_have_pass_unchanged(address):
    assert email_problem(address) is None and check_email(address) == address


@pytest.mark.parametrize(("address", "reason"), [
    ("not-an-email", "must have an @-sign"),
    ("a@b", "It should have a period"),
    ("two words@example.org", "invalid characters before the @-sign"),
    ("a@@example.org", "@"),
    ("a@pd.local", "special-use or reserved name"),
    ("a@example..org", "period"),
])
def test_a_bad_address_is_refused_naming_what_is_wrong(address, reason):
    problem = email_problem(address)
    assert problem is not None and reason in problem
    with pytest.raises(InvalidInput, match=f"^'{address}' is not an email address: "):
        check_email(address)


def test_no_dns_query_is_made(monkeypatch):
    def no_network(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a DNS query was made")

    monkeypatch.setattr(dns.resolver.Resolver, "resolve", no_network)
    monkeypatch.setattr(dns.resolver, "resolve", no_network)
    assert email_problem("someone@domain-that-does-not-exist-anywhere.org") is None
