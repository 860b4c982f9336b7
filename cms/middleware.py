"""Cross-origin access to the public API, off unless an operator lists origins.

``API_CORS_ALLOWED_ORIGINS`` (environment, comma-separated, e.g.
``https://app.example.gov.vn``) names the web origins whose scripts may read /api/
responses. Only those origins get ``Access-Control-Allow-Origin``, never ``*`` and never
credentials: the API is public and read only, so a few lines here do what a CORS package
would, without another dependency.
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

API_PATH_PREFIX = "/api/"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
PREFLIGHT_MAX_AGE = 86400


def allowed_origins():
    return {origin.rstrip("/") for origin in getattr(settings, "API_CORS_ALLOWED_ORIGINS", []) if origin}


class APICorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PATH_PREFIX):
            return self.get_response(request)
        origins = allowed_origins()
        origin = request.headers.get("Origin", "")
        is_allowed = origin in origins
        is_preflight = request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers
        if is_allowed and is_preflight:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            requested_headers = request.headers.get("Access-Control-Request-Headers")
            if requested_headers:
                response["Access-Control-Allow-Headers"] = requested_headers
            response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
        else:
            response = self.get_response(request)
        if origins:
            # The answer depends on the Origin header: caches must keep one copy per origin.
            patch_vary_headers(response, ["Origin"])
        if is_allowed:
            response["Access-Control-Allow-Origin"] = origin
        return response
