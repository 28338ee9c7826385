"""How contacts are shown to someone who must recognise them but not learn them (a bank account's
number: banking.banks.account_masked)."""


def phone_masked(phone: str) -> str:
    """+628154817745 -> +62815****745: the member recognises their number, a stranger learns nothing."""
    if len(phone) < 10:
        return "*" * len(phone)
    return phone[:6] + "*" * (len(phone) - 9) + phone[-3:]


def email_masked(email: str) -> str:
    """neng.kurniasih@example.com -> n***@example.com"""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else ""
