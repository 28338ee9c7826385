"""The greeting menu: one interactive list, the answer to "halo" and to anything not understood."""

from saldo.channels.whatsapp import texts
from saldo.channels.whatsapp.messages import Option, WaReply, list_reply
from saldo.identity.selectors import phone_kpjs
from saldo.registry.validators import normalize_phone

MENU = "menu"  # the prefix of the menu rows' ids: menu:saldo, menu:daftar…
MAIN = f"{MENU}:utama"  # "show the menu again"


def menu(*, sender: str, body: str | None = None) -> WaReply:
    """The list of services under `body` (by default a greeting that says whether the number is
    bound to a KPJ yet)."""
    if body is None:
        phone = normalize_phone(sender)
        body = texts.menu_greeting(registered=bool(phone and phone_kpjs(phone=phone)))
    options = [Option(f"{MENU}:{key}", title, description) for key, (title, description) in texts.menu_titles().items()]
    return list_reply(body, button=texts.menu_button(), section=texts.menu_section(), options=options)


def main_menu_option() -> Option:
    return Option(MAIN, texts.main_menu_button())
