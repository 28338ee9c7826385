"""The WhatsApp bot over the WhatsApp Business Cloud API (issue 7).

Members write to the fund's WhatsApp number; Meta calls our webhook, we answer through the Graph
API. The modules, in the order a message meets them:

    views.py         the webhook: GET handshake, POST signed with X-Hub-Signature-256 (else 401)
    payloads.py      the webhook JSON → messages (text, button/list taps) and statuses
    services.py      store each message once (unique wamid), answer it once, apply statuses
    conversation.py  a tap or typed text → replies; typed commands go through the shared SMS
                     grammar (channels.commands): one grammar, two transports
    menu.py, answers.py, registration.py, texts.py   the menu, the answers about a KPJ (audited),
                     binding a number (NIK, birth date, KPJ, PIN by SMS), the words
    messages.py      replies as text, buttons or lists, and their Graph API JSON
    outbound.py      replies into the shared outbox (channels.outbox), sent after commit
    transport.py     one Graph API call per attempt; templates outside the 24-hour window

Deploying: in Meta's App Dashboard, set the callback URL to https://<host>/channels/whatsapp/webhook
with SALDO_WHATSAPP_VERIFY_TOKEN as the verify token and subscribe to the `messages` field; set
SALDO_WHATSAPP_APP_SECRET, SALDO_WHATSAPP_ACCESS_TOKEN (a system user's token) and
SALDO_WHATSAPP_PHONE_NUMBER_ID. Create and get approved a utility template named
SALDO_WHATSAPP_TEMPLATE_NAME (default `saldo_pesan`, language `id`) whose body holds one
parameter, e.g. "Pesan dari layanan Saldo BPJS Ketenagakerjaan: {{1}}": it carries every message
due outside the member's 24-hour window. From cron, every minute: `saldo send-pending` (replies
still queued after a crash) and `saldo whatsapp-pending` (messages stored but never answered).
"""
