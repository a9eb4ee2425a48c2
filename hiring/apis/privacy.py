"""Data-protection requests over the API: erasure (Art. 17), the access export (Art. 15), an
objection (Art. 21) and sending the Art. 14 notice. Everything goes through the services, which
the admin uses too; the person must be visible to the requester (else 404)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ERROR_401, ERROR_403, ERROR_404, OBJECT_WRITE_ERRORS
from core.requester import requester
from hiring import services
from hiring.apis.candidates import _detail
from hiring.models import Candidate
from hiring.permissions import access_candidate_by_id
from hiring.serializers import CandidateDetailOutput, StrictInputSerializer


class _Needs(BasePermission):
    codename = ""
    message = "Your account may not do this."

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(self.codename))


class CanErase(_Needs):
    codename = "hiring.erase_candidate"
    message = "Your account may not erase candidates."


class CanExport(_Needs):
    codename = "hiring.export_candidate"
    message = "Your account may not export what is held about a candidate."


class CanChange(_Needs):
    codename = "hiring.change_candidate"
    message = "Your account may read but not change hiring records."


class ErasureInput(StrictInputSerializer):
    reason = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Why (e.g. 'request by e-mail of 3 Dec'); kept in the audit trail, so no "
        "personal data here.",
    )


class ErasureOutput(serializers.Serializer):
    id = serializers.IntegerField()
    erased_at = serializers.DateTimeField()
    already_erased = serializers.BooleanField(
        help_text="True when the person had been erased before: nothing was done this time."
    )
    detail = serializers.CharField()
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="What was erased, by kind."
    )


class CandidateErasureApi(APIView):
    permission_classes = [CanErase]

    @extend_schema(
        tags=["privacy"],
        request=ErasureInput,
        responses={200: ErasureOutput, **OBJECT_WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        """Erase the person everywhere (GDPR Art. 17): names, addresses, identifiers, sourcing
        records, take-home files, free-text evidence, message bodies and the personal values of
        the audit trail and webhook payloads. Stages, dates, ratings and verdicts stay,
        pseudonymous. The person's identifiers go on the suppression list, so sourcing never
        brings them back. Erasing someone already erased changes nothing and answers 200 with
        ``already_erased: true``, so a retry is always safe. Records ``candidate.erased``."""
        candidate = access_candidate_by_id(requester(request), pk)
        serializer = ErasureInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        erasure = services.candidate_erase(
            candidate=candidate,
            by=requester(request),
            reason=serializer.validated_data.get("reason", ""),
        )
        erased = erasure.candidate
        detail = (
            f"Candidate {erased.pk} had already been erased on {erased.erased_at:%Y-%m-%d}."
            if erasure.already
            else f"Candidate {erased.pk} was erased."
        )
        body: dict[str, Any] = {
            "id": erased.pk,
            "erased_at": erased.erased_at,
            "already_erased": erasure.already,
            "detail": detail,
            "counts": erasure.counts,
        }
        return Response(ErasureOutput(body).data)


class CandidateExportApi(APIView):
    permission_classes = [CanExport]

    @extend_schema(
        tags=["privacy"],
        responses={
            200: OpenApiResponse(
                description="One JSON document (format `hirebar.access-export/1`) with "
                "everything held about the person, from every app, and the audit trail of "
                "their records."
            ),
            401: ERROR_401,
            403: ERROR_403,
            404: ERROR_404,
            410: OpenApiResponse(description="The person was erased: nothing is held. `{detail}`"),
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        """Everything held about the person (GDPR Art. 15), as one JSON document."""
        candidate = access_candidate_by_id(requester(request), pk)
        try:
            document = services.candidate_export(candidate=candidate)
        except services.ErasedError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_410_GONE)
        response = Response(document)
        response["Content-Disposition"] = f'attachment; filename="candidate-{pk}-export.json"'
        return response


class ObjectionInput(StrictInputSerializer):
    reason = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, help_text="What the person said."
    )


class CandidateObjectionApi(APIView):
    permission_classes = [CanChange]

    @extend_schema(
        tags=["privacy"],
        request=ObjectionInput,
        responses={200: CandidateDetailOutput, **OBJECT_WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        """Record a sourced person's objection (GDPR Art. 21): their open applications are
        withdrawn, they cannot be contacted, and sourcing skips them from now on. A candidate
        who was not sourced is refused (400, with the reason); a second objection changes
        nothing. Records ``candidate.objected``."""
        candidate = access_candidate_by_id(requester(request), pk)
        serializer = ObjectionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        candidate = services.candidate_object(
            candidate=candidate,
            reason=serializer.validated_data.get("reason", ""),
            by=requester(request),
        )
        return Response(_detail(access_candidate_by_id(requester(request), candidate.pk), request))


class NoticeOutput(serializers.Serializer):
    candidate = serializers.IntegerField()
    message = serializers.IntegerField(help_text="The message's id in the candidate's messages.")
    status = serializers.CharField(help_text="queued, sent or failed.")
    detail = serializers.CharField()


class CandidateNoticeApi(APIView):
    permission_classes = [CanChange]

    @extend_schema(
        tags=["privacy"],
        request=None,
        responses={202: NoticeOutput, **OBJECT_WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        """Send the GDPR Art. 14 notice now (it is queued and sent by a worker; the candidate's
        ``notice_sent_at`` is set once the mail server took it). Refused (400, with the reason)
        for a candidate who was not sourced, objected, was erased, already had it, or has no
        address. A notice already on its way is answered again, not sent twice."""
        candidate: Candidate = access_candidate_by_id(requester(request), pk)
        message = services.notice_send(candidate=candidate, by=requester(request))
        body = {
            "candidate": candidate.pk,
            "message": message.pk,
            "status": message.status,
            "detail": f"The notice to {message.to_address} is {message.status}.",
        }
        return Response(NoticeOutput(body).data, status=status.HTTP_202_ACCEPTED)
