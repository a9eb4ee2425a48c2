from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import READ_ERRORS
from core.requester import requester
from interviews.permissions import access_verdict_by_application_id
from interviews.serializers import VerdictOutput, verdict_data
from interviews.verdict import application_verdict


class ApplicationVerdictApi(APIView):
    @extend_schema(tags=["applications"], responses={200: VerdictOutput, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        """The application's verdict against its own bar version: per competency the level the
        evidence supports, the bar, met or not, the evidence behind it; overall outcome and
        confirmed strengths. For recruiters and the opening's hiring manager."""
        application = access_verdict_by_application_id(requester(request), pk)
        return Response(verdict_data(application_verdict(application=application)))
