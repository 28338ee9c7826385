"""Penggabungan saldo requested by the member."""

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from saldo.api.auth import MemberToken
from saldo.api.problems import errors
from saldo.api.schemas import Amounts, MergeIn, MergeOut
from saldo.audit.services import disclosure_record
from saldo.merging.services import kpj_merge

router = Router(auth=MemberToken(), tags=["member"])


@router.post("/merges", response={200: MergeOut, 201: MergeOut, **errors(400, 401, 404, 409, 422, 429)},
             summary="Merge an older KPJ into a newer one of the same member (201 the first time, 200 after)")
def merge(request: HttpRequest, data: MergeIn):
    now = timezone.now()
    with transaction.atomic():
        result = kpj_merge(from_kpj=data.from_kpj, to_kpj=data.to_kpj, now=now, person_id=request.auth.person_id)
        for kpj in (data.from_kpj, data.to_kpj):
            disclosure_record(channel="api", recipient=request.auth.recipient, kpj=kpj, what="merge", at=now)
    record = result.record
    body = MergeOut(from_kpj=record.from_kpj, to_kpj=record.to_kpj, merged_at=record.merged_at,
                    moved=Amounts(**record.moved), moved_now=Amounts(**result.moved_now))
    return Status(201 if result.created else 200, body)
