"""Django settings. Everything a deployment changes comes from the environment."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("SALDO_DATA_DIR", PROJECT_DIR / "data"))

DEBUG = os.environ.get("SALDO_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("SALDO_SECRET_KEY", "insecure-dev-key-change-me-in-production")
ALLOWED_HOSTS = os.environ.get("SALDO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "saldo.core",
    "saldo.staff",
    "saldo.registry",
    "saldo.ledger",
    "saldo.contributions",
    "saldo.returns",
    "saldo.statements",
    "saldo.identity",
    "saldo.audit",
    "saldo.channels",
    "saldo.channels.whatsapp",
    "saldo.banking",
    "saldo.claims",
    "saldo.portal",
    "saldo.api",
]

MIDDLEWARE = [
    # Kannel's callbacks skip the rest: it serves browsers (see the module).
    "saldo.channels.kannel.middleware.kannel_direct",
    # Outermost of the rest: its jobs run once the response is written (see the module).
    "saldo.core.after_response.after_response_middleware",
    "django.middleware.security.SecurityMiddleware",
    # Serves /static/ from the app itself under gunicorn (no CDN, no separate web server needed).
    "saldo.portal.staticfiles.StaticFilesMiddleware",  # WhiteNoise
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "saldo.urls"
WSGI_APPLICATION = "saldo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        return url
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DATA_DIR / 'saldo.sqlite3'}"


DATABASES = {"default": dj_database_url.parse(_database_url(), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import writes; the busy timeout makes a
    # writer wait for the lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg prepares nothing (Django's cursors bind on the client anyway): saldo.core.prepared
    # prepares the hot-path statements itself, and psycopg deallocates every prepared statement
    # of the connection after a rollback when it has prepared one of its own.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SALDO_TEST_DB_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = os.environ.get("SALDO_LANGUAGE", "id")
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise serves what collectstatic gathered, and the apps' own static folders when it was not run.
WHITENOISE_USE_FINDERS = True

# Argon2 for members' passwords; PBKDF2 still verifies hashes made before the switch.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SALDO_LOG_LEVEL", "INFO")},
}

# Domain settings (dated configuration lives in the apps' rate tables).
SALDO = {
    # A monthly wage above this is refused by the import as absurd (whole rupiah).
    "MAX_MONTHLY_WAGE": int(os.environ.get("SALDO_MAX_MONTHLY_WAGE", 1_000_000_000)),
    # Rows per batch when bulk-posting; bounds memory and transaction size.
    "IMPORT_BATCH_ROWS": int(os.environ.get("SALDO_IMPORT_BATCH_ROWS", 50_000)),
}

# SMS through a Kannel gateway (src/saldo/channels/kannel/, deploy/kannel/).
SALDO_KANNEL = {
    # Shared with kannel.conf (sms-service URL) and put in our dlr-url; URL-safe characters only,
    # e.g. `python -c "import secrets; print(secrets.token_urlsafe(32))"`. Empty refuses every request.
    "SECRET": os.environ.get("SALDO_KANNEL_SECRET", ""),
    "SENDSMS_URL": os.environ.get("SALDO_KANNEL_SENDSMS_URL", "http://127.0.0.1:13013/cgi-bin/sendsms"),
    "USERNAME": os.environ.get("SALDO_KANNEL_USERNAME", "saldo"),
    "PASSWORD": os.environ.get("SALDO_KANNEL_PASSWORD", ""),
    "SHORTCODE": os.environ.get("SALDO_SMS_SHORTCODE", "2757"),
    # How Kannel reaches this service: the base of the dlr-url.
    "PUBLIC_URL": os.environ.get("SALDO_PUBLIC_URL", "http://127.0.0.1:8000"),
    # Outbox sending: attempts per message, seconds per HTTP call, first backoff (doubles per retry).
    "SEND_ATTEMPTS": int(os.environ.get("SALDO_KANNEL_SEND_ATTEMPTS", 4)),
    "SEND_TIMEOUT": float(os.environ.get("SALDO_KANNEL_SEND_TIMEOUT", 5)),
    "SEND_BACKOFF": float(os.environ.get("SALDO_KANNEL_SEND_BACKOFF", 0.5)),
}

# Text channels (SMS short code, WhatsApp): abuse limits for the command handlers.
SALDO_CHANNELS = {
    # Failed registrations (data that does not match) per number before DAFTAR is locked.
    "REGISTRATION_MAX_FAILURES": int(os.environ.get("SALDO_REGISTRATION_MAX_FAILURES", 5)),
    "REGISTRATION_WINDOW_HOURS": int(os.environ.get("SALDO_REGISTRATION_WINDOW_HOURS", 24)),
    # The same per client address (web and API; many members may share a carrier's address).
    "REGISTRATION_CLIENT_MAX_FAILURES": int(os.environ.get("SALDO_REGISTRATION_CLIENT_MAX_FAILURES", 20)),
    "REGISTRATION_CLIENT_WINDOW_MINUTES": int(os.environ.get("SALDO_REGISTRATION_CLIENT_WINDOW_MINUTES", 60)),
    # Messages per number per window, every command counted; the rest get one short refusal.
    "RATE_LIMIT_MESSAGES": int(os.environ.get("SALDO_RATE_LIMIT_MESSAGES", 20)),
    "RATE_LIMIT_WINDOW_MINUTES": int(os.environ.get("SALDO_RATE_LIMIT_WINDOW_MINUTES", 60)),
}

# One-time PINs sent by SMS (web activation, Cek Saldo, mobile login, WhatsApp binding).
SALDO_PINS = {
    "DIGITS": 6,
    "VALID_MINUTES": int(os.environ.get("SALDO_PIN_VALID_MINUTES", 5)),
    # Wrong entries before the PIN is spent and a new one must be asked for.
    "MAX_TRIES": int(os.environ.get("SALDO_PIN_MAX_TRIES", 3)),
    # PINs issued per person and purpose per hour.
    "MAX_PER_HOUR": int(os.environ.get("SALDO_PIN_MAX_PER_HOUR", 5)),
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Member accounts (web portal and mobile app): password login lockout per email.
SALDO_ACCOUNTS = {
    "LOGIN_MAX_FAILURES": int(os.environ.get("SALDO_LOGIN_MAX_FAILURES", 5)),
    "LOGIN_WINDOW_MINUTES": int(os.environ.get("SALDO_LOGIN_WINDOW_MINUTES", 15)),
    # How long the code in a security notice can report "not me".
    "REPORT_VALID_DAYS": int(os.environ.get("SALDO_REPORT_VALID_DAYS", 30)),
    # A contact change approved by staff takes effect this long after the approval; until then
    # the old contacts on record can stop it.
    "CONTACT_CHANGE_COOLING_HOURS": int(os.environ.get("SALDO_CONTACT_CHANGE_COOLING_HOURS", 72)),
    # The e-KTP photo and the selfie of a contact change: private files, never under the web root.
    "PHOTO_ROOT": Path(os.environ.get("SALDO_IDENTITY_PHOTO_ROOT", DATA_DIR / "identity-photos")),
    "PHOTO_MAX_BYTES": int(os.environ.get("SALDO_IDENTITY_PHOTO_MAX_BYTES", 6 * 1024 * 1024)),
}

# E-mail (activation PINs, password reset links). Production sets SMTP through the environment;
# the demo (`make run`) writes each mail as a file under data/outbox/mail/.
EMAIL_BACKEND = os.environ.get("SALDO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("SALDO_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("SALDO_EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("SALDO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SALDO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("SALDO_EMAIL_TLS", "") == "1"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("SALDO_EMAIL_FROM", "Saldo <noreply@saldo.invalid>")

# The demo's outbox: SALDO_DEMO_OUTBOX=DIR (set by `make run`) writes every SMS to DIR/sms.txt
# instead of sending it to Kannel, and every e-mail to DIR/mail/, so a newcomer can read the PINs.
DEMO_OUTBOX = os.environ.get("SALDO_DEMO_OUTBOX", "")
# Transports replacing the outbox's defaults, by channel (saldo.channels.outbox.TRANSPORTS).
SALDO_TRANSPORTS: dict[str, str] = {}
if DEMO_OUTBOX:
    SALDO_TRANSPORTS["sms"] = "saldo.portal.demo_outbox.send"
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(Path(DEMO_OUTBOX) / "mail")

# Web portal (src/saldo/portal/).
SALDO_PORTAL = {
    # A Cek Saldo PIN opens balances, statements and cards for this long (then a new PIN is asked).
    "BALANCE_UNLOCK_MINUTES": int(os.environ.get("SALDO_PORTAL_BALANCE_UNLOCK_MINUTES", 10)),
    # Per client address (and per KPJ for registration, per email for resets), within the window:
    "LOGIN_FAILURES_PER_CLIENT": int(os.environ.get("SALDO_PORTAL_LOGIN_FAILURES_PER_CLIENT", 20)),
    "LOGIN_WINDOW_MINUTES": 15,
    "REPORT_FAILURES": int(os.environ.get("SALDO_PORTAL_REPORT_FAILURES", 10)),
    "REPORT_WINDOW_MINUTES": 60,
    "RESET_REQUESTS": int(os.environ.get("SALDO_PORTAL_RESET_REQUESTS", 5)),
    "RESET_WINDOW_MINUTES": 60,
    # How long the code a reset request mails works (once, SALDO_PINS MAX_TRIES wrong entries).
    "RESET_CODE_MINUTES": int(os.environ.get("SALDO_PORTAL_RESET_CODE_MINUTES", 30)),
}
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:services"

# Sessions end after SALDO_SESSION_MINUTES without a request (every request renews the cookie)
# and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SALDO_SESSION_MINUTES", 15)) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script reads the token: every form carries it
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "saldo.portal.views.errors.csrf_failure"


def _secure_cookies() -> bool:
    """Cookies only over HTTPS, unless SALDO_SECURE_COOKIES=0 or the service answers only on this
    machine (the demo and the tests serve plain http on 127.0.0.1)."""
    choice = os.environ.get("SALDO_SECURE_COOKIES", "")
    if choice in ("0", "1"):
        return choice == "1"
    return not set(ALLOWED_HOSTS) <= {"127.0.0.1", "localhost", "testserver", "[::1]"}


SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _secure_cookies()

# HTTPS. SecurityMiddleware sends Strict-Transport-Security on every response to a request made
# over HTTPS (never over plain http, where a browser would ignore it anyway): browsers then refuse
# plain http to this host for SALDO_HSTS_SECONDS (0 sends none). Subdomains only where the operator
# knows every one of them serves HTTPS (SALDO_HSTS_INCLUDE_SUBDOMAINS=1): other services of the fund
# may live under the same domain. Not preloaded: that is a decision for the whole domain.
SECURE_HSTS_SECONDS = int(os.environ.get("SALDO_HSTS_SECONDS", 365 * 24 * 60 * 60))
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("SALDO_HSTS_INCLUDE_SUBDOMAINS", "") == "1"
SECURE_HSTS_PRELOAD = False


def _proxy_ssl_header() -> tuple[str, str] | None:
    """Behind a reverse proxy that terminates TLS (SALDO_BEHIND_TLS_PROXY=1), a request is HTTPS
    when the proxy says so in X-Forwarded-Proto. Only then: without such a proxy, any client could
    send that header. The proxy must set it itself, overwriting whatever the client sent."""
    if os.environ.get("SALDO_BEHIND_TLS_PROXY", "") == "1":
        return ("HTTP_X_FORWARDED_PROTO", "https")
    return None


SECURE_PROXY_SSL_HEADER = _proxy_ssl_header()

# Mobile-app API (src/saldo/api/) and the signed digital card (src/saldo/cards/).
SALDO_API: dict = {
    # Bearer tokens: a short-lived access token, and a refresh token bound to the device id.
    "ACCESS_TOKEN_MINUTES": int(os.environ.get("SALDO_API_ACCESS_TOKEN_MINUTES", 15)),
    "REFRESH_TOKEN_DAYS": int(os.environ.get("SALDO_API_REFRESH_TOKEN_DAYS", 30)),
    # How long the challenge of a registration or login (waiting for its SMS PIN) stays open.
    "CHALLENGE_MINUTES": int(os.environ.get("SALDO_API_CHALLENGE_MINUTES", 10)),
    # Rate limits: requests per window (seconds). Per token (a device's session), per client IP for
    # every request, and a tighter per-IP limit on the unauthenticated auth endpoints. Mobile
    # carriers put many phones behind one IP (CGNAT), hence the generous per-IP figure.
    "TOKEN_RATE": (int(os.environ.get("SALDO_API_TOKEN_RATE", 120)), 60),
    "IP_RATE": (int(os.environ.get("SALDO_API_IP_RATE", 1200)), 60),
    "AUTH_IP_RATE": (int(os.environ.get("SALDO_API_AUTH_IP_RATE", 30)), 60),
    # Failed logins (wrong email or password) per client IP within the window, beside identity's
    # lockout per email: what the portal counts per address, counted apart from the portal's.
    "LOGIN_FAILURES_PER_CLIENT": int(os.environ.get("SALDO_API_LOGIN_FAILURES_PER_CLIENT", 20)),
    "LOGIN_WINDOW_MINUTES": int(os.environ.get("SALDO_API_LOGIN_WINDOW_MINUTES", 15)),
    # Reverse proxies in front of the app that append to X-Forwarded-For (0: use the peer address).
    "PROXY_COUNT": int(os.environ.get("SALDO_API_PROXY_COUNT", 0)),
    # Digital card: hours a signed card stays valid; the Ed25519 signing key as PEM or base64 seed
    # (empty: a key file under DATA_DIR, created on first use, mode 0600, never committed); retired
    # public keys (comma-separated base64) whose cards still verify until they expire.
    "CARD_VALID_HOURS": int(os.environ.get("SALDO_CARD_VALID_HOURS", 24 * 7)),
    "CARD_SIGNING_KEY": os.environ.get("SALDO_CARD_SIGNING_KEY", ""),
    "CARD_KEY_FILE": Path(os.environ.get("SALDO_CARD_KEY_FILE", DATA_DIR / "card-signing-key.pem")),
    "CARD_OLD_PUBLIC_KEYS": [k for k in os.environ.get("SALDO_CARD_OLD_PUBLIC_KEYS", "").split(",") if k.strip()],
}

# WhatsApp Business Cloud API (src/saldo/channels/whatsapp/). Meta calls /channels/whatsapp/webhook.
SALDO_WHATSAPP = {
    # The token typed into the webhook settings in Meta's App Dashboard (the GET handshake).
    # Empty refuses the handshake.
    "VERIFY_TOKEN": os.environ.get("SALDO_WHATSAPP_VERIFY_TOKEN", ""),
    # The app secret Meta signs each webhook POST with (X-Hub-Signature-256). Empty refuses every POST.
    "APP_SECRET": os.environ.get("SALDO_WHATSAPP_APP_SECRET", ""),
    # A system-user access token with whatsapp_business_messaging, and the sending number's id.
    "ACCESS_TOKEN": os.environ.get("SALDO_WHATSAPP_ACCESS_TOKEN", ""),
    "PHONE_NUMBER_ID": os.environ.get("SALDO_WHATSAPP_PHONE_NUMBER_ID", ""),
    "GRAPH_URL": os.environ.get("SALDO_WHATSAPP_GRAPH_URL", "https://graph.facebook.com"),
    "GRAPH_VERSION": os.environ.get("SALDO_WHATSAPP_GRAPH_VERSION", "v23.0"),
    # Seconds per Graph API call. Attempts and backoff on 429/5xx are the outbox's (SALDO_KANNEL
    # SEND_ATTEMPTS / SEND_BACKOFF, shared by every channel).
    "SEND_TIMEOUT": float(os.environ.get("SALDO_WHATSAPP_SEND_TIMEOUT", 5)),
    # Free-form messages only within this many hours of the member's last message; after that the
    # approved template below, its one body parameter carrying the text.
    "WINDOW_HOURS": int(os.environ.get("SALDO_WHATSAPP_WINDOW_HOURS", 24)),
    "TEMPLATE_NAME": os.environ.get("SALDO_WHATSAPP_TEMPLATE_NAME", "saldo_pesan"),
    "TEMPLATE_LANGUAGE": os.environ.get("SALDO_WHATSAPP_TEMPLATE_LANGUAGE", "id"),
    # A registration left unfinished this long starts over (and what was typed is deleted).
    "CONVERSATION_MINUTES": int(os.environ.get("SALDO_WHATSAPP_CONVERSATION_MINUTES", 15)),
}

# JHT claims (src/saldo/claims/).
SALDO_CLAIMS = {
    # A JHT balance above this (whole rupiah) is verified by staff (video call or branch visit)
    # instead of self-service: Rp10,000,000 in 2022-23, Rp15,000,000 from 2025 (domain.md §5).
    "SELF_SERVICE_LIMIT": int(os.environ.get("SALDO_CLAIM_SELF_SERVICE_LIMIT", 10_000_000)),
    # Each uploaded document (JPG, PNG or PDF), in bytes: 6 MB.
    "MAX_UPLOAD_BYTES": int(os.environ.get("SALDO_CLAIM_MAX_UPLOAD_BYTES", 6 * 1024 * 1024)),
    # Where uploaded documents are kept: private files outside the web root (never STATIC_ROOT;
    # no URL serves this folder, staff read documents through the admin).
    "DOCUMENT_ROOT": Path(os.environ.get("SALDO_CLAIM_DOCUMENT_ROOT", DATA_DIR / "claim-documents")),
}

# Who holds a bank account, asked of the bank before a claim is filed to it (src/saldo/banking/).
# The default adapter speaks Bank Indonesia's SNAP account inquiry (banking/snap.py): a B2B access
# token signed with our RSA key, then account-inquiry-external signed with the client secret.
SALDO_BANK_INQUIRY = {
    "ADAPTER": os.environ.get("SALDO_BANK_ADAPTER", "saldo.banking.snap.SnapAccountInquiry"),
    "BASE_URL": os.environ.get("SALDO_BANK_BASE_URL", ""),  # https://…, any prefix before /v1.0 included
    "CLIENT_KEY": os.environ.get("SALDO_BANK_CLIENT_KEY", ""),  # X-CLIENT-KEY
    "CLIENT_SECRET": os.environ.get("SALDO_BANK_CLIENT_SECRET", ""),  # signs each inquiry (HMAC-SHA512)
    # Our RSA private key (its public key is registered with the bank): PEM, or the path of a PEM file.
    "PRIVATE_KEY": os.environ.get("SALDO_BANK_PRIVATE_KEY", ""),
    "PARTNER_ID": os.environ.get("SALDO_BANK_PARTNER_ID", ""),  # X-PARTNER-ID; empty: the client key
    "CHANNEL_ID": os.environ.get("SALDO_BANK_CHANNEL_ID", ""),  # CHANNEL-ID
    "TIMEOUT_SECONDS": float(os.environ.get("SALDO_BANK_TIMEOUT_SECONDS", 10)),
    # Accounts at this bank (the fund's own) are asked through account-inquiry-internal.
    "INTERNAL_BANK_CODE": os.environ.get("SALDO_BANK_INTERNAL_BANK_CODE", ""),
}
if DEMO_OUTBOX and "SALDO_BANK_ADAPTER" not in os.environ:
    # `make run` has no bank either: every account is the asker's own (never outside the demo).
    SALDO_BANK_INQUIRY["ADAPTER"] = "saldo.banking.demo.DemoAccountInquiry"
