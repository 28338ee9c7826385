"""For a member who cannot, or must not, sign in: asking to change the contacts on record (the old
number is lost) and reporting "not me" with the code of a security notice. Thin adapters over
identity.contacts and identity.freezes, as the portal's pages are (portal/views/security.py)."""

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Router, Status, UploadedFile

from saldo.api.auth import ClientLimit, client_ip
from saldo.api.problems import errors
from saldo.api.schemas import ContactChangeIn, ContactChangeOut, NotMeIn, NotMeOut
from saldo.identity.contacts import ContactChangeRequest, Photo, contact_change_request
from saldo.identity.freezes import report_not_me

router = Router(tags=["security"])
CHANNEL = "api"
PhotoFile = File(..., description="JPG or PNG, 6 MB at most")


@router.post("/contact-changes", auth=ClientLimit(),
             response={202: ContactChangeOut, **errors(400, 403, 409, 422, 429)},
             summary="Ask to change the phone and/or email on record, with a photo of the e-KTP and a selfie "
                     "holding it (multipart/form-data); staff check it and it takes effect a cooling-off period "
                     "after their approval; the old contacts are told at once")
def contact_change(
    request: HttpRequest,
    data: Form[ContactChangeIn],
    ktp_photo: UploadedFile = PhotoFile,
    selfie_photo: UploadedFile = PhotoFile,
):
    limit = settings.SALDO_ACCOUNTS["PHOTO_MAX_BYTES"]
    change_request = ContactChangeRequest(
        kpj=data.kpj, nik=data.nik, birth_date=data.birth_date, name=data.name,
        mother_maiden_name=data.mother_maiden_name, phone=data.phone, email=data.email,
        ktp_photo=Photo(ktp_photo.name or "", ktp_photo.read(limit + 1)),
        selfie_photo=Photo(selfie_photo.name or "", selfie_photo.read(limit + 1)),
    )
    change = contact_change_request(request=change_request, channel=CHANNEL, entered_by=f"member:{CHANNEL}",
                                    now=timezone.now(), client=client_ip(request))
    return Status(202, ContactChangeOut(status=change.status, requested_at=change.requested_at,
                                        cooling_off_hours=settings.SALDO_ACCOUNTS["CONTACT_CHANGE_COOLING_HOURS"]))


@router.post("/security/not-me", auth=ClientLimit(), response={200: NotMeOut, **errors(400, 422, 429)},
             summary="Report \"not me\" with the code of a security notice: the member's online access and "
                     "claims are frozen until staff clear it")
def not_me(request: HttpRequest, data: NotMeIn):
    report_not_me(code=data.code, channel=CHANNEL, now=timezone.now())
    return NotMeOut(frozen=True)
