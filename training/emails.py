"""Email addresses that officers, administrators and roster files give.

email-validator checks the syntax (RFC 5321/5322 and internationalised addresses, a domain
with a dot, no special-use names such as `.local` or `.invalid`) and says what is wrong. It is
never asked to look the domain up: `check_deliverability=False`, so no DNS query is made (the
server may have no resolver, and a check must not wait on one).
"""

from __future__ import annotations

from training.errors import InvalidInput


def email_problem(address: str, *, display_name: bool = False) -> str | None:
    """Why `address` is not an email address, in a sentence; None when it is one. With
    display_name, `FIPP Academy <academy@agency.gov>` is accepted too (a sender)."""
    # Imported here: it loads its IDNA tables, and the sign-in page (which imports this module
    # through the first-administrator check) never validates an address.
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(address, check_deliverability=False, allow_display_name=display_name)
    except EmailNotValidError as e:
        return str(e)
    return None


def check_email(address: str) -> str:
    """`address` unchanged when it is an email address; InvalidInput naming the problem when not."""
    problem = email_problem(address)
    if problem is not None:
        raise InvalidInput(f"'{address}' is not an email address: {problem}")
    return address
